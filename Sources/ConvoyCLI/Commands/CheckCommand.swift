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

            --output sarif prints one SARIF 2.1.0 log (columns in UTF-16 code units), --output github \
            GitHub Actions annotations. A directory is searched for reports, recursively (--glob).

            Exit status: 0 no errors (and no more warnings than --max-warnings), 1 errors found or too \
            many warnings, 2 usage or I/O error. See docs/check.md.
            """)

    @Argument(help: ArgumentHelp("Report files (UTF-8 text, Markdown or HTML) or directories of them; - reads standard input.", valueName: "file"))
    var files: [String] = []

    @Option(name: .customLong("output"), help: ArgumentHelp("What to print: text, json (as --json), sarif (SARIF 2.1.0) or github (workflow annotations).", valueName: "kind"))
    var outputFormat: CheckOutputFormat?

    @Option(name: .customLong("max-warnings"), help: ArgumentHelp("Exit 1 when there are more than N warnings (errors always exit 1).", valueName: "N"))
    var maxWarnings: Int?

    @Option(name: .customLong("glob"), help: ArgumentHelp("In a directory, check the files matching PATTERN (repeatable; default: *.txt *.text *.md *.markdown *.mdown *.html *.htm *.xhtml).", valueName: "pattern"))
    var globs: [String] = []

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

    /// What is printed: `--output`, else JSON with `--json`, else text.
    var outputKind: CheckOutputFormat { outputFormat ?? (output.json ? .json : .text) }

    func validate() throws {
        if output.json, let outputFormat, outputFormat != .json { throw ValidationError("--json is --output json: it cannot be combined with --output \(outputFormat.rawValue)") }
        if let maxWarnings, maxWarnings < 0 { throw ValidationError("--max-warnings needs a count of 0 or more, not \(maxWarnings)") }
        if fix, outputKind != .text { throw ValidationError("--fix prints text; it cannot be combined with --output \(outputKind.rawValue)") }
        if mentions, outputKind == .sarif || outputKind == .github { throw ValidationError("--mentions lists mentions in text or JSON output, not --output \(outputKind.rawValue)") }
        if globs.contains(where: \.isEmpty) { throw ValidationError("--glob needs a pattern, such as '*.md'") }
        if files.isEmpty { throw ValidationError("give at least one report file, or - for standard input") }
        if inPlace, !fix { throw ValidationError("--in-place rewrites files with --fix: add --fix") }
        if fixVariants, !fix, outputKind != .sarif, outputKind != .github { throw ValidationError("--fix-variants changes what --fix writes (or SARIF and GitHub output offer): add --fix") }
        if inPlace, files.contains("-") { throw ValidationError("--in-place cannot rewrite standard input") }
        if fix, output.json { throw ValidationError("--fix prints text; it cannot be combined with --json") }
        if fix, !inPlace, files.count > 1 || files.contains(where: Self.isDirectory) { throw ValidationError("--fix without --in-place prints one report: give one file") }
        if format != "auto", ReportFormat(rawValue: format) == nil { throw ValidationError("unknown --format '\(format)': use auto, text, markdown or html") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The files to check: each argument as given, a directory replaced by the reports inside it
    /// (sorted); what a directory walk could not read is said and counted as unread.
    func expandedFiles() -> (paths: [String], problems: [FileAccessError]) {
        var paths: [String] = [], problems: [FileAccessError] = []
        for file in files {
            guard Self.isDirectory(file) else { paths.append(file); continue }
            let patterns = globs.isEmpty ? ReportSource.defaultReportPatterns : globs
            let listing = ReportSource.reports(in: file, matching: patterns)
            paths += listing.paths
            problems += listing.problems
            if listing.paths.isEmpty, listing.problems.isEmpty {
                problems.append(FileAccessError(path: file, reason: "no reports in this directory (looked for \(patterns.joined(separator: " ")); see --glob)"))
            }
        }
        return (paths, problems)
    }

    func run() throws {
        // A rulebook that cannot be read would make the check pass unknown places in silence.
        if case .failure(let malformed) = CheckRules.bundledResult {
            warn(malformed.description)
            warn("convoy: the check rules could not be read; nothing was checked")
            throw ExitCode(2)
        }
        let (files, walkProblems) = expandedFiles()
        let kind = outputKind
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
        var unreadable = walkProblems.count
        var sarif = SARIFWriter()
        for problem in walkProblems {
            warn("convoy: \(problem)")
            reports.append(FileJSON(path: problem.path, error: problem.reason))
            if kind == .sarif { sarif.addFailure(path: problem.path, reason: problem.reason) }
            if kind == .github { say(GitHubAnnotations.failure(path: problem.path, reason: problem.reason)) }
        }
        // SARIF and GitHub count columns in UTF-16 code units: they keep each report's bytes.
        let forTools = kind == .sarif || kind == .github
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
                if kind == .sarif { sarif.addFailure(path: path, reason: error.reason) }
                if kind == .github { say(GitHubAnnotations.failure(path: shown, reason: error.reason)) }
                continue
            }
            var checked = source
            var locator: UTF16Locator?
            if forTools {
                do throws(FileAccessError) {
                    let bytes = try source.readAll()
                    locator = UTF16Locator(bytes: bytes)
                    checked = ReportSource.bytes(bytes, displayName: source.displayName)
                } catch {
                    unreadable += 1
                    warn("convoy: \(error)")
                    if kind == .sarif { sarif.addFailure(path: path, reason: error.reason) }
                    if kind == .github { say(GitHubAnnotations.failure(path: shown, reason: error.reason)) }
                    continue
                }
            }
            var findings: [(Diagnostic, FixReplacement?)] = []
            var replacements: [Int: FixReplacement] = [:]
            let reportFormat: ReportFormat = format == "auto" ? (path == "-" ? .text : ReportFormat.guess(path: path)) : ReportFormat(rawValue: format)!
            var report = FileJSON(path: shown, error: nil)
            var fixed: [UInt8] = []
            // The fixed text replaces the report only when a name was replaced (docs/check.md,
            // "--in-place"); a failed write leaves the report untouched.
            var writeFailure: FileAccessError?
            let json = kind == .json, listMentions = mentions, showNotes = !noNotes
            do throws(FileAccessError) {
                let keep: (([UInt8]) -> Void)? = !fix ? nil : { bytes in
                    guard let sink = rewritten else { return fixed.append(contentsOf: bytes) }
                    do throws(FileAccessError) { if writeFailure == nil { try sink.write(bytes) } } catch { writeFailure = error }
                }
                let summary = try checker.check(
                    checked, format: reportFormat, fix: keep,
                    onReplacement: !forTools ? nil : { replacements[$0.offset] = $0 },
                    onMention: { m in
                        if json { report.mentions.append(MentionJSON(m)) } else if listMentions {
                            let via = m.match == .exact ? "" : " (\(m.match.rawValue))"
                            say("\(shown):\(m.position.line):\(m.position.column): mention: '\(m.text)' → \(m.name) [\(m.placeID)]\(via)")
                        }
                    },
                    onDiagnostic: { d in
                        if forTools {
                            guard showNotes || d.severity != .note else { return }
                            let fix = replacements[d.position.offset].flatMap { $0.length == d.position.length ? $0 : nil }
                            findings.append((d, fix))
                        } else if json { report.diagnostics.append(DiagnosticJSON(d)) } else if showNotes || d.severity != .note {
                            let line = "\(shown):\(d.position.line):\(d.position.column): \(d.severity.rawValue): \(d.message)"
                            if fix { warn(line) } else { say(line) }
                        }
                    })
                if let locator {
                    for (d, fix) in findings {
                        let finding = ToolFinding(diagnostic: d, region: locator.region(offset: d.position.offset, length: d.position.length), fix: fix)
                        if kind == .sarif { sarif.add(finding, path: path) } else { say(GitHubAnnotations.line(finding, path: shown)) }
                    }
                }
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
                if kind == .sarif { sarif.addFailure(path: path, reason: error.reason) }
                if kind == .github { say(GitHubAnnotations.failure(path: shown, reason: error.reason)) }
                continue
            }
            reports.append(report)
            if fix, !inPlace {
                Console.current.standardOutput(String(decoding: fixed, as: UTF8.self))
            }
        }
        let checked = files.count + walkProblems.count - unreadable
        let tooManyWarnings = maxWarnings.map { total.warnings > $0 } ?? false
        switch kind {
        case .json:
            try printJSON(CheckJSON(files: reports, summary: TotalJSON(total, files: files.count + walkProblems.count, unreadable: unreadable)))
        case .sarif:
            say(try sarif.text())
            fallthrough
        case .github, .text:
            let line = "checked \(TextFormat.counted(checked, "file")) (\(total.bytes) bytes): \(TextFormat.counted(total.mentions, "mention")) of \(TextFormat.counted(total.placeCount, "place")); "
                + "\(TextFormat.counted(total.errors, "error")), \(TextFormat.counted(total.warnings, "warning")), \(TextFormat.counted(total.notes, "note"))"
                + (unreadable > 0 ? "; \(TextFormat.counted(unreadable, "file")) not read" : "")
            // Tools read stdout: there the summary goes to stderr.
            if fix || kind != .text { warn(line) } else { say(line) }
        }
        if tooManyWarnings, let maxWarnings {
            warn("convoy: \(TextFormat.counted(total.warnings, "warning")), more than --max-warnings \(maxWarnings)")
        }
        if unreadable > 0 { throw ExitCode(2) }
        if total.errors > 0 || tooManyWarnings { throw FindingsReported() }
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
