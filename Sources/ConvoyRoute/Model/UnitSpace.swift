import ConvoyGeodesy
import Foundation

/// The model's settings (docs/route.md, "The model").
public struct ModelSettings: Sendable, Hashable {
    /// The speed no bus convoy exceeds on open roads, m/s: 100 km/h, the speed coaches are limited
    /// to by their speed limiters (EU Council Directive 92/6/EEC as amended by 2002/85/EC). A log
    /// sets another per unit (`max_speed_kmh`), which wins; `--max-speed` sets this default.
    public var maximumSpeed = 100_000.0 / 3600
    /// A place whose own disc misses every road still joins the network at the nearest road point
    /// when that point is within its radius plus this many metres; else the unit leaves the roads
    /// there (along geodesics).
    public var joinTolerance = 5_000.0
    /// The radius of `near PLACE` without `within`, metres (the place's own radius is added).
    public var nearRadius = 10_000.0

    public init() {}
}

/// A row's location laid on a unit's space: where the row says the unit was.
public struct RowFootprint: Sendable {
    /// Positions of the unit's space.
    public let set: SpaceSet
    /// How far off those positions the unit may be (a place off the roads: its radius), metres.
    public let lateral: Double
    /// The point the best estimate visits (a place's own position, the middle of a stretch, …).
    public let preferred: SpacePosition
    /// True when the region lies off the road network and the unit is taken there along geodesics.
    public let offNetwork: Bool
}

/// Builds one unit's space — the road network, cut where the unit was blocked, with geodesic legs
/// to and between the places it was reported off the roads — and lays each of its rows on it.
struct UnitSpaceBuilder {
    let base: NetworkSpace
    let settings: ModelSettings

    /// Where a place-like region meets the base network.
    enum Attachment {
        /// The region holds these base positions (or its nearest road point, within tolerance).
        case onNetwork(SpaceSet, preferred: SpacePosition)
        /// Off the roads: an anchor at `point` with a `lateral` radius, joined to the nearest road
        /// point `join` (nil when there are no roads).
        case offNetwork(anchor: Int, join: SpacePosition?)
    }

    /// What a row asks of the space, decided on the base network before the space is built.
    enum Plan {
        case area(Attachment)
        /// A stretch between two attachments: the base path between them when both are on the
        /// network and connected, else a geodesic connector (index) between their points. A
        /// `toward` row's stretch also holds `ways`: every base position on a shortest way from
        /// the previous region to the place (``UnitSpaceBuilder/ways(from:leaving:toward:place:)``).
        case stretch(Attachment, Attachment, path: [PathPiece]?, connector: Int?, ways: SpaceSet? = nil)
    }

    enum Endpoint: Hashable {
        case anchor(Int)
        case join(SpacePosition)
    }

    var anchors: [(point: GeoPoint, lateral: Double)] = []
    /// Regions already laid on the base network: logs name the same places again and again.
    var laidRegions: [Region: SpaceSet] = [:]
    var nearestPoints: [GeoPoint: (position: SpacePosition, distance: Double)?] = [:]
    var joins: [SpacePosition] = []
    var connectors: [(Endpoint, Endpoint)] = []
    /// Rows whose leg in is forced onto the geodesic (`road` = `none`): the connector of that leg.
    var geodesicLegs: [Int: Int] = [:]

    init(base: NetworkSpace, settings: ModelSettings) {
        self.base = base
        self.settings = settings
    }

    static func single(_ p: SpacePosition) -> SpaceSet { SpaceSet(normalizing: [EdgeInterval(edge: p.edge, lo: p.offset, hi: p.offset)]) }

