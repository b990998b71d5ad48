import ArgumentParser
import ConvoyGazetteer
import Foundation

/// Where the store and the bundled data are; shared by every command that reads places.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite store to use.", discussion: "Default: $CONVOY_DB, else $XDG_DATA_HOME/convoy/convoy.sqlite, else ~/.local/share/convoy/convoy.sqlite.", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Folder holding the bundled places.geojson.", discussion: "Default: $CONVOY_GAZETTEER, else found beside the executable or in the checkout it was built from.", valueName: "dir"))
    var gazetteer: String?

    func validate() throws {
        if db?.isEmpty == true { throw ValidationError("--db needs a file; it was given an empty path") }
    }

    /// Opens the store, building or rebuilding it from the bundled data when needed.
    func open() throws -> Gazetteer {
        let path = DataLocations.databasePath(option: db)
        let directory = try DataLocations.gazetteerDirectory(option: gazetteer)
        let store = try Gazetteer(path: path, bundledDirectory: directory)
        if case .rebuilt(let count) = store.bundledSync {
            warn("convoy: built the gazetteer store (\(count) places) at \(path)")
        }
        return store
    }
}

/// `--json`: machine-readable output with the documented, stable shape.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (shapes documented in README.md).")
    var json = false
}
