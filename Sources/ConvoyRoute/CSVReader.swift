import ConvoyGazetteer
import Foundation

/// Where a character of a field stands in its file: 1-based line and column, columns counted in
/// Unicode scalars (code points), the unit Emacs and LSP's `utf-32` positions use. A combining mark
/// is a column of its own; a UTF-8 byte-order mark at the start of a file is not counted.
public struct TextPosition: Sendable, Hashable {
    public let scalar: Unicode.Scalar
    public let line: Int
    public let column: Int

    public init(scalar: Unicode.Scalar, line: Int, column: Int) {
        self.scalar = scalar
        self.line = line
        self.column = column
    }
}

/// One field of a CSV record (or one value of a JSON Lines object) with the position where it
/// starts, so errors can say `file:line:col`.
public struct CSVField: Sendable, Hashable {
    public let text: String
    /// 1-based line and column (in Unicode scalars) of the field's first character (its opening
    /// quote when quoted).
    public let line: Int
    public let column: Int
    /// The first character of the text that an input may not contain (``ControlCharacters``), where it stands.
    public let forbidden: TextPosition?
    /// The first line break (LF or CR) in the text, where it stands; only `quote` and `note` may span lines.
    public let lineBreak: TextPosition?

    /// A field whose positions are known: the readers give them.
    public init(text: String, line: Int, column: Int, forbidden: TextPosition?, lineBreak: TextPosition?) {
        self.text = text
        self.line = line
        self.column = column
        self.forbidden = forbidden
        self.lineBreak = lineBreak
    }

    /// A field taken to be written as it is from `line`:`column` (rows built in code, rows read
    /// back from the store); its controls and line breaks are located on that assumption.
    public init(text: String, line: Int, column: Int) {
        var forbidden: TextPosition?, lineBreak: TextPosition?
        var l = line, c = column
        var previousCR = false
        for scalar in text.unicodeScalars {
            if forbidden == nil, ControlCharacters.isForbidden(scalar) { forbidden = TextPosition(scalar: scalar, line: l, column: c) }
            if scalar == "\n" || scalar == "\r" {
                if lineBreak == nil { lineBreak = TextPosition(scalar: scalar, line: l, column: c) }
                if !(scalar == "\n" && previousCR) { l += 1 }
                c = 1
            } else {
                c += 1
            }
            previousCR = scalar == "\r"
        }
        self.init(text: text, line: line, column: column, forbidden: forbidden, lineBreak: lineBreak)
    }
}

/// One CSV record: its fields and the line it starts on.
public struct CSVRecord: Sendable, Hashable {
    public let fields: [CSVField]
    public let line: Int
}

