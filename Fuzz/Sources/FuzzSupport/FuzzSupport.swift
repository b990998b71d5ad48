import ConvoyExport
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyRoute
import Foundation

/// What the harnesses share, made once per fuzzing process: a scratch folder, the bundled
/// gazetteer's store and roads, and the steps an input goes through. A harness must never trap on
/// any input: a thrown error is an answer (the input was refused), a trap or a sanitizer report is
/// a finding.
public enum Fuzz {
    /// The repository: `CONVOY_ROOT`, else two folders above this package.
    public static let root: URL = {
        if let root = ProcessInfo.processInfo.environment["CONVOY_ROOT"] { return URL(fileURLWithPath: root) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // Fuzz/Sources/FuzzSupport
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// A folder of this process's own in the temporary directory (scripts/fuzz.sh points TMPDIR
    /// at a folder it removes afterwards).
    public static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The bundled gazetteer's folder (Gazetteer/).
    public static var gazetteerDirectory: URL { root.appendingPathComponent("Gazetteer") }

    /// A store of the bundled gazetteer, built once (a second of work, before the first input).
    nonisolated(unsafe) public static let gazetteer: Gazetteer = {
        do {
            return try Gazetteer(path: scratch.appendingPathComponent("gazetteer.sqlite").path, bundledDirectory: gazetteerDirectory)
        } catch {
            fatalError("the fuzzers need the bundled gazetteer at \(gazetteerDirectory.path): \(error)")
        }
    }()

    /// The bundled roads, as `convoy` loads them.
    nonisolated(unsafe) public static let roads: RoadNetwork = {
        let url = gazetteerDirectory.appendingPathComponent("roads.geojson")
        return (try? RoadNetwork.load(url, displayPath: "Gazetteer/roads.geojson") { ids in (try? gazetteer.names(ofPlaceIDs: ids)) ?? [:] }) ?? .none
    }()

    public static let zone = TimeZone(identifier: "Asia/Damascus")!

    /// Writes an input to a file of the scratch folder (the parsers under test read files, as the
    /// commands do) and returns its path.
    public static func file(_ data: UnsafeRawBufferPointer, named name: String) -> String {
        let path = scratch.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(data))
        return path
    }

    /// The bytes libFuzzer hands over, as a buffer (an empty input has no base address).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
        guard let data, size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: data, count: size)
    }
}

/// An update log from the file through every later step a user can take: `import updates`
/// (check, then the store), `replay`, `where`, every export format and the `view` page.
public enum LogPipeline {
    public static func run(_ data: UnsafeRawBufferPointer, fileName: String) {
        let path = Fuzz.file(data, named: fileName)
        let gazetteer = Fuzz.gazetteer, roads = Fuzz.roads
        let known = Set(roads.roads.map(\.id))
        guard let log = try? UpdateLog.load(path: path, displayPath: fileName, zone: Fuzz.zone, places: gazetteer, knownRoads: known) else { return }
        // Stored and read back, as `import updates` and every later command do.
        let store = try? RouteStore(gazetteer)
        try? store?.replace(with: log)
        let reloaded = (try? store?.load(places: gazetteer, knownRoads: known)) ?? log
        let model = ConvoyModel(log: reloaded, roads: NetworkSpace(roads: roads.graph))
        let speed = model.settings.maximumSpeed
        _ = RouteText.replay(model.replay, zone: Fuzz.zone)
        _ = RouteJSON.replay(model.replay)
        // Questions at each row's window ends, between rows, before and after, and over a day.
        var times = Set(model.units.flatMap(\.allRows).flatMap { [$0.time.start, $0.time.end] }.filter(\.isFinite))
        if let first = times.min(), let last = times.max() {
            times.formUnion([first - 86_400, (first + last) / 2, last + 86_400])
        }
        for t in times.sorted().prefix(16) {
            for query in [WhereTime.instant(t), .day(from: t, to: t + 86_400)] {
                let answers = model.answer(query)
                _ = RouteText.answer(answers, query: query, zone: Fuzz.zone, maximumSpeed: speed)
                _ = RouteJSON.answer(answers, query: query, zone: Fuzz.zone, maximumSpeed: speed)
            }
        }
        let document = ExportDocument(model: model)
        for format in ExportFormat.allCases {
            try? Exporter.write(document, as: format, to: MemorySink())
        }
        let landmarks = [ViewPage.Landmark(name: "Palmyra", latitude: 34.56, longitude: 38.2672)]
        _ = try? ViewPage.html(for: document, landmarks: landmarks, leafletDirectory: Fuzz.scratch.path)
    }
}
