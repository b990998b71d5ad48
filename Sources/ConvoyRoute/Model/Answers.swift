import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// A gazetteer place near a point: "38 km ESE of As Sukhnah".
public struct NearPlace: Sendable, Hashable {
    public let id: String
    public let name: String
    public let distance: Double
    /// Azimuth from the place to the point, degrees clockwise from north in [0, 360).
    public let bearing: Double

    public init(id: String, name: String, distance: Double, bearing: Double) {
        self.id = id
        self.name = name
        self.distance = distance
        self.bearing = bearing
    }
}

/// A query: an instant, or a whole day.
public enum WhereTime: Sendable, Hashable {
    case instant(Double)
    case day(from: Double, to: Double)
}

/// One connected stretch of a feasible set, described for a reader.
public struct Stretch: Sendable {
    /// Its positions.
    public let set: SpaceSet
    public let length: Double
    /// The roads it lies on, longest share first ("off the roads" for geodesic legs).
    public let roads: [String]
    /// Where it ends (two for a simple stretch, one for a point, more where it branches), each
    /// with the nearest landmark.
    public let ends: [(point: GeoPoint, near: NearPlace?)]
    /// One polyline per interval, for maps.
    public let geometry: [[GeoPoint]]
}

extension UnitModel {
    /// A set as polylines, one per interval (its ends and the road vertices between).
    public func polylines(of set: SpaceSet) -> [[GeoPoint]] {
        set.intervals.map { i in
            [space.point(at: SpacePosition(edge: i.edge, offset: i.lo))] + space.interiorVertices(of: i.edge, from: i.lo, to: i.hi)
                + [space.point(at: SpacePosition(edge: i.edge, offset: i.hi))]
        }
    }

    /// The connected stretches of a set, longest first, each with its roads, ends and geometry.
    public func stretches(of set: SpaceSet, nearest: (GeoPoint) -> NearPlace?) -> [Stretch] {
        set.stretches(in: space).map { stretch in
            var byRoad: [String: Double] = [:]
            var geometry: [[GeoPoint]] = []
            var endPositions: [SpacePosition] = []
            let touching = Dictionary(grouping: stretch.intervals.flatMap { i -> [(Int32, EdgeInterval)] in
                let e = space.edges[Int(i.edge)]
                var v: [(Int32, EdgeInterval)] = []
                if i.lo <= 0.5 { v.append((e.from, i)) }
                if i.hi >= e.length - 0.5 { v.append((e.to, i)) }
                return v
            }, by: \.0)
            for i in stretch.intervals {
                let e = space.edges[Int(i.edge)]
                let name = e.road >= 0 ? space.roads[Int(e.road)].name : "off the roads"
                byRoad[name, default: 0] += i.length
                geometry.append([space.point(at: SpacePosition(edge: i.edge, offset: i.lo))] + space.interiorVertices(of: i.edge, from: i.lo, to: i.hi) + [space.point(at: SpacePosition(edge: i.edge, offset: i.hi))])
                // An end of an interval is an end of the stretch unless another interval meets it there.
                if i.lo > 0.5 || (touching[e.from]?.count ?? 0) < 2 { endPositions.append(SpacePosition(edge: i.edge, offset: i.lo)) }
                if i.hi < e.length - 0.5 || (touching[e.to]?.count ?? 0) < 2 { endPositions.append(SpacePosition(edge: i.edge, offset: i.hi)) }
            }
            var ends: [(point: GeoPoint, near: NearPlace?)] = []
            for p in endPositions {
                let point = space.point(at: p)
                if ends.contains(where: { Geodesic.inverse(from: $0.point, to: point).distance < 1 }) { continue }
                ends.append((point, nearest(point)))
            }
            return Stretch(set: stretch, length: stretch.length, roads: byRoad.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key), ends: ends, geometry: geometry)
        }.sorted { $0.length > $1.length }
    }
}

