import HeapModule

extension DistanceField {
    /// Every position on a shortest way from some position of `origins` to this field's sources,
    /// within `tolerance` metres of the shortest, and the origins themselves: where a unit reported
    /// "toward X" can be when it left some point of its previous region by a shortest way to X.
    ///
    /// A position x is on a shortest way from q when d(q, x) + d(x, X) ≤ d(q, X) + tolerance (d(·, X)
    /// is this field). Over every q of the origins that is one search: with g(x) = min over q of
    /// d(q, x) − d(q, X), x is on a way when its slack g(x) + d(x, X) is within the tolerance. By the
    /// triangle inequality the slack never decreases along a way, so the search stops where it
    /// passes the tolerance. Leaving an interval of origins by its lower end, its lowest point is the
    /// best q (along an edge d(q, X) − q does not increase), and by its upper end its highest: the
    /// intervals' ends are the search's only sources, and the answer is exact, not sampled.
    /// The field must reach every origin that can lead to X (an unbounded radius).
    func shortestWays(from origins: SpaceSet, in space: NetworkSpace, tolerance: Double) -> SpaceSet {
        var seeds: [Int32: [(offset: Double, key: Double)]] = [:]
        var keys: [Int32: Double] = [:]
        var heap = Heap<Entry>()
        func relax(_ vertex: Int32, _ key: Double) {
            guard let toTarget = distance(toVertex: vertex), key + toTarget <= tolerance else { return }
            if let known = keys[vertex], known <= key { return }
            keys[vertex] = key
            heap.insert(Entry(distance: key, vertex: vertex))
        }
        for interval in origins.intervals {
            let edge = space.edges[Int(interval.edge)]
            for offset in [interval.lo, interval.hi] {
                guard let toTarget = distance(to: SpacePosition(edge: interval.edge, offset: offset), in: space) else { continue }
                seeds[interval.edge, default: []].append((offset, -toTarget))
                relax(edge.from, offset - toTarget)
                relax(edge.to, edge.length - offset - toTarget)
            }
        }
        var settled = Set<Int32>()
        while let entry = heap.popMin() {
            guard keys[entry.vertex] == entry.distance, settled.insert(entry.vertex).inserted else { continue }
            for edgeIndex in space.edges(at: entry.vertex) {
                let edge = space.edges[Int(edgeIndex)]
                relax(space.otherEnd(of: edge, from: entry.vertex), entry.distance + edge.length)
            }
        }
        var candidates = Set(origins.intervals.map(\.edge))
        for vertex in keys.keys { candidates.formUnion(space.edges(at: vertex)) }
        var result = origins.intervals
        for edgeIndex in candidates.sorted() {
            let edge = space.edges[Int(edgeIndex)]
            let fromKey = keys[edge.from], toKey = keys[edge.to]
            let local = seeds[edgeIndex] ?? []
            func slack(_ offset: Double) -> Double {
                var best = Double.infinity
                if let fromKey { best = min(best, fromKey + offset) }
                if let toKey { best = min(best, toKey + edge.length - offset) }
                for seed in local { best = min(best, seed.key + abs(offset - seed.offset)) }
                guard best.isFinite, let toTarget = distance(to: SpacePosition(edge: edgeIndex, offset: offset), in: space) else { return .infinity }
                return best + toTarget
            }
            // Between the seeds and the ends of the target's own intervals both terms are minima of
            // linear functions, so the slack is concave there.
            let inner = local.map(\.offset) + sourceIntervals(onEdge: edgeIndex).flatMap { [$0.lo, $0.hi] }
            let cuts = Array(Set([0, edge.length] + inner.filter { $0 > 0 && $0 < edge.length })).sorted()
            if cuts.count == 1, slack(0) <= tolerance { result.append(EdgeInterval(edge: edgeIndex, lo: 0, hi: 0)) }
            for (a, b) in zip(cuts, cuts.dropFirst()) {
                result += Self.sublevel(of: slack, from: a, to: b, level: tolerance).map { EdgeInterval(edge: edgeIndex, lo: $0.lo, hi: $0.hi) }
            }
        }
        return SpaceSet(normalizing: result)
    }

    /// The offsets of `a ... b` where a function concave there is at most `level`: the interval less
    /// one open stretch around its maximum. Boundaries are found to half a metre, on the side that
    /// keeps the whole of the answer.
    static func sublevel(of f: (Double) -> Double, from a: Double, to b: Double, level: Double) -> [(lo: Double, hi: Double)] {
        let precision = 0.5
        var low = a, high = b
        while high - low > precision {
            let m1 = low + (high - low) / 3, m2 = high - (high - low) / 3
            if f(m1) < f(m2) { low = m1 } else { high = m2 }
        }
        let peak = (low + high) / 2
        if f(peak) <= level { return [(a, b)] }
        // Bisection between an offset inside the answer and one outside it: the outside one.
        func boundary(inside: Double, outside: Double) -> Double {
            var inside = inside, outside = outside
            while abs(outside - inside) > precision {
                let mid = (inside + outside) / 2
                if f(mid) <= level { inside = mid } else { outside = mid }
            }
            return outside
        }
        var pieces: [(lo: Double, hi: Double)] = []
        if f(a) <= level { pieces.append((a, boundary(inside: a, outside: peak))) }
        if f(b) <= level { pieces.append((boundary(inside: b, outside: peak), b)) }
        return pieces
    }
}
