import ConvoyGazetteer

/// One field of a CSV record with the position where it starts, so errors can say `file:line:col`.
public struct CSVField: Sendable, Hashable {
    public let text: String
    /// 1-based line and column (in characters) of the field's first character.
    public let line: Int
    public let column: Int

    public init(text: String, line: Int, column: Int) {
        self.text = text
        self.line = line
        self.column = column
    }
}

/// One CSV record: its fields and the line it starts on.
public struct CSVRecord: Sendable, Hashable {
    public let fields: [CSVField]
    public let line: Int
}

/// A small RFC 4180 reader: comma separators, double-quoted fields with `""` escapes and embedded
/// line breaks, CRLF or LF records. Hand-written (rather than a CSV package) because error messages
/// must point at the line and column of the offending field. A UTF-8 byte-order mark is skipped.
public enum CSVReader {
    /// Splits `text` into records. Blank lines are skipped.
    /// - Throws: ``DataError`` for a quote that is never closed or text after a closing quote.
    public static func records(_ text: String, file: String) throws(DataError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [CSVField] = []
        var field = ""
        var fieldLine = 1, fieldColumn = 1
        var line = 1, column = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var afterQuote = false
        var chars = Array(text)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var index = 0

        func endField() {
            fields.append(CSVField(text: field, line: fieldLine, column: fieldColumn))
            field = ""
            quotedField = false
            afterQuote = false
        }
        func endRecord() {
            endField()
            let blank = fields.count == 1 && fields[0].text.isEmpty && !quotedFieldSeen
            if !blank { records.append(CSVRecord(fields: fields, line: recordLine)) }
            fields = []
        }
        var quotedFieldSeen = false
        var atFieldStart = true

        while index < chars.count {
            let c = chars[index]
            if atFieldStart {
                fieldLine = line
                fieldColumn = column
                atFieldStart = false
                if fields.isEmpty { recordLine = line; quotedFieldSeen = false }
            }
            if inQuotes {
                if c == "\"" {
                    if index + 1 < chars.count, chars[index + 1] == "\"" {
                        field.append("\"")
                        index += 2
                        column += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                    index += 1
                    column += 1
                    continue
                }
                field.append(c)
                if c == "\n" || c == "\r\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                index += 1
                continue
            }
            switch c {
            case ",":
                endField()
                atFieldStart = true
                column += 1
            case "\n", "\r\n", "\r":
                endRecord()
                atFieldStart = true
                line += 1
                column = 1
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
                field.append(c)
                column += 1
            }
            index += 1
        }
        if inQuotes {
            throw DataError(file: file, line: fieldLine, column: fieldColumn, message: "quoted field is never closed (a missing \")")
        }
        if !atFieldStart || !fields.isEmpty { endRecord() }
        return records
    }
}
