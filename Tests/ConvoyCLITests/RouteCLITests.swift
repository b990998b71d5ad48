import Foundation
import Testing

/// `convoy import`, `convoy replay` and `convoy where`, run in-process on a temporary store.
struct RouteCLITests {
    static var seeds: String { ConvoyRunner.repository.appendingPathComponent("seeds/updates.csv").path }

    @Test func whereAtThe3rdOfSeptemberOnTheBundledLog() throws {
        let runner = try ConvoyRunner()
        let result = runner.run(["where", "--at", "2017-09-03T12:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("using the bundled"))
        #expect(result.stdout.contains("is-qalamoun-2017 / main — turned back (reported 2017-09-02), 17 buses"), "\(result.stdout)")
        #expect(result.stdout.contains("After turning around and heading back west from the Abul Kamal area"))
        let (json, value) = try runner.json(["where", "--at", "2017-09-03T12:00Z", "--convoy", "is-qalamoun-2017"])
        #expect(json.status == 0)
        let object = try #require(value as? [String: Any])
        #expect(object["at"] as? String == "2017-09-03T12:00:00Z")
        let units = try #require(object["units"] as? [[String: Any]])
        // The 2 Sep report still counts all 17 buses, so the split (reported "over the past week"
        // by 5 Sep) may have happened after it: main and the two units that left it are all shown.
        #expect(Set(units.compactMap { $0["unit"] as? String }) == ["main", "west", "east"])
        let unit = try #require(units.first { $0["unit"] as? String == "main" })
        for key in ["convoy", "unit", "lat", "lon", "uncertainty_m", "phase", "feasible", "evidence", "nearest", "status", "vehicles", "sources"] {
            #expect(unit.keys.contains(key), "missing \(key)")
        }
        #expect(unit["vehicles"] as? Int == 17)
        #expect(unit["status"] as? String == "turned back")
        #expect((unit["nearest"] as? [[String: Any]])?.first?["bearing_deg"] is Double)
    }

    @Test func whereBeforeTheFirstReportAndBatch() throws {
        let runner = try ConvoyRunner()
        let early = runner.run(["where", "--at", "2017-08-27T12:00", "--convoy", "is-qalamoun-2017", "--updates", Self.seeds])
        #expect(early.status == 0)
        #expect(early.stdout.contains("is-qalamoun-2017: no report yet"))
        let (batch, value) = try runner.json(["where", "--at", "2017-08-30T18:00", "--at", "2017-09-06T12:00", "--updates", Self.seeds])
        #expect(batch.status == 0)
        let queries = try #require((value as? [String: Any])?["queries"] as? [[String: Any]])
        #expect(queries.count == 2)
        let after = try #require(queries[1]["units"] as? [[String: Any]]).filter { $0["convoy"] as? String == "is-qalamoun-2017" }
        #expect(Set(after.compactMap { $0["vehicles"] as? Int }) == [6, 11])
        let day = runner.run(["where", "--on", "2017-08-15", "--convoy", "ahl-al-sham-2017", "--updates", Self.seeds])
        #expect(day.stdout.contains("that day"))
        let bad = runner.run(["where", "--at", "2017-02-30T10:00", "--updates", Self.seeds])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("February 2017 has 28 days"))
        #expect(runner.run(["where", "--updates", Self.seeds]).status == 2)
    }

    @Test func replayJSONShape() throws {
        let runner = try ConvoyRunner()
        let (result, value) = try runner.json(["replay", "--updates", Self.seeds])
        #expect(result.status == 0)
        let states = try #require(value as? [[String: Any]])
        for key in ["convoy", "unit", "parent", "time_start", "time_end", "window", "status", "vehicles", "estimate", "travelled_m", "sources", "anomalies"] {
            #expect(states.allSatisfy { $0.keys.contains(key) }, "missing \(key)")
        }
        #expect(Set(states.compactMap { $0["convoy"] as? String }) == ["is-qalamoun-2017", "ahl-al-sham-2017", "hts-arsal-2017"])
        #expect(states.contains { ($0["anomalies"] as? [[String: Any]])?.contains { $0["kind"] as? String == "sources-disagree" } == true })
        let strict = runner.run(["replay", "--strict", "--updates", Self.seeds])
        #expect(strict.status == 1)
        #expect(runner.run(["replay", "--convoy", "nope", "--updates", Self.seeds]).status == 1)
    }

    @Test func importIsCheckedAndAllOrNothing() throws {
        let runner = try ConvoyRunner()
        let good = runner.run(["import", "updates", Self.seeds])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("imported 20 rows (3 convoys, 5 units)"))
        let bad = runner.directory.appendingPathComponent("bad.csv")
        try """
            time,convoy,location,status,source,quote
            2017-08-28,c,at Qara,departed,s,q
            2017-02-30,c,at Plamyra,departed,s,q
            """.write(to: bad, atomically: false, encoding: .utf8)
        let failed = runner.run(["import", "updates", bad.path])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("bad.csv:3:1: \"2017-02-30\": February 2017 has 28 days"))
        #expect(failed.stderr.contains("bad.csv:3:14: no place called \"Plamyra\""))
        #expect(failed.stderr.contains("nothing was imported"))
        // The store still holds the seed log, and replay reads it without the bundled fallback.
        let replay = runner.run(["replay", "--convoy", "is-qalamoun-2017"])
        #expect(replay.status == 0)
        #expect(!replay.stderr.contains("using the bundled"))
        #expect(replay.stdout.contains("split into east, west"))
        #expect(runner.run(["import", "updates", runner.directory.appendingPathComponent("missing.csv").path]).status == 2)
        #expect(runner.run(["import", "places", Self.seeds]).status == 2)
    }

    /// Issue 17: hostile logs are refused with located messages (exit 1) and never trap; the store
    /// keeps what it had; nothing from the log reaches the terminal raw.
    @Test func hostileLogsAreRefusedWhereTheyAreWrong() throws {
        let runner = try ConvoyRunner()
        #expect(runner.run(["import", "updates", Self.seeds]).status == 0)
        let header = "time,convoy,unit,parent,location,status,vehicles,people,source,quote\n"
        let cases: [(String, String)] = [
            ("2017-08-28,c,,,near Palmyra within 1e306 km,departed,,,s,q\n", "f.csv:2:16: \"1e306 km\" is more than 20000 km"),
            ("2017-08-28,c,,,1e305 km ESE of Palmyra,departed,,,s,q\n", "f.csv:2:16: \"1e305 km\" is more than 20000 km"),
            ("2017-08-28,c,,,at Palmyra,departed,9223372036854775807 buses + 1 ambulances,,s,q\n", "f.csv:2:36: vehicles"),
            ("2017-08-28,c,main,,at Palmyra,departed,10,,s,q\n2017-08-29,c,a,main,at Palmyra,moving,9223372036854775807,,s,q\n2017-08-29,c,b,main,at Palmyra,moving,9223372036854775807,,s,q\n", "f.csv:4:39: vehicles"),
            ("0000-01-01T00:00+01:00,c,,,at Palmyra,departed,,,s,q\n", "f.csv:2:1: \"0000-01-01T00:00+01:00\": the year 0000 is outside the years a log may use, 1900–2100"),
            ("2017-03-31T00:30,c,,,at Palmyra,departed,,,s,q\n", "f.csv:2:1: \"2017-03-31T00:30\" does not exist in Asia/Damascus"),
            ("2017-08-28,c\u{0}x,,,at Palmyra,departed,,,s,q\n2017-08-28,c\u{0}y,,,at Palmyra,departed,,,s,q\n", "f.csv:3:13: the convoy field contains U+0000 (NUL)"),
            ("2017-08-28,c,,,at Pal\u{1B}]0;pwned\u{7}myra,departed,,,s,q\n", "f.csv:2:22: the location field contains U+001B (ESC)"),
            ("2017-08-28,c,a,b,at Palmyra,moving,,,s,q\n2017-08-29,c,b,a,at Palmyra,moving,,,s,q\n", "f.csv:2:16: units split from one another in a cycle (a → b → a)"),
        ]
        for (rows, expected) in cases {
            let file = runner.directory.appendingPathComponent("f.csv")
            try Data((header + rows).utf8).write(to: file)
            let result = runner.run(["import", "updates", file.path])
            #expect(result.status == 1, "\(rows): \(result.stderr)")
            #expect(result.stderr.contains(file.deletingLastPathComponent().path + "/" + expected), "\(rows): \(result.stderr)")
            #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(result.stderr.debugDescription)")
            #expect(runner.run(["replay", "--updates", file.path]).status == 1)
        }
        // The store still holds the seed log.
        #expect(runner.run(["replay", "--convoy", "is-qalamoun-2017"]).stdout.contains("split into east, west"))
    }

    @Test func jsonLinesWithCRLFAndTypeErrors() throws {
        let runner = try ConvoyRunner()
        let file = runner.directory.appendingPathComponent("log.jsonl")
        let row = #"{"time":"2017-08-28","convoy":"c","location":"at Qara","status":"departed","source":"s","quote":"q"}"#
        try Data((row + "\r\n" + row.replacingOccurrences(of: "2017-08-28", with: "2017-08-29") + "\r\n").utf8).write(to: file)
        let good = runner.run(["replay", "--updates", file.path])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("c: 2 rows"))
        try Data(row.replacingOccurrences(of: #""source""#, with: #""vehicles":true,"source""#).utf8).write(to: file)
        let bad = runner.run(["replay", "--updates", file.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("log.jsonl:1:87: \"vehicles\" must be a string or a whole number, found true"), "\(bad.stderr)")
    }

    @Test func zoneValuesMayStartWithAMinus() throws {
        let runner = try ConvoyRunner()
        for arguments in [["--zone", "-05:00"], ["--zone=-05:00"]] {
            let result = runner.run(["where", "--at", "2017-09-03T07:00", "--convoy", "is-qalamoun-2017", "--updates", Self.seeds] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.hasPrefix("At 2017-09-03 07:00 -05:00 (2017-09-03T12:00:00Z)"), "\(result.stdout)")
        }
        let imported = runner.run(["import", "updates", Self.seeds, "--zone", "-05:00", "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("GMT-0500"), "\(imported.stdout)")
        let missing = runner.run(["replay", "--updates", Self.seeds, "--zone", "--json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("unknown time zone \"--json\": --zone needs a value"), "\(missing.stderr)")
    }

    @Test func whereRefusesALocalTimeTheClocksShowedTwice() throws {
        let runner = try ConvoyRunner()
        let result = runner.run(["where", "--at", "2017-10-26T23:30", "--updates", Self.seeds])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--at: \"2017-10-26T23:30\" happened twice in Asia/Damascus"), "\(result.stderr)")
        #expect(runner.run(["where", "--at", "2017-10-26T23:30+03:00", "--updates", Self.seeds]).status == 0)
    }

    @Test func devicesAndEmptyFilesAreNamedForWhatTheyAre() throws {
        let runner = try ConvoyRunner()
        let null = runner.run(["replay", "--updates", "/dev/null"])
        #expect(null.status == 2)
        #expect(null.stderr.hasSuffix("convoy: /dev/null: is not a regular file but a character device; an update log is a CSV or JSON Lines file\n"), "\(null.stderr)")
        let empty = runner.directory.appendingPathComponent("empty.csv")
        try Data().write(to: empty)
        let result = runner.run(["replay", "--updates", empty.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("empty.csv:1:1: the log is empty"), "\(result.stderr)")
        let folder = runner.run(["replay", "--updates", runner.directory.path])
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("is a folder, not a file"), "\(folder.stderr)")
        // --times reads the same way, CRLF included.
        let times = runner.directory.appendingPathComponent("times.txt")
        try Data("# two instants\r\n2017-08-30T18:00\r\n2017-09-06T12:00\r\n".utf8).write(to: times)
        let batch = runner.run(["where", "--times", times.path, "--updates", Self.seeds])
        #expect(batch.status == 0, "\(batch.stderr)")
        try Data("2017-08-30T18:00\r\n  2017-02-30T10:00\r\n".utf8).write(to: times)
        let bad = runner.run(["where", "--times", times.path, "--updates", Self.seeds])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("times.txt:2:3: \"2017-02-30T10:00\": February 2017 has 28 days"), "\(bad.stderr)")
    }

    /// Issue 19: `where --json` reports each unit's maximum speed and the row it comes from; the
    /// log's `max_speed_kmh` wins, `--max-speed` sets the others; an import keeps it.
    @Test func perUnitMaximumSpeed() throws {
        let runner = try ConvoyRunner()
        let log = runner.directory.appendingPathComponent("speed.csv")
        try """
            time,convoy,unit,location,status,source,quote,max_speed_kmh
            2017-08-28T10:00,c,slow,at Palmyra,departed,s,q,40
            2017-08-28T10:00,c,free,at Palmyra,departed,s,q,

            """.write(to: log, atomically: false, encoding: .utf8)
        func speeds(_ arguments: [String]) throws -> (top: Double?, units: [String: (Double?, Int?)]) {
            let (result, value) = try runner.json(["where", "--at", "2017-08-28T13:00", "--convoy", "c"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            let object = try #require(value as? [String: Any])
            var units: [String: (Double?, Int?)] = [:]
            for u in try #require(object["units"] as? [[String: Any]]) {
                units[u["unit"] as! String] = (u["maximum_speed_kmh"] as? Double, (u["maximum_speed_from"] as? [String: Any])?["line"] as? Int)
            }
            return (object["maximum_speed_kmh"] as? Double, units)
        }
        let plain = try speeds(["--updates", log.path])
        #expect(plain.top == 100)
        #expect(plain.units["slow"]?.0 == 40 && plain.units["slow"]?.1 == 2)
        #expect(plain.units["free"]?.0 == 100 && plain.units["free"]?.1 == nil)
        let option = try speeds(["--updates", log.path, "--max-speed", "120"])
        #expect(option.top == 120)
        #expect(option.units["slow"]?.0 == 40)
        #expect(option.units["free"]?.0 == 120)
        #expect(runner.run(["import", "updates", log.path]).status == 0)
        let stored = try speeds([])
        #expect(stored.units["slow"]?.0 == 40 && stored.units["slow"]?.1 == 2)
        let text = runner.run(["where", "--at", "2017-08-28T13:00", "--convoy", "c"])
        #expect(text.stdout.contains("(at most 40 km/h, the log's, line 2)"), "\(text.stdout)")
        let bad = runner.directory.appendingPathComponent("bad-speed.csv")
        try "time,convoy,location,status,source,quote,max_speed_kmh\n2017-08-28,c,at Palmyra,departed,s,q,400\n".write(to: bad, atomically: false, encoding: .utf8)
        let refused = runner.run(["import", "updates", bad.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("bad-speed.csv:2:38: max_speed_kmh \"400\" is out of range"), "\(refused.stderr)")
    }
}
