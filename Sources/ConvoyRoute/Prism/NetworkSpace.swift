import ConvoyGeodesy

/// A position on a ``NetworkSpace``: an edge and the distance in metres along it from the edge's
/// `from` vertex.
public struct SpacePosition: Sendable, Hashable {
    public let edge: Int32
    public let offset: Double

    public init(edge: Int32, offset: Double) {
        self.edge = edge
        self.offset = offset
    }
}

/// Where a unit can move: road edges, and the geodesic legs it takes where no road reaches.
///
/// Each edge is a polyline of geodesic segments on WGS84 (PROJ, Karney); a position on it is an
/// offset in metres from its `from` vertex, and every length is measured along the ellipsoid.
/// Edges are travelled both ways. The arrays are flat (edges, segments, a compressed adjacency)
/// so that a space of 100,000 legs costs a few tens of bytes per leg.
public struct NetworkSpace: Sendable {
    /// What an edge is: a stretch of a road, or a geodesic leg off the network.
    public struct Edge: Sendable, Hashable {
        public let from: Int32
        public let to: Int32
        /// Length along the ellipsoid, metres.
        public let length: Double
        /// Index into ``NetworkSpace/roads``; -1 for a geodesic leg off the network.
        public let road: Int32
        /// The edge's segments are `firstSegment ..< firstSegment + segmentCount` of the segment arrays.
        let firstSegment: Int32
        let segmentCount: Int32

        public var isOffNetwork: Bool { road < 0 }
    }

    /// A road the edges belong to.
    public struct Road: Sendable, Hashable {
        public let id: String
        public let name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// A named vertex: a gazetteer place the network passes.
    public struct Landmark: Sendable, Hashable {
        public let placeID: String?
        public let name: String
    }

    public let points: [GeoPoint]
    public let edges: [Edge]
    public let roads: [Road]
    /// Names of the vertices that are places.
    public let landmarks: [Int32: Landmark]
    let segmentOrigin: [GeoPoint]
    let segmentAzimuth: [Double]
    /// Offset of each segment's start along its edge.
    let segmentOffset: [Double]
    let incidenceStart: [Int32]
    let incidence: [Int32]
    /// When the space is a single chain of edges (no branch, no loop), its linear reference.
    public let chain: ChainIndex?

    public var vertexCount: Int { points.count }

    /// The edges that meet at `vertex`.
    public func edges(at vertex: Int32) -> ArraySlice<Int32> {
        incidence[Int(incidenceStart[Int(vertex)])..<Int(incidenceStart[Int(vertex) + 1])]
    }

    /// The vertex at the other end of `edge` from `vertex`.
    @inline(__always)
    func otherEnd(of edge: Edge, from vertex: Int32) -> Int32 { edge.from == vertex ? edge.to : edge.from }

    /// The point `position.offset` metres along its edge (clamped to the edge).
    public func point(at position: SpacePosition) -> GeoPoint {
        let edge = edges[Int(position.edge)]
        if position.offset <= 0 { return points[Int(edge.from)] }
        if position.offset >= edge.length { return points[Int(edge.to)] }
        let first = Int(edge.firstSegment), last = first + Int(edge.segmentCount) - 1
        var segment = first
        if last > first {
            var low = first, high = last
            while low < high {
                let mid = (low + high + 1) / 2
                if segmentOffset[mid] <= position.offset { low = mid } else { high = mid - 1 }
            }
            segment = low
        }
        return Geodesic.direct(from: segmentOrigin[segment], azimuth: segmentAzimuth[segment], distance: position.offset - segmentOffset[segment]).point
    }

    /// The vertices of `edge` strictly inside `lo ... hi` (offsets), in order: what a drawn piece of
    /// the edge must pass through besides its ends.
    public func interiorVertices(of edge: Int32, from lo: Double, to hi: Double) -> [GeoPoint] {
        interiorVertexOffsets(of: edge, from: lo, to: hi).map(\.point)
    }

    /// The same, with each vertex's offset along the edge.
    public func interiorVertexOffsets(of edge: Int32, from lo: Double, to hi: Double) -> [(offset: Double, point: GeoPoint)] {
        let e = edges[Int(edge)]
        let first = Int(e.firstSegment)
        guard e.segmentCount > 1 else { return [] }
        return (first + 1..<first + Int(e.segmentCount)).filter { segmentOffset[$0] > lo && segmentOffset[$0] < hi }.map { (segmentOffset[$0], segmentOrigin[$0]) }
    }

