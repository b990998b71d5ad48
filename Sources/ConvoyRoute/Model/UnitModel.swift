import ConvoyGeodesy
import Foundation

/// One unit of a convoy as the model sees it: its reports as space-time constraints on its own
/// network space, the prism they define, and a best-estimate journey inside it.
public struct UnitModel: Sendable {
    public let convoy: String
    public let unit: String
    /// The unit it split from.
    public let parent: String?
    /// Units that split from this one.
    public internal(set) var children: [String]
    /// The unit's own rows, sorted by window (start, end) then line.
    public let rows: [Observation]
    /// The parent's rows this unit inherits: those from before it split off (see ``ConvoyModel``).
    public let inherited: [Observation]
    public let space: NetworkSpace
    public let prism: UnitPrism
    public let journey: Witness
    /// Footprints of `inherited + rows` by index into that concatenation.
    public let footprints: [Int: RowFootprint]
    /// Notes on rows (of ``allRows``) the model could not use as written: a block that cuts
    /// nothing, a forced road that does not join the leg's two positions.
    public let rowNotes: [Int: String]
    /// From when the unit exists as such: its first report's start (a child: when it may first have
    /// split off). Until when: its split or merge, the end of that row's window.
    public let existsFrom: Double
    public let existsUntil: Double?
    /// The fastest the unit can move, m/s: the log's `max_speed_kmh` for it (or for the unit it split
    /// from), else the settings' default (`--max-speed`, else 100 km/h).
    public let maximumSpeed: Double
    /// The row whose `max_speed_kmh` set ``maximumSpeed`` (the unit's own, or an ancestor's); nil when
    /// it is the default.
    public let maximumSpeedRow: Observation?
    let index: QueryIndex

    /// `inherited + rows`: every row the unit's constraints come from.
    public var allRows: [Observation] { inherited + rows }

    /// The row (of ``allRows``) of a prism constraint.
    public func row(ofConstraint k: Int) -> Observation { allRows[prism.constraints[k].row] }

