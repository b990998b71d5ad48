import Foundation
import Testing

@testable import ConvoyGeodesy

/// The nearest point of a geodesic segment to a point (`GeodesicLine.nearestPoint`), which the route
/// model uses to put observations on roads. Checked against a brute-force search done with
/// GeographicLib's GeodSolve alone (Fixtures/nearest.sh: samples along the segment refined to 1 mm),
/// and against the defining property of an interior foot: the geodesic to the point leaves the line
/// at a right angle.
struct NearestPointTests {
    @Test func matchesGeodSolveBruteForce() throws {
        let rows = try GeodesicReferenceTests.rows("nearest.out")
        #expect(rows.count == 8)
        for row in rows {
            let a = try GeoPoint(latitude: row[0], longitude: row[1])
            let b = try GeoPoint(latitude: row[2], longitude: row[3])
            let p = try GeoPoint(latitude: row[4], longitude: row[5])
            let found = GeodesicLine(from: a, to: b).nearestPoint(to: p)
            // Near the minimum the distance is flat (it grows with the square of the offset along
            // the line), so the sampled reference fixes `s` to about a centimetre and `d` to a nanometre.
            #expect(abs(found.distanceAlong - row[6]) < 0.05, "along \(a) → \(b), point \(p): \(found.distanceAlong) vs \(row[6])")
            #expect(abs(found.distanceOff - row[7]) < 1e-6, "off \(a) → \(b), point \(p): \(found.distanceOff) vs \(row[7])")
        }
    }

    @Test func interiorFootIsPerpendicular() throws {
        let a = try GeoPoint(latitude: 34.5506, longitude: 38.2844)  // Palmyra
        let b = try GeoPoint(latitude: 34.4536, longitude: 40.9367)  // Abu Kamal
        let line = GeodesicLine(from: a, to: b)
        for (lat, lon) in [(34.755, 39.256), (34.2, 39.9), (35.3, 40.1), (34.5, 38.3001)] {
            let p = try GeoPoint(latitude: lat, longitude: lon)
            let found = line.nearestPoint(to: p)
            #expect(found.distanceAlong > 0 && found.distanceAlong < line.length)
            let (foot, lineAzimuth) = line.positionAndAzimuth(atDistance: found.distanceAlong)
            let toPoint = Geodesic.inverse(from: foot, to: p)
            #expect(abs(toPoint.distance - found.distanceOff) < 1e-6)
            #expect(abs(GeodesicReferenceTests.azimuthGap(toPoint.initialAzimuth, lineAzimuth) - 90) < 1e-6, "(\(lat), \(lon))")
        }
    }

    @Test func pointOnTheLineHasNoOffset() throws {
        let line = GeodesicLine(from: try GeoPoint(latitude: 34.15, longitude: 36.74), to: try GeoPoint(latitude: 34.45, longitude: 40.94))
        for s in [0, 1234.5, line.length / 2, line.length] {
            let found = line.nearestPoint(to: line.position(atDistance: s))
            #expect(abs(found.distanceAlong - s) < 0.001)
            #expect(found.distanceOff < 0.001)
        }
    }
}
