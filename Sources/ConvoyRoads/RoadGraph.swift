import ConvoyGeodesy
import Foundation

/// A vertex of the road network: where roads meet, a road ends, or a road passes a gazetteer place
/// it names as a waypoint.
public struct RoadVertex: Sendable, Hashable {
    public let point: GeoPoint
    /// The gazetteer place at this vertex (a road's waypoint), when there is one.
    public let placeID: String?
    public let name: String?
}

/// An edge: one stretch of one road between two vertices, usable in both directions.
public struct RoadEdge: Sendable {
    public let from: Int
    public let to: Int
    /// Index into ``RoadGraph/roads``.
    public let road: Int
    /// The road's line from `from` to `to`; offsets along an edge are measured on it.
    public let geometry: EdgeGeometry
    /// Metres along the ellipsoid (the sum of the geometry's geodesic segments).
    public var length: Double { geometry.length }
}

/// A place on the network: an edge and the distance along it from the edge's `from` vertex.
public struct NetworkPosition: Sendable, Hashable {
    public let edge: Int
    public let offset: Double

    public init(edge: Int, offset: Double) {
        self.edge = edge
        self.offset = offset
    }
}

/// A point that joins the network: where, and how far the point lies from it.
public struct NetworkJoin: Sendable, Hashable {
    public let position: NetworkPosition
    /// Geodesic distance from the point to the network position, metres.
    public let distanceOff: Double
}

/// The road network as a graph, built once from road files and never changed: vertices where roads
/// share a position or meet within ``snapTolerance``, edges weighted by their geodesic length
/// (PROJ), and adjacency in compressed rows. A Sendable value: share it between tasks freely.
///
/// Building rules (docs/roads.md):
/// - A position is a vertex when it ends a road, names a gazetteer waypoint, or is shared exactly
///   by another road (or by a non-adjacent part of the same road).
/// - A road end within ``snapTolerance`` of another road's position snaps to it; otherwise, within the
///   tolerance of another road's segment, it splits that segment at the nearest point and joins there.
/// - Roads that cross without a shared position are not joined (a bridge over a road, as OpenStreetMap
///   draws it). A road end that meets nothing stays a dangling end.
public struct RoadGraph: Sendable {
    /// Road ends closer than this to another road join it, metres. Large enough for hand-drawn files
    /// whose ends were clicked onto a road at regional zoom, small enough not to merge the two
    /// carriageways of a divided highway (typically 20–100 m apart, drawn as separate lines).
    public static let snapTolerance = 50.0
    /// A point joins the network when it lies within its own radius plus this many metres of an
    /// edge: the bundled roads are schematic (straight between waypoints), and a town's point is
    /// its centre, a few km from the highway that passes it.
    public static let joinTolerance = 5_000.0

    public let roads: [RoadFeature]
    public let vertices: [RoadVertex]
    public let edges: [RoadEdge]
    /// `adjacencyStart[v]..<adjacencyStart[v + 1]` indexes ``adjacentEdges``: the edges at vertex `v`
    /// (a loop edge is listed twice). Public for algorithms of their own over the network.
    public let adjacencyStart: [Int]
    public let adjacentEdges: [Int]
    /// Connected component of each vertex; two positions in different components have no path.
    public let component: [Int]
    let grid: SegmentGrid
    let roadIndex: [String: Int]
    /// Edges of each road, in order along it.
    let roadEdges: [[Int]]

    /// The edges at vertex `v`.
    public func edges(at v: Int) -> ArraySlice<Int> {
        adjacentEdges[adjacencyStart[v]..<adjacencyStart[v + 1]]
    }

    /// The vertex at the other end of `edge` from `vertex`.
    public func otherEnd(of edge: Int, from vertex: Int) -> Int {
        let e = edges[edge]
        return e.from == vertex ? e.to : e.from
    }

    /// The index of the road with this id.
    public func road(id: String) -> Int? { roadIndex[id] }

    /// The point at a network position (clamped to the edge).
    public func point(at position: NetworkPosition) -> GeoPoint {
        edges[position.edge].geometry.point(at: position.offset)
    }

