import ConvoyGazetteer
import Foundation

/// Reads one line of a JSON Lines log: an object whose members are the log's fields.
///
/// Foundation's `JSONSerialization` decodes the strings that hold escapes (`\n`, `\u00e9`, surrogate
/// pairs). The structure is checked here, by a small located scanner, because Foundation's errors
/// carry no column for most faults (a lone surrogate has none at all) and its values lose what the
/// log must tell apart: `true` from `1`, `17` from `17.0` or `1e1`, and a key given twice. The scanner
/// follows RFC 8259 (nesting limited to 64 levels) and stops at the first syntax error of a line.
struct JSONLine {
    /// A member of the line's object, with the columns of its key and its value.
    struct Member {
        let key: String
        let keyColumn: Int
        let value: Value
        let valueColumn: Int
    }

    enum Value {
        case string(String, forbidden: TextPosition?, lineBreak: TextPosition?)
        /// A number as written (`17`, `17.9`, `1e308`).
        case number(String)
        case bool(Bool)
        case null
        case array
        case object

        /// How a message names what was found.
        var found: String {
            switch self {
            case .string: "a string"
            case .number(let raw): "the number \(raw)"
            case .bool(let b): "\(b)"
            case .null: "null"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    let bytes: [UInt8]
    let line: Int
    let file: String
    private var index = 0

    init(bytes: [UInt8], line: Int, file: String) {
        self.bytes = bytes
        self.line = line
        self.file = file
    }

    /// The 1-based column, in Unicode scalars, of the byte at `offset`.
    func column(_ offset: Int) -> Int {
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] where byte & 0xC0 != 0x80 { column += 1 }
        return column
    }

    private func fail(_ offset: Int, _ message: String) -> DataError {
        DataError(file: file, line: line, column: column(offset), message: message)
    }

    /// The members of the line's object, in order; the column of its `{`.
    mutating func members() throws(DataError) -> (members: [Member], column: Int) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            let start = index
            let found = index < bytes.count ? (try? value(depth: 1))?.found ?? "text that is not JSON" : "nothing"
            throw fail(start, "expected an object {…} on this line (one object per line), found \(found)")
        }
        let open = index
        let members = try object(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw fail(index, "text after the object; a JSON Lines log holds one object per line") }
        return (members, column(open))
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// An object from its `{`.
    private mutating func object(depth: Int) throws(DataError) -> [Member] {
        index += 1
        var members: [Member] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail(index, index < bytes.count ? "expected a field name in double quotes" : "the line ends inside the object (a missing })")
            }
            let keyStart = index
            guard case .string(let key, _, _) = try string() else { throw fail(keyStart, "expected a field name") }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail(index, "expected ':' after the field name \"\(key)\"") }
            index += 1
            skipWhitespace()
            let valueStart = index
            let v = try value(depth: depth + 1)
            members.append(Member(key: key, keyColumn: column(keyStart), value: v, valueColumn: column(valueStart)))
            guard try another(before: "}", in: "the object", after: "the value of \"\(key)\"") else { return members }
        }
    }

    /// After a member or an element: true when a `,` follows, false when `closer` closes the container.
    private mutating func another(before closer: Unicode.Scalar, in container: String, after what: String) throws(DataError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw fail(index, "the line ends inside \(container) (a missing \(closer))") }
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: ",") { return true }
        guard byte == UInt8(ascii: closer) else { throw fail(index - 1, "expected ',' or '\(closer)' after \(what)") }
        return false
    }

    private mutating func value(depth: Int) throws(DataError) -> Value {
        guard depth <= 64 else { throw fail(index, "JSON nested more than 64 levels deep") }
        guard index < bytes.count else { throw fail(index, "the line ends where a value should be") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            _ = try object(depth: depth)
            return .object
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array
            }
            repeat {
                skipWhitespace()
                _ = try value(depth: depth + 1)
            } while try another(before: "]", in: "an array", after: "an element of the array")
            return .array
        case UInt8(ascii: "\""):
            return try string()
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        default:
            throw fail(index, "expected a JSON value (a string in double quotes, a number, true, false or null)")
        }
    }

    private mutating func literal(_ word: String) throws(DataError) {
        let utf8 = Array(word.utf8)
        guard bytes.count - index >= utf8.count, bytes[index..<index + utf8.count].elementsEqual(utf8) else {
            throw fail(index, "expected a JSON value (a string in double quotes, a number, true, false or null)")
        }
        index += utf8.count
    }

    /// A number, as written: RFC 8259's grammar (no leading zeros, no `+`, no bare `.`).
    private mutating func number() throws(DataError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits() -> Int {
            let s = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - s
        }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0 else { throw fail(start, "a number needs digits") }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") { throw fail(start, "a JSON number has no leading zero") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw fail(start, "a number needs digits after its '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw fail(start, "a number needs digits in its exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A string from its opening quote, with the positions of its first forbidden character and
    /// first line break (raw or escaped). Escapes are decoded by JSONSerialization.
    private mutating func string() throws(DataError) -> Value {
        let start = index
        index += 1
        var forbidden: TextPosition?, lineBreak: TextPosition?
        var escaped = false
        func note(_ scalar: Unicode.Scalar, at offset: Int) {
            if forbidden == nil, ControlCharacters.isForbidden(scalar) { forbidden = TextPosition(scalar: scalar, line: line, column: column(offset)) }
            if lineBreak == nil, scalar == "\n" || scalar == "\r" { lineBreak = TextPosition(scalar: scalar, line: line, column: column(offset)) }
        }
        while true {
            guard index < bytes.count else { throw fail(start, "this string is never closed (a missing \")") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                let text: String
                if escaped {
                    guard let decoded = try? JSONSerialization.jsonObject(with: Data(bytes[start..<index]), options: .fragmentsAllowed) as? String else {
                        throw fail(start, "this string cannot be decoded")
                    }
                    text = decoded
                } else {
                    text = String(decoding: bytes[(start + 1)..<(index - 1)], as: UTF8.self)
                }
                return .string(text, forbidden: forbidden, lineBreak: lineBreak)
            case UInt8(ascii: "\\"):
                escaped = true
                let at = index
                guard index + 1 < bytes.count else { throw fail(at, "the line ends inside an escape") }
                let letter = bytes[index + 1]
                switch letter {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "b"), UInt8(ascii: "f"):
                    let scalar: Unicode.Scalar = letter == UInt8(ascii: "n") ? "\n" : letter == UInt8(ascii: "r") ? "\r" : letter == UInt8(ascii: "b") ? "\u{8}" : "\u{C}"
                    note(scalar, at: at)
                    index += 2
                case UInt8(ascii: "u"):
                    let code = try hex4(at: at)
                    index += 6
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                            (0xDC00...0xDFFF).contains(try hex4(at: index))
                        else {
                            throw fail(at, "a lone surrogate \\u\(hexText(code)): a \\u escape from D800 to DBFF must be followed by one from DC00 to DFFF (JSON text encodes whole characters)")
                        }
                        index += 6
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail(at, "a lone surrogate \\u\(hexText(code)): a \\u escape from DC00 to DFFF must follow one from D800 to DBFF (JSON text encodes whole characters)")
                    } else if let scalar = Unicode.Scalar(code) {
                        note(scalar, at: at)
                    }
                default:
                    throw fail(at, "unknown escape \\\(Unicode.Scalar(letter)); JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX")
                }
            case 0x00..<0x20:
                throw fail(index, "a raw \(ControlCharacters.name(Unicode.Scalar(byte))) inside a string; JSON requires control characters to be escaped")
            default:
                let (scalar, length) = Self.scalar(bytes, at: index)
                note(scalar, at: index)
                index += length
            }
        }
    }

    private func hex4(at offset: Int) throws(DataError) -> UInt32 {
        guard offset + 6 <= bytes.count, let value = UInt32(String(decoding: bytes[(offset + 2)..<(offset + 6)], as: UTF8.self), radix: 16),
            bytes[(offset + 2)..<(offset + 6)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
        else { throw fail(offset, "\\u must be followed by four hexadecimal digits") }
        return value
    }

    private func hexText(_ code: UInt32) -> String { String(code, radix: 16, uppercase: true) }

    /// The scalar starting at `offset` of valid UTF-8, and its length in bytes.
    static func scalar(_ bytes: [UInt8], at offset: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[offset]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard offset + length <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = length == 1 ? UInt32(lead) : UInt32(lead) & (0xFF >> UInt32(length + 1))
        for k in 1..<max(1, length) { value = value << 6 | UInt32(bytes[offset + k] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }
}
