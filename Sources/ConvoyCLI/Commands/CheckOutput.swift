import ArgumentParser
import ConvoyCheck
import ConvoyGazetteer
import Foundation

/// What `convoy check --output` prints (docs/check.md, "Output for tools").
enum CheckOutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// `FILE:LINE:COL: severity: message`, the compiler format.
    case text
    /// The documented JSON shape (also `--json`).
    case json
    /// One SARIF 2.1.0 log, for code hosts and editors.
    case sarif
    /// GitHub Actions workflow commands (`::error file=…::message`), one per diagnostic.
    case github
}

/// A span of a report in the terms SARIF and GitHub use: 1-based lines, 1-based columns counted in
/// UTF-16 code units (SARIF's default `columnKind`, `utf16CodeUnits`), the end column exclusive.
struct ToolRegion: Equatable {
    var startLine: Int
    var startColumn: Int
    var endLine: Int
    var endColumn: Int
    /// The 0-based byte offset and byte length in the original file.
    var byteOffset: Int
    var byteLength: Int
}

/// Turns byte spans of one report into ``ToolRegion``s, from the report's bytes.
///
/// A column counts the UTF-16 code units of the line before it: one per UTF-8 sequence (a byte that
/// does not continue one, 10xxxxxx), two for a four-byte sequence (a scalar beyond the BMP); an
/// invalid byte counts as one (it reads as U+FFFD). A byte-order mark opening the file is not a column.
struct UTF16Locator {
    private let bytes: [UInt8]
    /// Byte offsets where lines start (after each line feed).
    private let lineStarts: [Int]

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    /// Line (1-based) and UTF-16 column (1-based) of byte `offset`.
    func position(of offset: Int) -> (line: Int, column: Int) {
        let offset = max(0, min(offset, bytes.count))
        // The last line start at or before `offset`.
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        var start = lineStarts[low]
        if start == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = min(3, offset) }
        var units = 0
        for b in bytes[start..<offset] {
            if b & 0xC0 != 0x80 { units += 1 }
            if b >= 0xF0 { units += 1 }
        }
        return (low + 1, units + 1)
    }

    func region(offset: Int, length: Int) -> ToolRegion {
        let start = position(of: offset), end = position(of: offset + max(0, length))
        return ToolRegion(startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column,
                          byteOffset: offset, byteLength: max(0, length))
    }
}

/// One diagnostic as the tool outputs show it.
struct ToolFinding {
    let diagnostic: Diagnostic
    let region: ToolRegion
    /// What `--fix` writes over the diagnostic's text, if it fixes it.
    let fix: FixReplacement?
}

/// The rules of SARIF output: one per diagnostic code, with what it means (the table in docs/check.md).
enum DiagnosticRuleTable {
    /// Every diagnostic code, in the order of docs/check.md's table.
    static let codes: [DiagnosticCode] = [
        .variant, .disambiguated, .ambiguous, .recordedMisspelling, .misspelling, .unknownPlace, .invalidUTF8, .emptyFile, .longLine, .notFixed,
    ]

    /// A one-line description and the usual severity of a code.
    static func describe(_ code: DiagnosticCode) -> (short: String, level: Severity) {
        switch code {
        case .variant: ("A place named by a spelling other than its canonical name.", .note)
        case .disambiguated: ("A name of several places, settled by the report's other places.", .note)
        case .ambiguous: ("A name of several places that the report does not settle.", .warning)
        case .recordedMisspelling: ("A spelling the gazetteer records as a misspelling of a place.", .error)
        case .misspelling: ("A place-like phrase not in the gazetteer, close to a gazetteer name.", .error)
        case .unknownPlace: ("A place-like phrase the gazetteer does not know.", .error)
        case .invalidUTF8: ("Bytes that are not UTF-8.", .error)
        case .emptyFile: ("An empty report.", .warning)
        case .longLine: ("A line longer than the read block; a name across a cut could be missed.", .note)
        case .notFixed: ("With --fix: a name left as written, and why.", .note)
        }
    }

    /// SARIF's `name` for a rule: the code in UpperCamelCase ("unknown-place" → "UnknownPlace").
    static func camelName(_ code: DiagnosticCode) -> String {
        code.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            .replacingOccurrences(of: "Utf8", with: "UTF8")
    }
}

// MARK: - SARIF

/// Builds one SARIF 2.1.0 log (one run) from the findings of every report, printed at the end.
struct SARIFWriter {
    /// The tool's version in SARIF (convoy has no numbered release yet).
    static let toolVersion = "0.1.0-dev"
    static let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    private var results: [[String: Any]] = []
    private var notifications: [[String: Any]] = []
    private let workingDirectory: String

    init(workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.workingDirectory = workingDirectory
    }

