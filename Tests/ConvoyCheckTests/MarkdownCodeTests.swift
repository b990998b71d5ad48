@_spi(Fuzzing) import ConvoyCheck
import ConvoyTestSupport
import Foundation
import Testing

/// Markdown code — inline code spans, fenced and indented code blocks — is not prose: names inside
/// it are neither mentioned nor flagged, and every position still points into the original text.
@Suite("Markdown code is not prose")
struct MarkdownCodeTests {
    func check(_ text: String) -> ReportResult { Fixture.checker().check(text: text, format: .markdown) }

    @Test func inlineCodeSpansAreSkippedAndPositionsStayThoseOfTheFile() {
        let text = "The convoy left `Homs` for ``Palmrya `x` near Ithriyah`` and reached Palmyra near Arsal.\n"
        let result = check(text)
        #expect(result.mentions.map(\.text) == ["Palmyra", "Arsal"])
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty)
        let bytes = Array(text.utf8)
        for m in result.mentions {
            #expect(String(decoding: bytes[m.position.offset..<(m.position.offset + m.position.length)], as: UTF8.self) == m.text)
        }
        #expect(result.mentions.first?.position.column == text.distance(from: text.startIndex, to: text.range(of: "Palmyra")!.lowerBound) + 1)
        // The same text as plain text reads the code spans as prose.
        #expect(Fixture.checker().check(text: text, format: .text).mentions.map(\.text).contains("Homs"))
    }

    @Test func anUnclosedBacktickIsLiteralAndASpanStopsAtABlankLine() {
        let result = check("A lone ` backtick, then Homs.\n\nA `span that never\n\ncloses` near Palmyra.\n")
        #expect(result.mentions.map(\.text) == ["Homs", "Palmyra"])
        // A span closes on its own line (so a block cut at a line feed never cuts one).
        #expect(check("Code `Homs\nPalmyra` then Hama.\n").mentions.map(\.text) == ["Homs", "Palmyra", "Hama"])
        #expect(check("Code `` Homs ` Palmyra `` then Hama.\n").mentions.map(\.text) == ["Hama"])
        // An escaped backtick opens nothing.
        #expect(check("Not code \\`Homs\\` here.\n").mentions.map(\.text) == ["Homs"])
    }

    @Test func indentedCodeBlocksAreSkippedButNotIndentedListItems() {
        let text = "The convoy reached Homs.\n\n    near Palmrya and Ithriyah\n\n    Aleppo too\nthen Hama.\n\n- a list item in Damascus\n\n    still the item: Palmyra\n"
        let result = check(text)
        #expect(result.mentions.map(\.text) == ["Homs", "Hama", "Damascus", "Palmyra"])
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty)
        let line = result.mentions.first { $0.text == "Palmyra" }?.position
        #expect(line?.line == 10 && line?.column == 21)
        // An indented line inside a paragraph continues it (it cannot open a code block).
        #expect(check("In Homs and\n    near Palmyra.\n").mentions.map(\.text) == ["Homs", "Palmyra"])
        // A tab indents four columns; the text's first line may open a block.
        #expect(check("\tnear Homs\n\nThen Hama.\n").mentions.map(\.text) == ["Hama"])
        // After a heading an indented line is code.
        #expect(check("# In Homs\n    near Palmyra\n").mentions.map(\.text) == ["Homs"])
    }

    @Test func fencedCodeIsStillSkipped() {
        #expect(check("In Homs.\n```\nnear Palmrya\n```\nThen Hama.\n").mentions.map(\.text) == ["Homs", "Hama"])
    }

    /// The mask keeps every byte that is not code, and a block read in pieces gives the same mentions.
    @Test func smallBlocksGiveTheSameResult() throws {
        // The long line is cut at spaces, never inside its code span.
        let long = String(repeating: "filler ", count: 12) + "`Homs and Palmyra near Arsal` then Qara.\n"
        let text = "Left `Homs` today.\n\n    Palmyra in code\n\nThen Hama and `Arsal`.\n" + long + String(repeating: "and so it went on.\n", count: 40)
        let whole = check(text).mentions.map(\.text)
        let path = try Fixture.temporaryFile(Array(text.utf8), suffix: ".md")
        var pieces: [String] = []
        try Fixture.checker(blockSize: 64).check(ReportSource.open(path: path), format: .markdown, onMention: { pieces.append($0.text) }, onDiagnostic: { _ in })
        #expect(whole == ["Hama", "Qara"])
        #expect(pieces == whole)
    }

    /// What the fuzzer holds for `--fix` (Fuzz/Sources/FuzzSupport/CheckPipeline.swift), on random
    /// Markdown full of backticks, indentation, lists and misspellings read in small blocks: a fix
    /// never changes code as the whole text reads it.
    @Test func fixesNeverTouchCodeWhateverTheBlocks() throws {
        let pieces = ["Palmrya", "Yormouk", "Homs", "`", "``", " ", " ", "\n", "\n\n", "    ", "\t", "- ", "1. ", "# ", "near ",
                      "toward ", "the convoy ", "```\n", "\\", "word ", "and "]
        var generator = SeededGenerator(seed: 20)
        var fixedSome = 0
        let checkers = Fixture.checkers(blockSizes: Array(stride(from: 64, to: 128, by: 7)))
        for round in 0..<300 {
            var text = ""
            for _ in 0..<Int.random(in: 20...90, using: &generator) { text += pieces.randomElement(using: &generator)! }
            let report = Array(text.utf8)
            let checker = checkers[round % checkers.count]
            var fixed: [UInt8] = []
            let summary = try checker.check(ReportSource.bytes(report, displayName: "r"), format: .markdown, fix: { fixed += $0 },
                                            onMention: { _ in }, onDiagnostic: { _ in })
            if summary.fixes > 0 {
                fixedSome += 1
                #expect(ReportFormat.markdown.markupRuns(report) == ReportFormat.markdown.markupRuns(fixed), "\(text.debugDescription)")
            }
        }
        #expect(fixedSome > 50)
    }
}

