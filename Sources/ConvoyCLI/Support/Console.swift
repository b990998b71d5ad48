import Foundation

/// Where command output goes. The executable writes to the process's stdout and stderr; tests
/// swap in a capturing console with `Console.$current.withValue(...)` and run commands in-process.
public struct Console: Sendable {
    public var standardOutput: @Sendable (String) -> Void
    public var standardError: @Sendable (String) -> Void
    /// True when stderr is a terminal (progress lines may then be redrawn in place).
    public var errorIsTerminal: Bool

    public init(standardOutput: @escaping @Sendable (String) -> Void, standardError: @escaping @Sendable (String) -> Void, errorIsTerminal: Bool = false) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.errorIsTerminal = errorIsTerminal
    }

    public static let process = Console(
        standardOutput: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
        standardError: { text in FileHandle.standardError.write(Data(text.utf8)) },
        errorIsTerminal: isatty(2) == 1)

    @TaskLocal public static var current: Console = .process
}

/// Writes a line to standard output.
func say(_ text: String = "") {
    Console.current.standardOutput(text + "\n")
}

/// Writes a line to standard error (progress, warnings, errors).
func warn(_ text: String) {
    Console.current.standardError(text + "\n")
}
