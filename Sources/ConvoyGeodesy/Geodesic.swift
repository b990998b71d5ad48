import CProj

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The solution of the inverse geodesic problem between two points.
public struct GeodesicInverse: Sendable, Hashable {
    /// Length of the geodesic in metres.
    public let distance: Double
    /// Azimuth at the first point, degrees clockwise from north in (-180, 180].
    public let initialAzimuth: Double
    /// Azimuth at the second point (the direction of travel on arrival).
    public let finalAzimuth: Double
}

/// The solution of the direct geodesic problem.
public struct GeodesicDirect: Sendable, Hashable {
    public let point: GeoPoint
    /// Azimuth of travel at `point`.
    public let finalAzimuth: Double
}

/// Geodesics on the WGS84 ellipsoid, computed by PROJ's implementation of Karney's algorithms
/// (geodesic.h). Accurate to round-off: agrees with GeographicLib's GeodSolve to nanometres.
///
/// PROJ's C functions take (lat, lon); these wrappers take ``GeoPoint`` so the order cannot be mixed up.
public enum Geodesic {
    /// WGS84: a = 6378137 m, f = 1/298.257223563. A plain C struct of doubles, read-only after init.
    static let wgs84: geod_geodesic = {
        var g = geod_geodesic()
        geod_init(&g, 6_378_137, 1 / 298.257223563)
        return g
    }()

    /// Distance and azimuths from `a` to `b`.
    public static func inverse(from a: GeoPoint, to b: GeoPoint) -> GeodesicInverse {
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        withUnsafePointer(to: wgs84) { g in
            geod_inverse(g, a.latitude, a.longitude, b.latitude, b.longitude, &s12, &azi1, &azi2)
        }
        return GeodesicInverse(distance: s12, initialAzimuth: azi1, finalAzimuth: azi2)
    }

    /// The point reached from `start` travelling `distance` metres with initial `azimuth` (degrees).
    public static func direct(from start: GeoPoint, azimuth: Double, distance: Double) -> GeodesicDirect {
        var lat2 = 0.0, lon2 = 0.0, azi2 = 0.0
        withUnsafePointer(to: wgs84) { g in
            geod_direct(g, start.latitude, start.longitude, azimuth, distance, &lat2, &lon2, &azi2)
        }
        return GeodesicDirect(
            point: GeoPoint(uncheckedLatitude: lat2, longitude: normalizedLongitude(lon2)),
            finalAzimuth: azi2)
    }

    /// The point `distance` metres from `a` along the geodesic towards `b` (may exceed the leg).
    public static func point(from a: GeoPoint, toward b: GeoPoint, atDistance distance: Double) -> GeoPoint {
        GeodesicLine(from: a, to: b).position(atDistance: distance)
    }

    /// Length in metres of the polyline through `points`, summing geodesic legs (not closing it).
    public static func length(of points: some Sequence<GeoPoint>) -> Double {
        withUnsafePointer(to: wgs84) { g in
            var polygon = geod_polygon()
            geod_polygon_init(&polygon, 1)
            var count = 0
            for p in points {
                geod_polygon_addpoint(g, &polygon, p.latitude, p.longitude)
                count += 1
            }
            guard count > 1 else { return 0 }
            var perimeter = 0.0
            _ = geod_polygon_compute(g, &polygon, 0, 1, nil, &perimeter)
            return perimeter
        }
    }

    static func normalizedLongitude(_ lon: Double) -> Double {
        lon == -180 ? 180 : lon
    }
}

/// One geodesic between two points, set up once so that many positions along it are cheap.
/// Used to interpolate convoy positions and to densify drawn lines.
public struct GeodesicLine: Sendable {
    private let line: geod_geodesicline
    public let start: GeoPoint
    public let end: GeoPoint
    /// Length of the geodesic from `start` to `end` in metres.
    public let length: Double

    public init(from a: GeoPoint, to b: GeoPoint) {
        var l = geod_geodesicline()
        withUnsafePointer(to: Geodesic.wgs84) { g in
            geod_inverseline(&l, g, a.latitude, a.longitude, b.latitude, b.longitude, 0)
        }
        line = l
        start = a
        end = b
        length = l.s13
    }

    /// The point `distance` metres from `start` along the geodesic.
    public func position(atDistance distance: Double) -> GeoPoint {
        positionAndAzimuth(atDistance: distance).point
    }

    /// The point `distance` metres from `start` along the geodesic and the line's azimuth there
    /// (degrees clockwise from north): what a search for the nearest point of the line needs.
    public func positionAndAzimuth(atDistance distance: Double) -> (point: GeoPoint, azimuth: Double) {
        var lat = 0.0, lon = 0.0, azi = 0.0
        withUnsafePointer(to: line) { l in geod_position(l, distance, &lat, &lon, &azi) }
        return (GeoPoint(uncheckedLatitude: lat, longitude: Geodesic.normalizedLongitude(lon)), azi)
    }

    /// The point of this geodesic segment nearest to `point`: its distance from `start` along the
    /// line (in 0...length) and the geodesic distance from it to `point`.
    ///
    /// Solved by iteration, as in Karney's treatment of the interception problem: from a point X of
    /// the line, the inverse problem X → `point` gives the distance d and the azimuth; the angle Δ
    /// between it and the line's azimuth at X locates the foot of the perpendicular on the sphere
    /// tangent at X, atan2(sin(d/R)·cos Δ, cos(d/R))·R further along. On the ellipsoid each step
    /// leaves an error about the flattening times the previous one, so 3–5 steps reach a millimetre.
    /// The ends are candidates too, so a point beyond either end gets that end.
    public func nearestPoint(to point: GeoPoint, tolerance: Double = 0.001) -> (distanceAlong: Double, distanceOff: Double) {
        let radius = 6_371_008.8  // mean Earth radius: only scales the steps, the answer is the ellipsoid's
        var best = (distanceAlong: length, distanceOff: Geodesic.inverse(from: end, to: point).distance)
        guard length > 0 else { return best }
        var along = 0.0  // the first step starts at `start`, which is thereby a candidate too
        for _ in 0..<30 {
            let (x, lineAzimuth) = positionAndAzimuth(atDistance: along)
            let toPoint = Geodesic.inverse(from: x, to: point)
            let off = toPoint.distance
            if off < best.distanceOff { best = (along, off) }
            let angle = (toPoint.initialAzimuth - lineAzimuth) * .pi / 180
            let step = atan2(sin(off / radius) * cos(angle), cos(off / radius)) * radius
            let next = min(max(along + step, 0), length)
            if abs(next - along) < tolerance { break }
            along = next
        }
        return best
    }

    /// The point at `fraction` (0...1) of the way from `start` to `end`.
    public func position(atFraction fraction: Double) -> GeoPoint {
        position(atDistance: fraction * length)
    }
}

extension geod_geodesic: @retroactive @unchecked Sendable {}
extension geod_geodesicline: @retroactive @unchecked Sendable {}
