import HeapModule

/// One step of a travelled path: along `edge` from offset `from` to offset `to` (either direction).
public struct PathPiece: Sendable, Hashable {
    public let edge: Int32
    public let from: Double
    public let to: Double

    public var length: Double { abs(to - from) }
}

/// Network distances from a set of positions (a report's region) to the vertices around it, out to
/// a radius: a multi-source Dijkstra over the space, stopped at the radius.
///
/// Our own Dijkstra rather than a graph library's: the sources are stretches of edges rather than
/// vertices, the search stops at a radius (a prism needs only what a unit could reach), and the
/// labels are kept as two sorted arrays so a field costs 12 bytes per vertex it reaches.
public struct DistanceField: Sendable {
    /// The positions distances are measured from.
    public let sources: SpaceSet
    /// Every vertex within this many metres of the sources is labelled.
    public let radius: Double
    let labelledVertices: [Int32]
    let labelDistances: [Double]

    /// Labels every vertex within `radius` of `sources`.
    public init(space: NetworkSpace, sources: SpaceSet, radius: Double) {
        self.sources = sources
        self.radius = radius
        let search = DistanceField.search(space: space, sources: sources, radius: radius, stopWhenReached: nil)
        let order = search.distances.keys.sorted()
        labelledVertices = order
        labelDistances = order.map { search.distances[$0]! }
    }

    /// The distance from the sources to `vertex`, or nil beyond ``radius``.
    public func distance(toVertex vertex: Int32) -> Double? {
        var low = 0, high = labelledVertices.count
        while low < high {
            let mid = (low + high) / 2
            if labelledVertices[mid] < vertex { low = mid + 1 } else { high = mid }
        }
        return low < labelledVertices.count && labelledVertices[low] == vertex ? labelDistances[low] : nil
    }

    /// The distance from the sources to a position, or nil when it is beyond ``radius``.
    public func distance(to position: SpacePosition, in space: NetworkSpace) -> Double? {
        let edge = space.edges[Int(position.edge)]
        var best = Double.infinity
        if let d = distance(toVertex: edge.from) { best = min(best, d + position.offset) }
        if let d = distance(toVertex: edge.to) { best = min(best, d + edge.length - position.offset) }
        for source in sourceIntervals(onEdge: position.edge) {
            best = min(best, max(0, source.lo - position.offset, position.offset - source.hi))
        }
        return best.isFinite && best <= radius ? best : nil
    }

    /// The least distance from the sources to any position of `set`, or nil beyond ``radius``.
    public func distance(to set: SpaceSet, in space: NetworkSpace) -> Double? {
        var best = Double.infinity
        for target in set.intervals {
            let edge = space.edges[Int(target.edge)]
            if let d = distance(toVertex: edge.from) { best = min(best, d + target.lo) }
            if let d = distance(toVertex: edge.to) { best = min(best, d + edge.length - target.hi) }
            for source in sourceIntervals(onEdge: target.edge) {
                best = min(best, max(0, source.lo - target.hi, target.lo - source.hi))
            }
        }
        return best.isFinite && best <= radius ? best : nil
    }

