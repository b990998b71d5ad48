import ArgumentParser
import ConvoyCheck
import ConvoyExport
import ConvoyGazetteer
import Foundation

/// `convoy check FILE… | -`: a compiler for the place names in reports.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the place names in reports, like a compiler.",
        discussion: """
            Finds every mention of a gazetteer place (any recorded spelling, Latin or Arabic script, the \
            longest name winning) and prints diagnostics as FILE:LINE:COL: SEVERITY: MESSAGE — \
            note: a variant resolved to its canonical name; warning: an ambiguous name; \
            error: a probable misspelling or a place-like phrase the gazetteer does not know.

            The names are compiled into an index kept beside the store (STORE.names-index), rebuilt \
            when the store changes.

            Exit status: 0 no errors, 1 errors found, 2 usage or I/O error. See docs/check.md.
            """)

    @Argument(help: ArgumentHelp("Report files (UTF-8 text, Markdown or HTML); - reads standard input.", valueName: "file"))
    var files: [String] = []

    @Option(help: ArgumentHelp("How to read the reports: auto (by extension), text, markdown or html.", valueName: "format"))
    var format: String = "auto"

    @Flag(help: "Print each report with its misspelt names corrected (in the script they are written in).")
    var fix = false

    @Flag(name: .customLong("fix-variants"), help: "With --fix: also write recorded variants as their place's canonical name.")
    var fixVariants = false

    @Flag(name: .customLong("in-place"), help: "With --fix: rewrite the files themselves (a temporary file first; owner, mode and links kept).")
    var inPlace = false

    @Flag(help: "Also list every mention found.")
    var mentions = false

    @Flag(name: .customLong("no-notes"), help: "Leave out notes (variants resolved); warnings and errors are still shown.")
    var noNotes = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one report file, or - for standard input") }
        if inPlace, !fix { throw ValidationError("--in-place rewrites files with --fix: add --fix") }
        if fixVariants, !fix { throw ValidationError("--fix-variants changes what --fix writes: add --fix") }
        if inPlace, files.contains("-") { throw ValidationError("--in-place cannot rewrite standard input") }
        if fix, output.json { throw ValidationError("--fix prints text; it cannot be combined with --json") }
        if fix, !inPlace, files.count > 1 { throw ValidationError("--fix without --in-place prints one report: give one file") }
        if format != "auto", ReportFormat(rawValue: format) == nil { throw ValidationError("unknown --format '\(format)': use auto, text, markdown or html") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let gazetteer = try store.open()
        // Tokenizing every gazetteer name up front pays off only for a lot of text (docs/check.md).
        let inputBytes = files.reduce(0) { sum, path in
            sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        // The compiled index is kept beside the store; building it takes seconds for a GeoNames import.
        let index = try NameIndex.cached(gazetteer: gazetteer, forLargeInputs: inputBytes >= NameIndex.largeInputBytes) { cachePath in
            if let names = try? gazetteer.counts().names, names >= 100_000 {
                warn("convoy: indexing \(names) names for checking; kept in \(cachePath) until the store changes")
            }
        }
        var options = ReportChecker.Options()
        options.fixVariants = fixVariants
        let checker = ReportChecker(index: index, gazetteer: gazetteer, options: options)
        var reports: [FileJSON] = []
        var total = ReportChecker.Summary()
        var unreadable = 0
        for path in files {
            let shown = path == "-" ? "<stdin>" : path
            let source: ReportSource
            // --in-place: the file must be one that may be rewritten (checked first: a FIFO would
            // block the read), and its fixed text goes to a temporary file until it is complete.
            var rewritten: ReportRewrite?
            do {
                if inPlace { rewritten = try ReportRewrite(path: path) }
                source = path == "-" ? ReportSource.standardInput() : try ReportSource.open(path: path)
            } catch {
                unreadable += 1
                warn("convoy: \(error)")
                reports.append(FileJSON(path: shown, error: error.reason))
                continue
            }
            let kind = format == "auto" ? (path == "-" ? .text : ReportFormat.guess(path: path)) : ReportFormat(rawValue: format)!
            var report = FileJSON(path: shown, error: nil)
            var fixed: [UInt8] = []
            // The fixed text replaces the report only when a name was replaced (docs/check.md,
            // "--in-place"); a failed write leaves the report untouched.
            var writeFailure: FileAccessError?
            let json = output.json, listMentions = mentions, showNotes = !noNotes
            do throws(FileAccessError) {
                let keep: (([UInt8]) -> Void)? = !fix ? nil : { bytes in
                    guard let sink = rewritten else { return fixed.append(contentsOf: bytes) }
                    do throws(FileAccessError) { if writeFailure == nil { try sink.write(bytes) } } catch { writeFailure = error }
                }
                let summary = try checker.check(
                    source, format: kind, fix: keep,
                    onMention: { m in
                        if json { report.mentions.append(MentionJSON(m)) } else if listMentions {
                            let via = m.match == .exact ? "" : " (\(m.match.rawValue))"
                            say("\(shown):\(m.position.line):\(m.position.column): mention: '\(m.text)' → \(m.name) [\(m.placeID)]\(via)")
                        }
                    },
                    onDiagnostic: { d in
                        if json { report.diagnostics.append(DiagnosticJSON(d)) } else if showNotes || d.severity != .note {
                            let line = "\(shown):\(d.position.line):\(d.position.column): \(d.severity.rawValue): \(d.message)"
                            if fix { warn(line) } else { say(line) }
                        }
                    })
                report.summary = SummaryJSON(summary)
                report.bytes = summary.bytes
                total.add(summary)
                if let writeFailure { throw writeFailure }
                if let rewritten {
                    if summary.fixes > 0 {
                        let how = try rewritten.commit()
                        warn("convoy: rewrote \(path)\(how.map { " \($0)" } ?? "") (\(TextFormat.counted(summary.fixes, "name")) replaced)")
                    } else {
                        rewritten.abandon()
                    }
                }
            } catch {
                unreadable += 1
                warn("convoy: \(error)")
                report.error = error.reason
                reports.append(report)
                continue
            }
            reports.append(report)
            if fix, !inPlace {
                Console.current.standardOutput(String(decoding: fixed, as: UTF8.self))
            }
        }
        let checked = files.count - unreadable
        if output.json {
            try printJSON(CheckJSON(files: reports, summary: TotalJSON(total, files: files.count, unreadable: unreadable)))
        } else {
            let line = "checked \(TextFormat.counted(checked, "file")) (\(total.bytes) bytes): \(TextFormat.counted(total.mentions, "mention")) of \(TextFormat.counted(total.placeCount, "place")); "
                + "\(TextFormat.counted(total.errors, "error")), \(TextFormat.counted(total.warnings, "warning")), \(TextFormat.counted(total.notes, "note"))"
                + (unreadable > 0 ? "; \(TextFormat.counted(unreadable, "file")) not read" : "")
            if fix { warn(line) } else { say(line) }
        }
        if unreadable > 0 { throw ExitCode(2) }
        if total.errors > 0 { throw FindingsReported() }
    }
}

