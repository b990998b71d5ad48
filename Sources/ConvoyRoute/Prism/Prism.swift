/// One report about a unit as a space-time constraint: at some instant of `start ... end` the
/// unit was somewhere in `region` (positions of the space), or within `lateral` metres of it where
/// the region is a place off the network.
public struct PrismConstraint: Sendable {
    public let region: SpaceSet
    public let lateral: Double
    public let start: Double
    public let end: Double
    /// The row (of the unit's rows) the constraint comes from; several may share one.
    public let row: Int

    public init(region: SpaceSet, lateral: Double = 0, start: Double, end: Double, row: Int) {
        self.region = region
        self.lateral = lateral
        self.start = start
        self.end = end
        self.row = row
    }
}

/// A stretch of the space a unit keeps to between two of its reports (the update log's `road`
/// column: the leg ending at a row follows one road, or the geodesic): from the end of the first
/// report's window to the start of the second's the unit is in `region`, and the way between the
/// two reports keeps to its edges.
public struct PrismCorridor: Sendable {
    /// Rows (of the unit's rows) of the two reports: the leg runs from the first to the second.
    public let rows: (Int, Int)
    public let region: SpaceSet
    /// The edges of `region`, for searches that keep to it.
    public let edges: Set<Int32>

    public init(rows: (Int, Int), region: SpaceSet) {
        self.rows = rows
        self.region = region
        edges = Set(region.intervals.map(\.edge))
    }
}

/// Two constraints no movement at the maximum speed can satisfy, and what the model did about it.
public struct PrismConflict: Sendable, Hashable {
    /// Rows of the two constraints (earlier first).
    public let rows: (Int, Int)
    /// Network distance between their regions, metres.
    public let distance: Double
    /// The longest time the windows leave between the two, seconds (0: the same instant).
    public let time: Double
    /// The speed they would need, m/s (infinite at the same instant).
    public var neededSpeed: Double { time > 0 ? distance / time : .infinity }

    public static func == (a: PrismConflict, b: PrismConflict) -> Bool { a.rows == b.rows && a.distance == b.distance && a.time == b.time }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rows.0)
        hasher.combine(rows.1)
        hasher.combine(distance)
    }
}

/// The space-time prism of one unit (time geography, Hägerstrand; on networks Miller, and Kuijpers
/// & Othman 2009): given its reports as constraints and a maximum speed, the positions it can
/// have occupied at any time.
///
/// Each constraint k holds at some instant τ_k of its window [a_k, b_k], in region F_k. A unit at x
/// at time t has therefore been within v·|t − τ_k| of F_k along the network, for every k: x lies in
/// the ball of F_k of radius v·max(|t − a_k|, |t − b_k|) — before the window v·(b_k − t), after it
/// v·(t − a_k). The answer is the intersection of those balls for the constraints that bind at t
/// (the last before, the first after, and those whose window holds t). It is a superset of the
/// exact feasible set, so it contains every position consistent with the reports; with instants
/// it is the exact network prism between the neighbouring reports.
///
/// Before the balls are taken, each window is narrowed by its neighbours' (a report cannot be
/// earlier than the previous one plus the time to drive from there), so a long window beside a
/// tight one shrinks. Distances between regions are network distances (Dijkstra over the space).
public struct UnitPrism: Sendable {
    public let space: NetworkSpace
    /// Metres per second no movement exceeds.
    public let maximumSpeed: Double
    /// The constraints sorted by window, their windows narrowed by their neighbours and their
    /// regions widened where two conflicted (see ``conflicts``).
    public let constraints: [PrismConstraint]
    /// Pairs of constraints that no movement at ``maximumSpeed`` satisfies. The model keeps both
    /// rows: each of the two regions is widened to the union of both, so the unit may be at either.
    public let conflicts: [PrismConflict]
    /// The instants where the set of binding constraints changes (every window's ends), sorted.
    let breakpoints: [Double]
    /// Per elementary interval `breakpoints[i] ..< breakpoints[i+1]` (index i + 1; 0 is before the
    /// first breakpoint, `breakpoints.count` after the last): the binding past constraint, future
    /// constraint (-1 for none) and the active constraints `activeStart[i] ..< activeStart[i+1]`.
    let pastIndex: [Int32]
    let futureIndex: [Int32]
    let activeStart: [Int32]
    let actives: [Int32]
    /// Network distance fields per constraint (empty when the space is a chain).
    let fields: [DistanceField]
    /// On a chain, each constraint's region as an interval of chain measures (else empty).
    let linear: [(lo: Double, hi: Double)]
    /// Legs that keep to a stretch of the space (each holds from the end of the leg's first window
    /// to the start of its second, after narrowing: both are breakpoints, so a corridor holds over
    /// whole elementary intervals).
    public let corridors: [PrismCorridor]
    /// The corridors holding in elementary interval i: `corridorEntries[corridorStart[i] ..<
    /// corridorStart[i+1]]` (both empty when there are none), and on a chain each one's hull.
    let corridorStart: [Int32]
    let corridorEntries: [Int32]
    let corridorHulls: [(lo: Double, hi: Double)]
    /// The start of the first window and the end of the last.
    public let firstStart: Double
    public let lastEnd: Double

