import ConvoyTestSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The built `convoy` executable run as a process of its own, for what in-process runs cannot show:
/// closed or full standard output, kill -9, several processes on one store. `$CONVOY_BIN` overrides
/// the binary (to run these tests against another build).
struct ConvoyProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// True when the process was ended by a signal (a trap is SIGILL or SIGTRAP).
        let signalled: Bool
    }

    /// `convoy` beside the test runner (both are in the build's products folder).
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["CONVOY_BIN"], !path.isEmpty { return path }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        // On macOS the runner sits inside a .xctest bundle.
        while folder.path != "/", !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("convoy").path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("convoy").path
    }()

    /// A folder for one test's files and store.
    let directory: URL
    var databasePath: String { directory.appendingPathComponent("convoy.sqlite").path }

    init() throws {
        directory = ScratchSpace.path("convoy-process")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The environment every run gets: this test's store and the repository's gazetteer.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["CONVOY_DB"] = databasePath
        environment["CONVOY_GAZETTEER"] = ConvoyRunner.gazetteerDirectory
        environment["CONVOY"] = Self.binary
        environment.removeValue(forKey: "CONVOY_LOG")
        return environment
    }

    /// Starts `sh -c script` (the binary is `"$CONVOY"`), its stdout and stderr going to files.
    func start(_ script: String, environment extra: [String: String] = [:]) throws -> (Process, stdout: URL, stderr: URL) {
        let name = UUID().uuidString
        let out = directory.appendingPathComponent("\(name).out"), err = directory.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, out, err)
    }

    /// Runs `sh -c script` to its end.
    func shell(_ script: String, environment extra: [String: String] = [:]) throws -> Result {
        let (process, out, err) = try start(script, environment: extra)
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8), stderr: try String(contentsOf: err, encoding: .utf8),
            signalled: process.terminationReason == .uncaughtSignal)
    }

    /// Runs convoy with `arguments` (each quoted for the shell), then `redirection` (`>&-`, `>/dev/full`).
    func run(_ arguments: [String], redirection: String = "") throws -> Result {
        try shell("exec \"$CONVOY\" " + arguments.map(Self.quoted).joined(separator: " ") + " " + redirection)
    }

    static func quoted(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Waits until `condition` holds (checked every half millisecond) or `process` ends; true if it held.
    static func wait(for process: Process, until condition: () -> Bool, timeout: Duration = .seconds(60)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(500)
        }
        return condition()
    }

    /// kill -9, then reaps the process.
    static func kill9(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
