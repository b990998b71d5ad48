import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// Something in the log that does not add up. Reported with the state it concerns; never fixed.
public struct Anomaly: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Faster than a bus can go, even allowing for the positions' and times' uncertainty.
        case impossibleSpeed = "impossible-speed"
        /// A row earlier than a row above it for the same unit (accepted and sorted).
        case outOfOrder = "out-of-order"
        /// A split's children do not add up to the parent, or a count grew without a merge.
        case countMismatch = "count-mismatch"
        /// Two sources give different counts for overlapping times.
        case sourcesDisagree = "sources-disagree"
        /// Two sources put the same event (status at the same place) at different times.
        case datesDisagree = "dates-disagree"
        /// Two sources put the unit in two places at the same instant.
        case positionsDisagree = "positions-disagree"
        /// A name also fits other gazetteer places; the best-ranked one was used.
        case ambiguousPlace = "ambiguous-place"
    }

    public let kind: Kind
    public let message: String
}

/// A point of a unit's track: where an observation (or an inference from one) puts the unit, when.
public struct Knot: Sendable, Hashable {
    /// Representative instant (s since 1970).
    public let time: Double
    /// Half the width of the observation's time span (s).
    public let halfWidth: Double
    /// Metres along the unit's path.
    public let measure: Double
    public let point: GeoPoint
    /// Radius (m) containing the position: the expression's vagueness plus the places' own radii.
    public let uncertainty: Double
    /// The two places of a `between` / `toward` observation.
    public let between: [String]?
    /// Index of the observation in the unit's sorted rows.
    public let row: Int
    /// True when the position is inferred (a halted row without a location, taken to be where
    /// the next halted row finds the unit; a child's start at its parent's position).
    public let inferred: Bool
    /// True when the row's status is halted, stalled, assembling or arrived: the unit stays here
    /// until the next position (it left at an unknown time).
    public let stationary: Bool
}

/// Where a unit is at an instant, by the interpolation model.
public struct TrackPosition: Sendable, Hashable {
    public enum Phase: String, Sendable, Codable {
        /// At or before the unit's first position: the first position.
        case beforeFirstPosition = "before-first-position"
        /// On a leg between two positions (constant speed along the path).
        case interpolated
        /// Exactly at an observed position.
        case observed
        /// After the last position: the last known state.
        case afterLastPosition = "after-last-position"
    }

    public let point: GeoPoint
    public let uncertainty: Double
    public let measure: Double
    public let phase: Phase
    /// The places the answer lies between: the observation's own pair, or the named waypoints around it.
    public let between: [String]?
    /// Knots before and after (indices into ``UnitTrack/knots``); `after` is nil past the last.
    public let before: Int
    public let after: Int?
    /// Speed on the leg (m/s), nil outside a leg.
    public let speed: Double?
}

/// One unit's observations and its path, prepared so a position query is two binary searches.
public struct UnitTrack: Sendable {
    public let convoy: String
    public let unit: String
    public let parent: String?
    /// Units that split from this one.
    public internal(set) var children: [String]
    /// The unit's rows, sorted by time.
    public let rows: [Observation]
    /// Representative instant of each row (rows sharing one time span are spread evenly across it).
    public let rowTimes: [Double]
    /// The count in force after each row (the row's own, else the last before), with the row it came from.
    public let vehicles: [(count: Count, row: Int)?]
    public let people: [(count: Count, row: Int)?]
    public let knots: [Knot]
    /// The path through every knot, along roads where they join.
    public let path: GeodesicPath
    /// Reported from (start of its first row's span).
    public let start: Double
    /// When the unit stopped existing as such (its split or merged row), else nil.
    public let end: Double?
    /// The measure of the path where this unit starts (its parent's distance so far, for a child).
    public let startMeasure: Double
    private let knotTimes: [Double]
    private let previousNamed: [Int?]
    private let nextNamed: [Int?]

