import ConvoyGazetteer
import ConvoyScan

/// How serious a diagnostic is, in compiler terms: notes inform, warnings ask for a look, errors
/// are names that are wrong or unknown (any error makes `convoy check` exit 1).
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case note
    case warning
    case error

    var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// What a diagnostic is about; stable identifiers for the JSON output (documented in docs/check.md).
public enum DiagnosticCode: String, Sendable, Codable {
    /// A recorded variant or another spelling resolved to the canonical name.
    case variant
    /// A name shared by several places, settled by the report's other places (note).
    case disambiguated
    /// A name shared by several places that the report does not settle (warning).
    case ambiguous
    /// A spelling recorded in the gazetteer as a misspelling (error).
    case recordedMisspelling = "recorded-misspelling"
    /// A place-like phrase close to a gazetteer name (error).
    case misspelling
    /// A place-like phrase that is not in the gazetteer (error).
    case unknownPlace = "unknown-place"
    /// Bytes that are not UTF-8 (error; scanning goes on).
    case invalidUTF8 = "invalid-utf8"
    /// An empty input (warning).
    case emptyFile = "empty-file"
    /// A line longer than the read buffer (note: a name cut at the buffer edge can be missed).
    case longLine = "long-line"
    /// With `--fix`: a name left as written, and why (markup in or beside it, a gloss beside it).
    case notFixed = "not-fixed"
}

/// A gazetteer name offered for a phrase that did not resolve, best first.
public struct NameSuggestion: Sendable, Hashable, Codable {
    /// The place's id.
    public let placeID: String
    /// The place's canonical name.
    public let name: String
    /// The recorded spelling that came closest.
    public let matchedName: String
    /// Edit distance between the normalised keys.
    public let editDistance: Int

    public init(placeID: String, name: String, matchedName: String, editDistance: Int) {
        self.placeID = placeID
        self.name = name
        self.matchedName = matchedName
        self.editDistance = editDistance
    }

    /// A suggestion through the recorded `spelling` that came closest; a spelling with the same key
    /// as the canonical name is shown as the canonical name.
    init(placeID: String, name: String, spelling: String, editDistance: Int) {
        self.init(placeID: placeID, name: name, matchedName: NameKey.key(spelling) == NameKey.key(name) ? name : spelling, editDistance: editDistance)
    }
}

/// Where something is in a report: 1-based line and column (column in Unicode scalars, as editors
/// count), and the 0-based byte offset and byte length of the text.
public struct TextPosition: Sendable, Hashable, Codable {
    public let line: Int
    public let column: Int
    public let offset: Int
    public let length: Int

    public init(line: Int, column: Int, offset: Int, length: Int) {
        self.line = line
        self.column = column
        self.offset = offset
        self.length = length
    }

    /// The same span, with its line and column filled in.
    func at(line: Int, column: Int) -> TextPosition {
        TextPosition(line: line, column: column, offset: offset, length: length)
    }
}

/// One mention of a gazetteer place in a report.
///
/// A mention refers into the checker's ``NameIndex``: its names are read from the index when asked
/// for, so a scan that finds millions of mentions does not copy strings it may never show.
public struct Mention: Sendable, Hashable {
    /// The text as written in the report (internal whitespace kept).
    public let text: String
    public internal(set) var position: TextPosition
    /// exact (the canonical name), variant (a recorded spelling) or normalized (same key only).
    public let match: MatchKind
    /// The kind of the recorded name the text matched (a `misspelling` makes the mention an error).
    public let nameKind: NameKind
    /// How the place was chosen: unique, context (by the report's other places) or ranked (unsettled).
    public let resolution: Resolution
    let index: NameIndex
    /// The chosen place and the matched name, as indices in `index`.
    let place: Int32
    let matchedNameIndex: Int32
    /// The key the text has: the places it can name are ranked from it when they are read.
    let key: Int32

    init(text: String, position: TextPosition, index: NameIndex, place: Int32, matchedName: Int32,
         match: MatchKind, nameKind: NameKind, key: Int32, resolution: Resolution) {
        self.text = text
        self.position = position
        self.index = index
        self.place = place
        self.matchedNameIndex = matchedName
        self.match = match
        self.nameKind = nameKind
        self.key = key
        self.resolution = resolution
    }

    /// The place the mention is taken to name.
    public var placeID: String { index.placeIDs[Int(place)] }
    /// Its canonical name.
    public var name: String { index.placeNames[Int(place)] }
    /// The recorded spelling whose key the text has.
    public var matchedName: String { index.nameTexts[Int(matchedNameIndex)] }
    /// Every place the text could name, the chosen one first (more than one: ambiguous).
    public var candidates: [String] {
        resolution == .unique ? [placeID] : index.rankedPlaces(text, key: key, chosen: place).map { index.placeIDs[Int($0.place)] }
    }

    /// How a mention's place was chosen among its candidates.
    public enum Resolution: String, Sendable, Codable {
        case unique
        case context
        case ranked
    }

