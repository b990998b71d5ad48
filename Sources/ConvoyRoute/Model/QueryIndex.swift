/// One sorted table of every instant where something about a unit changes — a corner of its
/// journey or a breakpoint of its prism — so that a question about time `t` costs one binary search.
///
/// Measured: with three separate searches (journey corners, journey pieces, prism breakpoints) a
/// query on the 100,000-row benchmark track took about twice the old model's 1.2 µs, most of it
/// cache misses of searches over megabyte arrays; one search over this table and short local steps
/// bring it under the 2 µs target (BENCHMARKS.md).
struct QueryIndex: Sendable {
    let times: [Double]
    /// For `times[e] ≤ t < times[e+1]`: the journey corner the search in ``Witness/motion(at:)``
    /// would find, the prism interval (``UnitPrism/interval(at:)``), and the journey piece holding
    /// the corner's measure.
    let knot: [Int32]
    let interval: [Int32]
    let piece: [Int32]

    init(journey: Witness, prism: UnitPrism) {
        var all = journey.knotTimes + prism.breakpoints
        all.sort()
        var unique: [Double] = []
        unique.reserveCapacity(all.count)
        for t in all where unique.last != t { unique.append(t) }
        times = unique
        var knot: [Int32] = [], interval: [Int32] = [], piece: [Int32] = []
        knot.reserveCapacity(unique.count)
        interval.reserveCapacity(unique.count)
        piece.reserveCapacity(unique.count)
        var k = 0, b = 0, p = 0
        let knots = journey.knotTimes, breaks = prism.breakpoints
        for t in unique {
            // The corner search's answer: the largest index below the last with knotTimes[i] ≤ t.
            while k + 1 < knots.count - 1, knots[k + 1] <= t { k += 1 }
            while b < breaks.count, breaks[b] <= t { b += 1 }
            let m = knots.isEmpty ? 0 : journey.knotMeasures[k]
            while p + 1 < journey.pieceMeasures.count, journey.pieceMeasures[p + 1] <= m { p += 1 }
            knot.append(Int32(k))
            interval.append(Int32(b))
            piece.append(Int32(p))
        }
        self.knot = knot
        self.interval = interval
        self.piece = piece
    }

    /// The entry for `t`, or nil before the first instant.
    @inline(__always)
    func entry(at t: Double) -> Int? {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= t { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? low - 1 : nil
    }
}

extension Witness {
    /// ``motion(at:)`` and the position, starting from a known corner and piece.
    @inline(__always)
    func state(at t: Double, knot low: Int, piece start: Int) -> (measure: Double, speed: Double, position: SpacePosition)? {
        guard !knotTimes.isEmpty else { return nil }
        var measure = 0.0, speed = 0.0
        if t >= knotTimes.last! {
            measure = knotMeasures.last!
        } else if t > knotTimes[0] {
            let high = low + 1
            let span = knotTimes[high] - knotTimes[low]
            let dm = knotMeasures[high] - knotMeasures[low]
            measure = knotMeasures[low] + (span > 0 ? (t - knotTimes[low]) / span : 1) * dm
            speed = span > 0 ? dm / span : 0
        }
        guard !pieces.isEmpty else { return visits.first.map { (measure, speed, $0.position) } }
        var p = start
        while p + 1 < pieces.count, pieceMeasures[p + 1] <= measure { p += 1 }
        while p > 0, pieceMeasures[p] > measure { p -= 1 }
        let piece = pieces[p]
        let along = min(max(measure - pieceMeasures[p], 0), piece.length)
        return (measure, speed, SpacePosition(edge: piece.edge, offset: piece.from + (piece.to >= piece.from ? along : -along)))
    }
}