    /// The position of vertex `v` on one of its edges (nil for a vertex with no edge).
    public func position(ofVertex v: Int) -> NetworkPosition? {
        guard let e = edges(at: v).first else { return nil }
        return NetworkPosition(edge: e, offset: edges[e].from == v ? 0 : edges[e].length)
    }

    /// The vertex a position lies on, when it is at an end of its edge (within a millimetre).
    public func vertex(at position: NetworkPosition) -> Int? {
        let e = edges[position.edge]
        if position.offset <= 0.001 { return e.from }
        if position.offset >= e.length - 0.001 { return e.to }
        return nil
    }

    /// The nearest point of the network to `point`, and its geodesic distance; nil when the network
    /// is empty or nothing lies within `maxDistance`. A grid of segment boxes narrows the search to a
    /// few cells; each candidate segment is solved by ``GeodesicLine/nearestPoint(to:tolerance:)``.
    public func locate(_ point: GeoPoint, within maxDistance: Double = .infinity) -> NetworkJoin? {
        var best: (edge: Int, offset: Double, off: Double)?
        grid.search(near: point, limit: maxDistance, best: { best?.off ?? .infinity }) { s in
            let bound = grid.lowerBound(point, grid.boxes[s])
            guard bound < (best?.off ?? .infinity), bound <= maxDistance else { return }
            let e = Int(grid.segmentEdge[s])
            let n = edges[e].geometry.nearest(to: point, onSegment: Int(grid.segmentIndex[s]))
            if n.distanceOff < (best?.off ?? .infinity) { best = (e, n.offset, n.distanceOff) }
        }
        guard let best, best.off <= maxDistance else { return nil }
        return NetworkJoin(position: NetworkPosition(edge: best.edge, offset: best.offset), distanceOff: best.off)
    }

    /// The nearest point of one road to `point` (every segment of the road is tried).
    public func locate(_ point: GeoPoint, onRoad road: Int) -> NetworkJoin? {
        var best: NetworkJoin?
        for e in roadEdges[road] {
            let g = edges[e].geometry
            for i in 0..<g.segmentCount {
                let n = g.nearest(to: point, onSegment: i)
                if n.distanceOff < (best?.distanceOff ?? .infinity) { best = NetworkJoin(position: NetworkPosition(edge: e, offset: n.offset), distanceOff: n.distanceOff) }
            }
        }
        return best
    }

    /// Where a place or a reported position joins the network: at its nearest edge point, when that
    /// lies within `radius` (the position's own uncertainty) plus ``joinTolerance``; else nil, and a
    /// leg to or from it leaves the network (the geodesic).
    public func join(_ point: GeoPoint, radius: Double) -> NetworkJoin? {
        locate(point, within: radius + Self.joinTolerance)
    }

