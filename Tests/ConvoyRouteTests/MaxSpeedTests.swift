import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyTestSupport
import Foundation
import GRDB
import Testing

@testable import ConvoyRoute

/// The log's `max_speed_kmh` column (issue 19): one maximum speed per unit, inherited by the units
/// split from it, validated where it is written, used by the unit's prism and its anomalies, stored.
struct MaxSpeedTests {
    static let header = "time,convoy,unit,parent,location,status,vehicles,people,source,quote,note,road,max_speed_kmh"

    /// The feasible set of `convoy/unit` at `time`, and the unit's answer.
    func answer(_ model: ConvoyModel, _ unit: String, at time: String) throws -> (set: SpaceSet, answer: UnitAnswer, model: UnitModel) {
        let t = try Support.time(time)
        let u = try #require(model.unit(convoy: "c", unit: unit))
        let position = try #require(u.position(at: t))
        let answer = try #require(model.answer(.instant(t), convoy: "c").first?.units.first { $0.unit == unit })
        return (u.feasibleSet(position.feasible), answer, u)
    }

    /// The models of `rows` (a `%@` where the first row's speed goes) with `speed` and with none.
    func models(_ rows: [String], speed: String, _ g: Gazetteer) throws -> (slow: ConvoyModel, fast: ConvoyModel) {
        let build = { (value: String) in try Support.model(try Support.log(rows.map { String(format: $0, value) }, header: Self.header, places: g), g) }
        return (try build(speed), try build(""))
    }

    @Test("a unit with a low maximum speed has a narrower feasible set, inside the default one, bounded by its own speed")
    func lowSpeedNarrowsTheSet() throws {
        let g = try Support.gazetteer()
        let rows = ["2017-08-28T10:00,c,,,at Palmyra,departed,,,s,q,,,%@", "2017-08-28T10:00,c,other,,at Palmyra,departed,,,s,q,,,"]
        let (slow, fast) = try models(rows, speed: "40", g)
        let s = try answer(slow, "main", at: "2017-08-28T13:00"), f = try answer(fast, "main", at: "2017-08-28T13:00")
        #expect(abs(s.model.maximumSpeed * 3.6 - 40) < 1e-9)
        #expect(abs(f.model.maximumSpeed * 3.6 - 100) < 1e-9)
        #expect(s.answer.maximumSpeedRow?.line == 2)
        #expect(f.answer.maximumSpeedRow == nil)
        #expect(s.set.length > 0)
        #expect(s.set.length < f.set.length * 0.6, "\(s.set.length) vs \(f.set.length)")
        #expect(abs(s.set.intersection(f.set).length - s.set.length) < 1, "the slow set lies inside the fast one")
        // Three hours at 40 km/h: no point of the set is farther than 120 km along the roads from
        // Palmyra's disc (its radius is the lateral slack), while at 100 km/h the set reaches beyond.
        let palmyra = try #require(try g.place(id: "sy-palmyra"))
        let reach = 120_000 + palmyra.uncertaintyMeters + 1
        let farthest = s.model.polylines(of: s.set).flatMap { $0 }.map { Geodesic.inverse(from: palmyra.location, to: $0).distance }.max() ?? 0
        #expect(farthest <= reach, "\(farthest)")
        let fastFarthest = f.model.polylines(of: f.set).flatMap { $0 }.map { Geodesic.inverse(from: palmyra.location, to: $0).distance }.max() ?? 0
        #expect(fastFarthest > reach, "\(fastFarthest)")
        // The other unit of the slow log keeps the default.
        let other = try answer(slow, "other", at: "2017-08-28T13:00")
        #expect(abs(other.model.maximumSpeed * 3.6 - 100) < 1e-9)
        #expect(abs(other.set.length - f.set.length) < 1)
    }

    @Test("the log's speed wins over the settings' default (--max-speed), which applies to the other units")
    func logSpeedWinsOverTheDefault() throws {
        let g = try Support.gazetteer()
        var settings = ModelSettings()
        settings.maximumSpeed = 120 / 3.6
        let log = try Support.log(
            ["2017-08-28T10:00,c,,,at Palmyra,departed,,,s,q,,,45", "2017-08-28T10:00,c,other,,at Palmyra,departed,,,s,q,,,"], header: Self.header, places: g)
        let model = try Support.model(log, g, settings: settings)
        #expect(abs(try #require(model.unit(convoy: "c", unit: "main")).maximumSpeed * 3.6 - 45) < 1e-9)
        #expect(abs(try #require(model.unit(convoy: "c", unit: "other")).maximumSpeed * 3.6 - 120) < 1e-9)
    }

