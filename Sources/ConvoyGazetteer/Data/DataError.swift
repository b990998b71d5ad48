/// A problem in an input file, located so that editors can jump to it: `file:line:col: message`
/// (`file:line: message` for line-oriented formats such as GeoNames dumps).
public struct DataError: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    package init(file: String, at location: SourceLocation, _ message: String) {
        self.init(file: file, line: location.line, column: location.column, message: message)
    }

    public var description: String {
        var prefix = file
        if let line { prefix += ":\(line)" }
        if let column { prefix += ":\(column)" }
        return "\(prefix): \(message)"
    }
}

/// One or more problems that stopped an import; nothing was written.
public struct DataErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [DataError]
    /// True when more problems were found than are listed.
    public let truncated: Bool

    public init(_ errors: [DataError], truncated: Bool = false) {
        self.errors = errors
        self.truncated = truncated
    }

    public var description: String {
        var lines = errors.map(\.description)
        if truncated { lines.append("(further problems not listed)") }
        return lines.joined(separator: "\n")
    }
}

/// A file that cannot be opened or read at all (exit status 2 in the CLI).
public struct FileAccessError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