    /// At most this many constraints whose window holds t are intersected (the narrowest); any
    /// subset gives a superset of the answer, so this bounds the cost without losing the truth.
    public static let activeLimit = 8

    public init(space: NetworkSpace, constraints unsorted: [PrismConstraint], maximumSpeed: Double, corridors: [PrismCorridor] = []) {
        self.space = space
        self.maximumSpeed = maximumSpeed
        var list = unsorted.filter { !$0.region.isEmpty }.sorted { ($0.start, $0.end, $0.row) < ($1.start, $1.end, $1.row) }
        var conflicts: [PrismConflict] = []
        var starts = list.map(\.start), ends = list.map(\.end)
        // A leg with a corridor is measured along it (∞ if the corridor does not join the two).
        // A row has at most one leg in: corridors are found by the row they lead to.
        let corridorInto = Dictionary(corridors.map { ($0.rows.1, $0) }, uniquingKeysWith: { first, _ in first })
        func gap(_ k: Int) -> Double {
            let corridor = corridorInto[list[k + 1].row].flatMap { $0.rows.0 == list[k].row ? $0 : nil }
            return UnitPrism.distance(space, list[k], list[k + 1], keepingTo: corridor?.edges)
        }
        // Resolve conflicts between consecutive constraints, then narrow the windows. A widening can
        // free a neighbour, so a few rounds are taken, each mending every broken pair it finds.
        var gaps = (0..<max(0, list.count - 1)).map(gap)
        func narrow() {
            starts = list.map(\.start)
            ends = list.map(\.end)
            for k in gaps.indices where list[k].end <= list[k + 1].start {
                starts[k + 1] = max(starts[k + 1], starts[k] + gaps[k] / maximumSpeed)
            }
            for k in gaps.indices.reversed() where list[k].end <= list[k + 1].start {
                ends[k] = min(ends[k], ends[k + 1] - gaps[k] / maximumSpeed)
            }
        }
        for _ in 0..<4 {
            narrow()
            let broken = gaps.indices.filter { k in
                let ordered = list[k].end <= list[k + 1].start
                let room = ordered ? ends[k + 1] - starts[k] : max(list[k + 1].end - list[k].start, list[k].end - list[k + 1].start)
                return gaps[k] > 0 && (gaps[k] > maximumSpeed * room + 1e-6 || starts[k] > ends[k] + 1e-6 || starts[k + 1] > ends[k + 1] + 1e-6)
            }
            if broken.isEmpty { break }
            var touched = Set<Int>()
            for k in broken where gaps[k] > 0 {
                conflicts.append(PrismConflict(rows: (list[k].row, list[k + 1].row), distance: gaps[k], time: max(0, list[k + 1].end - list[k].start)))
                let both = list[k].region.union(list[k + 1].region)
                let lateral = max(list[k].lateral, list[k + 1].lateral)
                list[k] = PrismConstraint(region: both, lateral: lateral, start: list[k].start, end: list[k].end, row: list[k].row)
                list[k + 1] = PrismConstraint(region: both, lateral: lateral, start: list[k + 1].start, end: list[k + 1].end, row: list[k + 1].row)
                gaps[k] = 0
                touched.formUnion([k - 1, k + 1])
            }
            for k in touched where k >= 0 && k < gaps.count { gaps[k] = gap(k) }
        }
        narrow()
        if zip(starts, ends).contains(where: { $0 > $1 + 1e-6 }) {
            // Still no schedule at the maximum speed: keep the windows as reported (wider, so the
            // answer still holds every position the reports allow).
            starts = list.map(\.start)
            ends = list.map(\.end)
        }
        let constraints = Self.narrowingRegions(
            zip(list, zip(starts, ends)).map { c, w in PrismConstraint(region: c.region, lateral: c.lateral, start: w.0, end: max(w.0, w.1), row: c.row) },
            space: space, maximumSpeed: maximumSpeed)

        // Elementary intervals and the constraints that bind in each.
        let breakpoints = Array(Set(constraints.flatMap { [$0.start, $0.end] })).sorted()
        self.breakpoints = breakpoints
        var past: [Int32] = [], future: [Int32] = [], activeStart: [Int32] = [0], actives: [Int32] = []
        var needed = [Double](repeating: 0, count: constraints.count)
        // Sweeps: by end for the latest-starting past constraint, by start (from the right) for the
        // earliest-ending future one, and a running set of those whose window spans the interval.
        let byEnd = constraints.indices.sorted { constraints[$0].end < constraints[$1].end }
        let byStart = constraints.indices.sorted { constraints[$0].start < constraints[$1].start }
        var futureOf = [Int32](repeating: -1, count: breakpoints.count + 1)
        var cursor = byStart.count - 1
        var bestFuture: Int32 = -1
        for i in stride(from: breakpoints.count, through: 0, by: -1) {
            let hi = i == breakpoints.count ? Double.infinity : breakpoints[i]
            while cursor >= 0, constraints[byStart[cursor]].start >= hi {
                let k = byStart[cursor]
                if bestFuture < 0 || constraints[k].end < constraints[Int(bestFuture)].end { bestFuture = Int32(k) }
                cursor -= 1
            }
            futureOf[i] = bestFuture
        }
        var endCursor = 0, startCursor = 0
        var bestPast: Int32 = -1
        var spanning = Set<Int>()
        for i in 0...breakpoints.count {
            let lo = i == 0 ? -Double.infinity : breakpoints[i - 1]
            let hi = i == breakpoints.count ? Double.infinity : breakpoints[i]
            while endCursor < byEnd.count, constraints[byEnd[endCursor]].end <= lo {
                let k = byEnd[endCursor]
                spanning.remove(k)
                if bestPast < 0 || constraints[k].start > constraints[Int(bestPast)].start { bestPast = Int32(k) }
                endCursor += 1
            }
            while startCursor < byStart.count, constraints[byStart[startCursor]].start <= lo {
                let k = byStart[startCursor]
                if constraints[k].end >= hi { spanning.insert(k) }
                startCursor += 1
            }
            let active = spanning.sorted { (constraints[$0].end - constraints[$0].start, $0) < (constraints[$1].end - constraints[$1].start, $1) }.prefix(Self.activeLimit).map { Int32($0) }
            let bestFuture = futureOf[i]
            // The radii each field must reach over this interval (infinite ends are left to queries).
            if bestPast >= 0, hi.isFinite { needed[Int(bestPast)] = max(needed[Int(bestPast)], maximumSpeed * (hi - constraints[Int(bestPast)].start)) }
            if bestFuture >= 0, lo.isFinite { needed[Int(bestFuture)] = max(needed[Int(bestFuture)], maximumSpeed * (constraints[Int(bestFuture)].end - lo)) }
            for k in active { needed[Int(k)] = max(needed[Int(k)], maximumSpeed * (constraints[Int(k)].end - constraints[Int(k)].start)) }
            past.append(bestPast)
            future.append(bestFuture)
            actives += active
            activeStart.append(Int32(actives.count))
        }
        pastIndex = past
        futureIndex = future
        self.activeStart = activeStart
        self.actives = actives
        if let chain = space.chain {
            linear = constraints.map { chain.hull(of: $0.region)! }
            fields = []
        } else {
            linear = []
            fields = constraints.indices.map { DistanceField(space: space, sources: constraints[$0].region, radius: needed[$0] + constraints[$0].lateral) }
        }
        self.constraints = constraints
        self.conflicts = conflicts
        // A corridor holds between its two reports: after the first's window, before the second's.
        var kept: [PrismCorridor] = []
        var holding = [[Int32]](repeating: [], count: corridors.isEmpty ? 0 : breakpoints.count + 1)
        let constraintOfRow = Dictionary(constraints.indices.map { (constraints[$0].row, $0) }, uniquingKeysWith: { first, _ in first })
        for corridor in corridors {
            guard let a = constraintOfRow[corridor.rows.0], let b = constraintOfRow[corridor.rows.1], constraints[a].end < constraints[b].start else { continue }
            var i = Self.intervalIndex(constraints[a].end, in: breakpoints)
            while i < breakpoints.count, breakpoints[i] <= constraints[b].start {
                holding[i].append(Int32(kept.count))
                i += 1
            }
            kept.append(corridor)
        }
        self.corridors = kept
        corridorStart = kept.isEmpty ? [] : [0] + holding.reduce(into: [Int32]()) { starts, list in starts.append((starts.last ?? 0) + Int32(list.count)) }
        corridorEntries = holding.flatMap { $0 }
        corridorHulls = space.chain.map { chain in kept.map { chain.hull(of: $0.region)! } } ?? []
        firstStart = constraints.map(\.start).min() ?? .infinity
        lastEnd = constraints.map(\.end).max() ?? -.infinity
    }

