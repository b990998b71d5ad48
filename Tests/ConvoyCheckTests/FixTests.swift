@_spi(Fuzzing) import ConvoyCheck
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyTestSupport
import Foundation
import Testing

/// What `--fix` writes (issue 17, finding 9): only misspellings unless variants are asked for, in
/// the script of the original, never cutting markup, never writing a name over its own gloss.
struct FixTests {
    /// The fixed text and the diagnostics of a report checked with `--fix`.
    static func fix(_ text: String, format: ReportFormat = .text, variants: Bool = false, index: NameIndex = Fixture.index) throws
        -> (text: String, diagnostics: [Diagnostic], fixes: Int)
    {
        var options = ReportChecker.Options()
        options.fixVariants = variants
        let checker = index === Fixture.index ? ReportChecker(index: index, gazetteer: Fixture.gazetteer, options: options) : ReportChecker(index: index, options: options)
        var fixed: [UInt8] = [], diagnostics: [Diagnostic] = []
        let summary = try checker.check(ReportSource.bytes(Array(text.utf8), displayName: "report"), format: format, fix: { fixed += $0 },
                                        onMention: { _ in }, onDiagnostic: { diagnostics.append($0) })
        return (String(decoding: fixed, as: UTF8.self), diagnostics, summary.fixes)
    }

    static func notFixed(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.filter { $0.code == .notFixed }.map(\.message) }

    // MARK: - Only misspellings, unless asked

    @Test func fixChangesMisspellingsOnlyAndVariantsWhenAsked() throws {
        let text = "From Boukamal to Deir Ezzor Province, then to Palmrya and Yormouk camp.\n"
        let plain = try Self.fix(text)
        #expect(plain.text == "From Boukamal to Deir Ezzor Province, then to Palmyra and Yarmouk camp.\n")
        #expect(plain.fixes == 2)
        let variants = try Self.fix(text, variants: true)
        #expect(variants.text == "From Abu Kamal to Deir ez-Zor Governorate, then to Palmyra and Yarmouk camp.\n")
    }