    /// The artifact location of a report: a URI relative to the working directory (base id
    /// `%SRCROOT%`) when it lies inside it, an absolute `file:` URI otherwise, and only a
    /// description for standard input.
    func artifactLocation(_ path: String) -> [String: Any] {
        if path == "-" || path == "<stdin>" { return ["description": ["text": "standard input"]] }
        var relative = path
        if path.hasPrefix("/") {
            let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
            guard path.hasPrefix(base) else { return ["uri": "file://" + Self.percentEncoded(path)] }
            relative = String(path.dropFirst(base.count))
        }
        while relative.hasPrefix("./") { relative.removeFirst(2) }
        return ["uri": Self.percentEncoded(relative), "uriBaseId": "%SRCROOT%"]
    }

    /// A path as a URI reference: every byte but the unreserved ones, `/` and a few sub-delimiters
    /// percent-encoded (`:` too, so a relative path is never read as a scheme).
    static func percentEncoded(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~/!$&'()*+,;=@".contains(c) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    private static func region(_ r: ToolRegion) -> [String: Any] {
        ["startLine": r.startLine, "startColumn": r.startColumn, "endLine": r.endLine, "endColumn": r.endColumn,
         "byteOffset": r.byteOffset, "byteLength": r.byteLength]
    }

    mutating func add(_ finding: ToolFinding, path: String) {
        let d = finding.diagnostic
        let location = artifactLocation(path)
        var result: [String: Any] = [
            "ruleId": d.code.rawValue,
            "ruleIndex": DiagnosticRuleTable.codes.firstIndex(of: d.code) ?? 0,
            "level": d.severity.rawValue,
            "message": ["text": d.message],
            "locations": [["physicalLocation": ["artifactLocation": location, "region": Self.region(finding.region)]]],
        ]
        if !d.suggestions.isEmpty {
            result["properties"] = ["suggestions": d.suggestions.map { ["id": $0.placeID, "name": $0.name, "matched_name": $0.matchedName, "edit_distance": $0.editDistance] }]
        }
        if let fix = finding.fix {
            result["fixes"] = [[
                "description": ["text": "Replace '\(fix.text)' with '\(fix.replacement)' (what convoy check --fix writes)."],
                "artifactChanges": [["artifactLocation": location,
                                     "replacements": [["deletedRegion": Self.region(finding.region), "insertedContent": ["text": fix.replacement]]]]],
            ]]
        }
        results.append(result)
    }

    /// A report that could not be read: a tool execution notification (and the run is marked unsuccessful).
    mutating func addFailure(path: String, reason: String) {
        notifications.append([
            "level": "error",
            "message": ["text": "\(path): \(reason)"],
            "locations": [["physicalLocation": ["artifactLocation": artifactLocation(path)]]],
        ])
    }

    func document() -> [String: Any] {
        let rules: [[String: Any]] = DiagnosticRuleTable.codes.map { code in
            let (short, level) = DiagnosticRuleTable.describe(code)
            return ["id": code.rawValue, "name": DiagnosticRuleTable.camelName(code), "shortDescription": ["text": short],
                    "defaultConfiguration": ["level": level.rawValue]]
        }
        let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        let run: [String: Any] = [
            "tool": ["driver": ["name": "convoy", "fullName": "convoy check", "version": Self.toolVersion, "rules": rules]],
            "originalUriBaseIds": ["%SRCROOT%": ["uri": "file://" + Self.percentEncoded(base)]],
            "columnKind": "utf16CodeUnits",
            "invocations": [["executionSuccessful": notifications.isEmpty, "toolExecutionNotifications": notifications]],
            "results": results,
        ]
        return ["$schema": Self.schema, "version": "2.1.0", "runs": [run]]
    }

    func text() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: document(), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

// MARK: - GitHub workflow commands

/// GitHub Actions workflow commands: `::error file=F,line=L,col=C,endLine=L2,endColumn=E,title=T::message`
/// (`::warning`, `::notice` for notes), escaped as GitHub's toolkit escapes them.
enum GitHubAnnotations {
    /// A command's message: `%`, CR and LF percent-encoded.
    static func escapedData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A property value: as a message, and `:` and `,` too.
    static func escapedProperty(_ s: String) -> String {
        escapedData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    static func command(for severity: Severity) -> String {
        switch severity {
        case .note: "notice"
        case .warning: "warning"
        case .error: "error"
        }
    }

    static func line(_ finding: ToolFinding, path: String) -> String {
        let d = finding.diagnostic, r = finding.region
        var properties = ["file=\(escapedProperty(path))", "line=\(r.startLine)", "col=\(r.startColumn)"]
        if r.endLine != r.startLine { properties.append("endLine=\(r.endLine)") }
        properties.append("endColumn=\(r.endColumn)")
        properties.append("title=\(escapedProperty("convoy check: \(d.code.rawValue)"))")
        var message = d.message
        if let fix = finding.fix { message += " (convoy check --fix writes '\(fix.replacement)')" }
        return "::\(command(for: d.severity)) \(properties.joined(separator: ","))::\(escapedData(message))"
    }

    static func failure(path: String, reason: String) -> String {
        "::error file=\(escapedProperty(path)),title=\(escapedProperty("convoy check: file not read"))::\(escapedData("\(path): \(reason)"))"
    }
}
