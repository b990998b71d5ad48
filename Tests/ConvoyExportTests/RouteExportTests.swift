import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyRoute
import ConvoyTestSupport
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing

@testable import ConvoyExport

/// The export of the seed log: tracks timed exactly as `convoy where` answers, observations and legs
/// complete, output deterministic and well-formed.
struct RouteExportTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func seedModel() throws -> RouteModel {
        let store = ScratchSpace.path("convoy-export", suffix: ".sqlite").path
        let gazetteer = try Gazetteer(path: store, bundledDirectory: repository.appendingPathComponent("Gazetteer"))
        let roads = try RoadNetwork.load(repository.appendingPathComponent("Gazetteer/roads.geojson")) { (try? gazetteer.names(ofPlaceIDs: $0)) ?? [:] }
        let log = try UpdateLog.load(
            path: repository.appendingPathComponent("seeds/updates.csv").path, displayPath: "seeds/updates.csv",
            zone: TimeZone(identifier: "Asia/Damascus")!, places: gazetteer, knownRoads: Set(roads.roads.map(\.id)))
        return RouteModel(log: log, roads: roads)
    }

    @Test func trackVerticesLieWhereTheModelPutsTheUnit() throws {
        let model = try Self.seedModel()
        let document = ExportDocument(model: model)
        #expect(document.tracks.count == model.units.count)
        var checked = 0
        for (unit, track) in zip(model.units, document.tracks) {
            #expect(track.id == "\(unit.convoy)/\(unit.unit)")
            #expect(zip(track.vertices, track.vertices.dropFirst()).allSatisfy { $0.time < $1.time })
            // Away from the one-second jump after a halt, the model's answer at a vertex's time is the vertex.
            for vertex in track.vertices {
                let nearJump = track.vertices.contains { other in other.time != vertex.time && abs(other.time - vertex.time) < 1.5 }
                guard !nearJump, let position = unit.position(at: vertex.time) else { continue }
                #expect(Geodesic.inverse(from: position.point, to: vertex.point).distance < 1, "\(track.id) at \((try? UTCTime.string(vertex.time)) ?? "?")")
                checked += 1
            }
            // Between vertices the drawn track (geodesic, constant speed) agrees with the model too.
            for (a, b) in zip(track.vertices, track.vertices.dropFirst()) where b.time - a.time > 3600 && a.point != b.point {
                let t = (a.time + b.time) / 2
                guard let position = unit.position(at: t) else { continue }
                let line = GeodesicLine(from: a.point, to: b.point)
                let expected = line.position(atFraction: 0.5)
                #expect(Geodesic.inverse(from: position.point, to: expected).distance < 1, "\(track.id) mid-leg at \((try? UTCTime.string(t)) ?? "?")")
                checked += 1
            }
        }
        #expect(checked > 20)
    }

    @Test func observationsAndLegsCarryTheirSources() throws {
        let model = try Self.seedModel()
        let document = ExportDocument(model: model)
        #expect(document.observations.count == model.states.count)
        for observation in document.observations {
            #expect(observation.source.hasPrefix("seeds/") || observation.source.hasPrefix("http"))
            #expect(!observation.quote.isEmpty)
        }
        let stretch = try #require(document.observations.first { $0.location == "between Humayma and As Sukhnah" })
        #expect((stretch.stretch?.count ?? 0) >= 2)
        #expect(document.legs.contains { $0.convoy == "is-qalamoun-2017" && $0.alongRouteMeters > 300_000 })
        for leg in document.legs {
            #expect(leg.alongRouteMeters + 1 >= leg.geodesicMeters, "a road is never shorter than the geodesic: \(leg.from) → \(leg.to)")
        }
        let convoyOnly = ExportDocument(model: model, convoy: "ahl-al-sham-2017")
        #expect(Set(convoyOnly.tracks.map(\.convoy)) == ["ahl-al-sham-2017"])
        #expect(Set(convoyOnly.observations.map(\.convoy)) == ["ahl-al-sham-2017"])
    }

    @Test(arguments: ExportFormat.allCases)
    func everyFormatIsDeterministicAndWellFormed(format: ExportFormat) throws {
        let document = ExportDocument(model: try Self.seedModel())
        let first = MemorySink(), second = MemorySink()
        try Exporter.write(document, as: format, to: first)
        try Exporter.write(document, as: format, to: second)
        #expect(first.committed)
        #expect(first.bytes == second.bytes)
        #expect(first.bytes.count > 500)
        let text = String(decoding: first.bytes, as: UTF8.self)
        #expect(!text.contains("nan") && !text.contains("inf,") && !text.contains("NaN"))
        switch format {
        case .geojson, .mfjson, .mfjsonTrajectory, .kepler:
            let object = try JSONSerialization.jsonObject(with: Data(first.bytes)) as? [String: Any]
            #expect(object?["type"] as? String == "FeatureCollection")
            #expect(!text.contains("\"crs\""))
        case .geojsonseq:
            let records = first.bytes.split(separator: 0x1E)
            #expect(records.count == document.tracks.count + document.observations.count + document.observations.filter { $0.stretch != nil }.count)
            for record in records {
                #expect(record.last == 0x0A)
                _ = try JSONSerialization.jsonObject(with: Data(record))
            }
        case .gpx, .kml:
            #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
            let parser = XMLParser(data: Data(first.bytes))
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        case .csv:
            let lines = text.split(separator: "\r\n")
            #expect(lines.first == "convoy,unit,from,to,start,end,geodesic_m,along_route_m,speed_kmh")
            #expect(lines.count == document.legs.count + 1)
        }
    }

    @Test func nonFiniteNumbersAreRefusedAndNothingIsCommitted() throws {
        let bad = ExportDocument(
            tracks: [],
            observations: [
                ExportObservation(
                    id: "x:1", convoy: "c", unit: "u", time: 0, timeStart: 0, timeEnd: 0, timeText: "1970", status: "moving", location: "",
                    place: nil, point: try GeoPoint(latitude: 1, longitude: 1), uncertaintyMeters: .nan, stretch: nil, vehicles: nil, people: nil,
                    source: "s", quote: "q", segmentMeters: nil, cumulativeMeters: nil, anomalies: [])
            ], legs: [])
        let sink = MemorySink()
        #expect(throws: ExportError.self) { try Exporter.write(bad, as: .geojson, to: sink) }
        #expect(!sink.committed)
    }

    @Test func formatsFollowFileExtensions() {
        #expect(ExportFormat.inferred(fromPath: "a.geojson") == .geojson)
        #expect(ExportFormat.inferred(fromPath: "a.GeoJSONL") == .geojsonseq)
        #expect(ExportFormat.inferred(fromPath: "a.mf.json") == .mfjson)
        #expect(ExportFormat.inferred(fromPath: "a.kepler.json") == .kepler)
        #expect(ExportFormat.inferred(fromPath: "a.gpx") == .gpx)
        #expect(ExportFormat.inferred(fromPath: "a.kml") == .kml)
        #expect(ExportFormat.inferred(fromPath: "legs.csv") == .csv)
        #expect(ExportFormat.inferred(fromPath: "a.txt") == nil)
    }

    @Test func shortLegBoundAgreesWithTheExactCheck() throws {
        // Legs the cheap bound passes must really be within tolerance.
        var generator = SeededGenerator(seed: 300)
        for _ in 0..<300 {
            let a = try GeoPoint(latitude: Double.random(in: -80...80, using: &generator), longitude: Double.random(in: -170...170, using: &generator))
            let b = Geodesic.direct(from: a, azimuth: Double.random(in: 0..<360, using: &generator), distance: Double.random(in: 10...40_000, using: &generator)).point
            let length = Geodesic.inverse(from: a, to: b).distance
            for tolerance in [1.0, 100.0] where Densify.isSurelyWithin(tolerance, from: a, to: b, length: length) {
                #expect(Densify.maximumDeviation(GeodesicLine(from: a, to: b), segments: 1) <= tolerance, "\(a) → \(b)")
            }
        }
    }
}