    /// The nearest point of the space to `point` among the edges `accepting` allows, with its
    /// geodesic distance; nil when there is no such edge. Solves each segment exactly (a few inverse
    /// problems each), so it is for building, not for queries.
    public func nearest(to point: GeoPoint, accepting: (Edge) -> Bool = { _ in true }) -> (position: SpacePosition, distance: Double)? {
        var best: (SpacePosition, Double)?
        for (index, edge) in edges.enumerated() where accepting(edge) {
            let first = Int(edge.firstSegment)
            for segment in first..<first + Int(edge.segmentCount) {
                let end = segment + 1 < first + Int(edge.segmentCount) ? segmentOrigin[segment + 1] : points[Int(edge.to)]
                let line = GeodesicLine(from: segmentOrigin[segment], to: end)
                let foot = line.nearestPoint(to: point)
                if best == nil || foot.distanceOff < best!.1 {
                    best = (SpacePosition(edge: Int32(index), offset: min(edge.length, segmentOffset[segment] + foot.distanceAlong)), foot.distanceOff)
                }
            }
        }
        return best.map { (position: $0.0, distance: $0.1) }
    }

    /// Builds a space vertex by vertex and edge by edge.
    public struct Builder: Sendable {
        public private(set) var points: [GeoPoint] = []
        public private(set) var landmarks: [Int32: Landmark] = [:]
        private var edges: [Edge] = []
        private var roads: [Road] = []
        private var roadIndex: [String: Int32] = [:]
        private var segmentOrigin: [GeoPoint] = []
        private var segmentAzimuth: [Double] = []
        private var segmentOffset: [Double] = []

        public init() {}

        @discardableResult
        public mutating func addVertex(_ point: GeoPoint, placeID: String? = nil, name: String? = nil) -> Int32 {
            points.append(point)
            let index = Int32(points.count - 1)
            if let name { landmarks[index] = Landmark(placeID: placeID, name: name) }
            return index
        }

        /// Names a vertex that was added without one.
        public mutating func name(_ vertex: Int32, placeID: String?, name: String) {
            if landmarks[vertex] == nil { landmarks[vertex] = Landmark(placeID: placeID, name: name) }
        }

        /// The index of a road, added on first use.
        public mutating func road(_ road: Road) -> Int32 {
            if let index = roadIndex[road.id] { return index }
            roads.append(road)
            roadIndex[road.id] = Int32(roads.count - 1)
            return Int32(roads.count - 1)
        }

        /// Adds an edge from `from` to `to` through `through` (the polyline's interior positions);
        /// `road` is a ``road(_:)`` index or -1 for a geodesic leg off the network. Returns its index.
        @discardableResult
        public mutating func addEdge(from: Int32, to: Int32, through: [GeoPoint] = [], road: Int32) -> Int32 {
            let chain = [points[Int(from)]] + through + [points[Int(to)]]
            let first = Int32(segmentOrigin.count)
            var offset = 0.0
            for (a, b) in zip(chain, chain.dropFirst()) {
                let inverse = Geodesic.inverse(from: a, to: b)
                guard inverse.distance > 0 else { continue }
                segmentOrigin.append(a)
                segmentAzimuth.append(inverse.initialAzimuth)
                segmentOffset.append(offset)
                offset += inverse.distance
            }
            if Int32(segmentOrigin.count) == first {
                // A zero-length edge still needs one segment so positions on it resolve.
                segmentOrigin.append(points[Int(from)])
                segmentAzimuth.append(0)
                segmentOffset.append(0)
            }
            edges.append(Edge(from: from, to: to, length: offset, road: road, firstSegment: first, segmentCount: Int32(segmentOrigin.count) - first))
            return Int32(edges.count - 1)
        }

        public func build() -> NetworkSpace {
            var degree = [Int32](repeating: 0, count: points.count + 1)
            for edge in edges {
                degree[Int(edge.from) + 1] += 1
                if edge.to != edge.from { degree[Int(edge.to) + 1] += 1 }
            }
            for i in 1..<degree.count { degree[i] += degree[i - 1] }
            var fill = degree
            var incidence = [Int32](repeating: 0, count: Int(degree.last!))
            for (index, edge) in edges.enumerated() {
                incidence[Int(fill[Int(edge.from)])] = Int32(index)
                fill[Int(edge.from)] += 1
                if edge.to != edge.from {
                    incidence[Int(fill[Int(edge.to)])] = Int32(index)
                    fill[Int(edge.to)] += 1
                }
            }
            return NetworkSpace(
                points: points, edges: edges, roads: roads, landmarks: landmarks, segmentOrigin: segmentOrigin, segmentAzimuth: segmentAzimuth,
                segmentOffset: segmentOffset, incidenceStart: degree, incidence: incidence,
                chain: ChainIndex(edges: edges, vertexCount: points.count, incidenceStart: degree, incidence: incidence))
        }
    }