/// The answer for one unit at one time (or over one day).
public struct UnitAnswer: Sendable {
    public let convoy: String
    public let unit: String
    public let parent: String?
    public let children: [String]
    /// The feasible set and best estimate; nil when no row places the unit.
    public let position: UnitPosition?
    /// The feasible set as described stretches.
    public let stretches: [Stretch]
    /// Total length of road (and legs off it) the unit may be on, metres.
    public let setLength: Double
    /// The latest own row whose window has begun (status), and the latest counts with their rows.
    public let statusRow: Observation?
    public let vehicles: (count: Count, row: Observation)?
    public let people: (count: Count, row: Observation)?
    /// The rows whose constraints bound the answer, in time order.
    public let evidence: [Observation]
    /// Seconds since the end of the last positioned report, when the time is after it; before the
    /// first, seconds until its start.
    public let sinceLastReport: Double?
    public let untilFirstReport: Double?
    /// Landmarks near the estimate.
    public let nearest: [NearPlace]
    /// For a unit that split from its parent within a window: the window (the answer holds for the
    /// time after the split, which may not have happened yet).
    public let splitWindow: (start: Double, end: Double)?
    /// For `--on`: the journey's estimate at the day's start and end, and the distance between.
    public let day: (from: Double, to: Double, start: GeoPoint, end: GeoPoint, covered: Double)?
    /// The maximum speed the unit's answer assumes, m/s, and the row of the log that set it (nil:
    /// the default, `--max-speed` or 100 km/h).
    public let maximumSpeed: Double
    public let maximumSpeedRow: Observation?
}

/// The answer for one convoy: its units then, or "no report yet".
public struct ConvoyAnswer: Sendable {
    public let convoy: String
    public let units: [UnitAnswer]
    /// When the convoy's first report begins, if the time is before it.
    public let firstReport: Double?
}

extension ConvoyModel {
    /// Where each convoy's units can have been at `time`. `nearest` lists landmarks around a point
    /// (the gazetteer's, nearest first).
    public func answer(_ time: WhereTime, convoy: String? = nil, nearest: (GeoPoint) -> [NearPlace] = { _ in [] }) -> [ConvoyAnswer] {
        convoys.filter { convoy == nil || $0 == convoy }.map { name in
            let mine = units(convoy: name)
            var answers: [UnitAnswer] = []
            for unit in mine {
                switch time {
                // Before its first report a convoy was somewhere too (assembling, on its way): a root
                // unit answers then with the set that grows back in time from that report. A child
                // before its split is part of its parent.
                case .instant(let t):
                    guard unit.exists(at: t) || (unit.parent == nil && t < unit.existsFrom) else { continue }
                    answers.append(answer(unit, at: t, nearest: nearest))
                case .day(let from, let to):
                    guard unit.parent == nil || unit.existsFrom < to, (unit.existsUntil ?? .infinity) > from else { continue }
                    answers.append(answer(unit, over: unit.parent == nil ? from : max(from, unit.existsFrom), min(to, unit.existsUntil ?? to), nearest: nearest))
                }
            }
            let start: Double
            switch time {
            case .instant(let t): start = t
            case .day(_, let to): start = to
            }
            let first = mine.filter { $0.parent == nil }.map(\.existsFrom).min()
            return ConvoyAnswer(convoy: name, units: answers, firstReport: first.flatMap { start < $0 ? $0 : nil })
        }
    }

    func answer(_ unit: UnitModel, at t: Double, nearest: (GeoPoint) -> [NearPlace]) -> UnitAnswer {
        let position = unit.position(at: t)
        let set = position.map { unit.feasibleSet($0.feasible) } ?? .empty
        let evidence = Array(Set(unit.prism.binding(at: t).map { unit.prism.constraints[$0.constraint].row })).sorted().map { unit.allRows[$0] }
        return finish(unit, t: t, position: position, set: set, evidence: evidence, nearest: nearest, day: nil)
    }

    func answer(_ unit: UnitModel, over from: Double, _ to: Double, nearest: (GeoPoint) -> [NearPlace]) -> UnitAnswer {
        let middle = (from + to) / 2
        var position = unit.position(at: middle)
        let set = unit.prism.feasibleSet(from: from, to: to)
        var day: (Double, Double, GeoPoint, GeoPoint, Double)?
        if let a = unit.journey.position(at: from), let b = unit.journey.position(at: to.nextDown), var p = position {
            day = (from, to, unit.space.point(at: a), unit.space.point(at: b), abs(unit.journey.measure(at: to.nextDown) - unit.journey.measure(at: from)))
            // Over a day the set is the union of the day's sets: its radius is measured from the middle estimate.
            p = UnitPosition(
                feasible: .network(set), estimate: p.estimate, point: p.point, uncertainty: unit.farthest(from: p.estimate, in: set) + unit.prism.lateral(at: middle),
                phase: p.phase, speed: p.speed, travelled: p.travelled)
            position = p
        }
        let binding = Set(unit.prism.binding(at: from).map(\.constraint) + unit.prism.binding(at: to).map(\.constraint)
            + unit.prism.constraints.indices.filter { unit.prism.constraints[$0].start < to && unit.prism.constraints[$0].end > from })
        let evidence = Array(Set(binding.map { unit.prism.constraints[$0].row })).sorted().map { unit.allRows[$0] }
        return finish(unit, t: to, position: position, set: set, evidence: evidence, nearest: nearest, day: day)
    }

