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

    /// `file:line:col: message`, one line, with every control character of the file name and the
    /// message written as a visible escape (``ControlCharacters/escaped(_:)``): a message quotes the
    /// input, and the input must never drive the terminal.
    public var description: String {
        var prefix = ControlCharacters.escaped(file)
        if let line { prefix += ":\(line)" }
        if let column { prefix += ":\(column)" }
        return "\(prefix): \(ControlCharacters.escaped(message))"
    }
}

/// The characters input files may not carry in their text, and how messages show them.
///
/// Rejected in text fields (``isForbidden(_:)``), because they are never part of a report's words and
/// each does harm: C0 controls other than TAB, LF and CR (NUL truncates text in SQLite, so ids
/// merge; ESC starts terminal escape sequences), DEL, the C1 controls U+0080–U+009F (U+009B is a
/// one-byte CSI in some terminals), the bidirectional embeddings, overrides and isolates
/// U+202A–U+202E and U+2066–U+2069 (they reorder what an editor or terminal shows, so a row can
/// read as something else: "Trojan Source", CVE-2021-42574), the line and paragraph separators
/// U+2028/U+2029 (invisible line breaks for some viewers), and U+FEFF inside text (an invisible
/// character that makes two equal-looking ids differ). The implicit direction marks LRM, RLM and
/// ALM (U+200E, U+200F, U+061C) are accepted: they occur in Arabic text copied from web pages and
/// affect only the neutral characters next to them. Messages show all of these, and TAB, LF and CR,
/// as escapes.
public enum ControlCharacters {
    /// True for a scalar that may not appear in a text field of an input file.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0xFEFF: true
        default: false
        }
    }

    /// True for a scalar a message writes as an escape: the forbidden ones, TAB, LF, CR and the
    /// implicit direction marks.
    public static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x061C, 0x200E, 0x200F: true
        default: isForbidden(scalar)
        }
    }

    /// `text` with each escaped scalar written as `\t`, `\n`, `\r` or `\u{1B}` (Swift's notation,
    /// hexadecimal code point); everything else as it is.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isEscaped) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isEscaped(scalar) else {
                out.append(scalar)
                continue
            }
            switch scalar {
            case "\t": out.append(contentsOf: #"\t"#.unicodeScalars)
            case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": out.append(contentsOf: #"\r"#.unicodeScalars)
            default: out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(out)
    }

    /// `U+001B (ESC)`: how a message names a rejected character.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let names: [UInt32: String] = [
            0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL",
            0x85: "next line", 0x9B: "CSI", 0x202A: "left-to-right embedding", 0x202B: "right-to-left embedding",
            0x202C: "pop directional formatting", 0x202D: "left-to-right override", 0x202E: "right-to-left override",
            0x2066: "left-to-right isolate", 0x2067: "right-to-left isolate", 0x2068: "first strong isolate",
            0x2069: "pop directional isolate", 0x2028: "line separator", 0x2029: "paragraph separator", 0xFEFF: "zero-width no-break space",
        ]
        if let name = names[scalar.value] { return "\(code) (\(name))" }
        switch scalar.value {
        case 0x00...0x1F: return "\(code) (a C0 control character)"
        case 0x80...0x9F: return "\(code) (a C1 control character)"
        default: return code
        }
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

    /// `path: reason`, the path's control characters written as escapes (a file name is input too).
    public var description: String { "\(ControlCharacters.escaped(path)): \(reason)" }
}
