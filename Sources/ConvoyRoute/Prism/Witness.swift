/// How a unit is taken to move between two of its estimated positions.
public enum LegSchedule: String, Sendable, Hashable, Codable {
    /// At constant speed from one estimate to the next.
    case steady
    /// It stays where it was halted until it must leave to arrive in time at the maximum speed.
    case waitThenGo = "wait-then-go"
    /// It travels at the maximum speed and waits where it is next reported halted.
    case goThenWait = "go-then-wait"
}

/// A unit's best-estimate journey: one movement that satisfies every constraint at no more than
/// the maximum speed, so at every instant it lies inside the feasible set.
///
/// The rule (docs/route.md): each report is visited at its region's preferred point (a place's own
/// position, the middle of a stretch, the point at the stated distance of an offset) at the middle
/// of its window, moved as little as the neighbours' timing requires; between two visits the unit
/// travels the shortest way at constant speed, except that a halted, stalled, assembling or arrived
/// report keeps it in place (it waits there and leaves at the last moment), and one reported halted
/// next is reached early and waited at.
public struct Witness: Sendable {
    /// Times (s) of the journey's corners, non-decreasing, and the distance travelled (m) at each.
    public let knotTimes: [Double]
    public let knotMeasures: [Double]
    /// The way travelled, piece by piece, and the distance travelled at the start of each piece.
    public let pieces: [PathPiece]
    public let pieceMeasures: [Double]
    /// The constraint each visit satisfies, with its time and position.
    public let visits: [(constraint: Int, time: Double, position: SpacePosition)]
    /// True when no choice of points met every window at the maximum speed (a conflict the prism
    /// resolved by widening): the journey is then timed as well as it can be and may be late.
    public let strained: Bool

    /// A report the journey must meet: its region and window, the point and time it prefers.
    public struct Target: Sendable {
        public let region: SpaceSet
        public let start: Double
        public let end: Double
        public let preferred: SpacePosition
        public let preferredTime: Double
        /// The prism constraint it stands for; -1 for a fixed start (a child leaving its parent).
        public let constraint: Int
        /// True when the region names no point in it (an area): the journey then visits the region's
        /// point nearest to where it comes from, rather than `preferred`.
        public let flexible: Bool

        public init(region: SpaceSet, start: Double, end: Double, preferred: SpacePosition, preferredTime: Double, constraint: Int, flexible: Bool = false) {
            self.flexible = flexible
            self.region = region
            self.start = start
            self.end = end
            self.preferred = preferred
            self.preferredTime = preferredTime
            self.constraint = constraint
        }
    }

    /// Builds the journey through `preferred` points (one per constraint, inside its region) with a
    /// schedule per leg.
    public init(prism: UnitPrism, preferred: [SpacePosition], preferredTimes: [Double], schedules: [LegSchedule]) {
        let targets = prism.constraints.indices.map { k in
            Target(region: prism.constraints[k].region, start: prism.constraints[k].start, end: prism.constraints[k].end, preferred: preferred[k], preferredTime: preferredTimes[k], constraint: k)
        }
        self.init(space: prism.space, maximumSpeed: prism.maximumSpeed, targets: targets, schedules: schedules)
    }