    /// Builds the unit on `base`, from its rows and the parent rows it inherits.
    init(convoy: String, unit: String, parent: String?, rows unsorted: [Observation], inherited: [Observation], base: NetworkSpace, settings: ModelSettings, existsFrom: Double, existsUntil: Double?, departure: (time: Double, point: GeoPoint)? = nil, previous: UnitSpaceBuilder.Attachment? = nil, maximumSpeedRow: Observation? = nil) {
        self.convoy = convoy
        maximumSpeed = settings.maximumSpeed
        self.maximumSpeedRow = maximumSpeedRow
        self.unit = unit
        self.parent = parent
        children = []
        let rows = unsorted.sorted { ($0.time.start, $0.time.end, $0.line) < ($1.time.start, $1.time.end, $1.line) }
        self.rows = rows
        self.inherited = inherited
        let all = inherited + rows
        var builder = UnitSpaceBuilder(base: base, settings: settings)
        let laid = builder.build(rows: all, previous: previous)
        space = laid.space
        footprints = laid.footprints
        var notes = laid.blockNotes
        let constraints = laid.footprints.keys.sorted().map { i in
            PrismConstraint(region: laid.footprints[i]!.set, lateral: laid.footprints[i]!.lateral, start: all[i].time.start, end: all[i].time.end, row: i)
        }
        // Forced legs (the `road` column): the leg ending at a row keeps to its road, or to the
        // geodesic from the previous position.
        var corridors: [PrismCorridor] = []
        var roadSets: [String: SpaceSet?] = [:]
        let ordered = constraints.sorted { ($0.start, $0.end, $0.row) < ($1.start, $1.end, $1.row) }
        for (k, c) in ordered.enumerated() {
            guard let road = all[c.row].road else { continue }
            guard k > 0 else {
                notes[c.row] = "the road \"\(road)\" is for the leg ending at this row, and no earlier row places the unit: it limits nothing"
                continue
            }
            let from = ordered[k - 1]
            if road == "none" {
                if let leg = laid.geodesicLegs[c.row] { corridors.append(PrismCorridor(rows: (from.row, c.row), region: leg.union(from.region).union(c.region))) }
            } else if let region = Self.corridor(road: road, cache: &roadSets, from: from.region, to: c.region, in: laid.space) {
                corridors.append(PrismCorridor(rows: (from.row, c.row), region: region))
            } else {
                notes[c.row] = "the road \"\(road)\" does not lead from the previous position to this one in the road set in use: the leg is not forced"
            }
        }
        for row in all.indices where all[row].road != nil && laid.footprints[row] == nil && all[row].status != .blocked {
            notes[row] = "the row has no position, so the road \"\(all[row].road!)\" applies to no leg"
        }
        rowNotes = notes
        let prism = UnitPrism(space: laid.space, constraints: constraints, maximumSpeed: settings.maximumSpeed, corridors: corridors)
        self.prism = prism
        // The journey: each report's preferred point at the middle of its window; a stationary report
        // keeps the unit in place, and one halted next is reached early and waited at. A child leaves
        // from where its parent's journey is when it splits off, so nothing jumps.
        var targets: [Witness.Target] = []
        var targetRows: [Observation?] = []
        if let departure, let start = laid.space.nearest(to: departure.point) {
            targets.append(Witness.Target(region: UnitSpaceBuilder.single(start.position), start: departure.time, end: departure.time, preferred: start.position, preferredTime: departure.time, constraint: -1))
            targetRows.append(nil)
        }
        for (k, c) in prism.constraints.enumerated() where departure == nil || c.end > departure!.time {
            var flexible = false
            if case .inside = all[c.row].location { flexible = true }
            // The prism may have narrowed the region (by the reports around it) away from the point
            // the row prefers: the journey then visits the narrowed region's point nearest to it.
            var preferred = laid.footprints[c.row]!.preferred
            if !c.region.contains(preferred, tolerance: Self.insideTolerance) { preferred = laid.space.nearest(to: laid.space.point(at: preferred), in: c.region) }
            targets.append(Witness.Target(region: c.region, start: max(c.start, departure?.time ?? c.start), end: c.end, preferred: preferred, preferredTime: all[c.row].time.middle, constraint: k, flexible: flexible))
            targetRows.append(all[c.row])
        }
        let halts = all.filter { $0.location == .unstated && $0.status.isStationary }.map(\.time.start).sorted()
        func haltReported(from lo: Double, to hi: Double) -> Bool {
            var low = 0, high = halts.count
            while low < high {
                let mid = (low + high) / 2
                if halts[mid] < lo { low = mid + 1 } else { high = mid }
            }
            return low < halts.count && halts[low] <= hi
        }
        var schedules: [LegSchedule] = []
        for k in 0..<max(0, targets.count - 1) {
            let here = targetRows[k], next = targetRows[k + 1]
            if here?.status.isStationary == true {
                schedules.append(.waitThenGo)
            } else if next?.status.isStationary == true || haltReported(from: targets[k].start, to: targets[k + 1].end) {
                schedules.append(.goThenWait)
            } else {
                schedules.append(.steady)
            }
        }
        var keepTo: [Int: Set<Int32>] = [:]
        let corridorInto = Dictionary(prism.corridors.map { ($0.rows.1, $0) }, uniquingKeysWith: { first, _ in first })
        for k in 0..<max(0, targets.count - 1) where targets[k].constraint >= 0 {
            let from = prism.constraints[targets[k].constraint].row, to = prism.constraints[targets[k + 1].constraint].row
            if let corridor = corridorInto[to], corridor.rows.0 == from { keepTo[k] = corridor.edges }
        }
        journey = Witness(space: laid.space, maximumSpeed: settings.maximumSpeed, targets: targets, schedules: schedules, keepTo: keepTo)
        index = QueryIndex(journey: journey, prism: prism)
        self.existsFrom = existsFrom
        self.existsUntil = existsUntil
    }

