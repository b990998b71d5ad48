import ConvoyCLI
import ConvoyTestSupport
import Foundation
import Synchronization

/// Runs `convoy` in-process with captured output, on a fresh store in a temporary folder built from
/// the repository's Gazetteer/ (so tests never touch the user's store).
struct ConvoyRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The repository root (this file is Tests/ConvoyCLITests/ConvoyRunner.swift).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var gazetteerDirectory: String { repository.appendingPathComponent("Gazetteer").path }

    let directory: URL
    var databasePath: String { directory.appendingPathComponent("convoy.sqlite").path }

    init() throws {
        directory = ScratchSpace.path("convoy-cli")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Runs `convoy ARGS --db <temp store> --gazetteer <repo>/Gazetteer` unless `storeOptions` is false.
    func run(_ arguments: [String], storeOptions: Bool = true) -> Result {
        let out = Mutex(""), err = Mutex("")
        let console = Console(
            standardOutput: { text in out.withLock { $0 += text } },
            standardError: { text in err.withLock { $0 += text } })
        let full = storeOptions ? arguments + ["--db", databasePath, "--gazetteer", Self.gazetteerDirectory] : arguments
        let status = Console.$current.withValue(console) { ConvoyCLI.run(full) }
        return Result(status: status, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
    }

    /// Decodes the JSON printed by a `--json` run.
    func json(_ arguments: [String]) throws -> (Result, Any) {
        let result = run(arguments + ["--json"])
        let value = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return (result, value)
    }
}