@Suite("Directories of reports")
struct ReportDirectoryTests {
    func tree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-dir-\(UUID().uuidString)").path
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/b/deep", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
        for f in ["z.txt", "a/one.md", "b/deep/two.html", "b/notes.csv", "b/Two.TXT", ".git/x.txt", "b/3.text"] {
            try Data("Homs\n".utf8).write(to: URL(fileURLWithPath: root + "/" + f))
        }
        return root
    }

    @Test func reportsAreFoundRecursivelyInSortedOrder() throws {
        let root = try tree()
        let listing = ReportSource.reports(in: root, matching: ReportSource.defaultReportPatterns)
        #expect(listing.problems.isEmpty)
        #expect(listing.paths.map { String($0.dropFirst(root.count + 1)) } == ["a/one.md", "b/3.text", "b/deep/two.html", "z.txt"])
        let csv = ReportSource.reports(in: root, matching: ["*.csv", "*.TXT"])
        #expect(csv.paths.map { String($0.dropFirst(root.count + 1)) } == ["b/Two.TXT", "b/notes.csv"])
        // A pattern with a slash matches the path below the folder.
        #expect(ReportSource.reports(in: root, matching: ["b/*/*"]).paths.map { String($0.dropFirst(root.count + 1)) } == ["b/deep/two.html"])
    }

    @Test func linkLoopsAndDanglingLinksAreProblemsAndTheWalkGoesOn() throws {
        let root = try tree()
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: root + "/b/deep/up", withDestinationPath: "../..")
        try fm.createSymbolicLink(atPath: root + "/self.txt", withDestinationPath: "self.txt")
        try fm.createSymbolicLink(atPath: root + "/gone.txt", withDestinationPath: "missing.txt")
        try fm.createSymbolicLink(atPath: root + "/alias.md", withDestinationPath: "a/one.md")
        let listing = ReportSource.reports(in: root, matching: ReportSource.defaultReportPatterns)
        #expect(listing.paths.map { String($0.dropFirst(root.count + 1)) } == ["a/one.md", "alias.md", "b/3.text", "b/deep/two.html", "z.txt"])
        let reasons = Dictionary(uniqueKeysWithValues: listing.problems.map { (String($0.path.dropFirst(root.count + 1)), $0.reason) })
        #expect(reasons["b/deep/up"]?.contains("symbolic link loop") == true)
        #expect(reasons["self.txt"]?.contains("symbolic link loop") == true)
        #expect(reasons["gone.txt"]?.contains("dangling") == true)
        #expect(reasons.count == 3)
    }
}