    /// The stretch a leg forced onto `road` keeps to: the road's edges, and the shortest ways from
    /// the leg's first region onto it and from it to the second; nil when the road set has no such
    /// road, it does not join the two, or less of the way lies on it than off it.
    /// `cache` keeps each road's edges between calls (a log forces the same roads again and again).
    static func corridor(road: String, cache: inout [String: SpaceSet?], from a: SpaceSet, to b: SpaceSet, in space: NetworkSpace) -> SpaceSet? {
        if cache[road] == nil {
            let onRoad = space.edges.indices.filter { !space.edges[$0].isOffNetwork && space.roads[Int(space.edges[$0].road)].id == road }
            cache[road] = .some(onRoad.isEmpty ? nil : SpaceSet(normalizing: onRoad.map { EdgeInterval(edge: Int32($0), lo: 0, hi: space.edges[$0].length) }))
        }
        guard let roadSet = cache[road] ?? nil else { return nil }
        guard let onto = DistanceField.shortestPath(in: space, from: a, to: roadSet), let off = DistanceField.shortestPath(in: space, from: roadSet, to: b) else { return nil }
        let region = roadSet.union(a).union(b).union(UnitSpaceBuilder.intervals(of: onto.pieces)).union(UnitSpaceBuilder.intervals(of: off.pieces))
        // The road must be the leg's main way: more of the way along it than getting on and off it
        // (a road far from both ends would force a detour the row's words do not give).
        guard let way = DistanceField.shortestPath(in: space, from: a, to: b, allowedEdges: Set(region.intervals.map(\.edge))) else { return nil }
        let roadEdges = Set(roadSet.intervals.map(\.edge))
        let along = way.pieces.filter { roadEdges.contains($0.edge) }.reduce(0) { $0 + $1.length }
        guard along > way.length - along else { return nil }
        return region
    }

    /// Whether the unit exists as such at `t`.
    public func exists(at t: Double) -> Bool {
        t >= existsFrom && (existsUntil.map { t < $0 } ?? true)
    }

    /// The latest of the unit's own rows whose window has begun by `t` (its status, counts), or nil.
    public func latestRow(at t: Double) -> Observation? {
        rows.last { $0.time.start <= t }
    }
}

/// Where a unit can be at one instant, and the best estimate inside it.
public struct UnitPosition: Sendable {
    public enum Phase: String, Sendable, Codable {
        /// Before the unit's first positioned report: the set grows back in time.
        case beforeFirstReport = "before-first-report"
        /// Inside a report's window.
        case duringReport = "during-report"
        /// Between two reports.
        case betweenReports = "between-reports"
        /// After the last positioned report: the set grows with the time since.
        case afterLastReport = "after-last-report"
    }

    /// Every position the unit can have at the time: on a chain space an interval of measures
    /// (``UnitModel/feasibleSet(_:)`` gives it as positions), else the positions themselves.
    public enum Feasible: Sendable {
        case chain(lo: Double, hi: Double)
        case network(SpaceSet)
    }

    public let feasible: Feasible
    /// The best estimate (the journey's position), inside the feasible set.
    public let estimate: SpacePosition
    public let point: GeoPoint
    /// The largest distance along the unit's space (roads, and geodesic legs off them) from the
    /// estimate to any point of the set, plus how far off the roads a binding report's region
    /// reaches, metres. No point of the set is farther in a straight line either, so a circle of this
    /// radius around the estimate holds the set.
    public let uncertainty: Double
    public let phase: Phase
    /// The journey's speed now, m/s (0 while it waits).
    public let speed: Double
    /// Metres travelled by the journey since its first report.
    public let travelled: Double
}

extension UnitModel {
    /// The positions of a feasible set.
    public func feasibleSet(_ f: UnitPosition.Feasible) -> SpaceSet {
        switch f {
        case .network(let set): return set
        case .chain(let lo, let hi): return space.chain!.set(from: lo, to: hi, in: space)
        }
    }

    /// The phase of the unit's reports at `t`.
    public func phase(at t: Double) -> UnitPosition.Phase { phase(at: t, interval: prism.interval(at: t)) }

    func phase(at t: Double, interval: Int) -> UnitPosition.Phase {
        if t < prism.firstStart { return .beforeFirstReport }
        if t > prism.lastEnd { return .afterLastReport }
        return prism.isInsideWindow(t, interval: interval) ? .duringReport : .betweenReports
    }

