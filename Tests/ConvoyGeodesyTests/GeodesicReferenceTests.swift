import Foundation
import Testing

@testable import ConvoyGeodesy

/// Compares PROJ's geodesics (through ConvoyGeodesy) with GeographicLib's GeodSolve / Planimeter /
/// GeoConvert output committed in Fixtures/ (regenerate with Fixtures/make-references.sh).
struct GeodesicReferenceTests {
    static func rows(_ name: String) throws -> [[Double]] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
            .split(separator: "\n")
            .map { line in
                line.split(whereSeparator: { $0 == " " || $0 == "|" }).compactMap { Double($0) }
            }
    }

    /// Difference of two azimuths in degrees, folded into [0, 180].
    static func azimuthGap(_ a: Double, _ b: Double) -> Double {
        let d = abs((a - b).truncatingRemainder(dividingBy: 360))
        return min(d, 360 - d)
    }

    @Test func inverseMatchesGeodSolve() throws {
        let rows = try Self.rows("inverse.out")
        #expect(rows.count == 15)
        for row in rows {
            let a = try GeoPoint(latitude: row[0], longitude: row[1])
            let b = try GeoPoint(latitude: row[3], longitude: row[4])
            let result = Geodesic.inverse(from: a, to: b)
            #expect(abs(result.distance - row[6]) < 1e-6, "distance \(a) → \(b): \(result.distance) vs \(row[6])")
            if row[6] > 0 {
                #expect(Self.azimuthGap(result.initialAzimuth, row[2]) < 1e-9, "azi1 \(a) → \(b)")
                #expect(Self.azimuthGap(result.finalAzimuth, row[5]) < 1e-9, "azi2 \(a) → \(b)")
            }
        }
    }

    @Test func qaraToAbuKamalAsInReference() throws {
        let qara = try GeoPoint(latitude: 34.1547, longitude: 36.7447)
        let abuKamal = try GeoPoint(latitude: 34.4500, longitude: 40.9186)
        let result = Geodesic.inverse(from: qara, to: abuKamal)
        #expect(abs(result.distance - 385_599.174363736) < 1e-6)
        #expect(abs(result.initialAzimuth - 83.9528269) < 1e-7)
        #expect(abs(result.finalAzimuth - 86.3057909) < 1e-7)
    }

    @Test func directMatchesGeodSolve() throws {
        let rows = try Self.rows("direct.out")
        #expect(rows.count == 7)
        for row in rows {
            let start = try GeoPoint(latitude: row[0], longitude: row[1])
            let result = Geodesic.direct(from: start, azimuth: row[2], distance: row[6])
            // 1e-9 degrees of latitude is about 0.1 mm.
            #expect(abs(result.point.latitude - row[3]) < 1e-9, "lat from \(start) az \(row[2]) s \(row[6])")
            #expect(Self.azimuthGap(result.point.longitude, row[4]) < 1e-9, "lon from \(start)")
            #expect(Self.azimuthGap(result.finalAzimuth, row[5]) < 1e-9, "azi2 from \(start)")
        }
    }

    @Test func positionsAlongGeodesicMatchGeodSolve() throws {
        let rows = try Self.rows("along.out")
        #expect(rows.count == 9)
        for row in rows {
            let line = GeodesicLine(
                from: try GeoPoint(latitude: row[0], longitude: row[1]),
                to: try GeoPoint(latitude: row[2], longitude: row[3]))
            let p = line.position(atDistance: row[4])
            #expect(abs(p.latitude - row[5]) < 1e-9, "lat at \(row[4]) m")
            #expect(Self.azimuthGap(p.longitude, row[6]) < 1e-9, "lon at \(row[4]) m")
            let viaFacade = Geodesic.point(from: line.start, toward: line.end, atDistance: row[4])
            #expect(viaFacade == p)
        }
    }

    @Test func polylineLengthMatchesPlanimeter() throws {
        let rows = try Self.rows("polyline.out")
        #expect(rows.count == 3)
        for row in rows {
            let count = Int(row[row.count - 2])
            let coordinates = row.dropLast(2)
            #expect(coordinates.count == count * 2)
            let points = try stride(from: coordinates.startIndex, to: coordinates.endIndex, by: 2).map {
                try GeoPoint(latitude: coordinates[$0], longitude: coordinates[$0 + 1])
            }
            #expect(abs(Geodesic.length(of: points) - row[row.count - 1]) < 1e-6)
        }
    }

    @Test func polylineOfFewerThanTwoPointsHasNoLength() throws {
        #expect(Geodesic.length(of: [GeoPoint]()) == 0)
        #expect(Geodesic.length(of: [try GeoPoint(latitude: 1, longitude: 2)]) == 0)
    }

    @Test func utmTransformMatchesGeoConvert() throws {
        let inputs = try Self.rows("utm.in")
        let outputs = try Self.rows("utm.out")
        #expect(inputs.count == outputs.count && inputs.count == 5)
        let transformer = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:32637")
        // Longitude first, whatever EPSG:4326's official axis order.
        let projected = try transformer.transform(inputs.map { (x: $0[1], y: $0[0]) })
        for (p, expected) in zip(projected, outputs) {
            // GeoConvert prints "37n E N": the zone token is not a number, so the row is [E, N].
            #expect(abs(p.x - expected[0]) < 1e-3, "easting \(p.x) vs \(expected[0])")
            #expect(abs(p.y - expected[1]) < 1e-3, "northing \(p.y) vs \(expected[1])")
        }
        let back = try CoordinateTransformer(from: "EPSG:32637", to: "EPSG:4326").transform(projected)
        for (p, input) in zip(back, inputs) {
            #expect(abs(p.x - input[1]) < 1e-9 && abs(p.y - input[0]) < 1e-9)
        }
    }

    @Test func unknownCRSCarriesProjMessage() throws {
        let error = try #require(throws: ProjError.self) {
            _ = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:999999")
        }
        #expect(error.messages.contains { $0.contains("crs not found") }, "\(error)")
        #expect(error.description.contains("EPSG:999999"))
    }

    @Test func transformOutsideDomainIsAnError() throws {
        let transformer = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:3857")
        #expect(throws: ProjError.self) { _ = try transformer.transform(x: 0, y: 95) }
    }

    @Test func coordinatesAreValidated() {
        #expect(throws: CoordinateError.latitudeOutOfRange(91)) { try GeoPoint(latitude: 91, longitude: 0) }
        #expect(throws: CoordinateError.longitudeOutOfRange(-181)) { try GeoPoint(latitude: 0, longitude: -181) }
        #expect(throws: CoordinateError.self) { try GeoPoint(latitude: .nan, longitude: 0) }
        #expect(GeoPoint(parsing: "34.45, 40.92") == (try? GeoPoint(latitude: 34.45, longitude: 40.92)))
        #expect(GeoPoint(parsing: "34.45;40.92") == nil)
        #expect(GeoPoint(parsing: "95,40") == nil)
    }

    @Test func transformerIsUsableFromConcurrentTasks() async throws {
        let transformer = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:32637")
        let expected = try transformer.transform(x: 39, y: 34)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let p = try transformer.transform(x: 39, y: 34)
                    return p.x == expected.x && p.y == expected.y
                }
            }
            for try await same in group { #expect(same) }
        }
    }
}
