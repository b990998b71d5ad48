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
        let e = edges[Int(edge)]
        let first = Int(e.firstSegment)
        return (first + 1..<first + Int(e.segmentCount)).filter { segmentOffset[$0] > lo && segmentOffset[$0] < hi }.map { segmentOrigin[$0] }
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
                segmentOffset: segmentOffset, incidenceStart: degree, incidence: incidence)
        }
    }
}
