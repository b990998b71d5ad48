import Foundation

/// GeographicLib's command-line tools (Debian geographiclib-tools), the independent reference for
/// geodesics in tests: an implementation apart from PROJ's.
public enum GeographicLib {
    /// Runs `tool` with `input` on stdin and returns its stdout's numbers, line by line.
    public static func run(_ tool: String, _ arguments: [String], input: String) throws -> [[Double]] {
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
        guard process.terminationStatus == 0 else { throw Missing(tool: tool) }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ").compactMap { Double($0) } }
    }

    public struct Missing: Error, CustomStringConvertible {
        public let tool: String
        public var description: String { "\(tool) (Debian package geographiclib-tools) is needed by these tests" }
    }
}