    /// The space with edges split at `joins` (one new vertex each, where an off-network leg will
    /// meet the road) and cut at `cuts` (two new vertices each, not connected: a unit cannot pass),
    /// as a builder to which anchors and legs can be added, with the map from old positions to new.
    public func splitting(joins: [SpacePosition], cuts: [SpacePosition]) -> (builder: Builder, remap: SpaceRemap) {
        var b = Builder()
        for (i, point) in points.enumerated() {
            let v = b.addVertex(point)
            if let landmark = landmarks[Int32(i)] { b.name(v, placeID: landmark.placeID, name: landmark.name) }
        }
        var roadMap: [Int32: Int32] = [:]
        for (i, road) in roads.enumerated() { roadMap[Int32(i)] = b.road(road) }
        var marks: [Int32: [(offset: Double, cut: Bool)]] = [:]
        for j in joins { marks[j.edge, default: []].append((j.offset, false)) }
        for c in cuts { marks[c.edge, default: []].append((c.offset, true)) }
        var firstNewEdge: [Int32] = []
        var splitOffsets: [Int32: [Double]] = [:]
        var joinVertices: [SpacePosition: Int32] = [:]
        for (index, edge) in edges.enumerated() {
            let e = Int32(index)
            let road = edge.road < 0 ? -1 : roadMap[edge.road]!
            let list = (marks[e] ?? []).filter { $0.offset > 0 && $0.offset < edge.length }.sorted { $0.offset < $1.offset }
            var unique: [(offset: Double, cut: Bool)] = []
            for m in list {
                if let last = unique.last, abs(last.offset - m.offset) < 1e-6 { unique[unique.count - 1].cut = last.cut || m.cut } else { unique.append(m) }
            }
            firstNewEdge.append(Int32(-1))
            splitOffsets[e] = unique.map(\.offset)
            var startVertex = edge.from
            var startOffset = 0.0
            var first: Int32?
            for m in unique {
                let point = self.point(at: SpacePosition(edge: e, offset: m.offset))
                let end = b.addVertex(point)
                let added = b.addEdge(from: startVertex, to: end, through: interiorVertices(of: e, from: startOffset, to: m.offset), road: road)
                if first == nil { first = added }
                startVertex = m.cut ? b.addVertex(point) : end
                if !m.cut { joinVertices[SpacePosition(edge: e, offset: m.offset)] = end }
                startOffset = m.offset
            }
            let added = b.addEdge(from: startVertex, to: edge.to, through: interiorVertices(of: e, from: startOffset, to: edge.length), road: road)
            firstNewEdge[index] = first ?? added
        }
        return (b, SpaceRemap(firstNewEdge: firstNewEdge, splitOffsets: splitOffsets, joinVertices: joinVertices))
    }
}

/// The linear reference of a space that is one chain of edges: a position is a measure in metres
/// from the chain's first vertex, so a set of positions is one interval and distances along the
/// space are differences of measures. Spaces of GPS-like logs and of journeys on one road are
/// chains; the prism then works in one dimension, in O(log n) per question.
public struct ChainIndex: Sendable {
    /// Measure of each edge's `from` vertex, and whether travelling the edge forwards increases it.
    let edgeStart: [Double]
    let edgeForward: [Bool]
    /// The edges in chain order and their lower measures, for measure → position.
    let edgeOrder: [Int32]
    let orderStart: [Double]
    public let length: Double

    init?(edges: [NetworkSpace.Edge], vertexCount: Int, incidenceStart: [Int32], incidence: [Int32]) {
        guard vertexCount > 0 else { return nil }
        func degree(_ v: Int) -> Int { Int(incidenceStart[v + 1] - incidenceStart[v]) }
        if edges.count == 1, vertexCount == 1, edges[0].from == edges[0].to {
            // A lone place off the roads: one vertex with a zero-length loop.
            edgeStart = [0]
            edgeForward = [true]
            edgeOrder = [0]
            orderStart = [0]
            length = 0
            return
        }
        guard edges.count == vertexCount - 1, edges.allSatisfy({ $0.from != $0.to }), (0..<vertexCount).allSatisfy({ degree($0) <= 2 && degree($0) >= 1 }) else { return nil }
        guard let first = (0..<vertexCount).first(where: { degree($0) == 1 }) else { return nil }
        var start = [Double](repeating: 0, count: edges.count), forward = [Bool](repeating: true, count: edges.count)
        var order: [Int32] = [], orderStart: [Double] = []
        var visited = [Bool](repeating: false, count: edges.count)
        var vertex = Int32(first), measure = 0.0
        while true {
            let next = incidence[Int(incidenceStart[Int(vertex)])..<Int(incidenceStart[Int(vertex) + 1])].first { !visited[Int($0)] }
            guard let e = next else { break }
            visited[Int(e)] = true
            let edge = edges[Int(e)]
            forward[Int(e)] = edge.from == vertex
            start[Int(e)] = forward[Int(e)] ? measure : measure + edge.length
            order.append(e)
            orderStart.append(measure)
            measure += edge.length
            vertex = edge.from == vertex ? edge.to : edge.from
        }
        guard order.count == edges.count else { return nil }
        edgeStart = start
        edgeForward = forward
        edgeOrder = order
        self.orderStart = orderStart
        length = measure
    }

