/// A line and column in a text file, both counted from 1 (columns in Unicode scalars).
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A JSON value that remembers where it stood in its file, so that a gazetteer with a bad value
/// is reported as `file:line:col: message` at the value itself. RFC 8259; rejects duplicate keys,
/// NaN/Infinity and trailing garbage. Package-visible so that other readers of GeoJSON (road files)
/// report errors the same way.
package indirect enum LocatedJSON: Sendable {
    case null(SourceLocation)
    case bool(Bool, SourceLocation)
    case number(Double, SourceLocation)
    case string(String, SourceLocation)
    case array([LocatedJSON], SourceLocation)
    case object([(key: String, value: LocatedJSON)], SourceLocation)

    package var location: SourceLocation {
        switch self {
        case .null(let l), .bool(_, let l), .number(_, let l), .string(_, let l), .array(_, let l), .object(_, let l): l
        }
    }

    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    package subscript(key: String) -> LocatedJSON? {
        guard case .object(let members, _) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    package static func parse(_ bytes: [UInt8]) throws(LocatedJSONError) -> LocatedJSON {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0, member: nil)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }
}

package struct LocatedJSONError: Error, Sendable {
    package let location: SourceLocation
    package let message: String
}

private struct Parser {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0
    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3 }  // UTF-8 byte order mark
    }

    /// The last column computed: (byte index, column) on the line starting at `lineStart`, so that
    /// columns on a long line (a minified file is one line) are counted once, not from the line's start
    /// for every value.
    var counted = (lineStart: 0, index: 0, column: 1)

    var location: SourceLocation {
        mutating get { SourceLocation(line: line, column: column(at: index)) }
    }

    /// The column of byte `position` on the current line. Columns count scalars, not bytes: UTF-8
    /// continuation bytes are skipped.
    mutating func column(at position: Int) -> Int {
        if counted.lineStart != lineStart || counted.index > position { counted = (lineStart, lineStart, 1) }
        var column = counted.column
        for i in counted.index..<position where (bytes[i] & 0xC0) != 0x80 { column += 1 }
        counted = (lineStart, position, column)
        return column
    }

    mutating func error(_ message: String) -> LocatedJSONError {
        LocatedJSONError(location: location, message: message)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    /// The value at the current position; `member` is the name of the object member it is (or whose
    /// array it is in), for messages.
    mutating func parseValue(depth: Int, member: String?) throws(LocatedJSONError) -> LocatedJSON {
        guard depth < 512 else { throw error("JSON nested too deeply") }
        guard index < bytes.count else { throw error("unexpected end of file, expected a value") }
        let start = location
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(key: String, value: LocatedJSON)] = []
            var seen = Set<String>()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members, start)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw error("expected a quoted member name")
                }
                let keyLocation = location
                let key = try parseString()
                guard seen.insert(key).inserted else {
                    throw LocatedJSONError(location: keyLocation, message: "duplicate member \"\(key)\"")
                }
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "expected ':' after member name")
                skipWhitespace()
                members.append((key, try parseValue(depth: depth + 1, member: key)))
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of file inside an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "}"), "expected ',' or '}' in object")
                return .object(members, start)
            }
        case UInt8(ascii: "["):
            index += 1
            var elements: [LocatedJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements, start)
            }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth + 1, member: member))
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of file inside an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "]"), "expected ',' or ']' in array")
                return .array(elements, start)
            }
        case UInt8(ascii: "\""):
            return .string(try parseString(), start)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true, start)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false, start)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null(start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber(member: member, at: start), start)
        default:
            throw error("unexpected character '\(Unicode.Scalar(bytes[index]))', expected a JSON value")
        }
    }

    mutating func expect(_ byte: UInt8, _ message: String) throws(LocatedJSONError) {
        guard index < bytes.count, bytes[index] == byte else { throw error(message) }
        index += 1
    }

    mutating func literal(_ word: String) throws(LocatedJSONError) {
        let utf8 = Array(word.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw error("invalid literal, expected \(word)")
        }
        index += utf8.count
    }

    mutating func parseNumber(member: String?, at location: SourceLocation) throws(LocatedJSONError) -> Double {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits() -> Int {
            let s = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - s
        }
        let intDigits = digits()
        guard intDigits > 0 else { throw error("invalid number") }
        if intDigits > 1, bytes[start + (bytes[start] == UInt8(ascii: "-") ? 1 : 0)] == UInt8(ascii: "0") {
            throw error("invalid number: leading zero")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("invalid number: no digits after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("invalid number: no digits in exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            let field = member.map { " for \"\($0)\"" } ?? ""
            throw LocatedJSONError(location: location, message: "number \(text)\(field) is too large for a double (beyond ±1.8e308)")
        }
        return value
    }

    mutating func parseString() throws(LocatedJSONError) -> String {
        index += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: out, as: UTF8.self) else {
                    throw error("string is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in \\u escape")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw error("invalid escape '\\\(Unicode.Scalar(escape))'")
                }
            case 0x00..<0x20:
                throw error("control character in string (escape it)")
            default:
                out.append(byte)
                index += 1
            }
        }
    }

    mutating func hex4() throws(LocatedJSONError) -> UInt32 {
        guard bytes.count - index >= 4, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw error("invalid \\u escape") }
        index += 4
        return value
    }
}
