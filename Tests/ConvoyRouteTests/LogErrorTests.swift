import ConvoyGazetteer
import ConvoyTestSupport
import Foundation
import Testing

@testable import ConvoyRoute

/// Bad input gets a located message, every problem is listed, and nothing is partly imported.
struct LogErrorTests {
    func errors(_ rows: [String], header: String? = nil, places: Gazetteer) throws -> [DataError] {
        do {
            if let header { _ = try Support.log(rows, header: header, places: places) } else { _ = try Support.log(rows, places: places) }
        } catch let e as DataErrors {
            return e.errors
        }
        Issue.record("the log was accepted")
        return []
    }

    @Test func unknownPlaceWithSuggestions() throws {
        let g = try Support.gazetteer()
        let e = try errors(["2017-08-28,c,,,at Plamyra,departed,,,s,q"], places: g)
        #expect(e.count == 1)
        #expect(e[0].line == 2 && e[0].column == 16)
        #expect(e[0].message.contains("no place called \"Plamyra\""))
        #expect(e[0].message.contains("Palmyra [sy-palmyra]"))
    }

    /// An unknown road id offers the closest ids — all of a small set, eight of a large one (a
    /// user's road file of thousands), never the whole list.
    @Test(arguments: [12, 5_000])
    func unknownRoadOffersTheClosestIds(count: Int) throws {
        let g = try Support.gazetteer()
        var known = Set((0..<(count - 1)).map { "road-\($0)" })
        known.insert("road-m20-palmyra-deir-ez-zor")
        let header = "time,convoy,unit,parent,location,status,vehicles,people,source,quote,note,road"
        let raw = try UpdateLog.csvRows(header + "\n2017-08-28,c,,,at Palmyra,departed,,,s,q,,road-m20-palmyra\n", file: "test.csv")
        let error = try #require(throws: DataErrors.self) { try UpdateLog.check(rows: raw, file: "test.csv", zone: Support.damascus, places: g, knownRoads: known) }
        let message = try #require(error.errors.first?.message)
        #expect(message.contains("unknown road \"road-m20-palmyra\""))
        let offered = message.split(separator: ":").last!.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(offered.first == "road-m20-palmyra-deir-ez-zor", "\(message)")
        #expect(offered.count <= 9, "\(message)")  // eight ids, then "or none" joined to the last
        #expect(message.count < 400)
    }

    @Test func everyBadRowIsListed() throws {
        let g = try Support.gazetteer()
        let e = try errors([
            "2017-02-30,c,,,at Qara,departed,,,s,q",
            "2017-08-28,c,,,\"91.5,40\",departed,,,s,q",
            "2017-08-28,c,,,at Qara,flying,,,s,q",
            "2017-08-28,c,,,at Qara,departed,lots,,s,q",
            "2017-08-28,c,,,at Qara,departed,,,s,",
        ], places: g)
        #expect(e.map(\.line) == [2, 3, 4, 5, 6])
        #expect(e[0].description == "test.csv:2:1: \"2017-02-30\": February 2017 has 28 days, there is no day 30")
        #expect(e[1].message.contains("latitude 91.5"))
        #expect(e[2].message.contains("unknown status \"flying\""))
        #expect(e[3].message.contains("vehicles \"lots\""))
        #expect(e[4].message.contains("quote is empty"))
    }

