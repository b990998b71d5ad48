import ConvoyGeodesy

/// A named point of a path: a road waypoint or an observed position.
public struct PathVertex: Sendable, Hashable {
    public let point: GeoPoint
    /// Gazetteer id and name when the vertex is a place.
    public let placeID: String?
    public let name: String?

    public init(point: GeoPoint, placeID: String? = nil, name: String? = nil) {
        self.point = point
        self.placeID = placeID
        self.name = name
    }
}

/// A polyline of geodesic legs with linear referencing: a position is given by its distance in
/// metres from the start, measured along the ellipsoid with PROJ (never straight in lon/lat).
public struct GeodesicPath: Sendable {
    public let vertices: [PathVertex]
    /// Distance from the start to each vertex, metres; `cumulative[0] == 0`.
    public let cumulative: [Double]
    private let lines: [GeodesicLine]

    public init(_ vertices: [PathVertex]) {
        precondition(!vertices.isEmpty, "a path needs at least one vertex")
        self.vertices = vertices
        var cumulative = [0.0]
        var lines: [GeodesicLine] = []
        for (a, b) in zip(vertices, vertices.dropFirst()) {
            let line = GeodesicLine(from: a.point, to: b.point)
            lines.append(line)
            cumulative.append(cumulative.last! + line.length)
        }
        self.cumulative = cumulative
        self.lines = lines
    }

    /// Total length in metres.
    public var length: Double { cumulative.last! }

    /// Index of the segment holding `measure` (binary search: O(log n)).
    public func segment(containing measure: Double) -> Int {
        guard lines.count > 1 else { return 0 }
        return segmentIndex(cumulative, measure)
    }

    /// The point `measure` metres from the start along the path (clamped to the path).
    public func position(at measure: Double) -> GeoPoint {
        guard !lines.isEmpty else { return vertices[0].point }
        let m = min(max(measure, 0), length)
        let i = segment(containing: m)
        return lines[i].position(atDistance: m - cumulative[i])
    }

    /// The nearest point of the path to `point`: its measure and the geodesic distance off the path.
    /// Each segment is solved by ``GeodesicLine/nearestPoint(to:tolerance:)`` (a few inverse
    /// problems per segment, to a millimetre).
    public func locate(_ point: GeoPoint) -> (measure: Double, offset: Double) {
        guard !lines.isEmpty else { return (0, Geodesic.inverse(from: vertices[0].point, to: point).distance) }
        var best = (measure: 0.0, offset: Double.infinity)
        for (i, line) in lines.enumerated() {
            let nearest = line.nearestPoint(to: point)
            if nearest.distanceOff < best.offset { best = (cumulative[i] + nearest.distanceAlong, nearest.distanceOff) }
        }
        return best
    }

    /// The vertices strictly between two measures, in travel order from `from` to `to`.
    public func vertices(from: Double, to: Double) -> [PathVertex] {
        let tolerance = 1.0
        if from <= to {
            return zip(vertices, cumulative).filter { $0.1 > from + tolerance && $0.1 < to - tolerance }.map(\.0)
        }
        return zip(vertices, cumulative).filter { $0.1 < from - tolerance && $0.1 > to + tolerance }.map(\.0).reversed()
    }
}

/// The segment of a polyline holding `measure`, given the distance to each of its points
/// (binary search; the last segment for the end and beyond).
func segmentIndex(_ cumulative: [Double], _ measure: Double) -> Int {
    var low = 0, high = cumulative.count - 1
    while high - low > 1 {
        let mid = (low + high) / 2
        if cumulative[mid] <= measure { low = mid } else { high = mid }
    }
    return min(low, cumulative.count - 2)
}