    /// Each constraint's region narrowed by the whole chain of reports, not only its neighbours: a
    /// sweep forward keeps the part of each region within reach of the previous (already narrowed)
    /// region in the longest time their two windows leave between them, and a sweep back the part
    /// from which the next one is within reach. The truth at a report's instant lies in its region
    /// and within that reach of the truth at its neighbour's, so it stays in every narrowed region;
    /// a region far along a date-only chain keeps only what the tighter reports around it allow.
    /// A narrowing that would empty a region (reports that conflict) leaves it whole.
    static func narrowingRegions(_ constraints: [PrismConstraint], space: NetworkSpace, maximumSpeed v: Double) -> [PrismConstraint] {
        guard constraints.count > 1 else { return constraints }
        var regions = constraints.map(\.region)
        func narrow(_ k: Int, by j: Int) {
            let a = constraints[j], b = constraints[k]
            let reach = v * max(b.end - a.start, a.end - b.start, 0) + a.lateral + b.lateral
            guard reach.isFinite else { return }
            let within: SpaceSet
            if let chain = space.chain, let from = chain.hull(of: regions[j]), let region = chain.hull(of: regions[k]) {
                let lo = from.lo - reach, hi = from.hi + reach
                // On a chain a region already inside the reach (every point report) costs no set arithmetic.
                if region.lo >= lo, region.hi <= hi { return }
                within = chain.set(from: max(0, lo), to: min(chain.length, hi), in: space)
            } else {
                within = DistanceField(space: space, sources: regions[j], radius: reach).ball(radius: reach, in: space)
            }
            let kept = regions[k].intersection(within)
            if !kept.isEmpty { regions[k] = kept }
        }
        for k in 1..<constraints.count { narrow(k, by: k - 1) }
        for k in stride(from: constraints.count - 2, through: 0, by: -1) { narrow(k, by: k + 1) }
        return zip(constraints, regions).map { c, region in PrismConstraint(region: region, lateral: c.lateral, start: c.start, end: c.end, row: c.row) }
    }

