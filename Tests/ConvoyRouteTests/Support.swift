import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyTestSupport
import Foundation

@testable import ConvoyRoute

/// Shared set-up: the repository's gazetteer in a temporary store, its roads, and helpers to
/// run GeographicLib's GeodSolve (an implementation independent of PROJ) at test time.
enum Support {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let damascus = TimeZone(identifier: "Asia/Damascus")!

    static func gazetteer() throws -> Gazetteer {
        let path = ScratchSpace.path("convoy-route", suffix: ".sqlite").path
        return try Gazetteer(path: path, bundledDirectory: repository.appendingPathComponent("Gazetteer"))
    }

    static func roads(_ gazetteer: Gazetteer) throws -> RoadNetwork {
        try RoadNetwork.load(repository.appendingPathComponent("Gazetteer/roads.geojson")) { (try? gazetteer.names(ofPlaceIDs: $0)) ?? [:] }
    }

    /// The model of a log on the bundled roads.
    static func model(_ log: UpdateLog, _ gazetteer: Gazetteer, settings: ModelSettings = ModelSettings()) throws -> ConvoyModel {
        ConvoyModel(log: log, roads: NetworkSpace(roads: try roads(gazetteer).graph), settings: settings)
    }

    /// The seed log, checked against the gazetteer.
    static func seedLog(_ gazetteer: Gazetteer) throws -> UpdateLog {
        try UpdateLog.load(path: repository.appendingPathComponent("seeds/updates.csv").path, displayPath: "seeds/updates.csv", zone: damascus, places: gazetteer)
    }

    /// Checks a CSV log given as text (header added) and returns it, or throws its DataErrors.
    static func log(_ rows: [String], header: String = "time,convoy,unit,parent,location,status,vehicles,people,source,quote", places: some PlaceResolving) throws -> UpdateLog {
        let text = ([header] + rows).joined(separator: "\n") + "\n"
        let raw = try UpdateLog.csvRows(text, file: "test.csv")
        return try UpdateLog.check(rows: raw, file: "test.csv", zone: damascus, places: places)
    }

    static func time(_ text: String) throws -> Double {
        try LogTimeParser(zone: damascus).parse(text).start
    }

    /// GNU date(1) — the C library's tzdata and proleptic Gregorian calendar, an independent
    /// reference — with `arguments` (a leading `TZ=…` sets the zone) and `input` on stdin: its
    /// output without the final newline, or nil when it refuses (exit status not 0).
    static func date(_ arguments: [String], input: String? = nil) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let zone = arguments.prefix { $0.hasPrefix("TZ=") }
        process.arguments = zone + ["date"] + arguments.dropFirst(zone.count)
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    /// Runs a GeographicLib tool with `input` on stdin and returns its stdout's numbers, line by line.
    static func geographicLib(_ tool: String, _ arguments: [String], input: String) throws -> [[Double]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw GeodSolveMissing() }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ").compactMap { Double($0) } }
    }

    /// The point `distance` metres along the geodesic from a to b, by GeodSolve.
    static func geodSolvePosition(_ a: GeoPoint, _ b: GeoPoint, _ distance: Double) throws -> GeoPoint {
        let out = try geographicLib("GeodSolve", ["-I", "\(a.latitude)", "\(a.longitude)", "\(b.latitude)", "\(b.longitude)", "-p", "10"], input: "\(distance)\n")
        return try GeoPoint(latitude: out[0][0], longitude: out[0][1])
    }

    /// Geodesic distance from a to b, by GeodSolve.
    static func geodSolveDistance(_ a: GeoPoint, _ b: GeoPoint) throws -> Double {
        try geographicLib("GeodSolve", ["-i", "-p", "10"], input: "\(a.latitude) \(a.longitude) \(b.latitude) \(b.longitude)\n")[0][2]
    }
}

struct GeodSolveMissing: Error, CustomStringConvertible {
    var description: String { "GeodSolve (Debian package geographiclib-tools) is needed by these tests" }
}

/// A resolver over a fixed list, for tests that need no store.
struct FixedPlaces: PlaceResolving {
    let places: [String: RoutePlace]

    func routePlaces(for text: String) throws -> PlaceLookup {
        if let p = places[text] { return .found([p]) }
        return .notFound(suggestions: [])
    }
}