    /// The region of a place-like expression, the point the estimate prefers in it, and its size.
    func region(of row: Observation) -> (region: Region, focus: GeoPoint, size: Double)? {
        switch row.location {
        case .unstated, .between, .toward:
            return nil
        case .at:
            let p = row.places[0]
            return (.disc(center: p.point, radius: p.uncertainty), p.point, p.uncertainty)
        case .inside:
            // An area's radius covers the area (Gazetteer/README.md); hand-drawn boxes may not.
            let p = row.places[0]
            return (.disc(center: p.point, radius: p.uncertainty), p.point, p.uncertainty)
        case .near(_, let within):
            let p = row.places[0]
            let radius = (within ?? settings.nearRadius) + p.uncertainty
            return (.disc(center: p.point, radius: radius), p.point, radius)
        case .coordinate(let point, let within):
            return (.disc(center: point, radius: within ?? 0), point, within ?? 0)
        case .offset(let distance, let azimuth, _, _, let within):
            let p = row.places[0]
            let halfWidth = Self.compassHalfWidth(azimuth)
            if let distance {
                let rounding = Self.roundingHalfUnit(distance)
                let near = max(0, distance - rounding), far = distance + rounding
                let focus = Geodesic.direct(from: p.point, azimuth: azimuth, distance: distance).point
                let size = p.uncertainty + rounding + 2 * far * sin(halfWidth * .pi / 360)
                return (.sector(apex: p.point, apexRadius: p.uncertainty, azimuth: azimuth, halfWidth: halfWidth, nearest: near, farthest: far), focus, size)
            }
            let far = within ?? .infinity
            let focus = Geodesic.direct(from: p.point, azimuth: azimuth, distance: p.uncertainty).point
            let size = far.isFinite ? p.uncertainty + far : .infinity
            return (.sector(apex: p.point, apexRadius: p.uncertainty, azimuth: azimuth, halfWidth: halfWidth, nearest: 0, farthest: far), focus, size)
        }
    }

    /// A compass word's half-width in degrees: the coarsest rose that has the point, since a writer
    /// who says "east" has not said "east-north-east" — N, E, S, W ±45°; NE, SE, SW, NW ±22.5°;
    /// the 16-point names (ENE, SSW, …) ±11.25°.
    static func compassHalfWidth(_ azimuth: Double) -> Double {
        let index = Int((azimuth / 22.5).rounded())
        if index % 4 == 0 { return 45 }
        if index % 2 == 0 { return 22.5 }
        return 11.25
    }

    /// Half the coarsest step a reported distance may have been rounded to: the largest of 1, 5,
    /// 10, 50, 100 … km (or 0.1, 0.5 … below a kilometre's digit) that divides it, since a writer
    /// who rounds to 5 km writes "35 km". "38 km" ±0.5 km, "35 km" ±2.5 km, "20 km" ±5 km,
    /// "150 km" ±25 km, "2.5 km" ±0.25 km.
    static func roundingHalfUnit(_ metres: Double) -> Double {
        let km = metres / 1000
        guard km > 0, km.isFinite else { return 500 }
        var best = 0.001
        for exponent in -3...4 {
            for factor in [1.0, 5.0] {
                let step = factor * pow(10, Double(exponent))
                let ratio = km / step
                if abs(ratio - ratio.rounded()) < 1e-9 * max(1, ratio) { best = max(best, step) }
            }
        }
        return best * 1000 / 2
    }

    /// Lays a place-like region on the base network.
    mutating func attach(_ region: Region, focus: GeoPoint, size: Double) -> Attachment? {
        let set = laidRegions[region] ?? base.positions(in: region)
        laidRegions[region] = set
        if !set.isEmpty { return .onNetwork(set, preferred: base.nearest(to: focus, in: set)) }
        let nearest = nearestPoints[focus] ?? base.nearest(to: focus)
        nearestPoints[focus] = nearest
        if let nearest, nearest.distance <= size + settings.joinTolerance {
            return .onNetwork(Self.single(nearest.position), preferred: nearest.position)
        }
        guard size.isFinite else { return nil }
        anchors.append((focus, size))
        if let join = nearest?.position {
            joins.append(join)
            connectors.append((.anchor(anchors.count - 1), .join(join)))
        }
        return .offNetwork(anchor: anchors.count - 1, join: nearest?.position)
    }

