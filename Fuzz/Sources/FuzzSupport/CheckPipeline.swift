@_spi(Fuzzing) import ConvoyCheck
import ConvoyGazetteer
import Foundation

/// A report through `convoy check` (and `--fix`), and the index's cache files through their reader.
public enum CheckPipeline {
    /// The bundled gazetteer's name index, as `convoy check` builds it for a report.
    nonisolated(unsafe) public static let index: NameIndex = {
        do { return try NameIndex(gazetteer: Fuzz.gazetteer) } catch { fatalError("cannot index the bundled gazetteer: \(error)") }
    }()

    /// Checks a report as `convoy check --fix` does, and holds the answer to what any answer must be:
    /// every position inside the report, each mention's text the report's own bytes there, and
    /// the fixed text the report itself when nothing was replaced.
    public static func run(_ report: [UInt8], format: ReportFormat, options: ReportChecker.Options, fixVariants: Bool) {
        var options = options
        options.fixVariants = fixVariants
        let checker = ReportChecker(index: index, gazetteer: Fuzz.gazetteer, options: options)
        var fixed: [UInt8] = []
        var positions: [TextPosition] = []
        var mentions: [(TextPosition, String)] = []
        let summary: ReportChecker.Summary
        do {
            summary = try checker.check(
                ReportSource.bytes(report, displayName: "report"), format: format, fix: { fixed += $0 },
                onMention: { mentions.append(($0.position, $0.text)) }, onDiagnostic: { positions.append($0.position) })
        } catch {
            return  // refused (a binary file)
        }
        for p in positions + mentions.map(\.0) {
            guard p.offset >= 0, p.length >= 0, p.offset + p.length <= report.count, p.line >= 1 || p.line == 0 else {
                fatalError("a position outside the report: \(p) in \(report.count) bytes")
            }
        }
        for (p, text) in mentions where text != String(decoding: report[p.offset..<(p.offset + p.length)], as: UTF8.self) {
            fatalError("mention '\(text)' is not the report's text at \(p)")
        }
        if summary.fixes == 0, fixed != report { fatalError("--fix changed a report in which it replaced no name") }
        if format != .text, summary.fixes > 0 { markupKept(report, fixed, format: format) }
    }

    /// A fix never cuts markup: the fixed text has the same tags, comments, entities, URLs and
    /// link targets as the report, as the checker's mask reads them in the whole text at once (the
    /// check reads it block by block: a block's edge must not change what is markup).
    static func markupKept(_ report: [UInt8], _ fixed: [UInt8], format: ReportFormat) {
        let before = format.markupRuns(report), after = format.markupRuns(fixed)
        if before != after {
            let first = zip(before, after).first { $0 != $1 }.map { "\(String(reflecting: String(decoding: $0, as: UTF8.self))) became \(String(reflecting: String(decoding: $1, as: UTF8.self)))" }
                ?? "\(before.count) pieces before, \(after.count) after"
            fatalError("--fix changed the markup: \(first)")
        }
    }

    /// Reads a cache file's body (its fingerprint and tables, as the file holds them before its
    /// checksum) of `kind` 0: `names-index`, 1: `names-index-large`, 2: `suggest-index`; what is
    /// accepted is used.
    public static func readCache(_ body: [UInt8], kind: Int) {
        if kind == 2 {
            guard let suggestions = try? SuggestionIndex.readCacheBody(body, index: index) else { return }
            for phrase in ["Palmira", "Homms", "Deir ez Zor", "Sukhna", "حمص", "Abu Kamall", "Qalamon", "x", ""] {
                _ = suggestions.suggestions(for: phrase)
            }
            return
        }
        guard let read = try? NameIndex.readCacheBody(body, forLargeInputs: kind == 1) else { return }
        let checker = ReportChecker(index: read)
        _ = checker.check(text: sampleReport, format: .text)
        _ = checker.check(text: sampleReport, format: .html)
    }

    /// Names in every shape the scan reads: exact, variant, normalised, possessive, Abu forms,
    /// articles, Arabic script, long phrases, misspellings, unknown places.
    static let sampleReport: String = {
        var text = """
            The convoy left Qara and the western Qalamoun for Abu Kamal (Albukamal, Abul Kamal) via Palmyra's \
            outskirts, Tadmur, Humayma and As Sukhnah; near Deir ez-Zor Governorate, east of Arsal, in al-Mayadin \
            and Al-Qaryatayn. In Yormouk camp, toward Palmira, at Ḩumaymah, بحمص وحماة تدمر دير الزور, Abu-Kamal, \
            Abou Kamal, the Golan Heights, Jaroud ‘Arsaal. Shab&rsquo;a and Palmyr&#97;.

            """
        for place in (try? Fuzz.gazetteer.places()) ?? [] {
            text += "It reached \(place.name), " + place.names.prefix(4).map(\.text).joined(separator: " and ") + ". "
        }
        return text
    }()
}

extension CheckPipeline {
    /// Writes the bundled gazetteer's three cache files, as seeds of the cache harness, into `folder`.
    public static func writeCacheSeeds(into folder: URL) {
        let store = Fuzz.gazetteer
        do {
            for large in [false, true] { _ = try NameIndex.cached(gazetteer: store, forLargeInputs: large) }
            _ = SuggestionIndex.cached(index: index, gazetteer: store)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (kind, suffix) in [".names-index", ".names-index-large", ".suggest-index"].enumerated() {
                let file = try Data(contentsOf: URL(fileURLWithPath: store.path + suffix))
                try (Data([UInt8(kind)]) + file.dropLast(8)).write(to: folder.appendingPathComponent("bundled\(suffix)"))
            }
        } catch {
            fatalError("cannot write the cache seeds: \(error)")
        }
    }
}