    @Test func aMisspellingBecomesTheSpellingSuggestedNotTheLongCanonicalName() throws {
        // 'Yormouk' is recorded as a misspelling of Yarmouk Camp: the fix is the "did you mean".
        // (The canonical name, "Yarmouk Camp", would make "Yarmouk Camp camp".)
        for variants in [false, true] { #expect(try Self.fix("In Yormouk camp.", variants: variants).text == "In Yarmouk camp.") }
    }

    // MARK: - Markup (text, Markdown, HTML)

    @Test func entitiesAndTagsAroundNamesAreNeverCut() throws {
        for format in [ReportFormat.html, .markdown] {
            let a = try Self.fix("<p>To Palmyr&#97; and Arsaal&#39;s hills, then Yormouk&#97; camp.</p>", format: format, variants: true)
            // Arsaal, a variant, is fixed before the apostrophe entity; the names running into an
            // entity that may be a letter are left, with a note each.
            #expect(a.text == "<p>To Palmyr&#97; and Arsal&#39;s hills, then Yormouk&#97; camp.</p>", "\(format)")
            #expect(Self.notFixed(a.diagnostics).count == 2)
            #expect(Self.notFixed(a.diagnostics).allSatisfy { $0.contains("the word goes on in an entity right after it") })
            // A word that goes on after a tag, and a name inside a tag's attribute, are left.
            let b = try Self.fix("<p>In Yormouk<b>s</b> and <a title=\"Yormouk\">Yormouk</a> camp; Yormouk&nbsp;camp.</p>", format: format)
            #expect(b.text == "<p>In Yormouk<b>s</b> and <a title=\"Yormouk\">Yarmouk</a> camp; Yarmouk&nbsp;camp.</p>", "\(format)")
            #expect(Self.notFixed(b.diagnostics) == ["'Yormouk' not fixed to 'Yarmouk': the word goes on after markup right after it; fix it by hand"])
        }
        // The mention's text ends before the apostrophes: "Arsaal", not "Arsaal&#39".
        let html = try Self.fix("Near Arsaal&#39;s edge.", format: .html, variants: true)
        #expect(html.diagnostics.contains { $0.code == .variant && $0.text == "Arsaal" })
        // In plain text an entity is only characters: "Yormouk&#97;" is Yormouk followed by text.
        #expect(try Self.fix("In Yormouk&#97; camp.", format: .text).text == "In Yarmouk&#97; camp.")
        // Markdown: a link's text is prose, its target is not.
        #expect(try Self.fix("See [Yormouk](https://example.org/Yormouk) camp.", format: .markdown).text == "See [Yarmouk](https://example.org/Yormouk) camp.")
    }

    @Test func aTagCutByABlockEdgeStaysATag() throws {
        // Found by the check fuzzer: a line with no space or line feed is cut between blocks at any
        // byte, and a block ending in "<" left "/b,Yormouk,camp>" to the next one as text (and --fix
        // wrote into the tag). The cut now falls before the '<'.
        for format in [ReportFormat.html, .markdown] {
            let text = String(repeating: "A", count: 63) + "</b,Yormouk,camp>" + String(repeating: "B", count: 80) + "&#97;" + String(repeating: "C", count: 70) + "\n"
            var options = ReportChecker.Options(blockSize: 64)
            options.fixVariants = true
            var fixed: [UInt8] = [], mentions: [Mention] = []
            let summary = try ReportChecker(index: Fixture.index, gazetteer: Fixture.gazetteer, options: options).check(
                ReportSource.bytes(Array(text.utf8), displayName: "r"), format: format, fix: { fixed += $0 },
                onMention: { mentions.append($0) }, onDiagnostic: { _ in })
            #expect(mentions.isEmpty, "\(format)")
            #expect(summary.fixes == 0 && String(decoding: fixed, as: UTF8.self) == text, "\(format)")
        }
    }

    @Test func aLinkTargetCutByABlockEdgeStaysATarget() throws {
        // Found by the check fuzzer (Fuzz/findings/check/fix-changed-markdown-link-9d14959): a long
        // line was cut inside a link target whose parentheses nest ("](… [x](y) … Yormou)"), and
        // the block before the cut read it as prose, so --fix wrote into the target. On random
        // lines of links, parentheses and misspellings read in small blocks, a fix never changes
        // a link target as the whole text reads it.
        let pieces = ["[", "](", "(", ")", "]", "https://x.org/", "Yormou", "Palmrya", "Homs", " ", " ", " ", "and ", "near ",
                      "the convoy ", "word ", "\n"]
        var generator = SeededGenerator(seed: 21)
        var fixedSome = 0
        // One checker per read size, reused as `convoy check` reuses one for many reports (a
        // checker's first report loads the suggestions).
        let checkers = Fixture.checkers(blockSizes: [64, 67, 73, 80, 91, 104, 117, 127])
        for round in 0..<600 {
            var text = ""
            for _ in 0..<Int.random(in: 20...120, using: &generator) { text += pieces.randomElement(using: &generator)! }
            let report = Array(text.utf8)
            let format = [ReportFormat.markdown, .html, .text][round % 3]
            let checker = checkers[round % checkers.count]
            var fixed: [UInt8] = []
            let summary = try checker.check(ReportSource.bytes(report, displayName: "r"), format: format, fix: { fixed += $0 },
                                            onMention: { _ in }, onDiagnostic: { _ in })
            guard summary.fixes > 0 else { continue }
            fixedSome += 1
            #expect(format.markupRuns(report) == format.markupRuns(fixed), "\(format) \(checker.options.blockSize) \(text.debugDescription)")
        }
        #expect(fixedSome > 300)
    }

    @Test func fixingEveryFixtureKeepsItsMarkup() throws {
        for (name, format) in [("report.html", ReportFormat.html), ("report.md", .markdown)] {
            let original = try String(contentsOf: Fixture.fixture(name), encoding: .utf8)
            let fixed = try Self.fix(original, format: format, variants: true).text
            func markup(_ s: String) -> [String] { s.matches(of: /<[^>]*>|&[#A-Za-z0-9]{1,10};|\]\([^)\n]*\)/).map { String($0.output) } }
            #expect(markup(fixed) == markup(original), "\(name)")
        }
    }

    // MARK: - Script

    @Test func arabicScriptNamesStayArabic() throws {
        // Variants asked for: the Arabic name is the place's preferred Arabic name already.
        let a = try Self.fix("وصلت القافلة إلى تدمر ثم حمص.", variants: true)
        #expect(a.text == "وصلت القافلة إلى تدمر ثم حمص.")
        // An Arabic variant is written as the place's preferred Arabic name, never a Latin one.
        let b = try Self.fix("في مدينة حمص اليوم.", variants: true)
        #expect(b.text == "في حمص اليوم.")
        #expect(!b.text.contains("Homs"))
    }

    @Test func anArabicMisspellingIsFixedOnlyToAnArabicNameOfTheSamePlace() throws {
        let point = try GeoPoint(latitude: 34.7, longitude: 36.7)
        let homs = Place(id: "sy-homs", name: "Homs", kind: "city", country: "SY", location: point, uncertaintyMeters: 5000, coordinateSource: "test",
                         names: [PlaceName(text: "Homs", lang: "en", script: "Latn", kind: .preferred),
                                 PlaceName(text: "حمص", lang: "ar", script: "Arab", kind: .preferred),
                                 PlaceName(text: "حمس", lang: "ar", script: "Arab", kind: .misspelling),
                                 PlaceName(text: "Hommss", lang: "en", script: "Latn", kind: .misspelling)], origin: .bundled)
        let far = Place(id: "xx-far", name: "Faraway", kind: "town", country: "XX", location: point, uncertaintyMeters: 5000, coordinateSource: "test",
                        names: [PlaceName(text: "Faraway", lang: "en", script: "Latn", kind: .preferred),
                                PlaceName(text: "فرعي", lang: "ar", script: "Arab", kind: .misspelling)], origin: .bundled)
        let index = NameIndex(places: [homs, far])
        for variants in [false, true] {
            #expect(try Self.fix("وصلوا إلى حمس أمس", variants: variants, index: index).text == "وصلوا إلى حمص أمس")
            #expect(try Self.fix("They reached Hommss.", variants: variants, index: index).text == "They reached Homs.")
            // A misspelling whose place has no good Arabic spelling is left.
            #expect(try Self.fix("إلى فرعي", variants: variants, index: index).text == "إلى فرعي")
        }
    }

    // MARK: - Glosses

    @Test func aNameAndItsGlossAreLeftAsWritten() throws {
        let text = "They went to Tadmur (Palmyra), to Palmyra ( Tadmur ) and to Tadmur (Homs).\n"
        let fixed = try Self.fix(text, variants: true)
        #expect(fixed.text == "They went to Tadmur (Palmyra), to Palmyra ( Tadmur ) and to Palmyra (Homs).\n")
        #expect(Self.notFixed(fixed.diagnostics) == [
            "'Tadmur' not fixed to 'Palmyra': it stands with 'Palmyra' beside it in parentheses, another name of the same place",
            "'Tadmur' not fixed to 'Palmyra': it stands with 'Palmyra' beside it in parentheses, another name of the same place",
        ])
        // Without --fix-variants nothing is even proposed: no notes.
        let plain = try Self.fix(text)
        #expect(plain.text == text && Self.notFixed(plain.diagnostics).isEmpty)
    }

    @Test func theNotesComeOnlyWithFix() throws {
        let result = Fixture.checker().check(text: "Near Palmyr&#97; today.", format: .html)
        #expect(!result.diagnostics.contains { $0.code == .notFixed })
    }
}

/// `--fix --in-place` (issue 17, finding 8): the report is rewritten only when it may be, keeping
/// its owner, group, mode, symbolic links and hard links.
struct ReportRewriteTests {
    static func folder() throws -> URL {
        let url = ScratchSpace.path("convoy-rewrite")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func rewrite(_ path: String, with text: String) throws -> String? {
        let rewrite = try ReportRewrite(path: path)
        try rewrite.write(Array(text.utf8))
        return try rewrite.commit()
    }

    static func inode(_ path: String) throws -> Int? {
        (try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.intValue
    }

    @Test func aReadOnlyFileIsRefusedEvenForRoot() throws {
        let path = try Self.folder().appendingPathComponent("ro.txt").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        #expect(throws: FileAccessError.self) { try ReportRewrite(path: path) }
        do { _ = try ReportRewrite(path: path) } catch { #expect(error.reason.contains("is read-only")) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
    }

    @Test func nonRegularFilesAreRefused() throws {
        let folder = try Self.folder()
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        do { _ = try ReportRewrite(path: fifo) } catch { #expect(error.reason.contains("is a FIFO, not a regular file")) }
        do { _ = try ReportRewrite(path: folder.path) } catch { #expect(error.reason.contains("is a directory")) }
        do { _ = try ReportRewrite(path: "/dev/null") } catch { #expect(error.reason.contains("character device")) }
        #expect(throws: FileAccessError.self) { try ReportRewrite(path: fifo) }
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let folder = try Self.folder()
        let target = folder.appendingPathComponent("target.txt").path, link = folder.appendingPathComponent("link.txt").path
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.txt")
        let how = try Self.rewrite(link, with: "new")
        #expect(how?.contains("through the symbolic link to") == true)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.txt")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
    }

    @Test func hardLinksAreKeptByRewritingInPlace() throws {
        let folder = try Self.folder()
        let first = folder.appendingPathComponent("a.txt").path, second = folder.appendingPathComponent("b.txt").path
        try "old text, longer than the new".write(toFile: first, atomically: false, encoding: .utf8)
        try FileManager.default.linkItem(atPath: first, toPath: second)
        let before = try Self.inode(first)
        #expect(try Self.rewrite(first, with: "new") == "in place, keeping its 2 hard links")
        #expect(try Self.inode(first) == before && Self.inode(second) == before)
        #expect(try String(contentsOfFile: second, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["a.txt", "b.txt"])
    }

    @Test func modeOwnerAndGroupAreKept() throws {
        let path = try Self.folder().appendingPathComponent("owned.txt").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        // As root, the file is given to another user and group first (nobody:nogroup, 65534).
        let other = getuid() == 0 && chown(path, 65534, 65534) == 0
        _ = try Self.rewrite(path, with: "new")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        if other {
            #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 65534)
            #expect((attributes[.groupOwnerAccountID] as? NSNumber)?.intValue == 65534)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
    }

    @Test func anAbandonedOrFailedRewriteLeavesTheReportAndNoTemporaryFile() throws {
        let folder = try Self.folder()
        let path = folder.appendingPathComponent("kept.txt").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        do {
            let rewrite = try ReportRewrite(path: path)
            try rewrite.write(Array("half".utf8))
        }  // dropped without commit
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        // Changed by someone else while checked: not overwritten.
        let rewrite = try ReportRewrite(path: path)
        try rewrite.write(Array("new".utf8))
        try "edited meanwhile".write(toFile: path, atomically: false, encoding: .utf8)
        do { try rewrite.commit() } catch { #expect(error.reason.contains("changed while it was being checked")) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "edited meanwhile")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kept.txt"])
    }
}