    private func finish(_ unit: UnitModel, t: Double, position: UnitPosition?, set: SpaceSet, evidence: [Observation], nearest: (GeoPoint) -> [NearPlace], day: (Double, Double, GeoPoint, GeoPoint, Double)?) -> UnitAnswer {
        let rows = unit.allRows.filter { $0.time.start <= t }.sorted { ($0.time.start, $0.line) < ($1.time.start, $1.line) }
        // A split or a block is not the unit's own state; a child's counts are its own (the parent's
        // rows it inherits counted the whole convoy).
        let statusRow = rows.last { $0.status != .blocked && $0.status != .split }
        let own = unit.parent == nil ? rows : rows.filter { $0.unit == unit.unit }
        let vehicles = own.last { $0.vehicles != nil }.map { ($0.vehicles!, $0) }
        let people = own.last { $0.people != nil }.map { ($0.people!, $0) }
        let constraints = unit.prism.constraints
        let last = constraints.map(\.end).max(), first = constraints.map(\.start).min()
        var split: (Double, Double)?
        if unit.parent != nil, let parent = self.unit(convoy: unit.convoy, unit: unit.parent!), let until = parent.existsUntil, unit.existsFrom < until, t < until {
            split = (unit.existsFrom, until)
        }
        return UnitAnswer(
            convoy: unit.convoy, unit: unit.unit, parent: unit.parent, children: unit.children, position: position,
            stretches: unit.stretches(of: set) { nearest($0).first }, setLength: set.length, statusRow: statusRow, vehicles: vehicles, people: people,
            evidence: evidence.sorted { ($0.time.start, $0.line) < ($1.time.start, $1.line) },
            sinceLastReport: last.flatMap { t > $0 ? t - $0 : nil }, untilFirstReport: first.flatMap { t < $0 ? $0 - t : nil },
            nearest: position.map { nearest($0.point) } ?? [], splitWindow: split, day: day,
            maximumSpeed: unit.maximumSpeed, maximumSpeedRow: unit.maximumSpeedRow)
    }
}

extension UnitPrism {
    /// Every position the unit can have at some instant of `from ... to`: the balls of the
    /// constraints that bind in that span, each with the largest radius it takes there — a superset
    /// of the union of the span's sets.
    public func feasibleSet(from: Double, to: Double) -> SpaceSet {
        guard !constraints.isEmpty else { return .empty }
        var radius: [Int: Double] = [:]
        let v = maximumSpeed
        func widest(_ k: Int) -> Double {
            let c = constraints[k]
            return v * max(abs(from - c.start), abs(from - c.end), abs(to - c.start), abs(to - c.end)) + c.lateral
        }
        for t in [from, to] { for b in binding(at: t) { radius[b.constraint] = widest(b.constraint) } }
        for k in constraints.indices where constraints[k].start < to && constraints[k].end > from { radius[k] = widest(k) }
        // A constraint whose window lies inside the span pins the unit to its region at that instant:
        // the span's set is within the ball of every binding constraint, so intersect them all.
        var result: SpaceSet?
        for (k, r) in radius {
            let ball = DistanceField(space: space, sources: constraints[k].region, radius: r).ball(radius: r, in: space)
            result = result.map { $0.intersection(ball) } ?? ball
        }
        return result ?? .empty
    }
}

extension Gazetteer {
    /// Kinds that are points a reader can place a convoy against ("38 km ESE of As Sukhnah");
    /// countries, regions, rivers and the like are left out.
    public static let landmarkKinds: Set<String> = [
        "city", "town", "village", "neighbourhood", "refugee camp", "border crossing", "peak", "pumping station", "air base", "road junction",
        "archaeological site",
    ]

    /// The `limit` nearest landmark places within `radius` metres, with the bearing from each place to `point`.
    public func landmarks(near point: GeoPoint, radius: Double = 150_000, limit: Int = 3) throws -> [NearPlace] {
        try places(near: point, radius: radius).filter { Self.landmarkKinds.contains($0.place.kind) }.prefix(limit).map { near in
            var bearing = Geodesic.inverse(from: near.place.location, to: point).initialAzimuth
            if bearing < 0 { bearing += 360 }
            return NearPlace(id: near.place.id, name: near.place.name, distance: near.distance, bearing: bearing)
        }
    }
}