    /// Index of the last element of `times` that is ≤ t, or -1.
    static func lastIndex(_ times: [Double], atOrBefore t: Double) -> Int {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= t { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    /// Index of the row in force at `t` (the last at or before it), or nil before the first.
    public func row(at t: Double) -> Int? {
        let i = Self.lastIndex(rowTimes, atOrBefore: t)
        return i >= 0 ? i : nil
    }

    /// The unit's position at `t`: O(log n) in the number of observations. Nil when no row places it.
    public func position(at t: Double) -> TrackPosition? {
        guard !knots.isEmpty else { return nil }
        let i = Self.lastIndex(knotTimes, atOrBefore: t)
        if i < 0 {
            let k = knots[0]
            return TrackPosition(point: k.point, uncertainty: k.uncertainty, measure: k.measure, phase: .beforeFirstPosition, between: k.between ?? names(around: k.measure), before: 0, after: 0, speed: nil)
        }
        let a = knots[i]
        if i == knots.count - 1 {
            return TrackPosition(point: a.point, uncertainty: a.uncertainty, measure: a.measure, phase: t == a.time ? .observed : .afterLastPosition, between: a.between, before: i, after: nil, speed: nil)
        }
        let b = knots[i + 1]
        if t == a.time || b.measure == a.measure {
            let f = b.time > a.time ? (t - a.time) / (b.time - a.time) : 0
            let u = (1 - f) * a.uncertainty + f * b.uncertainty
            let sameSpot = b.measure == a.measure
            return TrackPosition(point: a.point, uncertainty: sameSpot ? max(u, a.uncertainty) : a.uncertainty, measure: a.measure, phase: t == a.time ? .observed : .interpolated, between: a.between, before: i, after: i + 1, speed: sameSpot ? 0 : nil)
        }
        let f = (t - a.time) / (b.time - a.time)
        if a.stationary {
            // Halted or stalled: it stays put; it left for the next position at an unknown time,
            // so the radius grows to cover the way there.
            let u = (1 - f) * a.uncertainty + f * b.uncertainty + f * abs(b.measure - a.measure)
            return TrackPosition(point: a.point, uncertainty: u, measure: a.measure, phase: .interpolated, between: a.between, before: i, after: i + 1, speed: 0)
        }
        let measure = a.measure + f * (b.measure - a.measure)
        let speed = abs(b.measure - a.measure) / (b.time - a.time)
        let u = (1 - f) * a.uncertainty + f * b.uncertainty + speed * ((1 - f) * a.halfWidth + f * b.halfWidth)
        return TrackPosition(point: path.position(at: measure), uncertainty: u, measure: measure, phase: .interpolated, between: names(around: measure), before: i, after: i + 1, speed: speed)
    }

    /// The named vertices at or before and at or after `measure`.
    func names(around measure: Double) -> [String]? {
        let j = path.segment(containing: measure)
        guard let p = previousNamed[j], let n = nextNamed[min(j + 1, nextNamed.count - 1)] else { return nil }
        let a = path.vertices[p].name!, b = path.vertices[n].name!
        if abs(path.cumulative[p] - measure) < 1 { return nil }
        if abs(path.cumulative[n] - measure) < 1 { return nil }
        return a == b ? nil : [a, b]
    }

    init(convoy: String, unit: String, parent: String?, rows: [Observation], rowTimes: [Double], vehicles: [(count: Count, row: Int)?], people: [(count: Count, row: Int)?], knots: [Knot], path: GeodesicPath, start: Double, end: Double?, startMeasure: Double) {
        self.convoy = convoy
        self.unit = unit
        self.parent = parent
        self.children = []
        self.rows = rows
        self.rowTimes = rowTimes
        self.vehicles = vehicles
        self.people = people
        self.knots = knots
        self.path = path
        self.start = start
        self.end = end
        self.startMeasure = startMeasure
        knotTimes = knots.map(\.time)
        var previous: [Int?] = []
        var last: Int?
        for (i, v) in path.vertices.enumerated() {
            if v.name != nil { last = i }
            previous.append(last)
        }
        var next = [Int?](repeating: nil, count: path.vertices.count)
        var upcoming: Int?
        for i in path.vertices.indices.reversed() {
            if path.vertices[i].name != nil { upcoming = i }
            next[i] = upcoming
        }
        previousNamed = previous
        nextNamed = next
    }
}

/// The state of a unit after one observation, as `convoy replay` prints it.
public struct ReplayState: Sendable {
    public let convoy: String
    public let unit: String
    public let parent: String?
    public let observation: Observation
    /// Representative instant of the observation.
    public let time: Double
    public let status: ConvoyStatus
    /// The count in force (the row's own, else carried from an earlier row of the unit).
    public let vehicles: Count?
    public let people: Count?
    /// Position: the observation's own, or interpolated when the row gives none.
    public let position: TrackPosition?
    /// Whether the row itself placed the unit.
    public let positionObserved: Bool
    /// Metres along the route since the unit's (or its ancestors') first position.
    public let cumulative: Double?
    /// Metres since the unit's previous state.
    public let leg: Double?
    /// Mean speed since the previous positioned observation (m/s).
    public let speed: Double?
    /// The row's citation, then those of carried counts.
    public let sources: [Citation]
    public let anomalies: [Anomaly]
    /// Units created here (a split).
    public let children: [String]
}

/// Settings of the model. Documented in docs/route.md.
public struct RouteSettings: Sendable {
    /// Fastest plausible convoy speed; a leg faster than this even at its most lenient is an anomaly.
    public var maximumSpeed: Double = 100_000.0 / 3600
    /// Fraction of a reported distance ("38 km E of") added to the radius, for rounding in reports.
    public var reportedDistanceError = 0.1

    public init() {}
}

/// The update log replayed along the road network: every unit's track and the state after each row.
public struct RouteModel: Sendable {
    public let units: [UnitTrack]
    /// States in time order (then convoy, unit, line).
    public let states: [ReplayState]
    public let log: UpdateLog
    public let roads: RoadNetwork
    public let settings: RouteSettings

    public func units(convoy: String?) -> [UnitTrack] { units.filter { convoy == nil || $0.convoy == convoy } }
    public var convoys: [String] { Array(Set(units.map(\.convoy))).sorted() }

    public init(log: UpdateLog, roads: RoadNetwork, settings: RouteSettings = RouteSettings()) {
        self.log = log
        self.roads = roads
        self.settings = settings
        let groups = Dictionary(grouping: log.observations) { "\($0.convoy)/\($0.unit)" }
        // Parents before children.
        var order: [String] = []
        var placed = Set<String>()
        func place(_ key: String) {
            guard !placed.contains(key), let rows = groups[key] else { return }
            placed.insert(key)
            if let parent = rows.compactMap(\.parent).first { place("\(rows[0].convoy)/\(parent)") }
            order.append(key)
        }
        for key in groups.keys.sorted() { place(key) }
        var built: [String: UnitTrack] = [:]
        var states: [ReplayState] = []
        for key in order {
            let (track, unitStates) = Self.build(rows: groups[key]!, parentTrack: groups[key]!.compactMap(\.parent).first.flatMap { built["\(groups[key]![0].convoy)/\($0)"] }, log: log, roads: roads, settings: settings)
            built[key] = track
            if let parent = track.parent { built["\(track.convoy)/\(parent)"]?.children.append(track.unit) }
            states += unitStates
        }
        // Split anomalies: children that do not account for the parent's count.
        var splitAnomalies: [String: [Anomaly]] = [:]
        var splitChildren: [String: [String]] = [:]
        for (key, track) in built where !track.children.isEmpty {
            let kids = track.children.compactMap { built["\(track.convoy)/\($0)"] }.sorted { $0.unit < $1.unit }
            let splitTime = kids.map(\.start).min()!
            let parentRow = track.row(at: max(splitTime, track.end ?? splitTime)) ?? 0
            splitChildren[key] = kids.map(\.unit)
            guard let parentCount = track.vehicles[parentRow]?.count else { continue }
            let kidCounts = kids.compactMap { $0.vehicles.first.flatMap { $0 }?.count }
            guard kidCounts.count == kids.count else { continue }
            let sum = kidCounts.reduce(0) { $0 + $1.total }
            let text = zip(kids, kidCounts).map { "\($0.unit) \($1.text)" }.joined(separator: " + ")
            if sum != parentCount.total {
                splitAnomalies[key, default: []].append(Anomaly(kind: .countMismatch, message: "split into \(text) = \(sum) vehicles, but the unit had \(parentCount.text) (\(parentCount.total)); \(abs(parentCount.total - sum)) \(sum < parentCount.total ? "unaccounted for" : "too many")"))
            }
        }
        states = states.map { s in
            let key = "\(s.convoy)/\(s.unit)"
            guard s.status == .split, let extra = splitAnomalies[key] ?? (splitChildren[key] != nil ? [] : nil) else { return s }
            return ReplayState(convoy: s.convoy, unit: s.unit, parent: s.parent, observation: s.observation, time: s.time, status: s.status, vehicles: s.vehicles, people: s.people, position: s.position, positionObserved: s.positionObserved, cumulative: s.cumulative, leg: s.leg, speed: s.speed, sources: s.sources, anomalies: s.anomalies + extra, children: splitChildren[key] ?? [])
        }
        self.units = order.compactMap { built[$0] }
        let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        self.states = states.sorted {
            ($0.time, $0.convoy, rank["\($0.convoy)/\($0.unit)"] ?? 0, $0.observation.line) < ($1.time, $1.convoy, rank["\($1.convoy)/\($1.unit)"] ?? 0, $1.observation.line)
        }
    }

    /// Representative instants: a row's span middle; rows of one unit sharing the same span are
    /// spread evenly across it in file order (two rows dated the same day: 08:00 and 16:00).
    static func representativeTimes(_ rows: [Observation]) -> [Double] {
        var groups: [ObservationTime: [Int]] = [:]
        for (i, r) in rows.enumerated() where r.time.end > r.time.start {
            groups[ObservationTime(start: r.time.start, end: r.time.end, precision: .interval, text: ""), default: []].append(i)
        }
        var times = rows.map(\.time.middle)
        for (span, members) in groups where members.count > 1 {
            for (k, i) in members.sorted(by: { rows[$0].line < rows[$1].line }).enumerated() {
                times[i] = span.start + Double(k + 1) / Double(members.count + 1) * (span.end - span.start)
            }
        }
        return times
    }

    /// Where an expression puts the unit: a point, a radius, and the stretch for between/toward.
    static func resolvePosition(_ o: Observation, previous: (point: GeoPoint, uncertainty: Double, name: String?)?, roads: RoadNetwork, settings: RouteSettings) -> (point: GeoPoint, uncertainty: Double, between: [String]?, name: String?, placeID: String?)? {
        func stretch(_ a: PathVertex, _ au: Double, _ b: PathVertex, _ bu: Double) -> (GeoPoint, Double) {
            let path = GeodesicPath(roads.path(from: a, au, to: b, bu, roadID: o.road).vertices)
            return (path.position(at: path.length / 2), path.length / 2 + max(au, bu))
        }
        switch o.location {
        case .unstated:
            return nil
        case .at, .inside:
            let p = o.places[0]
            return (p.point, p.uncertainty, nil, p.name, p.id)
        case .near(_, let radius):
            let p = o.places[0]
            return (p.point, (radius ?? LocationExpression.defaultNearRadius) + p.uncertainty, nil, p.name, p.id)
        case .between:
            let a = o.places[0], b = o.places[1]
            let (point, u) = stretch(PathVertex(point: a.point, placeID: a.id, name: a.name), a.uncertainty, PathVertex(point: b.point, placeID: b.id, name: b.name), b.uncertainty)
            return (point, u, [a.name, b.name], nil, nil)
        case .offset(let distance, let azimuth, _, _, let within):
            let p = o.places[0]
            if let distance {
                return (Geodesic.direct(from: p.point, azimuth: azimuth, distance: distance).point, p.uncertainty + settings.reportedDistanceError * distance, nil, nil, nil)
            }
            let extent = within ?? LocationExpression.defaultDirectionExtent
            return (Geodesic.direct(from: p.point, azimuth: azimuth, distance: extent / 2).point, p.uncertainty + extent / 2, nil, nil, nil)
        case .toward:
            let p = o.places[0]
            guard let previous else { return (p.point, p.uncertainty, nil, p.name, p.id) }
            let (point, u) = stretch(PathVertex(point: previous.point, name: previous.name), previous.uncertainty, PathVertex(point: p.point, placeID: p.id, name: p.name), p.uncertainty)
            return (point, u, previous.name.map { [$0, p.name] }, nil, nil)
        case .coordinate(let g, let radius):
            return (g, radius ?? 0, nil, nil, nil)
        }
    }

    static func build(rows unsortedRows: [Observation], parentTrack: UnitTrack?, log: UpdateLog, roads: RoadNetwork, settings: RouteSettings) -> (UnitTrack, [ReplayState]) {
        let times0 = representativeTimes(unsortedRows)
        let order = unsortedRows.indices.sorted { (times0[$0], unsortedRows[$0].line) < (times0[$1], unsortedRows[$1].line) }
        let rows = order.map { unsortedRows[$0] }
        let times = order.map { times0[$0] }
        let first = rows[0]
        var anomalies = [[Anomaly]](repeating: [], count: rows.count)

        // Counts carried forward.
        var vehicles: [(count: Count, row: Int)?] = []
        var people: [(count: Count, row: Int)?] = []
        for (i, r) in rows.enumerated() {
            let inheritedVehicles: (count: Count, row: Int)? = nil
            vehicles.append(r.vehicles.map { ($0, i) } ?? (i > 0 ? vehicles[i - 1] : inheritedVehicles))
            people.append(r.people.map { ($0, i) } ?? (i > 0 ? people[i - 1] : nil))
        }

        // Knots and the path through them.
        var vertices: [PathVertex] = []
        var vertexMeasures: [Double] = []
        var knots: [Knot] = []
        var startMeasure = 0.0
        func append(_ newVertices: [PathVertex]) {
            for v in newVertices {
                if let last = vertices.last {
                    let d = Geodesic.inverse(from: last.point, to: v.point).distance
                    if d == 0 {
                        if last.name == nil, v.name != nil { vertices[vertices.count - 1] = v }
                        continue
                    }
                    vertexMeasures.append(vertexMeasures.last! + d)
                } else {
                    vertexMeasures.append(startMeasure)
                }
                vertices.append(v)
            }
        }
        var lastKnot: (point: GeoPoint, uncertainty: Double, name: String?, placeID: String?)?
        if let parentTrack, let p = parentTrack.position(at: times[0]) {
            // A child starts where its parent was: the parent's distance so far carries over.
            startMeasure = parentTrack.startMeasure + p.measure
            let parentKnot = parentTrack.knots[p.before]
            let atPlace: Bool
            if case .at = parentTrack.rows[parentKnot.row].location { atPlace = p.measure == parentKnot.measure } else { atPlace = false }
            let name = atPlace ? parentTrack.rows[parentKnot.row].places.first?.name : nil
            lastKnot = (p.point, p.uncertainty, name, nil)
            append([PathVertex(point: p.point, name: name)])
            knots.append(Knot(time: times[0], halfWidth: 0, measure: vertexMeasures.last!, point: p.point, uncertainty: p.uncertainty, between: p.between, row: 0, inferred: true, stationary: false))
        }
        var pendingHalt: (row: Int, time: Double)?
        for (i, r) in rows.enumerated() {
            guard let resolved = resolvePosition(r, previous: lastKnot.map { ($0.point, $0.uncertainty, $0.name) }, roads: roads, settings: settings) else {
                if r.status == .halted || r.status == .stalled, pendingHalt == nil, !knots.isEmpty { pendingHalt = (i, times[i]) }
                continue
            }
            let vertex = PathVertex(point: resolved.point, placeID: resolved.placeID, name: resolved.name)
            if let previous = lastKnot {
                let leg = roads.path(from: PathVertex(point: previous.point, placeID: previous.placeID, name: previous.name), previous.uncertainty, to: vertex, resolved.uncertainty, roadID: r.road)
                append(Array(leg.vertices.dropFirst()))
            } else {
                append([vertex])
            }
            if let halt = pendingHalt, r.status.isStationary, r.location != .unstated {
                // Halted without a location, then found halted here: it was already here then.
                knots.append(Knot(time: halt.time, halfWidth: rows[halt.row].time.halfWidth, measure: vertexMeasures.last!, point: resolved.point, uncertainty: resolved.uncertainty, between: resolved.between, row: halt.row, inferred: true, stationary: true))
            }
            pendingHalt = nil
            knots.append(Knot(time: times[i], halfWidth: r.time.halfWidth, measure: vertexMeasures.last!, point: resolved.point, uncertainty: resolved.uncertainty, between: resolved.between, row: i, inferred: false, stationary: r.status.isStationary))
            lastKnot = (resolved.point, resolved.uncertainty, resolved.name, resolved.placeID)
        }
        let path = GeodesicPath(vertices.isEmpty ? [PathVertex(point: try! GeoPoint(latitude: 0, longitude: 0))] : vertices)
        // Knot measures relative to this unit's path start.
        let base = vertexMeasures.first ?? 0
        knots = knots.map { Knot(time: $0.time, halfWidth: $0.halfWidth, measure: $0.measure - base, point: $0.point, uncertainty: $0.uncertainty, between: $0.between, row: $0.row, inferred: $0.inferred, stationary: $0.stationary) }
        let endRow = rows.lastIndex { $0.status == .split || $0.status == .merged }
        let track = UnitTrack(
            convoy: first.convoy, unit: first.unit, parent: first.parent, rows: rows, rowTimes: times, vehicles: vehicles, people: people, knots: knots, path: path,
            start: rows.map(\.time.start).min()!, end: endRow.map { times[$0] }, startMeasure: base)

        // Anomalies. Pairs are only compared within the widest time span (sorted rows), and events by
        // (status, places) buckets, so building stays near-linear for long logs.
        var ownKnot: [Int: Int] = [:]
        for (k, knot) in knots.enumerated() where !knot.inferred { ownKnot[knot.row] = k }
        let widest = rows.map { $0.time.end - $0.time.start }.max() ?? 0
        var latestAbove: (line: Int, index: Int)?
        for i in rows.indices.sorted(by: { rows[$0].line < rows[$1].line }) {
            // Out of file order: earlier than a row above it.
            if let above = latestAbove, rows[above.index].time.start > rows[i].time.start {
                let r = rows[i], a = rows[above.index]
                anomalies[i].append(Anomaly(kind: .outOfOrder, message: "line \(r.line) (\(r.time.text)) is below line \(a.line) (\(a.time.text)) in the file; taken in time order"))
            }
            if latestAbove == nil || rows[latestAbove!.index].time.start <= rows[i].time.start { latestAbove = (rows[i].line, i) }
        }
        var events: [String: [Int]] = [:]
        for (i, r) in rows.enumerated() {
            for place in r.places where !place.alternatives.isEmpty {
                anomalies[i].append(Anomaly(kind: .ambiguousPlace, message: "\"\(place.name)\" also fits \(place.alternatives.joined(separator: ", ")); used \(place.id)"))
            }
            var j = i - 1
            while j >= 0, times[i] - times[j] <= widest {
                let other = rows[j]
                defer { j -= 1 }
                guard other.citation.source != r.citation.source, other.time.overlaps(r.time) else { continue }
                if let a = r.vehicles, let b = other.vehicles, a.contradicts(b) {
                    anomalies[i].append(Anomaly(kind: .sourcesDisagree, message: "vehicles: \(a.text) (\(r.citation.source), line \(r.line)) vs \(b.text) (\(other.citation.source), line \(other.line))"))
                }
                if let a = r.people, let b = other.people, a.contradicts(b) {
                    anomalies[i].append(Anomaly(kind: .sourcesDisagree, message: "people: \(a.text) (\(r.citation.source), line \(r.line)) vs \(b.text) (\(other.citation.source), line \(other.line))"))
                }
                if r.time.precision == .instant, other.time.precision == .instant, r.time.start == other.time.start,
                    let k1 = ownKnot[i].map({ knots[$0] }), let k2 = ownKnot[j].map({ knots[$0] }),
                    Geodesic.inverse(from: k1.point, to: k2.point).distance > k1.uncertainty + k2.uncertainty
                {
                    anomalies[i].append(Anomaly(kind: .positionsDisagree, message: "at \(r.time.text): \(r.location) (line \(r.line)) vs \(other.location) (line \(other.line))"))
                }
            }
            if [.departed, .arrived].contains(r.status), !r.places.isEmpty {
                let key = r.status.rawValue + "|" + r.places.map(\.id).joined(separator: ",")
                for j in events[key, default: []] {
                    let other = rows[j]
                    guard other.citation.source != r.citation.source, !other.time.overlaps(r.time) else { continue }
                    anomalies[i].append(Anomaly(kind: .datesDisagree, message: "\(r.status.rawValue) \(r.location): \(r.time.text) (\(r.citation.source), line \(r.line)) vs \(other.time.text) (\(other.citation.source), line \(other.line))"))
                }
                events[key, default: []].append(i)
            }
            // A count that grows without a merge.
            if i > 0, let now = r.vehicles, let before = vehicles[i - 1]?.count, rows[vehicles[i - 1]!.row].citation.source == r.citation.source {
                for t in now.terms {
                    if let kind = t.kind, let b = before.count(of: kind), t.qualifier == .exact, b.qualifier == .exact, t.count > b.count {
                        anomalies[i].append(Anomaly(kind: .countMismatch, message: "\(kind) grew from \(b.count) to \(t.count) with no merge"))
                    }
                }
            }
        }
        // Speeds between consecutive positioned observations.
        var speedAt: [Int: Double] = [:]
        for (a, b) in zip(knots, knots.dropFirst()) where b.time > a.time {
            let distance = abs(b.measure - a.measure)
            let speed = distance / (b.time - a.time)
            if !b.inferred { speedAt[b.row] = speed }
            let slowest = max(0, distance - a.uncertainty - b.uncertainty) / max(1, (b.time + b.halfWidth) - (a.time - a.halfWidth))
            if slowest > settings.maximumSpeed {
                anomalies[b.row].append(Anomaly(kind: .impossibleSpeed, message: String(format: "%.0f km in %@ is %.0f km/h (at least %.0f km/h allowing for the uncertainty); no bus convoy goes faster than %.0f km/h", distance / 1000, TimeText.duration(b.time - a.time), speed * 3.6, slowest * 3.6, settings.maximumSpeed * 3.6)))
            }
        }

        var states: [ReplayState] = []
        var previousMeasure: Double?
        for (i, r) in rows.enumerated() {
            let own = ownKnot[i].map { knots[$0] }
            let position: TrackPosition? = ownKnot[i].map { k in TrackPosition(point: knots[k].point, uncertainty: knots[k].uncertainty, measure: knots[k].measure, phase: .observed, between: knots[k].between, before: k, after: nil, speed: nil) } ?? track.position(at: times[i])
            let cumulative = position.map { $0.measure + track.startMeasure }
            var sources = [r.citation]
            if let v = vehicles[i], v.row != i, !sources.contains(rows[v.row].citation) { sources.append(rows[v.row].citation) }
            if let p = people[i], p.row != i, !sources.contains(rows[p.row].citation) { sources.append(rows[p.row].citation) }
            states.append(ReplayState(
                convoy: r.convoy, unit: r.unit, parent: r.parent, observation: r, time: times[i], status: r.status, vehicles: vehicles[i]?.count, people: people[i]?.count,
                position: position, positionObserved: own != nil, cumulative: cumulative, leg: previousMeasure.flatMap { p in cumulative.map { abs($0 - p) } },
                speed: speedAt[i], sources: sources, anomalies: anomalies[i], children: []))
            if let cumulative { previousMeasure = cumulative }
        }
        return (track, states)
    }
}