    /// Builds the graph. `placeNames` gives the names of waypoint places (id → name); a waypoint
    /// missing from it is named by its id.
    public init(roads: [RoadFeature], placeNames: [String: String] = [:], snapTolerance: Double = RoadGraph.snapTolerance) {
        var builder = GraphBuilder(roads: roads, tolerance: snapTolerance)
        builder.snapEnds()
        let built = builder.finish(placeNames: placeNames)
        self.roads = roads
        vertices = built.vertices
        edges = built.edges
        roadIndex = Dictionary(roads.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var roadEdges = [[Int]](repeating: [], count: roads.count)
        for (i, e) in built.edges.enumerated() { roadEdges[e.road].append(i) }
        self.roadEdges = roadEdges
        // Adjacency in compressed rows.
        var start = [Int](repeating: 0, count: built.vertices.count + 1)
        for e in built.edges {
            start[e.from + 1] += 1
            start[e.to + 1] += 1
        }
        for i in 1..<start.count { start[i] += start[i - 1] }
        var fill = start
        var adjacent = [Int](repeating: 0, count: start[start.count - 1])
        for (i, e) in built.edges.enumerated() {
            adjacent[fill[e.from]] = i
            fill[e.from] += 1
            adjacent[fill[e.to]] = i
            fill[e.to] += 1
        }
        adjacencyStart = start
        adjacentEdges = adjacent
        // Components, by union-find over the edges.
        var parent = Array(built.vertices.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for e in built.edges {
            let a = find(e.from), b = find(e.to)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        component = built.vertices.indices.map { find($0) }
        grid = SegmentGrid(edges: built.edges)
    }

    /// No roads: every leg is a geodesic.
    public static let empty = RoadGraph(roads: [])
}

/// The work of building a ``RoadGraph``: positions become slots, slots that are the same place are
/// united, and each road is cut at the slots that are vertices.
private struct GraphBuilder {
    let roads: [RoadFeature]
    let tolerance: Double
    /// Every position of every road, in road order: its point and its waypoint.
    var points: [GeoPoint] = []
    var placeIDs: [String?] = []
    /// Per road, its slots in order (split points are inserted later).
    var roadSlots: [[Int]] = []
    /// Distance along its road to each slot (for the self-snapping rule).
    var along: [Double] = []
    var parent: [Int] = []
    var marked: [Bool] = []
    /// Slots below this are the roads' own positions; above, points inserted where an end split a segment.
    var originalCount = 0

    init(roads: [RoadFeature], tolerance: Double) {
        self.roads = roads
        self.tolerance = tolerance
        for road in roads {
            var slots: [Int] = []
            var distance = 0.0
            for (k, p) in road.coordinates.enumerated() {
                if k > 0 { distance += Geodesic.inverse(from: road.coordinates[k - 1], to: p).distance }
                slots.append(points.count)
                points.append(p)
                placeIDs.append(road.waypoints?[k] ?? nil)
                along.append(distance)
            }
            roadSlots.append(slots)
        }
        originalCount = points.count
        parent = Array(points.indices)
        marked = points.indices.map { placeIDs[$0] != nil }
        for slots in roadSlots {
            marked[slots[0]] = true
            marked[slots[slots.count - 1]] = true
        }
        // Positions shared exactly: one vertex.
        var firstAt: [GeoPoint: Int] = [:]
        for s in points.indices {
            if let other = firstAt[points[s]] {
                union(s, into: other)
            } else {
                firstAt[points[s]] = s
            }
        }
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    /// Unites `s` with `target`, keeping `target`'s root (its point) as the vertex.
    mutating func union(_ s: Int, into target: Int) {
        let a = find(s), b = find(target)
        guard a != b else { return }
        parent[a] = b
        marked[b] = true
    }

    func road(ofSlot s: Int) -> Int {
        // Slots are numbered road by road.
        var low = 0, high = roadSlots.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if roadSlots[mid][0] <= s { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Road ends within the tolerance of another road's position snap to it; else, within the
    /// tolerance of another road's segment, they split it there.
    mutating func snapEnds() {
        guard tolerance > 0, !roads.isEmpty else { return }
        let cell = tolerance / 110_000  // degrees of latitude; longitude cells are as many degrees
        func key(_ p: GeoPoint) -> (Int, Int) { (Int((p.latitude / cell).rounded(.down)), Int((p.longitude / cell).rounded(.down))) }
        var cells: [Int64: [Int32]] = [:]
        func code(_ k: (Int, Int)) -> Int64 { Int64(k.0) &* 100_000_007 &+ Int64(k.1) }
        for s in points.indices { cells[code(key(points[s])), default: []].append(Int32(s)) }
        // Segment boxes of the original roads, for ends that meet a road between its positions.
        var segmentCells: [Int64: [Int32]] = [:]  // value: slot index of the segment's first point
        var segmentBoxes = [(Double, Double, Double, Double)](repeating: (0, 0, 0, 0), count: points.count)
        // Cells about the size of a typical segment, so that each segment is listed in a few cells.
        var spans: [Double] = []
        for slots in roadSlots {
            for k in 0..<(slots.count - 1) {
                let a = points[slots[k]], b = points[slots[k + 1]]
                spans.append(max(abs(a.latitude - b.latitude), abs(a.longitude - b.longitude)))
            }
        }
        spans.sort()
        let segmentCell = max(cell, min(1, spans.isEmpty ? 0.01 : spans[spans.count / 2]))
        func segmentKey(_ lat: Double, _ lon: Double) -> (Int, Int) { (Int((lat / segmentCell).rounded(.down)), Int((lon / segmentCell).rounded(.down))) }
        for slots in roadSlots {
            for k in 0..<(slots.count - 1) {
                let a = points[slots[k]], b = points[slots[k + 1]]
                let latitude = min(85, max(abs(a.latitude), abs(b.latitude)))
                // Padded by the tolerance and by the geodesic's bulge beyond the straight lon/lat line.
                let length = along[slots[k + 1]] - along[slots[k]]
                let bulge = (length * length * (1 + tan(latitude * .pi / 180)) / (8 * 6_356_752) + tolerance) / 110_000
                let padLon = bulge / cos(latitude * .pi / 180)
                let box = (min(a.latitude, b.latitude) - bulge, min(a.longitude, b.longitude) - padLon, max(a.latitude, b.latitude) + bulge, max(a.longitude, b.longitude) + padLon)
                segmentBoxes[slots[k]] = box
                let lo = segmentKey(box.0, box.1)
                let hi = segmentKey(box.2, box.3)
                guard (hi.0 - lo.0 + 1) * (hi.1 - lo.1 + 1) < 1_000_000 else { continue }
                for r in lo.0...hi.0 { for c in lo.1...hi.1 { segmentCells[code((r, c)), default: []].append(Int32(slots[k])) } }
            }
        }
        var splits: [Int: [(segment: Int, offset: Double, point: GeoPoint, slot: Int)]] = [:]  // road → inserted points
        var members = [Int](repeating: 0, count: points.count)
        for s in points.indices { members[find(s)] += 1 }
        let exactlyShared = points.indices.map { members[find($0)] > 1 }
        for (r, slots) in roadSlots.enumerated() {
            for end in [slots[0], slots[slots.count - 1]] {
                // An end that shares its position with another road is a junction already.
                if exactlyShared[end] { continue }
                let p = points[end]
                let lonSpan = Int((1 / cos(min(85, abs(p.latitude)) * .pi / 180)).rounded(.up))
                let k = key(p)
                var best: (slot: Int, distance: Double)?
                for dr in -1...1 {
                    for dc in -lonSpan...lonSpan {
                        for s32 in cells[code((k.0 + dr, k.1 + dc))] ?? [] {
                            let s = Int(s32)
                            guard find(s) != find(end) else { continue }
                            let other = road(ofSlot: s)
                            if other == r, abs(along[s] - along[end]) <= 2 * tolerance { continue }
                            if abs(points[s].latitude - p.latitude) * 110_000 > tolerance { continue }
                            let d = Geodesic.inverse(from: p, to: points[s]).distance
                            if d <= tolerance, d < (best?.distance ?? .infinity) { best = (s, d) }
                        }
                    }
                }
                if let best {
                    union(end, into: best.slot)
                    continue
                }
                // No position near: the nearest segment of another road (or a far part of this one).
                var nearest: (road: Int, segment: Int, offset: Double, distance: Double)?
                let sk = segmentKey(p.latitude, p.longitude)
                for first32 in segmentCells[code(sk)] ?? [] {
                    let first = Int(first32)
                    let other = road(ofSlot: first)
                    let segment = first - roadSlots[other][0]
                    let a = points[first], b = points[first + 1]
                    if other == r, min(abs(along[first] - along[end]), abs(along[first + 1] - along[end])) <= 2 * tolerance { continue }
                    let box = segmentBoxes[first]
                    guard p.latitude >= box.0, p.latitude <= box.2, p.longitude >= box.1, p.longitude <= box.3 else { continue }
                    let n = GeodesicLine(from: a, to: b).nearestPoint(to: p)
                    let segmentLength = along[first + 1] - along[first]
                    guard n.distanceOff <= tolerance, n.distanceAlong > 0, n.distanceAlong < segmentLength else { continue }
                    if n.distanceOff < (nearest?.distance ?? .infinity) { nearest = (other, segment, n.distanceAlong, n.distanceOff) }
                }
                if let nearest {
                    let a = points[roadSlots[nearest.road][nearest.segment]], b = points[roadSlots[nearest.road][nearest.segment + 1]]
                    let q = GeodesicLine(from: a, to: b).position(atDistance: nearest.offset)
                    let slot = points.count
                    points.append(q)
                    placeIDs.append(nil)
                    along.append(along[roadSlots[nearest.road][nearest.segment]] + nearest.offset)
                    parent.append(slot)
                    marked.append(true)
                    splits[nearest.road, default: []].append((nearest.segment, nearest.offset, q, slot))
                    union(end, into: slot)
                }
            }
        }
        for (r, inserted) in splits {
            var slots: [Int] = []
            let bySegment = Dictionary(grouping: inserted, by: \.segment)
            for (k, s) in roadSlots[r].enumerated() {
                slots.append(s)
                for split in (bySegment[k] ?? []).sorted(by: { $0.offset < $1.offset }) { slots.append(split.slot) }
            }
            roadSlots[r] = slots
        }
    }

    mutating func finish(placeNames: [String: String]) -> (vertices: [RoadVertex], edges: [RoadEdge]) {
        // Roots with more than one slot are shared positions: vertices too.
        var members = [Int](repeating: 0, count: points.count)
        for s in points.indices { members[find(s)] += 1 }
        var vertexOfRoot: [Int: Int] = [:]
        var vertices: [RoadVertex] = []
        var vertexPlace: [String?] = []
        func vertex(_ s: Int) -> Int? {
            let root = find(s)
            guard marked[root] || members[root] > 1 || marked[s] else { return nil }
            if let v = vertexOfRoot[root] {
                if vertexPlace[v] == nil, let id = placeIDs[s] {
                    vertexPlace[v] = id
                    vertices[v] = RoadVertex(point: vertices[v].point, placeID: id, name: placeNames[id] ?? id)
                }
                return v
            }
            let id = placeIDs[s] ?? placeIDs[root]
            vertexOfRoot[root] = vertices.count
            vertices.append(RoadVertex(point: points[root], placeID: id, name: id.map { placeNames[$0] ?? $0 }))
            vertexPlace.append(id)
            return vertices.count - 1
        }
        var edges: [RoadEdge] = []
        for (r, slots) in roadSlots.enumerated() {
            var from = vertex(slots[0])!
            var line = [vertices[from].point]
            var lineSlots = [slots[0]]
            for s in slots.dropFirst() {
                let v = vertex(s)
                line.append(v.map { vertices[$0].point } ?? points[s])
                lineSlots.append(s)
                guard let v else { continue }
                // Segment lengths: the distances measured when the slots were read, where both ends
                // are that road's consecutive positions, unmoved; else measured anew.
                var clean: [GeoPoint] = [line[0]]
                var cumulative = [0.0]
                for k in 1..<line.count {
                    if line[k] == clean[clean.count - 1] { continue }  // snapped onto its neighbour: adds nothing
                    let a = lineSlots[k - 1], b = lineSlots[k]
                    let reuse = b == a + 1 && b < originalCount && road(ofSlot: a) == road(ofSlot: b) && points[a] == line[k - 1] && points[b] == line[k] && clean[clean.count - 1] == line[k - 1]
                    let length = reuse ? along[b] - along[a] : Geodesic.inverse(from: clean[clean.count - 1], to: line[k]).distance
                    clean.append(line[k])
                    cumulative.append(cumulative[cumulative.count - 1] + length)
                }
                if clean.count >= 2 { edges.append(RoadEdge(from: from, to: v, road: r, geometry: EdgeGeometry(clean, cumulative: cumulative))) }
                from = v
                line = [vertices[v].point]
                lineSlots = [s]
            }
        }
        return (vertices, edges)
    }
}
