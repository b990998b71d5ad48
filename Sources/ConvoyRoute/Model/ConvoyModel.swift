import ConvoyGeodesy
import Foundation

/// The update log as space-time constraints: every unit of every convoy on the road network, with
/// the prism of where it can have been and a best-estimate journey inside it (docs/route.md).
public struct ConvoyModel: Sendable {
    public let units: [UnitModel]
    public let log: UpdateLog
    public let settings: ModelSettings
    /// The road network every unit's space is built on.
    public let roads: NetworkSpace

    public var convoys: [String] { Array(Set(units.map(\.convoy))).sorted() }
    public func units(convoy: String?) -> [UnitModel] { units.filter { convoy == nil || $0.convoy == convoy } }
    public func unit(convoy: String, unit: String) -> UnitModel? { units.first { $0.convoy == convoy && $0.unit == unit } }

    public init(log: UpdateLog, roads: NetworkSpace, settings: ModelSettings = ModelSettings()) {
        self.log = log
        self.roads = roads
        self.settings = settings
        let groups = Dictionary(grouping: log.observations) { UnitKey(convoy: $0.convoy, unit: $0.unit) }
        // Parents before children.
        var order: [UnitKey] = []
        var placed = Set<UnitKey>()
        func place(_ key: UnitKey) {
            guard !placed.contains(key), let rows = groups[key] else { return }
            placed.insert(key)
            if let parent = rows.compactMap(\.parent).first { place(UnitKey(convoy: key.convoy, unit: parent)) }
            order.append(key)
        }
        for key in groups.keys.sorted(by: { ($0.convoy, $0.unit) < ($1.convoy, $1.unit) }) { place(key) }
        // When each parent splits: its split row's window (a split may be reported as a span,
        // "over the past week"), else just before its child's first row.
        var built: [UnitKey: UnitModel] = [:]
        var units: [UnitModel] = []
        for key in order {
            let rows = groups[key]!
            let parentName = rows.compactMap(\.parent).first
            var inherited: [Observation] = []
            var existsFrom = rows.map(\.time.start).min()!
            var departure: (time: Double, point: GeoPoint)?
            if let parentName, let parent = built[UnitKey(convoy: key.convoy, unit: parentName)] {
                let split = Self.splitWindow(parent: parent, childStart: existsFrom)
                (inherited, existsFrom) = Self.inheritance(parent: parent, split: split)
                if let p = parent.journey.position(at: existsFrom) { departure = (existsFrom, parent.space.point(at: p)) }
            }
            let hasChildren = groups.values.contains { $0.first?.convoy == key.convoy && $0.contains { $0.parent == key.unit } }
            var existsUntil: Double?
            if hasChildren || rows.contains(where: { $0.status == .merged }) {
                existsUntil = rows.filter { $0.status == .split || $0.status == .merged }.map(\.time.end).max()
            }
            // The unit's maximum speed: its own `max_speed_kmh`, else its parent's (a group split
            // from a column moves like it unless the log says otherwise), else the default.
            var unitSettings = settings
            var speedRow = rows.filter { $0.maxSpeedKmh != nil }.min { $0.line < $1.line }
            if speedRow == nil, let parentName, let parent = built[UnitKey(convoy: key.convoy, unit: parentName)] {
                speedRow = parent.maximumSpeedRow
            }
            if let kmh = speedRow?.maxSpeedKmh { unitSettings.maximumSpeed = kmh / 3.6 }
            let model = UnitModel(
                convoy: key.convoy, unit: key.unit, parent: parentName, rows: rows, inherited: inherited, base: roads, settings: unitSettings,
                existsFrom: existsFrom, existsUntil: existsUntil, departure: departure, maximumSpeedRow: speedRow)
            built[key] = model
            units.append(model)
        }
        for (index, u) in units.enumerated() {
            units[index].children = units.filter { $0.convoy == u.convoy && $0.parent == u.unit }.map(\.unit)
        }
        self.units = units
    }

    struct UnitKey: Hashable {
        let convoy: String
        let unit: String
    }

    /// The window in which a child split from its parent.
    static func splitWindow(parent: UnitModel, childStart: Double) -> (start: Double, end: Double) {
        if let split = parent.rows.last(where: { $0.status == .split }) { return (split.time.start, split.time.end) }
        let before = parent.allRows.filter { $0.time.end <= childStart }.map(\.time.end).max() ?? childStart
        return (before, childStart)
    }

    /// The parent's rows a child inherits — those whose window ends before the split could have
    /// happened, and those inside the split's window that still count the whole group (as many
    /// vehicles of a kind as the split row's, so the child was among them) — and from when the
    /// child exists as a unit of its own: the latest such row's end, or the split window's start.
    static func inheritance(parent: UnitModel, split: (start: Double, end: Double)) -> ([Observation], Double) {
        let splitRow = parent.rows.last { $0.status == .split }
        var inherited: [Observation] = []
        var from = split.start
        for row in parent.allRows {
            if row.time.end <= split.start || row.status == .blocked {
                inherited.append(row)
            } else if row.status == .split, row.line == splitRow?.line {
                inherited.append(row)
            } else if row.time.end <= split.end, let whole = splitRow?.vehicles, let counted = row.vehicles, counted.countsAll(of: whole) {
                inherited.append(row)
                from = max(from, row.time.end)
            }
        }
        return (inherited, from)
    }
}

extension Count {
    /// True when this count has at least as many, exactly counted, of every kind `whole` counts
    /// exactly: "17 buses" counts all of a split's "17 buses".
    func countsAll(of whole: Count) -> Bool {
        let exact = whole.terms.filter { $0.qualifier == .exact && $0.kind != nil }
        guard !exact.isEmpty else { return false }
        return exact.allSatisfy { term in
            guard let mine = count(of: term.kind!), mine.qualifier == .exact else { return false }
            return mine.count >= term.count
        }
    }
}

extension NetworkSpace {
    /// The road graph as a space: the same vertices (named at places), one edge per road edge with
    /// its polyline, and the roads' ids and names.
    public init(roads graph: RoadGraph) {
        var b = Builder()
        for vertex in graph.vertices {
            b.addVertex(vertex.point, placeID: vertex.placeID, name: vertex.name ?? vertex.placeID)
        }
        let roads = graph.roads.map { b.road(Road(id: $0.id, name: $0.name)) }
        for edge in graph.edges {
            b.addEdge(from: Int32(edge.from), to: Int32(edge.to), through: Array(edge.geometry.points.dropFirst().dropLast()), road: roads[edge.road])
        }
        self = b.build()
    }
}