    /// The feasible set and the best estimate at `t`; nil when the unit has no positioned report.
    /// On a chain space: two binary searches and one geodesic position.
    ///
    /// The estimate is the journey's position, unless that lies outside the set — a journey that no
    /// choice of points could time within the windows (``Witness/strained``), or regions the prism
    /// widened over a contradiction — when it is the set's point nearest to it along the space.
    public func position(at t: Double) -> UnitPosition? {
        guard !prism.constraints.isEmpty else { return nil }
        let e = index.entry(at: t)
        let interval = e.map { Int(index.interval[$0]) } ?? 0
        guard let motion = journey.state(at: t, knot: e.map { Int(index.knot[$0]) } ?? 0, piece: e.map { Int(index.piece[$0]) } ?? 0) else { return nil }
        if let chain = space.chain {
            guard let range = prism.feasibleChain(at: t, interval: interval) else { return nil }
            let travelled = chain.measure(of: motion.position)
            let m = min(max(travelled, range.lo), range.hi)
            let estimate = m == travelled ? motion.position : chain.position(at: m, in: space)
            return UnitPosition(
                feasible: .chain(lo: range.lo, hi: range.hi), estimate: estimate, point: space.point(at: estimate),
                uncertainty: max(m - range.lo, range.hi - m, 0) + prism.lateral(interval: interval), phase: phase(at: t, interval: interval), speed: motion.speed,
                travelled: motion.measure)
        }
        let set = prism.feasibleSet(at: t)
        let estimate = set.isEmpty || set.contains(motion.position, tolerance: Self.insideTolerance) ? motion.position : nearest(to: motion.position, in: set)
        return UnitPosition(
            feasible: .network(set), estimate: estimate, point: space.point(at: estimate), uncertainty: farthest(from: estimate, in: set) + prism.lateral(interval: interval),
            phase: phase(at: t, interval: interval), speed: motion.speed, travelled: motion.measure)
    }

    /// How far outside the feasible set the journey may be before the estimate is moved into it,
    /// metres: the set's boundaries are found to a metre.
    static let insideTolerance = 1.0

    /// The position of `set` nearest to `position` along the space; where the space does not join
    /// them (two readings of conflicting reports), the one nearest in a straight line.
    public func nearest(to position: SpacePosition, in set: SpaceSet) -> SpacePosition {
        let around = DistanceField(space: space, sources: UnitSpaceBuilder.single(position), radius: .infinity)
        var best: (position: SpacePosition, distance: Double)?
        for interval in set.intervals {
            // Along an edge the distance from one position has its minima at an interval's ends, or
            // at the position itself when it lies on the edge.
            var offsets = [interval.lo, interval.hi]
            if interval.edge == position.edge { offsets.append(min(max(position.offset, interval.lo), interval.hi)) }
            for offset in offsets {
                let candidate = SpacePosition(edge: interval.edge, offset: offset)
                if let d = around.distance(to: candidate, in: space), d < best?.distance ?? .infinity { best = (candidate, d) }
            }
        }
        return best?.position ?? space.nearest(to: space.point(at: position), in: set)
    }
}

extension UnitModel {
    /// The largest distance along the space from `estimate` to the set; a part the space does not
    /// join to the estimate (two readings of conflicting reports) counts by its straight-line distance.
    public func farthest(from estimate: SpacePosition, in set: SpaceSet) -> Double {
        let around = DistanceField(space: space, sources: SpaceSet(normalizing: [EdgeInterval(edge: estimate.edge, lo: estimate.offset, hi: estimate.offset)]), radius: .infinity)
        var best = 0.0
        var apart: [EdgeInterval] = []
        for interval in set.intervals {
            if let d = around.farthest(in: interval, space: space) { best = max(best, d) } else { apart.append(interval) }
        }
        if !apart.isEmpty { best = max(best, farthest(from: space.point(at: estimate), in: SpaceSet(sorted: apart))) }
        return best
    }

    /// The largest geodesic distance from `point` to the set: along a geodesic segment the distance
    /// to a point has a single minimum, so the maximum is at an end of each piece of segment.
    public func farthest(from point: GeoPoint, in set: SpaceSet) -> Double {
        var best = 0.0
        for interval in set.intervals {
            var candidates = [space.point(at: SpacePosition(edge: interval.edge, offset: interval.lo)), space.point(at: SpacePosition(edge: interval.edge, offset: interval.hi))]
            candidates += space.interiorVertices(of: interval.edge, from: interval.lo, to: interval.hi)
            for c in candidates { best = max(best, Geodesic.inverse(from: point, to: c).distance) }
        }
        return best
    }
}