    /// Plans a stretch between two attachments: along the roads, unless `geodesic` (or no road
    /// joins them).
    ///
    /// "Between A and B" on the roads is both places' discs, the shortest way between the discs,
    /// and the road between the places' own points: a writer may mean either road, and they
    /// differ where the shortest road from A to B runs through a third place that a disc's edge
    /// skips (from T3 to Deir ez-Zor through Palmyra, where T3's disc reaches the M20 east of
    /// Palmyra). The estimate visits the middle of the road between the places' own points.
    mutating func stretch(_ a: Attachment, _ b: Attachment, geodesic: Bool = false) -> Plan {
        if !geodesic, case .onNetwork(let sa, let pa) = a, case .onNetwork(let sb, let pb) = b,
           let between = DistanceField.shortestPath(in: base, from: sa, to: sb) {
            guard let joining = DistanceField.shortestPath(in: base, from: Self.single(pa), to: Self.single(pb)), joining.length >= 1 else {
                return .stretch(a, b, path: between.pieces, connector: nil)
            }
            let region = sa.union(sb).union(Self.intervals(of: between.pieces)).union(Self.intervals(of: joining.pieces))
            return .stretch(a, b, path: joining.pieces, connector: nil, ways: region)
        }
        return .stretch(a, b, path: nil, connector: connect(a, b))
    }

    /// Adds a geodesic leg between two attachments' points; returns its index.
    mutating func connect(_ a: Attachment, _ b: Attachment) -> Int {
        func endpoint(_ x: Attachment) -> Endpoint {
            switch x {
            case .offNetwork(let anchor, _): return .anchor(anchor)
            case .onNetwork(_, let preferred):
                joins.append(preferred)
                return .join(preferred)
            }
        }
        connectors.append((endpoint(a), endpoint(b)))
        return connectors.count - 1
    }

    /// Plans every positioned row; `previous` gives `toward` rows their starting region when the
    /// unit has no earlier position of its own (a child: its parent's).
    /// A row whose `road` is `none` gets a geodesic leg from the previous position (its index in
    /// ``geodesicLegs``).
    mutating func plan(rows: [Observation], previous: Attachment?) -> [Int: Plan] {
        var plans: [Int: Plan] = [:]
        var last = previous
        // The whole of the previous row's region on the base network (a stretch, not its end),
        // where a `toward` row's ways start; nil when it lies off the roads.
        var lastRegion: SpaceSet?
        var lastPreferred: SpacePosition?
        if case .onNetwork(let set, let preferred) = previous { (lastRegion, lastPreferred) = (set, preferred) }
        var lastAnchor: Int?
        for (i, row) in rows.enumerated() where row.status != .blocked {
            let plan: Plan?
            let geodesic = row.road == "none"
            switch row.location {
            case .unstated:
                plan = nil
            case .between:
                let ends = row.places.map { p in attach(.disc(center: p.point, radius: p.uncertainty), focus: p.point, size: p.uncertainty) }
                if let a = ends[0], let b = ends[1] { plan = stretch(a, b, geodesic: geodesic) } else { plan = nil }
            case .toward:
                let p = row.places[0]
                let target = attach(.disc(center: p.point, radius: p.uncertainty), focus: p.point, size: p.uncertainty)
                if let target, let from = last {
                    if !geodesic, let origins = lastRegion, let start = lastPreferred, let ways = ways(from: origins, leaving: start, toward: target, place: p) {
                        plan = .stretch(from, target, path: ways.path, connector: nil, ways: ways.region)
                    } else {
                        plan = stretch(from, target, geodesic: geodesic)
                    }
                } else {
                    plan = target.map { .area($0) }
                }
            default:
                if let (region, focus, size) = region(of: row), let a = attach(region, focus: focus, size: size) { plan = .area(a) } else { plan = nil }
            }
            guard let plan else { continue }
            plans[i] = plan
            if geodesic, let last {
                var isToward = false
                if case .toward = row.location { isToward = true }
                switch plan {
                // A `toward` stretch is itself the leg from the previous position: its geodesic.
                case .stretch(_, _, _, let connector?, _) where isToward: geodesicLegs[i] = connector
                case .area(let a), .stretch(let a, _, _, _, _): geodesicLegs[i] = connect(last, a)
                }
            }
            // Consecutive places off the roads are joined directly, along the geodesic.
            var anchor: Int?
            if case .area(.offNetwork(let k, _)) = plan { anchor = k }
            if let anchor, let lastAnchor, anchor != lastAnchor { connectors.append((.anchor(lastAnchor), .anchor(anchor))) }
            lastAnchor = anchor
            switch plan {
            case .area(let a): last = a
            case .stretch(_, let b, _, _, _): last = b
            }
            lastRegion = Self.baseRegion(of: plan)
            lastPreferred = Self.basePreferred(of: plan)
        }
        return plans
    }

