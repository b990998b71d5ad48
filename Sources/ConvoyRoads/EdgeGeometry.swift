import ConvoyGeodesy

/// The line of one edge: a polyline of geodesic segments with the distance from its start to each
/// point, so that the point at an offset is one binary search and one PROJ position (O(log n)).
public struct EdgeGeometry: Sendable {
    public let points: [GeoPoint]
    /// Distance along the line from `points[0]` to each point, metres; `cumulative[0] == 0`.
    public let cumulative: [Double]

    /// Measures each segment with PROJ's geodesic inverse (Karney): lengths on the WGS84 ellipsoid.
    public init(_ points: [GeoPoint]) {
        precondition(points.count >= 2, "an edge has two ends")
        self.points = points
        var cumulative = [Double]()
        cumulative.reserveCapacity(points.count)
        cumulative.append(0)
        for i in 1..<points.count {
            cumulative.append(cumulative[i - 1] + Geodesic.inverse(from: points[i - 1], to: points[i]).distance)
        }
        self.cumulative = cumulative
    }

    /// A line whose segment lengths were already measured (by the same geodesic inverse).
    init(_ points: [GeoPoint], cumulative: [Double]) {
        precondition(points.count >= 2 && cumulative.count == points.count, "an edge has two ends and a distance to each point")
        self.points = points
        self.cumulative = cumulative
    }

    public var length: Double { cumulative[cumulative.count - 1] }
    public var segmentCount: Int { points.count - 1 }

    /// Index of the segment holding `offset` (binary search).
    public func segment(containing offset: Double) -> Int { segmentIndex(cumulative, offset) }

    /// The point `offset` metres from the start, along the geodesic segment that holds it (clamped).
    public func point(at offset: Double) -> GeoPoint {
        let o = min(max(offset, 0), length)
        if o == 0 { return points[0] }
        if o == length { return points[points.count - 1] }
        let i = segment(containing: o)
        let along = o - cumulative[i]
        if along == 0 { return points[i] }
        return GeodesicLine(from: points[i], to: points[i + 1]).position(atDistance: along)
    }

    /// The nearest point of segment `i` to `point`: its offset along the whole line and the distance off.
    public func nearest(to point: GeoPoint, onSegment i: Int) -> (offset: Double, distanceOff: Double) {
        let n = GeodesicLine(from: points[i], to: points[i + 1]).nearestPoint(to: point)
        return (min(cumulative[i] + n.distanceAlong, cumulative[i + 1]), n.distanceOff)
    }

    /// The line between two offsets, in travel order (from `from` to `to`, either way), as points with
    /// their offsets; both ends included.
    public func stretch(from: Double, to: Double) -> [(point: GeoPoint, offset: Double)] {
        let a = min(max(from, 0), length), b = min(max(to, 0), length)
        var out: [(point: GeoPoint, offset: Double)] = [(point(at: a), a)]
        let tolerance = 1e-6
        if a <= b {
            for i in points.indices where cumulative[i] > a + tolerance && cumulative[i] < b - tolerance { out.append((points[i], cumulative[i])) }
        } else {
            for i in points.indices.reversed() where cumulative[i] < a - tolerance && cumulative[i] > b + tolerance { out.append((points[i], cumulative[i])) }
        }
        if abs(b - a) > tolerance { out.append((point(at: b), b)) }
        return out
    }
}