/// A small RFC 4180 reader: comma separators, double-quoted fields with `""` escapes and embedded
/// line breaks, LF, CRLF or CR line ends. Hand-written (rather than a CSV package) because error
/// messages must point at the line and column of the offending character. It reads Unicode scalars,
/// not grapheme clusters, so a combining mark after a comma or quote stays in the field it starts
/// (Swift's `Character` would merge `,` + U+0301 into one). A UTF-8 byte-order mark is skipped.
public enum CSVReader {
    /// Splits `text` into records. Blank lines are skipped.
    /// - Throws: ``DataError`` for a quote that is never closed, text after a closing quote, or a
    ///   file whose first line is separated by `;` or tabs instead of commas.
    public static func records(_ text: String, file: String) throws(DataError) -> [CSVRecord] {
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        try checkSeparator(scalars, file: file)

        var records: [CSVRecord] = []
        var fields: [CSVField] = []
        var field = String.UnicodeScalarView()
        var forbidden: TextPosition?, lineBreak: TextPosition?
        var fieldLine = 1, fieldColumn = 1
        var line = 1, column = 1
        var recordLine = 1
        var inQuotes = false, quotedField = false, afterQuote = false, quotedFieldSeen = false
        var atFieldStart = true

        func endField() {
            fields.append(CSVField(text: String(field), line: fieldLine, column: fieldColumn, forbidden: forbidden, lineBreak: lineBreak))
            field = String.UnicodeScalarView()
            forbidden = nil
            lineBreak = nil
            quotedField = false
            afterQuote = false
        }
        func endRecord() {
            endField()
            let blank = fields.count == 1 && fields[0].text.isEmpty && !quotedFieldSeen
            if !blank { records.append(CSVRecord(fields: fields, line: recordLine)) }
            fields = []
        }
        func note(_ c: Unicode.Scalar) {
            if forbidden == nil, ControlCharacters.isForbidden(c) { forbidden = TextPosition(scalar: c, line: line, column: column) }
        }

        var index = scalars.startIndex
        while index < scalars.endIndex {
            let c = scalars[index]
            let next = scalars.index(after: index)
            let following: Unicode.Scalar? = next < scalars.endIndex ? scalars[next] : nil
            if atFieldStart {
                fieldLine = line
                fieldColumn = column
                atFieldStart = false
                if fields.isEmpty {
                    recordLine = line
                    quotedFieldSeen = false
                }
            }
            if inQuotes {
                if c == "\"" {
                    if following == "\"" {
                        field.append("\"")
                        index = scalars.index(after: next)
                        column += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                    column += 1
                } else if c == "\n" || c == "\r" {
                    if lineBreak == nil { lineBreak = TextPosition(scalar: c, line: line, column: column) }
                    field.append(c)
                    if c == "\r", following == "\n" {
                        field.append("\n")
                        index = scalars.index(after: next)
                    } else {
                        index = next
                    }
                    line += 1
                    column = 1
                    continue
                } else {
                    note(c)
                    field.append(c)
                    column += 1
                }
                index = next
                continue
            }
            switch c {
            case ",":
                endField()
                atFieldStart = true
                column += 1
            case "\n", "\r":
                endRecord()
                atFieldStart = true
                line += 1
                column = 1
                if c == "\r", following == "\n" {
                    index = scalars.index(after: next)
                    continue
                }
            case "\"":
                if field.isEmpty, !quotedField, !afterQuote {
                    inQuotes = true
                    quotedField = true
                    quotedFieldSeen = true
                } else {
                    throw DataError(file: file, line: line, column: column, message: "a quote (\") inside an unquoted field: quote the whole field and double the quote (\"\")")
                }
                column += 1
            default:
                if afterQuote {
                    throw DataError(file: file, line: line, column: column, message: "text after the closing quote of a field; a field is either wholly quoted or not at all")
                }
                note(c)
                field.append(c)
                column += 1
            }
            index = next
        }
        if inQuotes {
            throw DataError(file: file, line: fieldLine, column: fieldColumn, message: "quoted field is never closed (a missing \")")
        }
        if !atFieldStart || !fields.isEmpty { endRecord() }
        return records
    }

    /// A first line with no comma but a `;` or a tab is a file in another dialect (a spreadsheet's
    /// "CSV" in a locale whose decimal mark is the comma, or TSV): say so, rather than fail later
    /// on its quotes or its field count.
    static func checkSeparator(_ scalars: Substring.UnicodeScalarView, file: String) throws(DataError) {
        var column = 1
        var other: (separator: Unicode.Scalar, column: Int)?
        for c in scalars {
            if c == "," { return }
            if c == "\n" || c == "\r" { break }
            if other == nil, c == ";" || c == "\t" { other = (c, column) }
            column += 1
        }
        guard let other else { return }
        throw DataError(
            file: file, line: 1, column: other.column,
            message: "wrong separator: this file uses \(other.separator == ";" ? "';'" : "tabs") between fields; an update log is comma-separated (RFC 4180)")
    }
}

/// Decoding a file's bytes as UTF-8, with the position of the first byte that is not.
enum UTF8Text {
    /// The text of `data`, or a ``DataError`` at the line and column (in scalars) of the first
    /// invalid byte. Lines end at LF, and also at a lone CR when `crEndsLines` (CSV does, JSON Lines does not).
    static func decode(_ data: Data, file: String, crEndsLines: Bool) throws(DataError) -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var line = 1, column = 1, offset = 0
        var previousCR = false
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            for _ in 0..<3 { _ = iterator.next() }
            offset = 3
        }
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                let byte = encoded.first!
                if byte == 0x0A {
                    if !(previousCR && crEndsLines) { line += 1 }
                    column = 1
                } else if byte == 0x0D, crEndsLines {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                previousCR = byte == 0x0D
            case .error(let length):
                let bytes = data.dropFirst(offset).prefix(max(1, length)).map { String(format: "0x%02X", $0) }.joined(separator: " ")
                let first = data[data.startIndex + offset]
                let why: String
                if (0x80...0xBF).contains(first) {
                    why = "byte \(bytes) cannot start a character"
                } else if first == 0xC0 || first == 0xC1 || first >= 0xF5 {
                    why = "byte \(bytes) never occurs in UTF-8"
                } else {
                    why = "the bytes \(bytes) are not a whole UTF-8 character (cut short, overlong, or a surrogate)"
                }
                throw DataError(file: file, line: line, column: column, message: "not UTF-8: \(why); save the file as UTF-8")
            case .emptyInput:
                // Foundation refused what the standard library accepts: should not happen.
                throw DataError(file: file, line: 1, column: 1, message: "not UTF-8 text")
            }
        }
    }
}
