import Foundation
import Testing

@Suite("convoy check")
struct CheckCLITests {
    static let seeds = ["000_b4b6a0969d4a6d17.txt", "001_99f560d7776ab433.txt", "002_c37a38b21d37ac1f.txt", "003_2086dc163dd0dedf.txt", "004_191a687874c0e33f.txt"]
        .map { ConvoyRunner.repository.appendingPathComponent("seeds/\($0)").path }

    func write(_ text: String, _ name: String, in runner: ConvoyRunner) throws -> String {
        let url = runner.directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func seedsGiveExactlyTheHonestErrorsAndExitOne() throws {
        let runner = try ConvoyRunner()
        let result = runner.run(["check"] + Self.seeds)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let errors = lines.filter { $0.contains(": error: ") }
        #expect(errors.count == 2)
        #expect(errors[0].hasSuffix("seeds/004_191a687874c0e33f.txt:1:497: error: unknown place 'Afat': not in the gazetteer (nothing similar in the gazetteer)"))
        #expect(errors[1].contains("004_191a687874c0e33f.txt:23:12: error: probable misspelling: 'Yormouk'"))
        #expect(errors[1].contains("did you mean 'Yarmouk'?"))
        #expect(!lines.contains { $0.contains(": warning: ") })
        #expect(lines.last == "checked 5 files (20534 bytes): 138 mentions of 38 places; 2 errors, 0 warnings, 60 notes")
        // Every diagnostic line is in the compiler format.
        let format = /^.+:\d+:\d+: (note|warning|error): .+$/
        for line in lines.dropLast() { #expect(line.wholeMatch(of: format) != nil, "\(line)") }
    }

    @Test func jsonShapePerFile() throws {
        let runner = try ConvoyRunner()
        let (result, value) = try runner.json(["check", Self.seeds[4]])
        #expect(result.status == 1)
        let root = try #require(value as? [String: Any])
        let files = try #require(root["files"] as? [[String: Any]])
        let file = try #require(files.first)
        #expect(file["path"] as? String == Self.seeds[4])
        let mentions = try #require(file["mentions"] as? [[String: Any]])
        let abul = try #require(mentions.first { $0["text"] as? String == "Abul Kamal" })
        for key in ["text", "line", "column", "offset", "length", "place_id", "name", "match", "matched_name", "name_kind", "resolution", "candidates"] {
            #expect(abul[key] != nil, "mention.\(key)")
        }
        #expect(abul["place_id"] as? String == "sy-abu-kamal")
        #expect(abul["name"] as? String == "Abu Kamal")
        #expect(abul["match"] as? String == "variant")
        let diagnostics = try #require(file["diagnostics"] as? [[String: Any]])
        let yormouk = try #require(diagnostics.first { $0["text"] as? String == "Yormouk" })
        for key in ["line", "column", "offset", "length", "severity", "code", "message", "text", "suggestions"] {
            #expect(yormouk[key] != nil, "diagnostic.\(key)")
        }
        #expect(yormouk["severity"] as? String == "error")
        let suggestions = try #require(yormouk["suggestions"] as? [[String: Any]])
        #expect(suggestions.first?["matched_name"] as? String == "Yarmouk")
        #expect(suggestions.first?["id"] as? String == "sy-yarmouk-camp")
        let summary = try #require(root["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 2)
        #expect(summary["files"] as? Int == 1)
    }

    @Test func plantedErrorsExitOneWithTheRightSuggestions() throws {
        let runner = try ConvoyRunner()
        // Ithriyah is in no bundled layer (Kafr Zita, once the example here, is in the GeoNames layer).
        let path = try write("The convoy drove toward Palmrya and stopped near Ithriyah, far from Hmeimim.\n", "planted.txt", in: runner)
        let result = runner.run(["check", path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("planted.txt:1:25: error: probable misspelling: 'Palmrya' is not in the gazetteer; did you mean 'Palmyra' [sy-palmyra]"))
        #expect(result.stdout.contains("planted.txt:1:50: error: unknown place 'Ithriyah'"))
        #expect(!result.stdout.contains("Humayma"))
    }

    @Test func aCleanReportExitsZero() throws {
        let runner = try ConvoyRunner()
        let path = try write("The convoy left Qara for Abu Kamal.\n", "clean.txt", in: runner)
        let result = runner.run(["check", path, "--mentions"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("clean.txt:1:17: mention: 'Qara' → Qara [sy-qara]"))
        #expect(result.stdout.hasSuffix("checked 1 file (36 bytes): 2 mentions of 2 places; 0 errors, 0 warnings, 0 notes\n"))
    }

    @Test func ioProblemsExitTwoWithAClearMessage() throws {
        let runner = try ConvoyRunner()
        let directory = runner.run(["check", runner.directory.path])
        #expect(directory.status == 2)
        // A directory is searched for reports (docs/check.md, "Directories"): this one has none.
        #expect(directory.stderr.contains("no reports in this directory"))
        let missing = runner.run(["check", "/nonexistent/report.txt"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/report.txt: No such file or directory"))
        let binary = runner.directory.appendingPathComponent("blob.bin")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]).write(to: binary)
        let bin = runner.run(["check", binary.path])
        #expect(bin.status == 2)
        #expect(bin.stderr.contains("binary file"))
        let empty = try write("", "empty.txt", in: runner)
        let emptyResult = runner.run(["check", empty])
        #expect(emptyResult.status == 0)
        #expect(emptyResult.stdout.contains("empty.txt:1:1: warning: empty file"))
    }

    @Test func usageErrorsExitTwo() throws {
        let runner = try ConvoyRunner()
        #expect(runner.run(["check"]).status == 2)
        let path = try write("Homs\n", "a.txt", in: runner)
        #expect(runner.run(["check", path, "--in-place"]).status == 2)
        #expect(runner.run(["check", path, "--format", "pdf"]).status == 2)
        #expect(runner.run(["check", "-", "--fix", "--in-place"]).status == 2)
        #expect(runner.run(["check", path, "--fix-variants"]).status == 2)
    }

    @Test func fixVariantsPrintsAndInPlaceRewritesWithCanonicalNames() throws {
        let runner = try ConvoyRunner()
        let path = try write("From Boukamal to Deir Ezzor Province via Hamaymah.\n", "fix.txt", in: runner)
        // --fix alone changes misspellings only: there are none here.
        let plain = runner.run(["check", path, "--fix"])
        #expect(plain.status == 0)
        #expect(plain.stdout == "From Boukamal to Deir Ezzor Province via Hamaymah.\n")
        let printed = runner.run(["check", path, "--fix", "--fix-variants"])
        #expect(printed.status == 0)
        #expect(printed.stdout == "From Abu Kamal to Deir ez-Zor Governorate via Humayma.\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "From Boukamal to Deir Ezzor Province via Hamaymah.\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let rewritten = runner.run(["check", path, "--fix", "--fix-variants", "--in-place"])
        #expect(rewritten.status == 0)
        #expect(rewritten.stderr.contains("rewrote \(path) (3 names replaced)"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "From Abu Kamal to Deir ez-Zor Governorate via Humayma.\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        let again = runner.run(["check", path])
        // Humayma, now written canonically, is still a name of two places: settled by Abu Kamal (SY), with a note.
        #expect(again.stdout.hasSuffix("3 mentions of 3 places; 0 errors, 0 warnings, 1 note\n"))
        // Nothing left to fix: the file is not replaced (same inode), and no temporary file is left behind.
        let unchanged = runner.run(["check", path, "--fix", "--fix-variants", "--in-place"])
        #expect(unchanged.status == 0)
        #expect(!unchanged.stderr.contains("rewrote"))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber) == (attributes[.systemFileNumber] as? NSNumber))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: runner.directory.path).filter { $0.hasPrefix(".fix.txt.") }
        #expect(leftovers.isEmpty)
    }

    // MARK: - Issue 17, findings 8 and 9

    @Test func fixInPlaceRefusesWhatItMustNotRewriteAndKeepsLinks() throws {
        let runner = try ConvoyRunner()
        let text = "The convoy reached Yormouk camp.\n", fixed = "The convoy reached Yarmouk camp.\n"
        // Read-only (even for root): refused, exit 2, untouched.
        let readOnly = try write(text, "ro.txt", in: runner)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: readOnly)
        let refused = runner.run(["check", readOnly, "--fix", "--in-place"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("ro.txt: is read-only"))
        #expect(try String(contentsOfFile: readOnly, encoding: .utf8) == text)
        // A FIFO: refused before it is read (a read would wait for a writer).
        let fifo = runner.directory.appendingPathComponent("fifo.txt").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let pipe = runner.run(["check", fifo, "--fix", "--in-place"])
        #expect(pipe.status == 2 && pipe.stderr.contains("is a FIFO, not a regular file"))
        // A symbolic link: its target is rewritten, the link stays.
        let target = try write(text, "target.txt", in: runner), link = runner.directory.appendingPathComponent("link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let through = runner.run(["check", link, "--fix", "--in-place"])
        #expect(through.status == 1)  // the misspelling is still reported
        #expect(through.stderr.contains("rewrote \(link) through the symbolic link to"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == fixed)
        // Hard links: both names still share the file, which now holds the fixed text.
        let first = try write(text, "h1.txt", in: runner), second = runner.directory.appendingPathComponent("h2.txt").path
        try FileManager.default.linkItem(atPath: first, toPath: second)
        let linked = runner.run(["check", first, "--fix", "--in-place"])
        #expect(linked.stderr.contains("rewrote \(first) in place, keeping its 2 hard links"))
        #expect(try String(contentsOfFile: second, encoding: .utf8) == fixed)
        let inode = { (p: String) in (try FileManager.default.attributesOfItem(atPath: p)[.systemFileNumber] as? NSNumber)?.intValue }
        #expect(try inode(first) == inode(second))
        // Owner and group (as root: another user's file) and mode are kept.
        let owned = try write(text, "owned.txt", in: runner)
        try FileManager.default.setAttributes([.posixPermissions: 0o664], ofItemAtPath: owned)
        let other = getuid() == 0 && chown(owned, 65534, 65534) == 0
        _ = runner.run(["check", owned, "--fix", "--in-place"])
        let attributes = try FileManager.default.attributesOfItem(atPath: owned)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o664)
        if other { #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 65534 && (attributes[.groupOwnerAccountID] as? NSNumber)?.intValue == 65534) }
        #expect(try String(contentsOfFile: owned, encoding: .utf8) == fixed)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: runner.directory.path).filter { $0.contains("convoy-fix") }
        #expect(leftovers.isEmpty)
    }

    @Test func fixNeverCutsMarkupOrChangesScriptOrDoublesAGloss() throws {
        let runner = try ConvoyRunner()
        let html = try write("<p>Palmyr&#97; and Arsaal&#39;s hills</p>\n", "f.html", in: runner)
        let a = runner.run(["check", html, "--fix", "--fix-variants"])
        #expect(a.stdout == "<p>Palmyr&#97; and Arsal&#39;s hills</p>\n")
        #expect(a.stderr.contains("f.html:1:4: note: 'Palmyr' not fixed to 'Palmyra': the word goes on in an entity right after it"))
        let text = try write("Tadmur (Palmyra), near تدمر and Abul Kamal.\n", "g.txt", in: runner)
        #expect(runner.run(["check", text, "--fix"]).stdout == "Tadmur (Palmyra), near تدمر and Abul Kamal.\n")
        #expect(runner.run(["check", text, "--fix", "--fix-variants"]).stdout == "Tadmur (Palmyra), near تدمر and Abu Kamal.\n")
        let markdown = try write("In [Yormouk](https://example.org/Yormouk) camp and Yormouk&#97;.\n", "h.md", in: runner)
        #expect(runner.run(["check", markdown, "--fix"]).stdout == "In [Yarmouk](https://example.org/Yormouk) camp and Yormouk&#97;.\n")
    }
}

/// A rulebook that cannot be read must stop the check, not let it pass unknown places in silence.
@Suite("convoy check: a broken rulebook")
struct BrokenRulebookTests {
    @Test func aMalformedOrMissingRulebookExitsTwoWithItsPlace() throws {
        let process = try ConvoyProcess()
        let report = process.directory.appendingPathComponent("report.txt")
        try Data("The convoy left Tabqa for Ithriyah.\n".utf8).write(to: report)
        let rules = process.directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data("[locative-cues]\nin, near\n[no-such-kind]\nfoo\n".utf8).write(to: rules.appendingPathComponent("check-rules.txt"))
        let malformed = try process.shell("exec \"$CONVOY\" check report.txt", environment: ["CONVOY_RULES": rules.path])
        #expect(malformed.status == 2)
        #expect(malformed.stdout.isEmpty)
        #expect(malformed.stderr.contains("check-rules.txt:3:"), "\(malformed.stderr)")
        #expect(malformed.stderr.contains("nothing was checked"))
        // The bundled rulebook, read as usual, flags both unknown places.
        let good = try process.shell("exec \"$CONVOY\" check report.txt")
        #expect(good.status == 1, "\(good.stderr)")
        #expect(good.stdout.contains("error: unknown place 'Ithriyah'"), "\(good.stdout)")
    }
}
