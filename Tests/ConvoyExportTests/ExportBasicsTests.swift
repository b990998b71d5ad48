import ConvoyGeodesy
import ConvoyTestSupport
import Foundation
import Testing

@testable import ConvoyExport

/// The exporters' building blocks: atomic output, number formatting, densification.
struct ExportBasicsTests {
    static func temporaryFolder() throws -> URL {
        let url = ScratchSpace.path("convoy-export")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func anUncommittedExportLeavesNoFileAndKeepsTheOldOne() throws {
        let folder = try Self.temporaryFolder()
        let target = folder.appendingPathComponent("track.geojson").path
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        do {
            let sink = try AtomicFileSink(path: target)
            try sink.write(String(repeating: "x", count: 200_000))  // more than one buffer: really on disk
            // Interrupted here: the sink is dropped without commit.
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["track.geojson"])
        let sink = try AtomicFileSink(path: target)
        try sink.write("new")
        try sink.commit()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["track.geojson"])
    }

    @Test func unwritablePlacesAreClearErrors() throws {
        let folder = try Self.temporaryFolder()
        #expect(throws: FileAccessErrorMatcher.self) { throw FileAccessErrorMatcher(try? AtomicFileSink(path: folder.path)) }
        let missing = folder.appendingPathComponent("no/such/dir/x.geojson").path
        do {
            _ = try AtomicFileSink(path: missing)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("No such file or directory"))
        }
    }

    /// Wraps "no sink was made" into an error for #expect(throws:).
    struct FileAccessErrorMatcher: Error {
        init(_ sink: AtomicFileSink?) { precondition(sink == nil) }
    }

    @Test func numbersAreFixedDecimalsTrimmedAndNeverNaN() throws {
        var rng = SeededGenerator(seed: 2000)
        for _ in 0..<2000 {
            let value = Double.random(in: -180...180, using: &rng)
            let ours = try NumberFormat.string(value, decimals: 6)
            var reference = String(format: "%.6f", value)
            while reference.hasSuffix("0") { reference.removeLast() }
            if reference.hasSuffix(".") { reference.removeLast() }
            if reference == "-0" { reference = "0" }
            #expect(ours == reference, "\(value)")
        }
        #expect(try NumberFormat.string(40.93667, decimals: 6) == "40.93667")
        #expect(try NumberFormat.string(-0.0000001, decimals: 6) == "0")
        #expect(try NumberFormat.string(385599.1743637, decimals: 3) == "385599.174")
        #expect(throws: NumberFormat.NonFiniteNumber.self) { try NumberFormat.string(.nan, decimals: 6) }
        #expect(throws: NumberFormat.NonFiniteNumber.self) { try NumberFormat.string(.infinity, decimals: 6) }
    }

    @Test func densifiedLegsStayWithin100MetresOfTheGeodesic() throws {
        // Qara → Abu Kamal (387 km) and a long oblique leg; check 20 samples per drawn segment
        // against positions GeodSolve computes on the geodesic (an independent implementation).
        let legs = [
            (try GeoPoint(latitude: 34.15417, longitude: 36.74417), try GeoPoint(latitude: 34.45361, longitude: 40.93667)),
            (try GeoPoint(latitude: 30.0, longitude: 30.0), try GeoPoint(latitude: 45.0, longitude: 50.0)),
        ]
        for (a, b) in legs {
            let inner = Densify.intermediatePoints(from: a, to: b, tolerance: 100)
            #expect(!inner.isEmpty)
            let vertices = [a] + inner + [b]
            let length = Geodesic.inverse(from: a, to: b).distance
            // Vertices lie on the geodesic at equal spacing.
            let spacing = length / Double(vertices.count - 1)
            let reference = try GeodSolveLine(a, b, distances: (0..<vertices.count).map { Double($0) * spacing })
            for (vertex, expected) in zip(vertices, reference) {
                #expect(Geodesic.inverse(from: vertex, to: expected).distance < 1e-3)
            }
            // Every straight lon/lat segment stays within 100 m of the geodesic.
            var samples: [Double] = []
            for i in 0..<(vertices.count - 1) {
                for k in 1..<20 { samples.append((Double(i) + Double(k) / 20) * spacing) }
            }
            let onGeodesic = try GeodSolveLine(a, b, distances: samples)
            var worst = 0.0
            for (index, point) in onGeodesic.enumerated() {
                let segment = index / 19, fraction = Double(index % 19 + 1) / 20
                let p = vertices[segment], q = vertices[segment + 1]
                let straight = try GeoPoint(latitude: p.latitude + (q.latitude - p.latitude) * fraction, longitude: p.longitude + (q.longitude - p.longitude) * fraction)
                // Distance from the geodesic point to the nearest point of the straight segment (sampled finely).
                var nearest = Double.infinity
                for step in 0...200 {
                    let f = Double(step) / 200
                    let s = try GeoPoint(latitude: p.latitude + (q.latitude - p.latitude) * f, longitude: p.longitude + (q.longitude - p.longitude) * f)
                    nearest = min(nearest, Geodesic.inverse(from: point, to: s).distance)
                }
                _ = straight
                worst = max(worst, nearest)
            }
            #expect(worst < 100, "worst deviation \(worst) m")
            // And without densifying, the straight line would stray far more.
            #expect(Densify.maximumDeviation(GeodesicLine(from: a, to: b), segments: 1) > 100)
        }
    }

    /// Positions along the geodesic from `a` to `b` at `distances`, from GeodSolve -I.
    func GeodSolveLine(_ a: GeoPoint, _ b: GeoPoint, distances: [Double]) throws -> [GeoPoint] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["GeodSolve", "-I", "\(a.latitude)", "\(a.longitude)", "\(b.latitude)", "\(b.longitude)", "-p", "9"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let text = distances.map { "\($0)" }.joined(separator: "\n") + "\n"
        let writer = Thread { input.fileHandleForWriting.write(Data(text.utf8)); try? input.fileHandleForWriting.close() }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let f = line.split(separator: " ").compactMap { Double($0) }
            return try GeoPoint(latitude: f[0], longitude: f[1])
        }
    }
}
