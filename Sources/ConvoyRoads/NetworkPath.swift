import ConvoyGeodesy

/// A stretch of one edge that cannot be passed (a cratered road, a checkpoint): offsets along the
/// edge from its `from` vertex, `from ≤ to`. A path may end at either end of it, never cross it.
public struct BlockedInterval: Sendable, Hashable {
    public let edge: Int
    public let from: Double
    public let to: Double

    public init(edge: Int, from: Double, to: Double) {
        self.edge = edge
        self.from = min(from, to)
        self.to = max(from, to)
    }

    /// Whether travel over `a...b` (offsets on the same edge, a ≤ b) passes through this interval.
    func blocks(_ a: Double, _ b: Double) -> Bool {
        max(from, a) < min(to, b) || (a < from && from < b) || (a < to && to < b)
    }
}

/// A path over the network between two network positions: the pieces of edges it travels, in
/// order, with the roads and places it passes. Measures are metres from the path's start.
public struct NetworkPath: Sendable {
    /// A piece of one edge, travelled from `fromOffset` to `toOffset` (backwards when `toOffset < fromOffset`).
    public struct Piece: Sendable, Hashable {
        public let edge: Int
        public let fromOffset: Double
        public let toOffset: Double
        public var length: Double { abs(toOffset - fromOffset) }
    }

    /// A road the path uses, with the measures where it joins and leaves it.
    public struct RoadUse: Sendable, Hashable {
        public let id: String
        public let name: String
        public let schematic: Bool
        public let from: Double
        public let to: Double
    }

    /// A gazetteer place (a named vertex) the path passes, and its measure.
    public struct PlacePass: Sendable, Hashable {
        public let id: String
        public let name: String
        public let measure: Double
    }

    public let start: NetworkPosition
    public let end: NetworkPosition
    public let pieces: [Piece]
    /// Total length, metres (the sum of the pieces).
    public let length: Double
    /// Every point of the line, in order, named where it is a gazetteer place; `measures` parallel.
    public let vertices: [PathVertex]
    public let measures: [Double]
    public let roads: [RoadUse]
    public let places: [PlacePass]

    /// The path as the route model's linear reference (measure → point by binary search).
    public var geodesicPath: GeodesicPath { GeodesicPath(vertices) }
    /// The line, for drawing (GeoJSON wants it densified: segments are geodesics).
    public var polyline: [GeoPoint] { vertices.map(\.point) }

    init(graph: RoadGraph, start: NetworkPosition, end: NetworkPosition, pieces rawPieces: [Piece]) {
        self.start = start
        self.end = end
        let pieces = rawPieces.filter { $0.length > 0 }
        self.pieces = pieces
        var vertices: [PathVertex] = []
        var measures: [Double] = []
        var roads: [RoadUse] = []
        var places: [PlacePass] = []
        var measure = 0.0
        func add(_ point: GeoPoint, _ m: Double, vertex: Int?) {
            let named = vertex.map { graph.vertices[$0] }
            let v = PathVertex(point: point, placeID: named?.placeID, name: named?.name)
            if let last = vertices.last, last.point == point {
                if last.name == nil, v.name != nil { vertices[vertices.count - 1] = v } else { return }
            } else {
                vertices.append(v)
                measures.append(m)
            }
            if let id = v.placeID, let name = v.name, places.last?.id != id { places.append(PlacePass(id: id, name: name, measure: m)) }
        }
        if pieces.isEmpty {
            add(graph.point(at: start), 0, vertex: graph.vertex(at: start))
        }
        for piece in pieces {
            let edge = graph.edges[piece.edge]
            let stretch = edge.geometry.stretch(from: piece.fromOffset, to: piece.toOffset)
            for (k, p) in stretch.enumerated() {
                let m = measure + abs(p.offset - piece.fromOffset)
                let atEnd = k == 0 || k == stretch.count - 1
                add(p.point, m, vertex: atEnd ? graph.vertex(at: NetworkPosition(edge: piece.edge, offset: p.offset)) : nil)
            }
            let road = graph.roads[edge.road]
            if let last = roads.last, last.id == road.id, abs(last.to - measure) < 1e-6 {
                roads[roads.count - 1] = RoadUse(id: last.id, name: last.name, schematic: last.schematic, from: last.from, to: measure + piece.length)
            } else {
                roads.append(RoadUse(id: road.id, name: road.name, schematic: road.schematic, from: measure, to: measure + piece.length))
            }
            measure += piece.length
        }
        self.length = measure
        self.vertices = vertices
        self.measures = measures
        self.roads = roads
        self.places = places
    }
}