    @Test("a child inherits its parent's speed unless it gives its own")
    func childrenInherit() throws {
        let g = try Support.gazetteer()
        let log = try Support.log(
            [
                "2017-08-28T10:00,c,main,,at Palmyra,departed,17 buses,,s,q,,,50",
                "2017-08-28T12:00,c,main,,at As Sukhnah,split,17 buses,,s,q,,,",
                "2017-08-28T13:00,c,a,main,at As Sukhnah,halted,6 buses,,s,q,,,",
                "2017-08-28T13:00,c,b,main,at As Sukhnah,halted,11 buses,,s,q,,,30",
            ], header: Self.header, places: g)
        let model = try Support.model(log, g)
        #expect(abs(try #require(model.unit(convoy: "c", unit: "a")).maximumSpeed * 3.6 - 50) < 1e-9)
        #expect(try #require(model.unit(convoy: "c", unit: "a")).maximumSpeedRow?.line == 2)
        #expect(abs(try #require(model.unit(convoy: "c", unit: "b")).maximumSpeed * 3.6 - 30) < 1e-9)
    }

    @Test("two rows the log's own speed cannot join raise impossible-speed at that speed; the default joins them")
    func contradictionAtTheLogsSpeed() throws {
        let g = try Support.gazetteer()
        // Qara to Palmyra: about 150 km as the crow flies, more by road. Four hours at 100 km/h
        // allow 400 km; at 30.5 km/h only 122 km.
        let rows = ["2017-08-28T10:00,c,,,at Qara,departed,,,s,q,,,%@", "2017-08-28T14:00,c,,,at Palmyra,arrived,,,s2,q,,,"]
        let (slow, fast) = try models(rows, speed: "30.5", g)
        #expect(fast.replay.allSatisfy { !$0.anomalies.contains { $0.kind == .impossibleSpeed } })
        let anomaly = try #require(slow.replay.last?.anomalies.first { $0.kind == .impossibleSpeed })
        #expect(anomaly.message.contains("lines 2 and 3"), "\(anomaly.message)")
        #expect(anomaly.message.contains("more than the 30.5 km/h maximum"), "\(anomaly.message)")
        // The answer keeps both rows: between them the unit may be at either place.
        let qara = try #require(try g.place(id: "sy-qara")), palmyra = try #require(try g.place(id: "sy-palmyra"))
        let u = try #require(slow.unit(convoy: "c", unit: "main"))
        let set = u.feasibleSet(try #require(u.position(at: try Support.time("2017-08-28T14:00"))).feasible)
        #expect(u.polylines(of: set).flatMap { $0 }.contains { Geodesic.inverse(from: $0, to: qara.location).distance < qara.uncertaintyMeters + 1 })
        #expect(u.polylines(of: set).flatMap { $0 }.contains { Geodesic.inverse(from: $0, to: palmyra.location).distance < palmyra.uncertaintyMeters + 1 })
    }

    @Test(
        "invalid speeds are refused at the field's line and column",
        arguments: ["0", "-5", "abc", "301", "1e3", "inf", "nan", "60 km/h", "0x10", "1,000", ".5", "5.", "+60"])
    func invalidSpeedsInCSV(_ text: String) throws {
        let g = try Support.gazetteer()
        let field = text.contains(",") ? "\"\(text)\"" : text
        let csv = Self.header + "\n2017-08-28T10:00,c,,,at Palmyra,departed,,,s,q,,,\(field)\n"
        let raw = try UpdateLog.csvRows(csv, file: "t.csv")
        let error = try #require(throws: DataErrors.self) { try UpdateLog.check(rows: raw, file: "t.csv", zone: Support.damascus, places: g) }
        #expect(error.errors.count == 1)
        let e = try #require(error.errors.first)
        #expect(e.line == 2 && e.column == 50, "\(e)")
        #expect(e.message.contains("max_speed_kmh"), "\(e)")
    }

    @Test("valid speeds are read as written: whole, decimal, the bound itself")
    func validSpeeds() throws {
        let g = try Support.gazetteer()
        for (text, value) in [("60", 60.0), ("42.5", 42.5), ("300", 300.0), ("0.5", 0.5), (" 80 ", 80.0)] {
            let log = try Support.log(["2017-08-28T10:00,c,,,at Palmyra,departed,,,s,q,,,\(text)"], header: Self.header, places: g)
            #expect(log.observations[0].maxSpeedKmh == value)
        }
    }

    @Test("rows of one unit may repeat its speed but not change it: the second value is an error where it stands")
    func conflictingSpeedsAreAnError() throws {
        let g = try Support.gazetteer()
        _ = try Support.log(
            ["2017-08-28T10:00,c,,,at Palmyra,departed,,,s,q,,,60", "2017-08-28T14:00,c,,,at As Sukhnah,moving,,,s,q,,,60.0"], header: Self.header, places: g)
        let csv = Self.header + "\n2017-08-28T10:00,c,,,at Palmyra,departed,,,s,q,,,60\n2017-08-28T14:00,c,,,at As Sukhnah,moving,,,s,q,,,45\n2017-08-28T15:00,c,x,,at As Sukhnah,moving,,,s,q,,,45\n"
        let raw = try UpdateLog.csvRows(csv, file: "t.csv")
        let error = try #require(throws: DataErrors.self) { try UpdateLog.check(rows: raw, file: "t.csv", zone: Support.damascus, places: g) }
        #expect(error.errors.map(\.description) == ["t.csv:3:51: max_speed_kmh 45 for c/main, but line 2 gives 60: a unit has one maximum speed (repeat the same value or leave it empty)"])
    }

    @Test("JSON Lines: a number or a string; other types, bad numbers and out-of-range values at the value's column")
    func jsonLines() throws {
        let g = try Support.gazetteer()
        let url = ScratchSpace.path("speed", suffix: ".jsonl")
        let base = #"{"time":"2017-08-28T10:00","convoy":"c","location":"at Palmyra","status":"departed","source":"s","quote":"q","max_speed_kmh":"#
        try (base + "55}\n" + base.replacingOccurrences(of: "\"c\"", with: "\"d\"") + "\"42.5\"}\n").write(to: url, atomically: false, encoding: .utf8)
        let log = try UpdateLog.load(path: url.path, displayPath: "t.jsonl", zone: Support.damascus, places: g)
        #expect(log.observations.map(\.maxSpeedKmh) == [55, 42.5])
        let column = base.unicodeScalars.count + 1
        for bad in ["0", "-3", "1e3", "301", "true", "[60]", "\"fast\"", "0.0"] {
            try (base + bad + "}\n").write(to: url, atomically: false, encoding: .utf8)
            let error = try #require(throws: DataErrors.self) { try UpdateLog.load(path: url.path, displayPath: "t.jsonl", zone: Support.damascus, places: g) }
            let e = try #require(error.errors.first)
            #expect(error.errors.count == 1 && e.line == 1 && e.column == column, "\(bad): \(error.errors)")
            #expect(e.message.contains("max_speed_kmh"), "\(bad): \(e)")
        }
        // null is an empty value: the default speed.
        try (base + "null}\n").write(to: url, atomically: false, encoding: .utf8)
        #expect(try UpdateLog.load(path: url.path, zone: Support.damascus, places: g).observations[0].maxSpeedKmh == nil)
    }

    @Test("the speed goes through import and back, and the model built from the store uses it")
    func roundTripThroughTheStore() throws {
        let g = try Support.gazetteer()
        let log = try Support.log(
            ["2017-08-28T10:00,c,,,at Qara,departed,,,s,q,,,30", "2017-08-28T14:00,c,,,at Palmyra,arrived,,,s2,q,,,"], header: Self.header, places: g)
        let store = try RouteStore(g)
        try store.replace(with: log)
        let reloaded = try #require(try store.load(places: g))
        #expect(reloaded.observations == log.observations)
        #expect(reloaded.observations[0].maxSpeedKmh == 30)
        let model = try Support.model(reloaded, g)
        #expect(abs(try #require(model.unit(convoy: "c", unit: "main")).maximumSpeed * 3.6 - 30) < 1e-9)
        #expect(model.replay.contains { $0.anomalies.contains { $0.kind == .impossibleSpeed } })
    }

    @Test("a store imported before the column gets it by migration, its rows kept with no speed")
    func migrationKeepsAnOlderStore() throws {
        let path = ScratchSpace.path("convoy-route-v1", suffix: ".sqlite").path
        let g = try Gazetteer(path: path, bundledDirectory: Support.repository.appendingPathComponent("Gazetteer"))
        // The store as the first route migration left it, with one row imported then.
        try RouteStore.migrator.migrate(g.database, upTo: "route v1: update log")
        try g.database.write { db in
            try db.execute(sql: "INSERT INTO route_log (id, file, zone, imported_at) VALUES (1, 'old.csv', 'Asia/Damascus', '2026-01-01T00:00:00Z')")
            try db.execute(
                sql: "INSERT INTO route_row (log_id, line, time, convoy, unit, parent, location, status, vehicles, people, source, quote, note, road) VALUES (1, 2, '2017-08-28', 'c', '', '', 'at Qara', 'departed', '', '', 's', 'q', '', '')")
        }
        let columnsBefore = try g.database.read { db in try db.columns(in: "route_row").map(\.name) }
        #expect(!columnsBefore.contains("max_speed_kmh"))
        let store = try RouteStore(g)
        let columnsAfter = try g.database.read { db in try db.columns(in: "route_row").map(\.name) }
        #expect(columnsAfter.contains("max_speed_kmh"))
        let log = try #require(try store.load(places: g))
        #expect(log.observations.count == 1)
        #expect(log.observations[0].maxSpeedKmh == nil)
        #expect(log.file == "old.csv")
    }
}