    @Test func emptyFileHeaderOnlyAndBadHeader() throws {
        let g = try Support.gazetteer()
        #expect(throws: DataErrors.self) { try UpdateLog.csvRows("", file: "e.csv") }
        do { _ = try UpdateLog.csvRows("", file: "e.csv") } catch { #expect(error.errors[0].message.contains("the log is empty")) }
        do { _ = try UpdateLog.csvRows("time,convoy,location,status,source,quote\n", file: "e.csv") } catch { #expect(error.errors[0].message.contains("no rows")) }
        let e = try errors(["2017-08-28,c,at Qara,departed"], header: "time,convoy,where,status", places: g)
        #expect(e.contains { $0.message.contains("unknown column \"where\"") && $0.column == 13 })
        #expect(e.contains { $0.message.contains("missing columns location, quote, source") })
    }

    @Test func duplicateRows() throws {
        let g = try Support.gazetteer()
        let e = try errors(["2017-08-28,c,,,at Qara,departed,,,s,q", "2017-08-29,c,,,at Qara,halted,,,s,q", "2017-08-28,c,,,at Qara,departed,,,s,q"], places: g)
        #expect(e.map(\.description) == ["test.csv:4:1: duplicate of the row at line 2"])
    }

    @Test func rowsOutOfOrderAreSortedAndNoted() throws {
        let g = try Support.gazetteer()
        let log = try Support.log(["2017-08-30,c,,,at Palmyra,moving,,,s,q", "2017-08-28,c,,,at Qara,departed,,,s,q"], places: g)
        #expect(log.notes.contains { $0.line == 3 && $0.message.contains("out of time order") })
        let model = try Support.model(log, g)
        #expect(model.replay.map(\.observation.line) == [3, 2])
        #expect(model.replay[0].anomalies.contains { $0.kind == .outOfOrder })
    }

    @Test func splitExceedingTheParentIsAnError() throws {
        let g = try Support.gazetteer()
        let e = try errors([
            "2017-09-02,c,main,,at Palmyra,halted,17 buses,,s,q",
            "2017-09-05,c,west,main,toward Homs,moving,6 buses,,s,q",
            "2017-09-05,c,east,main,at Palmyra,stalled,12 buses,,s,q",
        ], places: g)
        #expect(e.count == 1)
        #expect(e[0].message.contains("18 buses, more than the 17 buses it had (line 2)"))
    }

    @Test func splitFromAnUnknownUnit() throws {
        let g = try Support.gazetteer()
        let e = try errors(["2017-09-05,c,west,main,at Palmyra,moving,6,,s,q"], places: g)
        #expect(e[0].message.contains("splits from \"main\", which has no rows"))
    }

    @Test func splitWithFewerVehiclesIsAnAnomaly() throws {
        let g = try Support.gazetteer()
        let log = try Support.log([
            "2017-09-02,c,main,,at Palmyra,halted,17 buses,,s,q",
            "2017-09-05,c,main,,at Palmyra,split,17 buses,,s,q",
            "2017-09-05,c,west,main,toward Homs,moving,6 buses,,s,q",
            "2017-09-05,c,east,main,at Palmyra,stalled,10 buses,,s,q",
        ], places: g)
        let model = try Support.model(log, g)
        let split = try #require(model.replay.first { $0.observation.status == .split })
        #expect(split.anomalies.contains { $0.kind == .countMismatch && $0.message.contains("1 unaccounted for") })
    }

    @Test func impossibleSpeedIsAnAnomaly() throws {
        let g = try Support.gazetteer()
        let log = try Support.log(["2017-08-28T10:00,c,,,at Qara,departed,,,s,q", "2017-08-28T11:00,c,,,at Abu Kamal,arrived,,,s2,q"], places: g)
        let state = try #require(try Support.model(log, g).replay.last)
        // Qara to Abu Kamal is over 400 km of road: in an hour that is over 400 km/h.
        let anomaly = try #require(state.anomalies.first { $0.kind == .impossibleSpeed })
        #expect(anomaly.message.contains("lines 2 and 3"), "\(anomaly.message)")
        let words = anomaly.message.split(separator: " ")
        let needed = words.firstIndex(of: "need").map { Double(words[$0 + 1]) ?? 0 } ?? 0
        #expect(needed > 400, "\(anomaly.message)")
    }

    @Test func jsonLinesWithTheSameFields() throws {
        let g = try Support.gazetteer()
        let url = ScratchSpace.path("log", suffix: ".jsonl")
        try """
            {"time":"2017-08-28","convoy":"c","location":"at Qara","status":"departed","vehicles":17,"source":"s","quote":"q"}
            {"time":"2017-08-30","convoy":"c","location":"between Humayma and Abu Kamal","status":"halted","source":"s","quote":"q"}
            """.write(to: url, atomically: false, encoding: .utf8)
        let log = try UpdateLog.load(path: url.path, zone: Support.damascus, places: g)
        #expect(log.observations.count == 2)
        #expect(log.observations[0].vehicles?.total == 17)
        try #"{"time":"2017-08-28","convoy":"c","location":"at Plamyra","status":"departed","source":"s","quote":"q"}"#.write(to: url, atomically: false, encoding: .utf8)
        #expect(throws: DataErrors.self) { try UpdateLog.load(path: url.path, zone: Support.damascus, places: g) }
    }

    @Test func importIsAllOrNothing() throws {
        let g = try Support.gazetteer()
        let store = try RouteStore(g)
        #expect(try store.info() == nil)
        let seeds = try Support.seedLog(g)
        try store.replace(with: seeds)
        #expect(try store.info()?.rows == seeds.rows.count)
        let reloaded = try #require(try store.load(places: g))
        #expect(reloaded.observations == seeds.observations)
        // A failure in the middle of a second import leaves the first one whole.
        let other = try Support.log(["2017-08-28,c,,,at Qara,departed,,,s,q", "2017-08-29,c,,,at Palmyra,moving,,,s,q"], places: g)
        #expect(throws: RouteStoreError.self) { try store.replace(with: other, failAfter: 1) }
        #expect(try store.info()?.rows == seeds.rows.count)
        #expect(try store.load(places: g)?.observations == seeds.observations)
        try store.replace(with: other)
        #expect(try store.load(places: g)?.observations.count == 2)
    }
}