extension RoadGraph {
    /// The shortest path over the network between two positions, not crossing any `blocked`
    /// interval; nil when no such path exists (different components, or every way blocked).
    /// `roads`, when given, restricts the path to edges of those roads (indices into ``roads``).
    ///
    /// Dijkstra's algorithm with a binary heap over the compressed adjacency, from a virtual source
    /// at `from` (its edge's two ends, at their distances) to a virtual target, stopping once the
    /// nearest unsettled vertex is farther than the best complete path. Our own code, not
    /// SwiftGraph's `dijkstra`: that one is single-source to every vertex (no early stop, no start
    /// or end inside an edge, no blocked stretches), on a mutable class; on the 5,000-road benchmark
    /// file it was slower per query too (BENCHMARKS.md, "road network").
    public func shortestPath(from: NetworkPosition, to: NetworkPosition, avoiding blocked: [BlockedInterval] = [], roads allowed: Set<Int>? = nil) -> NetworkPath? {
        let a = edges[from.edge], b = edges[to.edge]
        guard component[a.from] == component[b.from] else { return nil }
        var blocks: [Int: [BlockedInterval]] = [:]
        for interval in blocked { blocks[interval.edge, default: []].append(interval) }
        func usable(_ edge: Int, _ x: Double, _ y: Double) -> Bool {
            if let allowed, !allowed.contains(edges[edge].road) { return false }
            guard let list = blocks[edge] else { return true }
            let lo = min(x, y), hi = max(x, y)
            return !list.contains { $0.blocks(lo, hi) }
        }
        // Along the one edge, when both are on it.
        var best: (length: Double, pieces: [NetworkPath.Piece])?
        if from.edge == to.edge, usable(from.edge, from.offset, to.offset) {
            best = (abs(to.offset - from.offset), [NetworkPath.Piece(edge: from.edge, fromOffset: from.offset, toOffset: to.offset)])
        }
        var distance = [Double](repeating: .infinity, count: vertices.count)
        var via = [Int](repeating: -1, count: vertices.count)  // edge index reaching the vertex; -1 = from the source
        var settled = [Bool](repeating: false, count: vertices.count)
        var heap = MinHeap()
        if usable(from.edge, 0, from.offset), from.offset < distance[a.from] {
            distance[a.from] = from.offset
            heap.push(from.offset, a.from)
        }
        var sourceViaEnd = false  // a loop edge: which way its one vertex was reached from the source
        if usable(from.edge, from.offset, a.length), a.length - from.offset < distance[a.to] {
            distance[a.to] = a.length - from.offset
            heap.push(a.length - from.offset, a.to)
            sourceViaEnd = a.from == a.to
        }
        let targetFrom = usable(to.edge, 0, to.offset) ? to.offset : Double.infinity
        let targetTo = usable(to.edge, to.offset, b.length) ? b.length - to.offset : Double.infinity
        var bestEnd: (vertex: Int, viaFrom: Bool)?
        while let (d, u) = heap.pop() {
            if settled[u] || d > distance[u] { continue }
            if d >= (best?.length ?? .infinity) { break }
            settled[u] = true
            if u == b.from, d + targetFrom < (best?.length ?? .infinity) {
                best = (d + targetFrom, [])
                bestEnd = (u, true)
            }
            if u == b.to, d + targetTo < (best?.length ?? .infinity) {
                best = (d + targetTo, [])
                bestEnd = (u, false)
            }
            for e in edges(at: u) {
                let edge = edges[e]
                guard usable(e, 0, edge.length) else { continue }
                let w = edge.from == u ? edge.to : edge.from
                let nd = d + edge.length
                if nd < distance[w] {
                    distance[w] = nd
                    via[w] = e
                    heap.push(nd, w)
                }
            }
        }
        guard let best else { return nil }
        guard let end = bestEnd else { return NetworkPath(graph: self, start: from, end: to, pieces: best.pieces) }
        // Walk back from the vertex the target was reached through.
        var pieces: [NetworkPath.Piece] = [NetworkPath.Piece(edge: to.edge, fromOffset: end.viaFrom ? 0 : b.length, toOffset: to.offset)]
        var v = end.vertex
        while via[v] >= 0 {
            let e = via[v], edge = edges[e]
            let previous = otherEnd(of: e, from: v)
            pieces.append(NetworkPath.Piece(edge: e, fromOffset: edge.from == previous ? 0 : edge.length, toOffset: edge.from == previous ? edge.length : 0))
            v = previous
        }
        pieces.append(NetworkPath.Piece(edge: from.edge, fromOffset: from.offset, toOffset: v == a.from && !sourceViaEnd ? 0 : a.length))
        return NetworkPath(graph: self, start: from, end: to, pieces: pieces.reversed())
    }

    /// The path between the points of one road nearest to `a` and `b`, along that road only (the
    /// update log's `road` column); nil when the road is unknown or its parts do not connect them.
    public func path(from a: GeoPoint, to b: GeoPoint, alongRoad roadID: String) -> (path: NetworkPath, from: NetworkJoin, to: NetworkJoin)? {
        guard let r = road(id: roadID), let ja = locate(a, onRoad: r), let jb = locate(b, onRoad: r),
            let path = shortestPath(from: ja.position, to: jb.position, roads: [r])
        else { return nil }
        return (path, ja, jb)
    }
}

/// A binary min-heap of (distance, vertex), with lazy deletion by the caller.
struct MinHeap {
    private var keys: [Double] = []
    private var values: [Int] = []

    var isEmpty: Bool { keys.isEmpty }

    mutating func push(_ key: Double, _ value: Int) {
        keys.append(key)
        values.append(value)
        var i = keys.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard keys[p] > keys[i] else { break }
            keys.swapAt(p, i)
            values.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> (Double, Int)? {
        guard let top = keys.first else { return nil }
        let value = values[0]
        let lastKey = keys.removeLast(), lastValue = values.removeLast()
        if !keys.isEmpty {
            keys[0] = lastKey
            values[0] = lastValue
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < keys.count, keys[l] < keys[m] { m = l }
                if r < keys.count, keys[r] < keys[m] { m = r }
                if m == i { break }
                keys.swapAt(m, i)
                values.swapAt(m, i)
                i = m
            }
        }
        return (top, value)
    }
}