    public static func == (a: Mention, b: Mention) -> Bool {
        a.text == b.text && a.position == b.position && a.match == b.match && a.nameKind == b.nameKind
            && a.resolution == b.resolution && a.placeID == b.placeID && a.matchedName == b.matchedName
            && a.candidates == b.candidates
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(position)
        hasher.combine(placeID)
        hasher.combine(matchedName)
    }
}

/// A compiler-style finding: `file:line:col: severity: message`.
public struct Diagnostic: Sendable, Hashable {
    public internal(set) var position: TextPosition
    public let severity: Severity
    public let code: DiagnosticCode
    /// The text the diagnostic is about ("" for file-level ones).
    public let text: String
    let detail: Detail

    /// What the message and suggestions are made from: written out, or a variant note written
    /// when asked for (most mentions of variants are counted, not read).
    enum Detail: Sendable {
        case written(message: String, suggestions: [NameSuggestion])
        /// 'text' is place (another spelling of name) — `viaName` -1 for a recorded variant.
        case variant(NameIndex, place: Int32, viaName: Int32)
        /// A name several places have: the text's key and the place taken (the first in rank
        /// order unless the report's other places `settled` it); the others are ranked when read.
        case shared(NameIndex, key: Int32, chosen: Int32, settled: Bool)
    }

    init(position: TextPosition, severity: Severity, code: DiagnosticCode, message: String, text: String, suggestions: [NameSuggestion]) {
        self.position = position
        self.severity = severity
        self.code = code
        self.text = text
        detail = .written(message: message, suggestions: suggestions)
    }

    init(sharedAt position: TextPosition, text: String, severity: Severity, code: DiagnosticCode, detail: Detail) {
        self.position = position
        self.severity = severity
        self.code = code
        self.text = text
        self.detail = detail
    }

    init(variantAt position: TextPosition, text: String, index: NameIndex, place: Int32, viaName: Int32) {
        self.position = position
        severity = .note
        code = .variant
        self.text = text
        detail = .variant(index, place: place, viaName: viaName)
    }

    public var message: String {
        switch detail {
        case .written(let message, _):
            return message
        case .variant(let index, let place, let viaName):
            let how = viaName < 0 ? "" : " (another spelling of '\(index.nameTexts[Int(viaName)])')"
            return "'\(text)' is \(index.describe(Int(place)))\(how)"
        case .shared(let index, let key, let chosen, let settled):
            let ranked = index.rankedPlaces(text, key: key, chosen: chosen).map(\.place)
            let p = Int(chosen)
            guard settled else {
                let list = ranked.prefix(5).map { index.describe(Int($0)) }.joined(separator: ", ") + (ranked.count > 5 ? " and \(ranked.count - 5) more" : "")
                return "ambiguous name '\(text)' fits \(ranked.count) places: \(list); the report does not settle which (give a qualified name)"
            }
            let others = ranked.dropFirst().prefix(5).map { index.describe(Int($0)) }.joined(separator: ", ") + (ranked.count > 6 ? " and \(ranked.count - 6) more" : "")
            return "'\(text)' is \(index.describe(p)), taken from the report's other places in \(index.placeCountries[p] ?? "?"); it also names \(others)"
        }
    }

    /// Ranked gazetteer names to use instead (misspellings, unknown places, ambiguity candidates).
    public var suggestions: [NameSuggestion] {
        switch detail {
        case .written(_, let suggestions): return suggestions
        case .variant: return []
        case .shared(let index, let key, let chosen, _):
            return index.rankedPlaces(text, key: key, chosen: chosen).prefix(10).map { r in
                NameSuggestion(placeID: index.placeIDs[Int(r.place)], name: index.placeNames[Int(r.place)], matchedName: index.nameTexts[Int(r.name)], editDistance: 0)
            }
        }
    }

    public static func == (a: Diagnostic, b: Diagnostic) -> Bool {
        a.position == b.position && a.severity == b.severity && a.code == b.code && a.text == b.text
            && a.message == b.message && a.suggestions == b.suggestions
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(position)
        hasher.combine(code)
        hasher.combine(text)
    }
}

/// Everything found in one report.
public struct ReportResult: Sendable {
    public var mentions: [Mention] = []
    public var diagnostics: [Diagnostic] = []
    /// Bytes read.
    public var bytes: Int = 0

    public init() {}

    public func count(_ severity: Severity) -> Int { diagnostics.filter { $0.severity == severity }.count }
}

/// How to read a report's text.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Plain text (URLs and Markdown link targets are still skipped).
    case text
    /// Markdown: link targets, autolinks, code blocks and HTML tags are skipped.
    case markdown
    /// HTML: tags, comments, scripts and styles are skipped; entities are blanked (apostrophe entities join words).
    case html

    /// The format a file name suggests (.md/.markdown → markdown, .html/.htm/.xhtml → html, else text).
    public static func guess(path: String) -> ReportFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") || lower.hasSuffix(".mdown") { return .markdown }
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") { return .html }
        return .text
    }
}