// MARK: - JSON shapes (documented in docs/check.md)

private struct CheckJSON: Encodable {
    let files: [FileJSON]
    let summary: TotalJSON
}

private struct FileJSON: Encodable {
    let path: String
    var error: String?
    var bytes = 0
    var mentions: [MentionJSON] = []
    var diagnostics: [DiagnosticJSON] = []
    var summary = SummaryJSON()

    init(path: String, error: String?) {
        self.path = path
        self.error = error
    }

    enum CodingKeys: String, CodingKey { case path, error, bytes, mentions, diagnostics, summary }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(error, forKey: .error)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(mentions, forKey: .mentions)
        try c.encode(diagnostics, forKey: .diagnostics)
        try c.encode(summary, forKey: .summary)
    }
}

/// Counts for one report; the totals add `files`, `unreadable` and `bytes` to the same keys.
private struct SummaryJSON: Encodable {
    var mentions = 0
    var places = 0
    var notes = 0
    var warnings = 0
    var errors = 0

    init() {}

    init(_ s: ReportChecker.Summary) {
        mentions = s.mentions
        places = s.placeCount
        notes = s.notes
        warnings = s.warnings
        errors = s.errors
    }
}

/// The run's totals: one flat object (documented in docs/check.md).
private struct TotalJSON: Encodable {
    let files: Int
    let unreadable: Int
    let bytes: Int
    let counts: SummaryJSON

    init(_ s: ReportChecker.Summary, files: Int, unreadable: Int) {
        self.files = files
        self.unreadable = unreadable
        bytes = s.bytes
        counts = SummaryJSON(s)
    }

    enum CodingKeys: String, CodingKey { case files, unreadable, bytes }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(files, forKey: .files)
        try c.encode(unreadable, forKey: .unreadable)
        try c.encode(bytes, forKey: .bytes)
        try counts.encode(to: encoder)
    }
}

private struct MentionJSON: Encodable {
    let text: String
    let line: Int
    let column: Int
    let offset: Int
    let length: Int
    let place_id: String
    let name: String
    let match: String
    let matched_name: String
    let name_kind: String
    let resolution: String
    let candidates: [String]

    init(_ m: Mention) {
        text = m.text
        line = m.position.line
        column = m.position.column
        offset = m.position.offset
        length = m.position.length
        place_id = m.placeID
        name = m.name
        match = m.match.rawValue
        matched_name = m.matchedName
        name_kind = m.nameKind.rawValue
        resolution = m.resolution.rawValue
        candidates = m.candidates
    }
}

private struct DiagnosticJSON: Encodable {
    let line: Int
    let column: Int
    let offset: Int
    let length: Int
    let severity: String
    let code: String
    let message: String
    let text: String
    let suggestions: [CheckSuggestionJSON]

    init(_ d: Diagnostic) {
        line = d.position.line
        column = d.position.column
        offset = d.position.offset
        length = d.position.length
        severity = d.severity.rawValue
        code = d.code.rawValue
        message = d.message
        text = d.text
        suggestions = d.suggestions.map(CheckSuggestionJSON.init)
    }
}

private struct CheckSuggestionJSON: Encodable {
    let id: String
    let name: String
    let matched_name: String
    let edit_distance: Int

    init(_ s: NameSuggestion) {
        id = s.placeID
        name = s.name
        matched_name = s.matchedName
        edit_distance = s.editDistance
    }
}