    /// The position halfway along a path (nil for no pieces).
    static func middle(of pieces: [PathPiece]) -> SpacePosition? {
        var remaining = pieces.reduce(0) { $0 + $1.length } / 2
        for piece in pieces {
            if remaining <= piece.length { return SpacePosition(edge: piece.edge, offset: piece.from + (piece.to >= piece.from ? remaining : -remaining)) }
            remaining -= piece.length
        }
        return nil
    }

    /// The base position the estimate visits in a planned region on the roads: an area's preferred
    /// point, the middle of a stretch's path.
    static func basePreferred(of plan: Plan) -> SpacePosition? {
        switch plan {
        case .area(.onNetwork(_, let preferred)): return preferred
        case .stretch(_, .onNetwork(_, let end), let path?, nil, _): return middle(of: path) ?? end
        default: return nil
        }
    }

    /// The base positions of a planned region, when all of it lies on the roads.
    static func baseRegion(of plan: Plan) -> SpaceSet? {
        switch plan {
        case .area(.onNetwork(let set, _)):
            return set
        case .stretch(.onNetwork(let a, _), .onNetwork(let b, _), let path?, nil, let ways):
            return ways ?? a.union(b).union(intervals(of: path))
        default:
            return nil
        }
    }

    /// How far from the shortest a way counted as shortest may be, metres: ties between roads
    /// measured by other tools differ by decimetres.
    static let shortestWayTolerance = 100.0

    /// A `toward` row's region on the base network: every position on a shortest way from some
    /// position of `origins` (the previous region, all of it) to the place — to its point on the
    /// roads (the vertex named after it, else the road point nearest to it) or to the nearest
    /// point of its disc — with the origins and the place's disc; and the shortest way from `start`
    /// (the point the estimate visits in the previous region) to the disc, whose middle it visits
    /// next (`start` itself when it is in the disc). Nil when the place is off the roads or no road
    /// leads there.
    func ways(from origins: SpaceSet, leaving start: SpacePosition, toward target: Attachment, place: RoutePlace) -> (region: SpaceSet, path: [PathPiece])? {
        guard case .onNetwork(let disc, let preferred) = target,
            let way = DistanceField.shortestPath(in: base, from: Self.single(start), to: disc) ?? DistanceField.shortestPath(in: base, from: origins, to: disc)
        else { return nil }
        let path = way.pieces.isEmpty ? [PathPiece(edge: start.edge, from: start.offset, to: start.offset)] : way.pieces
        let vertex = base.landmarks.filter { $0.value.placeID == place.id }.keys.min()
        let point = vertex.flatMap { v in base.edges(at: v).first.map { e in SpacePosition(edge: e, offset: base.edges[Int(e)].from == v ? 0 : base.edges[Int(e)].length) } } ?? preferred
        var region = origins.union(disc)
        for goal in [disc, Self.single(point)] {
            let field = DistanceField(space: base, sources: goal, radius: .infinity)
            region = region.union(field.shortestWays(from: origins, in: base, tolerance: Self.shortestWayTolerance))
        }
        return (region, path)
    }