    func sourceIntervals(onEdge edge: Int32) -> ArraySlice<EdgeInterval> {
        let all = sources.intervals
        var low = 0, high = all.count
        while low < high {
            let mid = (low + high) / 2
            if all[mid].edge < edge { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < all.count, all[end].edge == edge { end += 1 }
        return all[low..<end]
    }

    /// The positions of `edge` within `r` metres of the sources (r ≤ ``radius``), appended to `into`.
    func ball(onEdge index: Int32, radius r: Double, in space: NetworkSpace, into result: inout [EdgeInterval]) {
        let edge = space.edges[Int(index)]
        let start = result.count
        if let d = distance(toVertex: edge.from), d <= r { result.append(EdgeInterval(edge: index, lo: 0, hi: min(edge.length, r - d))) }
        if let d = distance(toVertex: edge.to), d <= r { result.append(EdgeInterval(edge: index, lo: max(0, edge.length - (r - d)), hi: edge.length)) }
        for source in sourceIntervals(onEdge: index) {
            result.append(EdgeInterval(edge: index, lo: max(0, source.lo - r), hi: min(edge.length, source.hi + r)))
        }
        // Merge what this edge contributed (at most a few pieces).
        if result.count - start > 1 {
            let merged = SpaceSet(normalizing: Array(result[start...])).intervals
            result.removeSubrange(start...)
            result += merged
        }
    }

    /// The edges a ball of this field can reach: those at a labelled vertex and those holding a source.
    func reachableEdges(in space: NetworkSpace) -> [Int32] {
        var edges: [Int32] = sources.intervals.map(\.edge)
        for vertex in labelledVertices { edges += space.edges(at: vertex) }
        edges.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(edges.count)
        for e in edges where unique.last != e { unique.append(e) }
        return unique
    }

    /// Every position within `r` metres of the sources (r ≤ ``radius``).
    public func ball(radius r: Double, in space: NetworkSpace) -> SpaceSet {
        var result: [EdgeInterval] = []
        for edge in reachableEdges(in: space) { ball(onEdge: edge, radius: r, in: space, into: &result) }
        return SpaceSet(sorted: result)
    }

    struct Search {
        var distances: [Int32: Double]
        /// The edge each vertex was reached by (absent for vertices seeded from a source on their edge).
        var via: [Int32: Int32]
    }

    struct Entry: Comparable {
        let distance: Double
        let vertex: Int32
        static func < (a: Entry, b: Entry) -> Bool { (a.distance, a.vertex) < (b.distance, b.vertex) }
    }

    /// Dijkstra from `sources`, settling vertices up to `radius`; with `stopWhenReached`, it stops
    /// once no unsettled vertex can be nearer than the best distance to those positions.
    /// With `allowedEdges`, only those edges are travelled (a forced road, see ``PrismCorridor``).
    static func search(space: NetworkSpace, sources: SpaceSet, radius: Double, stopWhenReached target: SpaceSet?, allowedEdges: Set<Int32>? = nil) -> Search {
        var distances: [Int32: Double] = [:]
        var via: [Int32: Int32] = [:]
        var heap = Heap<Entry>()
        func relax(_ vertex: Int32, _ d: Double, _ edge: Int32?) {
            guard d <= radius else { return }
            if let known = distances[vertex], known <= d { return }
            distances[vertex] = d
            if let edge { via[vertex] = edge } else { via[vertex] = nil }
            heap.insert(Entry(distance: d, vertex: vertex))
        }
        for source in sources.intervals {
            let edge = space.edges[Int(source.edge)]
            relax(edge.from, source.lo, nil)
            relax(edge.to, edge.length - source.hi, nil)
        }
        var settled = Set<Int32>()
        var bestTarget = Double.infinity
        // Target stretches by edge, and those that share an edge with a source (reached along it).
        var targetsByEdge: [Int32: [EdgeInterval]] = [:]
        for t in target?.intervals ?? [] { targetsByEdge[t.edge, default: []].append(t) }
        if target != nil {
            for s in sources.intervals {
                for t in targetsByEdge[s.edge] ?? [] { bestTarget = min(bestTarget, max(0, s.lo - t.hi, t.lo - s.hi)) }
            }
        }
        while let entry = heap.popMin() {
            if settled.contains(entry.vertex) || distances[entry.vertex]! < entry.distance { continue }
            if entry.distance >= bestTarget { break }
            settled.insert(entry.vertex)
            for edgeIndex in space.edges(at: entry.vertex) where allowedEdges?.contains(edgeIndex) ?? true {
                let edge = space.edges[Int(edgeIndex)]
                for t in targetsByEdge[edgeIndex] ?? [] {
                    let along = edge.from == entry.vertex ? t.lo : edge.length - t.hi
                    bestTarget = min(bestTarget, entry.distance + along)
                }
                relax(space.otherEnd(of: edge, from: entry.vertex), entry.distance + edge.length, edgeIndex)
            }
        }
        return Search(distances: distances, via: via)
    }

    /// The shortest way from any position of `sources` to any position of `targets`: its length
    /// and the pieces travelled, in order; nil when none is within `limit` metres. With
    /// `allowedEdges`, the way keeps to those edges (besides the sources' and targets' own).
    public static func shortestPath(in space: NetworkSpace, from sources: SpaceSet, to targets: SpaceSet, limit: Double = .infinity, allowedEdges: Set<Int32>? = nil) -> (length: Double, pieces: [PathPiece])? {
        guard !sources.isEmpty, !targets.isEmpty else { return nil }
        let search = Self.search(space: space, sources: sources, radius: limit, stopWhenReached: targets, allowedEdges: allowedEdges)
        // The best way in: along a target's own edge from a source on it, or from a reached end vertex.
        var best: (length: Double, last: PathPiece, startVertex: Int32?)?
        var sourcesByEdge: [Int32: [EdgeInterval]] = [:]
        for s in sources.intervals { sourcesByEdge[s.edge, default: []].append(s) }
        for t in targets.intervals {
            let edge = space.edges[Int(t.edge)]
            for s in sourcesByEdge[t.edge] ?? [] {
                let gap = max(0, s.lo - t.hi, t.lo - s.hi)
                if best == nil || gap < best!.length {
                    let piece = t.lo > s.hi ? PathPiece(edge: t.edge, from: s.hi, to: t.lo) : t.hi < s.lo ? PathPiece(edge: t.edge, from: s.lo, to: t.hi) : PathPiece(edge: t.edge, from: max(s.lo, t.lo), to: max(s.lo, t.lo))
                    best = (gap, piece, nil)
                }
            }
            if let d = search.distances[edge.from], best == nil || d + t.lo < best!.length {
                best = (d + t.lo, PathPiece(edge: t.edge, from: 0, to: t.lo), edge.from)
            }
            if let d = search.distances[edge.to], best == nil || d + edge.length - t.hi < best!.length {
                best = (d + edge.length - t.hi, PathPiece(edge: t.edge, from: edge.length, to: t.hi), edge.to)
            }
        }
        guard let best, best.length <= limit else { return nil }
        var pieces = [best.last]
        var vertex = best.startVertex
        while let v = vertex {
            guard let edgeIndex = search.via[v] else {
                // Seeded from a source on one of its edges: the first piece runs from that source.
                let seed = sources.intervals.first { s in
                    let e = space.edges[Int(s.edge)]
                    return (e.from == v && abs(search.distances[v]! - s.lo) < 1e-6) || (e.to == v && abs(search.distances[v]! - (e.length - s.hi)) < 1e-6)
                }
                if let seed {
                    let e = space.edges[Int(seed.edge)]
                    pieces.append(e.from == v ? PathPiece(edge: seed.edge, from: seed.lo, to: 0) : PathPiece(edge: seed.edge, from: seed.hi, to: e.length))
                }
                break
            }
            let edge = space.edges[Int(edgeIndex)]
            let previous = space.otherEnd(of: edge, from: v)
            pieces.append(edge.from == previous ? PathPiece(edge: edgeIndex, from: 0, to: edge.length) : PathPiece(edge: edgeIndex, from: edge.length, to: 0))
            vertex = previous
        }
        return (best.length, pieces.reversed().filter { $0.length > 0 || pieces.count == 1 })
    }

    /// The largest distance from the sources to any position of `set` (∞ if part of it is beyond
    /// ``radius``). Along an edge the distance is the least of the ways in (from either end, or
    /// from a source on it), a concave function of the offset: its maximum is at an end of the
    /// interval or where two ways in meet.
    public func farthest(in set: SpaceSet, space: NetworkSpace) -> Double {
        var best = 0.0
        for interval in set.intervals {
            guard let d = farthest(in: interval, space: space) else { return .infinity }
            best = max(best, d)
        }
        return best
    }

    /// The largest distance to a point of one interval, nil when part of it is beyond ``radius``.
    func farthest(in interval: EdgeInterval, space: NetworkSpace) -> Double? {
        var best = 0.0
        do {
            let edge = space.edges[Int(interval.edge)]
            var candidates = [interval.lo, interval.hi]
            let du = distance(toVertex: edge.from), dw = distance(toVertex: edge.to)
            if let du, let dw {
                candidates.append((dw + edge.length - du) / 2)
            }
            let local = sourceIntervals(onEdge: interval.edge)
            for s in local {
                if let du { candidates.append((s.lo - du) / 2) }
                if let dw { candidates.append((s.hi + edge.length + dw) / 2) }
            }
            for (a, b) in zip(local, local.dropFirst()) { candidates.append((a.hi + b.lo) / 2) }
            for o in candidates where o >= interval.lo && o <= interval.hi {
                guard let d = distance(to: SpacePosition(edge: interval.edge, offset: o), in: space) else { return nil }
                best = max(best, d)
            }
        }
        return best
    }
}
