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
        #expect(result.stdout.contains("is-qalamoun-2017 / main — turned back, 17 buses"))
        #expect(result.stdout.contains("After turning around and heading back west from the Abul Kamal area"))
        let (json, value) = try runner.json(["where", "--at", "2017-09-03T12:00Z", "--convoy", "is-qalamoun-2017"])
        #expect(json.status == 0)
        let object = try #require(value as? [String: Any])
        #expect(object["at"] as? String == "2017-09-03T12:00:00Z")
        let units = try #require(object["units"] as? [[String: Any]])
        #expect(units.count == 1)
        let unit = units[0]
        for key in ["convoy", "unit", "lat", "lon", "uncertainty_m", "between", "nearest", "status", "vehicles", "sources"] {
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
        for key in ["convoy", "unit", "parent", "time", "status", "vehicles", "lat", "lon", "cumulative_m", "sources", "anomalies"] {
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
        #expect(good.stdout.contains("imported 18 rows (3 convoys, 5 units)"))
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
}