    /// The base positions a row's location covers, without adding anything off the roads (for
    /// blocks, which only matter where they cut a road).
    func baseSet(of row: Observation) -> SpaceSet? {
        func disc(_ p: RoutePlace) -> SpaceSet { base.positions(in: .disc(center: p.point, radius: p.uncertainty)) }
        switch row.location {
        case .between:
            // A block "between A and B" lies strictly between the two places: the road joining them
            // outside both places' discs.
            let a = disc(row.places[0]), b = disc(row.places[1])
            guard let path = DistanceField.shortestPath(in: base, from: a, to: b) else { return nil }
            let between = Self.intervals(of: path.pieces).subtracting(a).subtracting(b)
            return between.isEmpty ? nil : between
        case .toward, .unstated:
            return nil
        default:
            guard let (region, _, _) = region(of: row) else { return nil }
            let set = base.positions(in: region)
            return set.isEmpty ? nil : set
        }
    }

    static func intervals(of pieces: [PathPiece]) -> SpaceSet {
        SpaceSet(normalizing: pieces.map { EdgeInterval(edge: $0.edge, lo: min($0.from, $0.to), hi: max($0.from, $0.to)) })
    }

    /// The unit's space and its rows laid on it.
    struct Result {
        let space: NetworkSpace
        /// Per row index (of `rows`), the row's footprint; rows without a usable location have none.
        let footprints: [Int: RowFootprint]
        /// Blocked rows whose block cuts nothing the unit could reach, with why.
        let blockNotes: [Int: String]
        /// Rows whose leg in is forced onto the geodesic: that leg's edge, as a set.
        let geodesicLegs: [Int: SpaceSet]
    }

