import ConvoyGeodesy
import Foundation

/// Densifies geodesic legs for map viewers, which draw a segment as a straight line in
/// longitude/latitude (RFC 7946 §3.1.1). A long leg drawn straight strays from the geodesic the
/// convoy's distance is measured on; inserting points along the geodesic keeps every drawn segment
/// within `tolerance` metres of it.
public enum Densify {
    /// The points strictly between `a` and `b`, spaced equally along the geodesic, so that each
    /// straight lon/lat segment stays within `tolerance` metres of the geodesic. Equal spacing keeps the
    /// result deterministic; the segment count doubles until the check at the midpoint and quarter points
    /// of every segment passes.
    public static func intermediatePoints(from a: GeoPoint, to b: GeoPoint, tolerance: Double = 100, length: Double? = nil) -> [GeoPoint] {
        if isSurelyWithin(tolerance, from: a, to: b, length: length ?? Geodesic.inverse(from: a, to: b).distance) { return [] }
        let line = GeodesicLine(from: a, to: b)
        guard line.length > 0, abs(b.longitude - a.longitude) <= 180 else { return [] }
        var segments = 1
        while segments < 1 << 16 {
            if maximumDeviation(line, segments: segments) <= tolerance { break }
            segments *= 2
        }
        guard segments > 1 else { return [] }
        return (1..<segments).map { line.position(atDistance: line.length * Double($0) / Double(segments)) }
    }

    /// A cheap sufficient test for short legs: a straight lon/lat segment of length L strays from the
    /// geodesic by about L²·tan φ / 8R (meridians converge); with (1 + tan φ) for margin, a leg under
    /// the bound needs no extra points. Checked against ``maximumDeviation`` in the tests.
    public static func isSurelyWithin(_ tolerance: Double, from a: GeoPoint, to b: GeoPoint, length: Double) -> Bool {
        let latitude = max(abs(a.latitude), abs(b.latitude))
        guard latitude < 85 else { return false }
        let bound = length * length * (1 + tan(latitude * .pi / 180)) / (8 * 6_356_752)
        return bound <= tolerance / 4
    }

    /// Largest distance, at the quarter, half and three-quarter points of each of `segments` equal
    /// pieces, between the geodesic and the straight lon/lat segment joining the piece's ends.
    static func maximumDeviation(_ line: GeodesicLine, segments: Int) -> Double {
        var worst = 0.0
        var start = line.start
        for index in 1...segments {
            let end = index == segments ? line.end : line.position(atDistance: line.length * Double(index) / Double(segments))
            for fraction in [0.25, 0.5, 0.75] {
                let onGeodesic = line.position(atDistance: line.length * (Double(index - 1) + fraction) / Double(segments))
                let straight = GeoPoint(
                    uncheckedLatitude: start.latitude + (end.latitude - start.latitude) * fraction,
                    longitude: start.longitude + (end.longitude - start.longitude) * fraction)
                worst = max(worst, Geodesic.inverse(from: onGeodesic, to: straight).distance)
            }
            start = end
        }
        return worst
    }
}
