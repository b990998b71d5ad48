import ConvoyTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Faults a user meets outside convoy's control, with the built binary as a separate process:
/// standard output closed or full, kill -9 in the middle of an import or an export, several processes
/// opening a new store at once, a store convoy may not write.
struct FaultTests {
    // MARK: Standard output

    /// Finding 5: these trapped in Foundation's FileHandle (`try!`, exit 132).
    @Test(arguments: [
        ["--help"], ["help", "places"], ["places", "--help"], ["places", "show", "Palmyra"], ["places", "list", "--json"],
        ["distance", "Palmyra", "Qara"], ["export"], ["export", "--format", "kml", "-o", "-"],
        ["where", "--at", "2017-08-30T12:00"], ["replay", "--json"], ["check", "../../seeds/000_b4b6a0969d4a6d17.txt"],
    ])
    func aClosedOrFullStandardOutputIsAWriteErrorWithStatus2(arguments: [String]) throws {
        let convoy = try ConvoyProcess()
        let seeds = ConvoyRunner.repository.appendingPathComponent("seeds").path
        let arguments = arguments.map { $0.hasPrefix("../../seeds/") ? seeds + "/" + $0.dropFirst("../../seeds/".count) : $0 }
        var redirections = [(">&-", "Bad file descriptor")]
        if FileManager.default.fileExists(atPath: "/dev/full") { redirections.append((">/dev/full", "No space left on device")) }
        for (redirection, reason) in redirections {
            let result = try convoy.run(arguments, redirection: redirection)
            #expect(!result.signalled, "\(arguments) \(redirection): \(result.stderr)")
            #expect(result.status == 2, "\(arguments) \(redirection): \(result.stderr)")
            #expect(result.stderr.hasSuffix("convoy: write failed: \(reason)\n"), "\(arguments) \(redirection): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }

    /// A reader that closes the pipe (`convoy … | head`) ended convoy with SIGPIPE (status 141, which
    /// `set -o pipefail` reads as a crash). Now the run ends quietly: no message, and the status the
    /// command has with the whole output read (0; check's findings: 1). Two readers: one that closes
    /// its end at once (the first write fails) and `head -c 64` (a write part-way fails). convoy runs
    /// with SIGPIPE's default action, as from a terminal, where `env --default-signal` can set it.
    @Test(arguments: [
        ["where", "--at", "2017-08-30T12:00"], ["replay"], ["replay", "--json"], ["export"], ["export", "--format", "csv", "-o", "-"],
        ["export", "--format", "kml"], ["check", "--json", "../../seeds/000_b4b6a0969d4a6d17.txt"], ["places", "list"], ["places", "list", "--json"],
        ["places", "show", "Palmyra"], ["--help"],
    ])
    func aPipeClosedByItsReaderEndsTheRunQuietly(arguments: [String]) throws {
        let convoy = try ConvoyProcess()
        let seeds = ConvoyRunner.repository.appendingPathComponent("seeds").path
        let arguments = arguments.map { $0.hasPrefix("../../seeds/") ? seeds + "/" + $0.dropFirst("../../seeds/".count) : $0 }
        let command = arguments.map(ConvoyProcess.quoted).joined(separator: " ")
        #expect(try convoy.run(["places", "show", "Palmyra"]).status == 0)  // build the store first (said on stderr)
        let whole = try convoy.run(arguments)  // the reference: the same run, its output read to the end
        #expect(!whole.stdout.isEmpty)
        #expect(whole.status == 0 || whole.status == 1, "\(whole.stderr)")
        let defaultSignal = try convoy.shell("env --default-signal=PIPE true").status == 0 ? "env --default-signal=PIPE " : ""
        for reader in ["(exec <&-; sleep 1)", "head -c 64 >/dev/null"] {
            // The shell has no pipefail: the status goes to stderr, after convoy's own.
            let result = try convoy.shell("{ \(defaultSignal)\"$CONVOY\" \(command); echo \"status $?\" >&2; } | \(reader)")
            #expect(result.stderr == whole.stderr + "status \(whole.status)\n", "\(arguments) | \(reader)")
            #expect(!result.stderr.contains("write failed"), "\(arguments) | \(reader): \(result.stderr)")
            #expect(!result.stderr.contains("status 141"), "\(arguments) | \(reader): killed by SIGPIPE")
        }
    }

    /// The reader closing the pipe part-way through a long export: the export stops there, quietly.
    @Test func aLongExportIntoHeadStopsQuietlyWithStatus0() throws {
        let convoy = try ConvoyProcess()
        let log = try Self.updateLog(rows: 900, in: convoy.directory, name: "log.csv")
        #expect(try convoy.run(["import", "updates", log]).status == 0)
        let whole = try convoy.run(["export", "--format", "geojsonseq"])
        #expect(whole.status == 0 && whole.stdout.utf8.count > 1 << 20, "the export must outgrow a pipe's buffer")
        let result = try convoy.shell("{ env --default-signal=PIPE \"$CONVOY\" export --format geojsonseq; echo \"status $?\" >&2; } | head -n 3")
        #expect(result.stderr == "status 0\n")
        #expect(result.stdout.split(separator: "\n").count == 3)
        #expect(whole.stdout.hasPrefix(result.stdout))
    }

    @Test func aClosedStandardOutputNeverLetsAFileBecomeIt() throws {
        // With fd 1 closed, the store opened next would get fd 1: output would land in the database.
        let convoy = try ConvoyProcess()
        #expect(try convoy.run(["places", "show", "Palmyra"]).status == 0)  // build the store first
        let size = try FileManager.default.attributesOfItem(atPath: convoy.databasePath)[.size] as? Int
        let result = try convoy.run(["places", "list"], redirection: ">&-")
        #expect(result.status == 2)
        #expect(try FileManager.default.attributesOfItem(atPath: convoy.databasePath)[.size] as? Int == size)
        #expect(try convoy.run(["places", "show", "Qara"]).status == 0)
    }

    // MARK: Concurrent first use

    /// Finding 12: three processes on a new --db failed one time in three with "table place already
    /// exists". Any number of concurrent first uses must succeed, and only one builds the store.
    @Test func concurrentFirstUsesOfANewStoreAllSucceed() throws {
        let convoy = try ConvoyProcess()
        for trial in 0..<8 {
            let store = convoy.directory.appendingPathComponent("trial-\(trial).sqlite").path
            let runs = try (0..<5).map { n in
                // The gazetteer's tables and the route log's (replay) are both created on first use.
                try convoy.start("exec \"$CONVOY\" " + ["places show Palmyra --json", "places search Qara", "replay"][n % 3], environment: ["CONVOY_DB": store])
            }
            var built = 0
            for (process, out, err) in runs {
                process.waitUntilExit()
                let stderr = try String(contentsOf: err, encoding: .utf8)
                #expect(process.terminationStatus == 0, "trial \(trial): \(stderr)")
                #expect(try !String(contentsOf: out, encoding: .utf8).isEmpty)
                for line in stderr.split(separator: "\n") where !line.hasPrefix("convoy: no update log imported; using the bundled") {
                    if line.hasPrefix("convoy: built the gazetteer store") { built += 1 } else { Issue.record("trial \(trial): \(line)") }
                }
            }
            #expect(built == 1, "trial \(trial): built \(built) times")
        }
    }

    // MARK: kill -9

    /// A GeoNames dump of `rows` made-up villages in Syria.
    static func geoNamesDump(rows: Int, in folder: URL) throws -> String {
        var rng = SeededGenerator(seed: 9)
        var text = ""
        for i in 0..<rows {
            let lat = Double.random(in: 32.5...37, using: &rng), lon = Double.random(in: 36...42, using: &rng)
            text += "\(9_000_000 + i)\tFaultvillage \(i)\tFaultvillage \(i)\tFault \(i) a,Fault \(i) b\t\(lat)\t\(lon)\tP\tPPL\tSY\t\t01\t\t\t\t500\t\t300\tAsia/Damascus\t2020-01-01\n"
        }
        let path = folder.appendingPathComponent("dump.txt").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// kill -9 during `places import geonames`: the store is as before, and usable.
    @Test func killDuringAGeoNamesImportLeavesTheStoreIntact() throws {
        let convoy = try ConvoyProcess()
        let (_, before) = try ConvoyRunner.decode(try convoy.run(["places", "list", "--json"]))
        let dump = try Self.geoNamesDump(rows: 5000, in: convoy.directory)
        let journal = convoy.databasePath + "-journal"
        for attempt in 0..<3 {
            let (process, _, err) = try convoy.start("exec \"$CONVOY\" places import geonames \(ConvoyProcess.quoted(dump))")
            let inTransaction = ConvoyProcess.wait(for: process, until: { FileManager.default.fileExists(atPath: journal) })
            usleep(UInt32(200_000 * attempt))  // at the start, and further in
            ConvoyProcess.kill9(process)
            #expect(inTransaction, "the import never began writing: \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
            #expect(process.terminationReason == .uncaughtSignal, "finished before the kill")
            let (listed, after) = try ConvoyRunner.decode(try convoy.run(["places", "list", "--json"]))
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(after as? NSArray == before as? NSArray, "attempt \(attempt): the store changed")
            #expect(try convoy.run(["places", "search", "Faultvillage 1"]).stdout.contains("nothing like"))
        }
        // And the next import runs to its end.
        let done = try convoy.run(["places", "import", "geonames", dump, "--json"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(try convoy.run(["places", "show", "Faultvillage 17"]).status == 0)
    }

    /// An update log of `rows` rows of three convoys moving between the seed places.
    static func updateLog(rows: Int, in folder: URL, name: String) throws -> String {
        let places = ["at Palmyra", "at Homs", "at Abu Kamal", "at As Sukhnah", "at Qara", "at Damascus"]
        var text = "time,convoy,unit,parent,location,status,vehicles,people,source,quote,note,road\n"
        for i in 0..<rows {
            let day = i / 24, hour = i % 24
            text += "2017-\(String(format: "%02d-%02dT%02d", 1 + day / 28, 1 + day % 28, hour)):00,c\(i % 3),main,,\(places[i % 6]),moving,\(10 + i % 7) buses,,seeds/x.txt,\"quote \(i)\",,\n"
        }
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// kill -9 during `import updates`: the previously imported log is still the store's, whole.
    @Test func killDuringAnUpdatesImportLeavesTheOldLogWhole() throws {
        let convoy = try ConvoyProcess()
        let small = try Self.updateLog(rows: 12, in: convoy.directory, name: "small.csv")
        #expect(try convoy.run(["import", "updates", small]).status == 0)
        let before = try convoy.run(["replay", "--json"])
        #expect(before.status == 0)
        let big = try Self.updateLog(rows: 6000, in: convoy.directory, name: "big.csv")
        let journal = convoy.databasePath + "-journal"
        var killedInTransaction = 0
        for _ in 0..<3 {
            let (process, _, _) = try convoy.start("exec \"$CONVOY\" import updates \(ConvoyProcess.quoted(big))")
            if ConvoyProcess.wait(for: process, until: { FileManager.default.fileExists(atPath: journal) }) { killedInTransaction += 1 }
            ConvoyProcess.kill9(process)
            #expect(process.terminationReason == .uncaughtSignal, "finished before the kill")
            let after = try convoy.run(["replay", "--json"])
            #expect(after.status == 0, "\(after.stderr)")
            #expect(after.stdout == before.stdout)
        }
        #expect(killedInTransaction > 0, "no kill fell inside the write transaction")
    }

    /// Finding 17 and the atomic write: kill -9 during `export` leaves the old file as it was; the
    /// temporary it leaves is removed by the next export to the folder, which says so.
    @Test func killDuringAnExportKeepsTheOldFileAndTheNextRunRemovesTheTemporary() throws {
        let convoy = try ConvoyProcess()
        let log = try Self.updateLog(rows: 900, in: convoy.directory, name: "log.csv")
        #expect(try convoy.run(["import", "updates", log]).status == 0)
        let output = convoy.directory.appendingPathComponent("out.geojson")
        try "old export".write(to: output, atomically: false, encoding: .utf8)
        func temporaries() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: convoy.directory.path)) ?? []).filter { $0.hasPrefix(".out.geojson.tmp-") }
        }
        let (process, _, err) = try convoy.start("exec \"$CONVOY\" export -o out.geojson")
        let writing = ConvoyProcess.wait(for: process, until: { !temporaries().isEmpty })
        ConvoyProcess.kill9(process)
        #expect(writing, "the export never began writing: \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        #expect(process.terminationReason == .uncaughtSignal, "finished before the kill")
        #expect(try String(contentsOf: output, encoding: .utf8) == "old export")
        let left = temporaries()
        #expect(left.count == 1)
        // The next export (of another file, in the same folder) removes it.
        let next = try convoy.run(["export", "--format", "csv", "-o", "legs.csv"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(temporaries().isEmpty)
        #expect(next.stderr.contains("convoy: removed \(left.first ?? "?")"))
        #expect(try String(contentsOf: output, encoding: .utf8) == "old export")
    }

    // MARK: Stores convoy may not write

    /// A store convoy may not write, already current (built, a log and roads imported): every command
    /// that only reads works as on a writable one, with the same output; every command that writes
    /// ends with "the store … is read-only", status 2, and the store is unchanged. Two ways a store is
    /// read-only: the file (`chmod a-w`), and the folder (the file is writable, but SQLite cannot make
    /// its journal beside it). The commands run as nobody, for whom root's files are read-only.
    @Test(arguments: ["file", "folder"])
    func aCurrentReadOnlyStoreServesEveryReadAndRefusesEveryWrite(readOnly: String) throws {
        guard geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let convoy = try ConvoyProcess()
        let log = try Self.updateLog(rows: 30, in: convoy.directory, name: "log.csv")
        let dump = try Self.geoNamesDump(rows: 3, in: convoy.directory)
        let seed = ConvoyRunner.repository.appendingPathComponent("seeds/000_b4b6a0969d4a6d17.txt").path
        let roads = ConvoyRunner.gazetteerDirectory + "/roads.geojson"
        #expect(try convoy.run(["import", "updates", log]).status == 0)
        #expect(try convoy.run(["import", "roads", roads]).status == 0)
        let output = convoy.directory.appendingPathComponent("out")  // where nobody may write the page
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let reads: [[String]] = [
            ["where", "--at", "2017-01-01T12:00"], ["where", "--on", "2017-01-02", "--json"], ["replay"], ["replay", "--json"],
            ["export"], ["export", "--format", "kml"], ["export", "--format", "csv", "-o", "-"],
            ["view", "-o", output.appendingPathComponent("page.html").path], ["check", seed], ["check", "--json", seed],
            ["places", "show", "Palmyra"], ["places", "list", "--json"], ["places", "search", "Qara"], ["distance", "Palmyra", "Qara"],
        ]
        let asUser = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        func run(_ arguments: [String]) throws -> ConvoyProcess.Result {
            try convoy.shell(asUser + "\"$CONVOY\" " + arguments.map(ConvoyProcess.quoted).joined(separator: " "))
        }
        // The reference: each read on the writable store, run the same way (this also makes every
        // cache a read can make, so what follows compares like with like).
        _ = chmod(convoy.directory.path, 0o777)
        _ = chmod(convoy.databasePath, 0o666)
        _ = chmod(output.path, 0o777)
        var expected: [[String]: ConvoyProcess.Result] = [:]
        for arguments in reads {
            let result = try run(arguments)
            #expect(result.status == 0 || arguments.first == "check", "\(arguments): \(result.stderr)")
            expected[arguments] = result
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: convoy.databasePath))
        if readOnly == "file" {
            #expect(chmod(convoy.databasePath, 0o444) == 0)
        } else {
            #expect(chmod(convoy.directory.path, 0o755) == 0)
        }
        if geteuid() != 0 {
            #expect(chmod(convoy.directory.path, readOnly == "file" ? 0o555 : 0o755) == 0)
        }
        defer {
            _ = chmod(convoy.directory.path, 0o755)
            _ = chmod(convoy.databasePath, 0o644)
        }
        for arguments in reads {
            let result = try run(arguments)
            let reference = try #require(expected[arguments])
            #expect(result.status == reference.status, "\(readOnly) read-only, \(arguments): \(result.stderr)")
            #expect(result.stderr == reference.stderr, "\(readOnly) read-only, \(arguments)")
            if arguments.first != "view" { #expect(result.stdout == reference.stdout, "\(readOnly) read-only, \(arguments)") }
        }
        let message = "convoy: the store \(convoy.databasePath) is read-only: nothing was written (give a writable file with --db or $CONVOY_DB)\n"
        for arguments in [["import", "updates", log], ["import", "roads", roads], ["places", "import", "geonames", dump]] {
            let result = try run(arguments)
            #expect(result.status == 2, "\(readOnly) read-only, \(arguments): \(result.stderr)")
            #expect(result.stderr == message, "\(readOnly) read-only, \(arguments)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: convoy.databasePath)) == before)
    }

    /// A read-only store built before the route log and the imported roads had tables (here: by
    /// `places show` alone): where, replay and export read it as a store with nothing imported (the
    /// bundled log and roads), instead of failing to create the tables; an import says it is read-only.
    @Test func aReadOnlyStoreWithoutTheRouteTablesReadsAsOneWithNothingImported() throws {
        guard geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let convoy = try ConvoyProcess()
        let log = try Self.updateLog(rows: 12, in: convoy.directory, name: "log.csv")
        #expect(try convoy.run(["places", "show", "Palmyra"]).status == 0)
        let reference = try ConvoyProcess()  // a writable store: what the same reads give there
        #expect(try reference.run(["places", "show", "Palmyra"]).status == 0)  // built (said on stderr) before the reads
        let reads: [[String]] = [["where", "--at", "2017-08-30T12:00", "--json"], ["replay"], ["export", "--format", "gpx"]]
        let expected = try reads.map { try reference.run($0) }
        let asUser = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        if geteuid() != 0 {
            #expect(chmod(convoy.databasePath, 0o444) == 0)
            #expect(chmod(convoy.directory.path, 0o555) == 0)
        }
        defer { _ = chmod(convoy.directory.path, 0o755) }
        func run(_ arguments: [String]) throws -> ConvoyProcess.Result {
            try convoy.shell(asUser + "\"$CONVOY\" " + arguments.map(ConvoyProcess.quoted).joined(separator: " "))
        }
        for (arguments, reference) in zip(reads, expected) {
            let result = try run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout == reference.stdout, "\(arguments)")
            #expect(result.stderr == reference.stderr, "\(arguments)")
        }
        let result = try run(["import", "updates", log])
        #expect(result.status == 2)
        #expect(result.stderr == "convoy: the store \(convoy.databasePath) is read-only: nothing was written (give a writable file with --db or $CONVOY_DB)\n")
    }

    /// Finding 18: a read-only store gave "SQLite error 8 … while executing INSERT", exit 1.
    @Test func aReadOnlyStoreIsSaidInWordsWithStatus2() throws {
        let convoy = try ConvoyProcess()
        let log = try Self.updateLog(rows: 12, in: convoy.directory, name: "log.csv")
        #expect(try convoy.run(["places", "show", "Palmyra"]).status == 0)
        let dump = try Self.geoNamesDump(rows: 3, in: convoy.directory)
        // As root, permissions do not bind: run as nobody, who can read the store but not write it.
        let asUser = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        if geteuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        } else {
            #expect(chmod(convoy.databasePath, 0o444) == 0)
            #expect(chmod(convoy.directory.path, 0o555) == 0)
        }
        defer { _ = chmod(convoy.directory.path, 0o755) }
        for arguments in [["import", "updates", log], ["places", "import", "geonames", dump]] {
            let result = try convoy.shell(asUser + "\"$CONVOY\" " + arguments.map(ConvoyProcess.quoted).joined(separator: " "))
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr == "convoy: the store \(convoy.databasePath) is read-only: nothing was written (give a writable file with --db or $CONVOY_DB)\n")
        }
    }
}

extension ConvoyRunner {
    /// The JSON a process printed.
    static func decode(_ result: ConvoyProcess.Result) throws -> (ConvoyProcess.Result, Any) {
        (result, try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)))
    }
}