    /// Network distance between two constraints' regions (∞ when they are not connected).
    /// With `edges`, along those edges only.
    static func distance(_ space: NetworkSpace, _ a: PrismConstraint, _ b: PrismConstraint, keepingTo edges: Set<Int32>? = nil) -> Double {
        if let chain = space.chain, let x = chain.hull(of: a.region), let y = chain.hull(of: b.region) {
            return max(0, max(y.lo - x.hi, x.lo - y.hi) - a.lateral - b.lateral)
        }
        if !a.region.intersection(b.region).isEmpty { return 0 }
        let path = DistanceField.shortestPath(in: space, from: a.region, to: b.region, allowedEdges: edges)
        return max(0, (path?.length ?? .infinity) - a.lateral - b.lateral)
    }

    /// Index of the elementary interval holding `t` (0 before the first breakpoint).
    func interval(at t: Double) -> Int { Self.intervalIndex(t, in: breakpoints) }

    static func intervalIndex(_ t: Double, in breakpoints: [Double]) -> Int {
        var low = 0, high = breakpoints.count
        while low < high {
            let mid = (low + high) / 2
            if breakpoints[mid] <= t { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The corridors that hold in elementary interval `i`.
    func corridors(inInterval i: Int) -> ArraySlice<Int32> {
        corridorStart.isEmpty ? [] : corridorEntries[Int(corridorStart[i])..<Int(corridorStart[i + 1])]
    }

    /// The constraints that bind at `t`, each with the radius of its ball then.
    public func binding(at t: Double) -> [(constraint: Int, radius: Double)] {
        guard !constraints.isEmpty else { return [] }
        let i = interval(at: t)
        var result: [(Int, Double)] = []
        let v = maximumSpeed
        if pastIndex[i] >= 0 {
            let c = constraints[Int(pastIndex[i])]
            result.append((Int(pastIndex[i]), v * max(0, t - c.start) + c.lateral))
        }
        if futureIndex[i] >= 0 {
            let c = constraints[Int(futureIndex[i])]
            result.append((Int(futureIndex[i]), v * max(0, c.end - t) + c.lateral))
        }
        for k in actives[Int(activeStart[i])..<Int(activeStart[i + 1])] {
            let c = constraints[Int(k)]
            result.append((Int(k), v * max(t - c.start, c.end - t, 0) + c.lateral))
        }
        return result
    }

    /// Where the unit can be at `t`: every position of the space consistent with the constraints
    /// that bind then, at the maximum speed. Before the first report and after the last the set
    /// grows with the time elapsed.
    public func feasibleSet(at t: Double) -> SpaceSet {
        if let chain = space.chain {
            guard let range = feasibleChain(at: t) else { return .empty }
            return chain.set(from: range.lo, to: range.hi, in: space)
        }
        let balls = binding(at: t)
        guard !balls.isEmpty else { return .empty }
        // Fields were built out to the radii interior intervals need; outside them (before the
        // first window, after the last) a ball is computed afresh out to its radius.
        let fieldFor: [DistanceField] = balls.map { ball in
            let field = fields[ball.constraint]
            return ball.radius <= field.radius ? field : DistanceField(space: space, sources: field.sources, radius: ball.radius)
        }
        let driver = balls.indices.min { balls[$0].radius < balls[$1].radius }!
        var result: [EdgeInterval] = []
        var scratch: [EdgeInterval] = []
        for edge in fieldFor[driver].reachableEdges(in: space) {
            scratch.removeAll(keepingCapacity: true)
            fieldFor[driver].ball(onEdge: edge, radius: balls[driver].radius, in: space, into: &scratch)
            var pieces = scratch
            for b in balls.indices where b != driver && !pieces.isEmpty {
                var other: [EdgeInterval] = []
                fieldFor[b].ball(onEdge: edge, radius: balls[b].radius, in: space, into: &other)
                pieces = SpaceSet(sorted: pieces).intersection(SpaceSet(sorted: other)).intervals
            }
            result += pieces
        }
        var set = SpaceSet(sorted: result)
        for k in corridors(inInterval: interval(at: t)) { set = set.intersection(corridors[Int(k)].region) }
        return set
    }

    /// On a chain: the feasible set at `t` as an interval of chain measures (nil when empty or
    /// when the space is not a chain). O(log n): one binary search and a few comparisons.
    public func feasibleChain(at t: Double) -> (lo: Double, hi: Double)? { feasibleChain(at: t, interval: interval(at: t)) }

    func feasibleChain(at t: Double, interval i: Int) -> (lo: Double, hi: Double)? {
        guard let chain = space.chain, !constraints.isEmpty else { return nil }
        var lo = 0.0, hi = chain.length
        let v = maximumSpeed
        @inline(__always) func clip(_ k: Int32, _ r: Double) {
            let c = linear[Int(k)]
            lo = max(lo, c.lo - r)
            hi = min(hi, c.hi + r)
        }
        if pastIndex[i] >= 0 {
            let c = constraints[Int(pastIndex[i])]
            clip(pastIndex[i], v * max(0, t - c.start) + c.lateral)
        }
        if futureIndex[i] >= 0 {
            let c = constraints[Int(futureIndex[i])]
            clip(futureIndex[i], v * max(0, c.end - t) + c.lateral)
        }
        for k in actives[Int(activeStart[i])..<Int(activeStart[i + 1])] {
            let c = constraints[Int(k)]
            clip(k, v * max(t - c.start, c.end - t, 0) + c.lateral)
        }
        for k in corridors(inInterval: i) {
            lo = max(lo, corridorHulls[Int(k)].lo)
            hi = min(hi, corridorHulls[Int(k)].hi)
        }
        return lo <= hi ? (lo, hi) : nil
    }


    /// How far off the roads the regions binding at `t` reach.
    public func lateral(at t: Double) -> Double { lateral(interval: interval(at: t)) }

    func lateral(interval i: Int) -> Double {
        guard !constraints.isEmpty else { return 0 }
        var result = 0.0
        if pastIndex[i] >= 0 { result = max(result, constraints[Int(pastIndex[i])].lateral) }
        if futureIndex[i] >= 0 { result = max(result, constraints[Int(futureIndex[i])].lateral) }
        for k in actives[Int(activeStart[i])..<Int(activeStart[i + 1])] { result = max(result, constraints[Int(k)].lateral) }
        return result
    }

    /// True when `t` lies inside the window of a binding constraint.
    public func isInsideWindow(_ t: Double) -> Bool { isInsideWindow(t, interval: interval(at: t)) }

    func isInsideWindow(_ t: Double, interval i: Int) -> Bool {
        guard !constraints.isEmpty else { return false }
        for k in [pastIndex[i], futureIndex[i]] where k >= 0 && constraints[Int(k)].start <= t && t <= constraints[Int(k)].end { return true }
        return activeStart[i] < activeStart[i + 1]
    }
}