    /// Builds the journey through targets in order, with a schedule per leg; a leg k (from target
    /// k to k + 1) with `keepTo[k]` keeps to those edges (a forced road).
    public init(space: NetworkSpace, maximumSpeed v: Double, targets: [Target], schedules: [LegSchedule], keepTo: [Int: Set<Int32>] = [:]) {
        let n = targets.count
        guard n > 0 else {
            knotTimes = []
            knotMeasures = []
            pieces = []
            pieceMeasures = []
            visits = []
            strained = false
            return
        }
        func single(_ p: SpacePosition) -> SpaceSet { SpaceSet(normalizing: [EdgeInterval(edge: p.edge, lo: p.offset, hi: p.offset)]) }
        func leg(_ k: Int, _ a: SpacePosition, _ b: SpacePosition) -> (length: Double, pieces: [PathPiece]) {
            if a.edge == b.edge { return (abs(b.offset - a.offset), [PathPiece(edge: a.edge, from: a.offset, to: b.offset)]) }
            if let edges = keepTo[k], let path = DistanceField.shortestPath(in: space, from: single(a), to: single(b), allowedEdges: edges) { return path }
            return DistanceField.shortestPath(in: space, from: single(a), to: single(b)) ?? (.infinity, [])
        }
        var points = targets.map(\.preferred)
        // An area is entered where the journey comes from (the first one: toward where it goes next).
        for k in targets.indices where targets[k].flexible {
            let neighbour = k > 0 ? points[k - 1] : (k + 1 < n ? points[k + 1] : nil)
            if let neighbour, let path = DistanceField.shortestPath(in: space, from: single(neighbour), to: targets[k].region, allowedEdges: keepTo[k > 0 ? k - 1 : k]), let last = path.pieces.last {
                points[k] = SpacePosition(edge: last.edge, offset: last.to)
            }
        }
        var legs = (0..<n - 1).map { leg($0, points[$0], points[$0 + 1]) }
        func timing() -> (early: [Double], late: [Double]) {
            var early = targets.map(\.start), late = targets.map(\.end)
            for k in 1..<max(1, n) { early[k] = max(early[k], early[k - 1] + legs[k - 1].length / v) }
            for k in stride(from: n - 2, through: 0, by: -1) { late[k] = min(late[k], late[k + 1] - legs[k].length / v) }
            return (early, late)
        }
        var (early, late) = timing()
        var isStrained = zip(early, late).contains { $0 > $1 + 1e-6 }
        if isStrained {
            // The preferred points are too far apart for the windows: visit each region at its point
            // nearest to the previous visit instead.
            for k in 1..<n {
                if let path = DistanceField.shortestPath(in: space, from: single(points[k - 1]), to: targets[k].region, allowedEdges: keepTo[k - 1]), let last = path.pieces.last {
                    points[k] = SpacePosition(edge: last.edge, offset: last.to)
                }
            }
            legs = (0..<n - 1).map { leg($0, points[$0], points[$0 + 1]) }
            (early, late) = timing()
            isStrained = zip(early, late).contains { $0 > $1 + 1e-6 }
        }
        var times = (0..<n).map { k in min(max(targets[k].preferredTime, early[k]), max(early[k], late[k])) }
        for k in 1..<n { times[k] = max(times[k], times[k - 1] + legs[k - 1].length / v) }

        var knotTimes: [Double] = [times[0]], knotMeasures: [Double] = [0]
        var pieces: [PathPiece] = [], pieceMeasures: [Double] = []
        var measure = 0.0
        for k in 0..<n - 1 {
            let length = legs[k].length, span = times[k + 1] - times[k]
            for piece in legs[k].pieces where piece.length > 0 {
                pieces.append(piece)
                pieceMeasures.append(measure)
                measure += piece.length
            }
            let travel = min(span, length / v)
            switch length > 0 && span > travel + 1e-9 ? schedules[k] : .steady {
            case .waitThenGo:
                knotTimes.append(times[k + 1] - travel)
                knotMeasures.append(measure - length)
            case .goThenWait:
                knotTimes.append(times[k] + travel)
                knotMeasures.append(measure)
            case .steady:
                break
            }
            knotTimes.append(times[k + 1])
            knotMeasures.append(measure)
        }
        self.knotTimes = knotTimes
        self.knotMeasures = knotMeasures
        self.pieces = pieces
        self.pieceMeasures = pieceMeasures
        visits = (0..<n).map { (constraint: targets[$0].constraint, time: times[$0], position: points[$0]) }
        strained = isStrained
    }

    /// The distance travelled by `t` (clamped to the journey: before it the first visit, after it
    /// the last) and the speed then (0 while waiting, before and after).
    public func motion(at t: Double) -> (measure: Double, speed: Double) {
        guard let first = knotTimes.first else { return (0, 0) }
        if t <= first { return (0, 0) }
        if t >= knotTimes.last! { return (knotMeasures.last!, 0) }
        var low = 0, high = knotTimes.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if knotTimes[mid] <= t { low = mid } else { high = mid }
        }
        let span = knotTimes[high] - knotTimes[low]
        let f = span > 0 ? (t - knotTimes[low]) / span : 1
        let dm = knotMeasures[high] - knotMeasures[low]
        return (knotMeasures[low] + f * dm, span > 0 ? dm / span : 0)
    }

    /// The distance travelled by `t`.
    public func measure(at t: Double) -> Double { motion(at: t).measure }

    /// Where the journey is after travelling `measure` metres.
    public func position(atMeasure measure: Double) -> SpacePosition? {
        guard !pieces.isEmpty else { return visits.first?.position }
        var low = 0, high = pieces.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if pieceMeasures[mid] <= measure { low = mid } else { high = mid }
        }
        let piece = pieces[low]
        let along = min(max(measure - pieceMeasures[low], 0), piece.length)
        return SpacePosition(edge: piece.edge, offset: piece.from + (piece.to >= piece.from ? along : -along))
    }

    /// Where the journey is at `t`.
    public func position(at t: Double) -> SpacePosition? { position(atMeasure: measure(at: t)) }

    /// The journey's speed at `t` (m/s): 0 while waiting.
    public func speed(at t: Double) -> Double { motion(at: t).speed }
}