    /// Plans the rows, builds the space (anchors and geodesic legs off the roads, cuts at blocks)
    /// and lays each row on it. `previous` is where a `toward` starts when the unit has no earlier
    /// position (a child: its parent's last region).
    mutating func build(rows: [Observation], previous: Attachment?) -> Result {
        let plans = plan(rows: rows, previous: previous)
        // The open space: the roads split where legs join them, with the anchors and legs.
        var (builder, remap) = base.splitting(joins: joins, cuts: [])
        func vertex(_ endpoint: Endpoint, _ anchorVertex: [Int32]) -> Int32 {
            switch endpoint {
            case .anchor(let i): return anchorVertex[i]
            case .join(let p):
                let edge = base.edges[Int(p.edge)]
                if p.offset <= 0 { return edge.from }
                if p.offset >= edge.length { return edge.to }
                return remap.joinVertices[p]!
            }
        }
        let anchorVertex = anchors.map { builder.addVertex($0.point) }
        var connectorEdge: [Int32] = []
        var touched = Set<Int32>()
        for (a, b) in connectors {
            let va = vertex(a, anchorVertex), vb = vertex(b, anchorVertex)
            connectorEdge.append(builder.addEdge(from: va, to: vb, road: -1))
            touched.insert(va)
            touched.insert(vb)
        }
        var anchorPosition: [SpacePosition] = []
        for v in anchorVertex {
            if !touched.contains(v) { builder.addEdge(from: v, to: v, road: -1) }
            anchorPosition.append(SpacePosition(edge: -1, offset: Double(v)))  // resolved after build
        }
        let open = builder.build()
        func position(ofVertex v: Int32) -> SpacePosition {
            let e = open.edges(at: v).first!
            return SpacePosition(edge: e, offset: open.edges[Int(e)].from == v ? 0 : open.edges[Int(e)].length)
        }
        func footprint(_ a: Attachment) -> (set: SpaceSet, preferred: SpacePosition, lateral: Double, off: Bool) {
            switch a {
            case .onNetwork(let set, let preferred): return (remap.map(set), remap.map(preferred), 0, false)
            case .offNetwork(let anchor, _):
                let p = position(ofVertex: anchorVertex[anchor])
                return (Self.single(p), p, anchors[anchor].lateral, true)
            }
        }
        var footprints: [Int: RowFootprint] = [:]
        for (i, plan) in plans {
            switch plan {
            case .area(let a):
                let f = footprint(a)
                footprints[i] = RowFootprint(set: f.set, lateral: f.lateral, preferred: f.preferred, offNetwork: f.off)
            case .stretch(let a, let b, let path, let connector, let ways):
                let fa = footprint(a), fb = footprint(b)
                var set = fa.set.union(fb.set)
                if let ways { set = set.union(remap.map(ways)) }
                var preferred = fa.preferred
                if let path {
                    let mapped = path.map { piece -> [PathPiece] in
                        // A piece on a split edge becomes pieces of the new edges.
                        let lo = remap.map(SpacePosition(edge: piece.edge, offset: min(piece.from, piece.to)))
                        let hi = remap.map(SpacePosition(edge: piece.edge, offset: max(piece.from, piece.to)))
                        if lo.edge == hi.edge { return [PathPiece(edge: lo.edge, from: piece.from <= piece.to ? lo.offset : hi.offset, to: piece.from <= piece.to ? hi.offset : lo.offset)] }
                        let parts = remap.map(Self.intervals(of: [piece])).intervals
                        return parts.map { PathPiece(edge: $0.edge, from: $0.lo, to: $0.hi) }
                    }.flatMap { $0 }
                    set = set.union(Self.intervals(of: mapped))
                    if let middle = Self.middle(of: mapped) { preferred = middle }
                }
                if let connector {
                    let e = connectorEdge[connector]
                    set = set.union(SpaceSet(normalizing: [EdgeInterval(edge: e, lo: 0, hi: open.edges[Int(e)].length)]))
                    preferred = SpacePosition(edge: e, offset: open.edges[Int(e)].length / 2)
                }
                footprints[i] = RowFootprint(set: set, lateral: max(fa.lateral, fb.lateral), preferred: preferred, offNetwork: fa.off || fb.off || connector != nil)
            }
        }
        // Blocks: where the unit was stopped short, cut the roads on every side but its own.
        var blockNotes: [Int: String] = [:]
        var cutPositions: [SpacePosition] = []
        let origin: SpaceSet? = plans.keys.sorted().first.flatMap { first -> SpaceSet? in
            switch plans[first]! {
            case .area(.onNetwork(let set, _)), .stretch(.onNetwork(let set, _), _, _, _, _): return set
            case .area(.offNetwork(_, let join)), .stretch(.offNetwork(_, let join), _, _, _, _): return join.map(Self.single)
            }
        }
        for (i, row) in rows.enumerated() where row.status == .blocked {
            guard let block = baseSet(of: row) else {
                blockNotes[i] = "the block is off the road network: it limits nothing"
                continue
            }
            guard let origin, block.intersection(origin).isEmpty else {
                blockNotes[i] = "the unit's first reported position is inside the blocked stretch: no side can be told, nothing is cut"
                continue
            }
            let cuts = cuts(block: block, origin: origin)
            if cuts.isEmpty { blockNotes[i] = "the unit can reach every road beyond the blocked stretch by other roads (or none leads on from it): nothing is cut" }
            cutPositions += cuts.map { remap.map($0) }
        }
        let legs = geodesicLegs.mapValues { c in
            let e = connectorEdge[c]
            return SpaceSet(normalizing: [EdgeInterval(edge: e, lo: 0, hi: open.edges[Int(e)].length)])
        }
        guard !cutPositions.isEmpty else { return Result(space: open, footprints: footprints, blockNotes: blockNotes, geodesicLegs: legs) }
        let (cutBuilder, cutRemap) = open.splitting(joins: [], cuts: cutPositions)
        let moving = cutBuilder.build()
        var laid = footprints.mapValues { RowFootprint(set: cutRemap.map($0.set), lateral: $0.lateral, preferred: cutRemap.map($0.preferred), offNetwork: $0.offNetwork) }
        // What lies beyond a block cannot be reached from where the unit started: a region reaching
        // past a block (a direction "east of" a town) keeps only its reachable part.
        if let first = laid.keys.min() {
            let reach = DistanceField(space: moving, sources: laid[first]!.set, radius: .infinity)
            let reachable = Set(reach.reachableEdges(in: moving)).union(laid[first]!.set.intervals.map(\.edge))
            for (i, f) in laid {
                let kept = SpaceSet(normalizing: f.set.intervals.filter { reachable.contains($0.edge) })
                guard !kept.isEmpty, kept != f.set else { continue }
                let preferred = kept.contains(f.preferred, tolerance: 1) ? f.preferred : SpacePosition(edge: kept.intervals[0].edge, offset: kept.intervals[0].lo)
                laid[i] = RowFootprint(set: kept, lateral: f.lateral, preferred: preferred, offNetwork: f.offNetwork)
            }
        }
        return Result(space: moving, footprints: laid, blockNotes: blockNotes, geodesicLegs: legs.mapValues { cutRemap.map($0) as SpaceSet })
    }

