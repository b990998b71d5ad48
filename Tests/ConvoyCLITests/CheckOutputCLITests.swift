import Foundation
import Testing

@testable import ConvoyCLI

/// `convoy check --output sarif|github`, `--max-warnings`, directory arguments (docs/check.md, "Output for tools").
@Suite("convoy check output for tools")
struct CheckOutputCLITests {
    func write(_ text: String, _ name: String, in runner: ConvoyRunner) throws -> String {
        let url = runner.directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func sarif(_ result: ConvoyRunner.Result) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Columns are UTF-16 code units: the emoji before the name counts two, "é" one; the end column
    /// is exclusive; the fix is what --fix writes.
    @Test func sarifLocatesInUTF16AndCarriesTheFix() throws {
        let runner = try ConvoyRunner()
        let text = "🚚 Convoi é toward Palmrya.\nThen near Ithriyah.\n"
        let path = try write(text, "sarif.txt", in: runner)
        let result = runner.run(["check", "--output", "sarif", path])
        #expect(result.status == 1)
        let log = try sarif(result)
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = runs[0]
        #expect(run["columnKind"] as? String == "utf16CodeUnits")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "convoy")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["variant", "disambiguated", "ambiguous", "recorded-misspelling", "misspelling", "unknown-place", "invalid-utf8", "empty-file", "long-line", "not-fixed"])
        #expect(rules.allSatisfy { (($0["shortDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false })
        let results = try #require(run["results"] as? [[String: Any]])
        let misspelt = try #require(results.first { $0["ruleId"] as? String == "misspelling" })
        #expect(misspelt["level"] as? String == "error")
        #expect(rules[misspelt["ruleIndex"] as! Int]["id"] as? String == "misspelling")
        let location = try #require((misspelt["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let artifact = try #require(location["artifactLocation"] as? [String: Any])
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let expectedURI = path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : "file://" + path
        #expect(artifact["uri"] as? String == expectedURI)
        let region = try #require(location["region"] as? [String: Any])
        let prefix = "🚚 Convoi é toward "
        #expect(region["startLine"] as? Int == 1)
        #expect(region["startColumn"] as? Int == prefix.utf16.count + 1)  // 20: the emoji is two units
        #expect(region["endColumn"] as? Int == prefix.utf16.count + 1 + 7)
        #expect(region["byteOffset"] as? Int == prefix.utf8.count)
        #expect(region["byteLength"] as? Int == 7)
        let fix = try #require((misspelt["fixes"] as? [[String: Any]])?.first)
        let change = try #require((fix["artifactChanges"] as? [[String: Any]])?.first)
        let replacement = try #require((change["replacements"] as? [[String: Any]])?.first)
        #expect((replacement["insertedContent"] as? [String: Any])?["text"] as? String == "Palmyra")
        #expect((replacement["deletedRegion"] as? [String: Any])?["startColumn"] as? Int == 20)
        // What --fix writes is the same replacement.
        let fixed = runner.run(["check", "--fix", path])
        #expect(fixed.stdout == text.replacingOccurrences(of: "Palmrya", with: "Palmyra"))
        // An unknown place has no fix; its line is 2.
        // ("Convoi", a capitalised word that is no English word, is flagged too since the recall rules.)
        let unknown = try #require(results.first {
            $0["ruleId"] as? String == "unknown-place" && (($0["message"] as? [String: Any])?["text"] as? String)?.contains("Ithriyah") == true
        })
        #expect(unknown["fixes"] == nil)
        let unknownRegion = ((unknown["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        #expect(unknownRegion?["startLine"] as? Int == 2)
        #expect(unknownRegion?["startColumn"] as? Int == 11)
        // The summary goes to stderr: stdout is the SARIF log alone.
        #expect(result.stderr.contains("checked 1 file"))
    }

    @Test func relativePathsAreRelativeURIsAndUnreadFilesAreNotifications() throws {
        let runner = try ConvoyRunner()
        let cwd = FileManager.default.currentDirectoryPath
        let name = "convoy-sarif-\(UUID().uuidString) x:y.txt"
        try Data("The convoy drove toward Palmrya.\n".utf8).write(to: URL(fileURLWithPath: cwd + "/" + name))
        defer { try? FileManager.default.removeItem(atPath: cwd + "/" + name) }
        let result = runner.run(["check", "--output", "sarif", name, "./" + name, cwd + "/" + name, "missing-\(UUID().uuidString).txt"])
        #expect(result.status == 2)
        let run = try #require((try sarif(result)["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let artifacts = results.compactMap { (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any] }
        // The same file, named three ways: one relative, percent-encoded URI (':' and ' ' encoded).
        let encoded = name.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: ":", with: "%3A")
        #expect(artifacts.count == 3)
        for artifact in artifacts {
            #expect(artifact["uri"] as? String == encoded)
            #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
        }
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == false)
        let notifications = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
        #expect(notifications.count == 1)
        #expect(notifications.first?["level"] as? String == "error")
        let base = ((run["originalUriBaseIds"] as? [String: Any])?["%SRCROOT%"] as? [String: Any])?["uri"] as? String
        #expect(base == "file://" + (cwd.hasSuffix("/") ? cwd : cwd + "/"))
    }