    /// The chain measure of a position.
    @inline(__always)
    public func measure(of p: SpacePosition) -> Double {
        edgeForward[Int(p.edge)] ? edgeStart[Int(p.edge)] + p.offset : edgeStart[Int(p.edge)] - p.offset
    }

    /// The position at a chain measure (clamped to the chain).
    public func position(at measure: Double, in space: NetworkSpace) -> SpacePosition {
        var low = 0, high = orderStart.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if orderStart[mid] <= measure { low = mid } else { high = mid - 1 }
        }
        let e = edgeOrder[low]
        let length = space.edges[Int(e)].length
        let along = min(max(measure - orderStart[low], 0), length)
        return SpacePosition(edge: e, offset: edgeForward[Int(e)] ? along : length - along)
    }

    /// The smallest interval of measures holding a set (its hull: a superset when the set has gaps).
    public func hull(of set: SpaceSet) -> (lo: Double, hi: Double)? {
        guard !set.isEmpty else { return nil }
        var lo = Double.infinity, hi = -Double.infinity
        for i in set.intervals {
            let a = measure(of: SpacePosition(edge: i.edge, offset: i.lo)), b = measure(of: SpacePosition(edge: i.edge, offset: i.hi))
            lo = min(lo, a, b)
            hi = max(hi, a, b)
        }
        return (lo, hi)
    }

    /// The positions with measures in `lo ... hi`, as a set.
    public func set(from lo: Double, to hi: Double, in space: NetworkSpace) -> SpaceSet {
        guard hi >= lo else { return .empty }
        var result: [EdgeInterval] = []
        var k = 0
        var low = 0, high = orderStart.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if orderStart[mid] <= lo { low = mid } else { high = mid - 1 }
        }
        k = low
        while k < edgeOrder.count, orderStart[k] <= hi {
            let e = edgeOrder[k]
            let length = space.edges[Int(e)].length
            let a = max(lo - orderStart[k], 0), b = min(hi - orderStart[k], length)
            if b >= a { result.append(edgeForward[Int(e)] ? EdgeInterval(edge: e, lo: a, hi: b) : EdgeInterval(edge: e, lo: length - b, hi: length - a)) }
            k += 1
        }
        return SpaceSet(normalizing: result)
    }
}

/// Maps positions of a space to the space ``NetworkSpace/splitting(joins:cuts:)`` made of it.
public struct SpaceRemap: Sendable {
    let firstNewEdge: [Int32]
    let splitOffsets: [Int32: [Double]]
    /// The new vertex at each join position.
    public let joinVertices: [SpacePosition: Int32]

    public func map(_ p: SpacePosition) -> SpacePosition {
        let offsets = splitOffsets[p.edge] ?? []
        var k = 0
        while k < offsets.count, offsets[k] < p.offset { k += 1 }
        return SpacePosition(edge: firstNewEdge[Int(p.edge)] + Int32(k), offset: p.offset - (k > 0 ? offsets[k - 1] : 0))
    }

    public func map(_ set: SpaceSet) -> SpaceSet {
        var result: [EdgeInterval] = []
        for i in set.intervals {
            let offsets = splitOffsets[i.edge] ?? []
            let bounds = [0.0] + offsets + [Double.infinity]
            for k in 0..<bounds.count - 1 where i.hi >= bounds[k] && i.lo <= bounds[k + 1] {
                let lo = max(i.lo, bounds[k]) - bounds[k], hi = min(i.hi, bounds[k + 1]) - bounds[k]
                result.append(EdgeInterval(edge: firstNewEdge[Int(i.edge)] + Int32(k), lo: lo, hi: hi))
            }
        }
        return SpaceSet(normalizing: result)
    }
}