    /// The positions where a block cuts the network for a unit that starts at `origin`: the ends of
    /// the blocked region on every side but the one the unit comes from. The unit may drive into the
    /// blocked stretch (the block is somewhere in it) but never out of its far side.
    func cuts(block: SpaceSet, origin: SpaceSet) -> [SpacePosition] {
        guard !block.isEmpty, !origin.isEmpty, block.intersection(origin).isEmpty else { return [] }
        let epsilon = 0.5
        var ends: [(end: SpacePosition, outside: SpacePosition)] = []
        for interval in block.intervals {
            let edge = base.edges[Int(interval.edge)]
            if interval.lo > epsilon {
                ends.append((SpacePosition(edge: interval.edge, offset: interval.lo), SpacePosition(edge: interval.edge, offset: interval.lo - epsilon)))
            } else {
                for other in base.edges(at: edge.from) where !block.intervals.contains(where: { $0.edge == other && ($0.lo <= epsilon || $0.hi >= base.edges[Int(other)].length - epsilon) }) {
                    let o = base.edges[Int(other)]
                    let at = o.from == edge.from ? epsilon : o.length - epsilon
                    ends.append((SpacePosition(edge: other, offset: at), SpacePosition(edge: other, offset: o.from == edge.from ? 2 * epsilon : o.length - 2 * epsilon)))
                }
            }
            if interval.hi < edge.length - epsilon {
                ends.append((SpacePosition(edge: interval.edge, offset: interval.hi), SpacePosition(edge: interval.edge, offset: interval.hi + epsilon)))
            } else {
                for other in base.edges(at: edge.to) where !block.intervals.contains(where: { $0.edge == other && ($0.lo <= epsilon || $0.hi >= base.edges[Int(other)].length - epsilon) }) {
                    let o = base.edges[Int(other)]
                    let at = o.from == edge.to ? epsilon : o.length - epsilon
                    ends.append((SpacePosition(edge: other, offset: at), SpacePosition(edge: other, offset: o.from == edge.to ? 2 * epsilon : o.length - 2 * epsilon)))
                }
            }
        }
        // Which outsides can the unit reach without entering the block? Cut the network at every end
        // and search from the origin.
        let (builder, remap) = base.splitting(joins: [], cuts: ends.map(\.end))
        let split = builder.build()
        let reach = DistanceField(space: split, sources: remap.map(origin), radius: .infinity)
        return ends.filter { reach.distance(to: remap.map($0.outside), in: split) == nil }.map(\.end)
    }
}

extension NetworkSpace {
    /// The position of `set` nearest to `point` (geodesic distance).
    func nearest(to point: GeoPoint, in set: SpaceSet) -> SpacePosition {
        var best: (SpacePosition, Double)?
        for interval in set.intervals {
            let edge = edges[Int(interval.edge)]
            let first = Int(edge.firstSegment), count = Int(edge.segmentCount)
            for s in first..<first + count {
                let start = segmentOffset[s], end = s + 1 < first + count ? segmentOffset[s + 1] : edge.length
                guard end >= interval.lo, start <= interval.hi else { continue }
                let line = GeodesicLine(from: segmentOrigin[s], to: self.point(at: SpacePosition(edge: interval.edge, offset: end)))
                let foot = line.nearestPoint(to: point)
                let offset = min(max(start + foot.distanceAlong, interval.lo, start), interval.hi, end)
                let candidate = SpacePosition(edge: interval.edge, offset: offset)
                let d = Geodesic.inverse(from: self.point(at: candidate), to: point).distance
                if best == nil || d < best!.1 { best = (candidate, d) }
            }
        }
        return best?.0 ?? SpacePosition(edge: set.intervals[0].edge, offset: set.intervals[0].lo)
    }
}