    @Test func githubAnnotationsAreEscaped() throws {
        let runner = try ConvoyRunner()
        let path = try write("We stopped near Ithriyah, then drove toward Palmrya.\n", "dir,with:odd/gh%.txt", in: runner)
        let result = runner.run(["check", "--output", "github", path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let escapedPath = path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        #expect(lines[0].hasPrefix("::error file=\(escapedPath),line=1,col=17,endColumn=25,title=convoy check%3A unknown-place::unknown place 'Ithriyah'"))
        #expect(lines[1].hasPrefix("::error file=\(escapedPath),line=1,col=45,endColumn=52,title=convoy check%3A misspelling::probable misspelling: 'Palmrya'"))
        #expect(lines[1].hasSuffix("(convoy check --fix writes 'Palmyra')"))
        #expect(!result.stdout.contains("checked 1 file"))
        // Escaping as GitHub's toolkit does.
        let data = GitHubAnnotations.escapedData("50% done\r\nnext: a, b")
        #expect(data == "50%25 done%0D%0Anext: a, b")
        #expect(GitHubAnnotations.escapedProperty("a:b,c%\n") == "a%3Ab%2Cc%25%0A")
    }

    @Test func maxWarningsTurnsTooManyWarningsIntoExitOne() throws {
        let runner = try ConvoyRunner()
        let empty1 = try write("", "e1.txt", in: runner), empty2 = try write("", "e2.txt", in: runner)
        #expect(runner.run(["check", empty1, empty2]).status == 0)
        #expect(runner.run(["check", empty1, empty2, "--max-warnings", "2"]).status == 0)
        let over = runner.run(["check", empty1, empty2, "--max-warnings", "1"])
        #expect(over.status == 1)
        #expect(over.stderr.contains("2 warnings, more than --max-warnings 1"))
        #expect(runner.run(["check", empty1, "--max-warnings", "0", "--output", "github"]).status == 1)
        // Errors exit 1 whatever the limit; a negative limit is a usage error.
        let bad = try write("The convoy drove toward Palmrya.\n", "bad.txt", in: runner)
        #expect(runner.run(["check", bad, "--max-warnings", "100"]).status == 1)
        #expect(runner.run(["check", bad, "--max-warnings", "-1"]).status == 2)
    }

    @Test func optionsThatDoNotGoTogetherAreUsageErrors() throws {
        let runner = try ConvoyRunner()
        let path = try write("Near Homs.\n", "ok.txt", in: runner)
        #expect(runner.run(["check", path, "--json", "--output", "sarif"]).status == 2)
        #expect(runner.run(["check", path, "--fix", "--output", "github"]).status == 2)
        #expect(runner.run(["check", path, "--mentions", "--output", "sarif"]).status == 2)
        #expect(runner.run(["check", path, "--output", "xml"]).status == 2)
        // --json and --output json are the same output.
        let a = runner.run(["check", path, "--json"]), b = runner.run(["check", path, "--output", "json"])
        #expect(a.stdout == b.stdout && a.status == 0)
    }

    @Test func aDirectoryIsCheckedRecursivelyInSortedOrder() throws {
        let runner = try ConvoyRunner()
        let root = runner.directory.appendingPathComponent("reports").path
        _ = try write("The convoy drove toward Palmrya.\n", "reports/b/two.md", in: runner)
        _ = try write("Near Homs.\n", "reports/a.txt", in: runner)
        _ = try write("Near Homs.\n", "reports/data.csv", in: runner)
        let result = runner.run(["check", root, "--mentions"])
        #expect(result.status == 1)
        let files = result.stdout.split(separator: "\n").compactMap { line in line.split(separator: ":").first.map(String.init) }
        #expect(files.dropLast() == [root + "/a.txt", root + "/b/two.md"])
        #expect(result.stdout.hasSuffix("; 1 error, 0 warnings, 0 notes\n"))
        #expect(result.stdout.contains("checked 2 files"))
        let csv = runner.run(["check", root, "--glob", "*.csv", "--mentions"])
        #expect(csv.status == 0)
        #expect(csv.stdout.contains("data.csv:1:6: mention: 'Homs'"))
        let none = runner.run(["check", root, "--glob", "*.rst"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no reports in this directory"))
    }

    @Test func aLinkLoopInADirectoryIsAClearMessageAndExitTwo() throws {
        let runner = try ConvoyRunner()
        let root = runner.directory.appendingPathComponent("loop").path
        _ = try write("Near Homs.\n", "loop/a.txt", in: runner)
        try FileManager.default.createSymbolicLink(atPath: root + "/again", withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: root + "/self.txt", withDestinationPath: "self.txt")
        let result = runner.run(["check", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(root)/again: symbolic link loop: it leads back to a folder that contains it; not followed"))
        #expect(result.stderr.contains("\(root)/self.txt: symbolic link loop"))
        #expect(result.stdout.contains("checked 1 file"))
        let (json, value) = try runner.json(["check", root])
        #expect(json.status == 2)
        let summary = (value as? [String: Any])?["summary"] as? [String: Any]
        #expect(summary?["unreadable"] as? Int == 2)
        #expect(summary?["files"] as? Int == 3)
    }
}
