import Foundation
import Synchronization

/// Where convoy finds its bundled data and keeps its store. The order is documented in README.md.
public enum DataLocations {
    /// Environment variable naming the SQLite store file.
    public static let databaseVariable = "CONVOY_DB"
    /// Environment variable naming the folder that holds `places.geojson`.
    public static let gazetteerVariable = "CONVOY_GAZETTEER"

    /// The store: `--db`, else `$CONVOY_DB`, else `$XDG_DATA_HOME/convoy/convoy.sqlite`,
    /// else `~/.local/share/convoy/convoy.sqlite`.
    /// An empty `--db` is refused as a usage error before this is called (``StoreOptions``).
    public static func databasePath(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let path = unrecordedDatabasePath(option: option, environment: environment)
        resolvedStore?.path = path
        return path
    }

    static func unrecordedDatabasePath(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let path = environment[databaseVariable], !path.isEmpty { return path }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"].map { $0 + "/.local/share" } ?? FileManager.default.homeDirectoryForCurrentUser.path + "/.local/share")
        return dataHome + "/convoy/convoy.sqlite"
    }

    /// The store the running command uses, so that a store error can name it (one per
    /// ``ConvoyCLI/run(_:)``, which sets it).
    @TaskLocal static var resolvedStore: ResolvedStorePath?

    /// The bundled gazetteer folder, first that holds `places.geojson` of:
    /// `--gazetteer`, `$CONVOY_GAZETTEER`, `<executable>/../share/convoy/Gazetteer` (an installed
    /// binary), `<executable>/Gazetteer`, the source checkout the binary was built from, and
    /// `./Gazetteer`. An explicit option or variable that does not hold the file is an error.
    public static func gazetteerDirectory(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL? {
        if option?.isEmpty == true { throw CommandFailure.usage("--gazetteer needs a folder; it was given an empty path") }
        for explicit in [option, environment[gazetteerVariable]] {
            guard let explicit, !explicit.isEmpty else { continue }
            let url = URL(fileURLWithPath: explicit)
            guard holdsGazetteer(url) else {
                throw CommandFailure.usage("\(explicit): no places.geojson in this folder (from --gazetteer or \(gazetteerVariable))")
            }
            return url
        }
        return candidates().first(where: holdsGazetteer)
    }

    static func candidates() -> [URL] {
        var list: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        if let path = Bundle.main.executablePath {
            let dir = URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent()
            list.append(dir.appendingPathComponent("../share/convoy/Gazetteer").standardized)
            list.append(dir.appendingPathComponent("Gazetteer"))
        }
        list.append(executable.deletingLastPathComponent().appendingPathComponent("../share/convoy/Gazetteer").standardized)
        // This file is Sources/ConvoyCLI/Support/DataLocations.swift in the checkout that was built.
        list.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Gazetteer").standardized)
        list.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Gazetteer"))
        return list
    }

    static func holdsGazetteer(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("places.geojson").path)
    }
}

/// The store path a command resolved (see ``DataLocations/resolvedStore``).
final class ResolvedStorePath: Sendable {
    private let value = Mutex<String?>(nil)

    var path: String? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
