import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import Testing

@testable import ConvoyRoute

/// The IS convoy of August–September 2017 as the seed log tells it, day by day, against the
/// reports' own sentences (quoted in each check).
@Suite("the seed log, day by day, against the reports' words")
struct SeedStoryTests {
    struct World {
        let gazetteer: Gazetteer
        let model: ConvoyModel

        func place(_ id: String) throws -> GeoPoint { try #require(try gazetteer.place(id: id)).location }
        func unit(_ name: String) throws -> UnitModel { try #require(model.unit(convoy: "is-qalamoun-2017", unit: name)) }
        func day(_ date: String) throws -> (from: Double, to: Double) {
            let t = try LogTimeParser(zone: Support.damascus).parse(date)
            return (t.start, t.end)
        }
        func answers(on date: String) throws -> [String: UnitAnswer] {
            let d = try day(date)
            let convoy = try #require(model.answer(.day(from: d.from, to: d.to), convoy: "is-qalamoun-2017").first)
            return Dictionary(convoy.units.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    static func world() throws -> World {
        let g = try Support.gazetteer()
        return World(gazetteer: g, model: try Support.model(try Support.seedLog(g), g))
    }

    static func distance(_ a: GeoPoint, _ b: GeoPoint) -> Double { Geodesic.inverse(from: a, to: b).distance }

    @Test("27 Aug: no report yet — \"Buses first gathered yesterday morning, the 28th of August 2017\"")
    func beforeTheConvoy() throws {
        let w = try Self.world()
        // The convoy is answered as before its first report: a set that grows back in time from
        // the border crossing, never a position of its own.
        let answers = try w.answers(on: "2017-08-27")
        #expect(answers.keys.sorted() == ["main"])
        #expect(answers["main"]?.position?.phase == .beforeFirstReport)
    }

    @Test("28 Aug: it leaves \"from Al-Sheikh Ali Crossing area in the barrens of the Western Qalamoun\"")
    func theDeparture() throws {
        let w = try Self.world()
        let main = try #require(try w.answers(on: "2017-08-28")["main"])
        let crossing = try w.place("sy-al-sheikh-ali-crossing")
        // The day's set holds the crossing, where the journey begins.
        let unit = try w.unit("main")
        let atCrossing = unit.space.nearest(to: crossing)!.position
        #expect(unit.feasibleSet(main.position!.feasible).contains(atCrossing, tolerance: 10))
        #expect(Self.distance(try #require(main.day).start, crossing) < 12_000)
    }

    @Test("29 Aug – 1 Sep: near Humayma and never beyond the crater — \"cratered the road heading east between Hamaymah and Abu Kamal\"")
    func stuckShortOfTheCrater() throws {
        let w = try Self.world()
        let humayma = try w.place("sy-humayma"), abuKamal = try w.place("sy-abu-kamal")
        let unit = try w.unit("main")
        for date in ["2017-08-29", "2017-08-30", "2017-08-31", "2017-09-01"] {
            let main = try #require(try w.answers(on: date)["main"], "\(date)")
            let p = try #require(main.position)
            // "stuck in a desert area on the outskirts of the largely IS-held Deir el-Zour province":
            // the estimate is at Humayma (its own radius is 20 km).
            #expect(Self.distance(p.point, humayma) < 20_000, "\(date): the estimate is \(Self.distance(p.point, humayma)) m from Humayma")
            // Beyond the crater: Abu Kamal, the far end of the cratered stretch, is never reachable.
            let set = unit.feasibleSet(p.feasible)
            let farthestEast = unit.polylines(of: set).joined().map { Self.distance($0, abuKamal) }.min() ?? .infinity
            #expect(farthestEast > 3_000, "\(date): the set comes within \(farthestEast) m of Abu Kamal")
        }
    }

    @Test("2–4 Sep: \"remains in the Syrian Desert between Humayma and As Sukhnah\"")
    func turnedBackWest() throws {
        let w = try Self.world()
        let unit = try w.unit("main")
        let row = try #require(unit.rows.first { $0.status == .turnedBack })
        #expect(row.citation.quote.contains("remains in the Syrian Desert between Humayma and As Sukhnah"))
        let region = try #require(unit.footprints[unit.inherited.count + unit.rows.firstIndex { $0.line == row.line }!]).set
        for date in ["2017-09-02", "2017-09-03", "2017-09-04"] {
            let d = try w.day(date)
            let estimate = try #require(unit.journey.position(at: (d.from + d.to) / 2))
            #expect(region.contains(estimate, tolerance: 1), "\(date): the estimate is off the stretch between Humayma and As Sukhnah")
        }
    }

    @Test("5 Sep: the 11 buses \"stalled in the Syrian Desert east of As Sukhnah\", the 6 \"returned westward toward Palmyra\"")
    func theTwoUnits() throws {
        let w = try Self.world()
        let answers = try w.answers(on: "2017-09-05")
        let sukhnah = try w.place("sy-as-sukhnah"), palmyra = try w.place("sy-palmyra")
        let east = try #require(answers["east"]?.position), west = try #require(answers["west"]?.position)
        var bearing = Geodesic.inverse(from: sukhnah, to: east.point).initialAzimuth
        if bearing < 0 { bearing += 360 }
        #expect(Self.distance(sukhnah, east.point) < 3_000 || abs(bearing - 90) <= 45, "east estimate at bearing \(bearing)° from As Sukhnah")
        // West: on the way from where the convoy was to Palmyra, so no farther from Palmyra than As Sukhnah is.
        #expect(Self.distance(west.point, palmyra) <= Self.distance(sukhnah, palmyra) + 1_000)
        #expect(answers["east"]?.vehicles?.count.text == "11 buses" && answers["west"]?.vehicles?.count.text == "6 buses")
    }

    @Test("the split: \"Over the past week, 6 of the 17 buses have returned westward\" — after 2 Sep's 17 buses, and nothing jumps")
    func theSplit() throws {
        let w = try Self.world()
        let main = try w.unit("main")
        let split = try #require(main.rows.first { $0.status == .split })
        #expect(split.citation.quote.hasPrefix("Over the past week, 6 of the 17 buses"))
        // The split is a window, 29 Aug – 5 Sep; the 2 Sep update still counts 17 buses, so the children
        // exist as units from the end of that day.
        let window = (try w.day("2017-08-29").from, try w.day("2017-09-05").to)
        #expect(split.time.start == window.0 && split.time.end == window.1)
        for name in ["east", "west"] {
            let child = try w.unit(name)
            let endOf2September = try w.day("2017-09-02").to
            #expect(child.existsFrom == endOf2September, "\(name) exists from \(TimeText.utc(child.existsFrom))")
            // It leaves from where main is then.
            let a = child.space.point(at: try #require(child.journey.position(at: child.existsFrom)))
            let b = main.space.point(at: try #require(main.journey.position(at: child.existsFrom)))
            #expect(Self.distance(a, b) < 1, "\(name) starts \(Self.distance(a, b)) m from main")
        }
        for date in ["2017-09-06", "2017-09-07"] {
            let units = Set(try w.answers(on: date).keys)
            #expect(units == ["east", "west"], "\(date)")
        }
    }

    @Test("the reports' disagreements are kept with their sources")
    func disagreements() throws {
        let w = try Self.world()
        let states = w.model.replay
        let counts = states.flatMap(\.anomalies).filter { $0.kind == .sourcesDisagree }.map(\.message)
        // "Nearly two dozen buses" (seed 002) against "17 buses" (seed 004).
        #expect(counts.contains { $0.contains("17 buses + 11 ambulances") && $0.contains("~22 buses + 11 ambulances") })
        // "around 8,000 fighters" (seed 004) against "at least 8 thousand people, including hundreds of … fighters" (seed 001).
        #expect(counts.contains { $0.contains("~8000 fighters") && $0.contains("200-999 fighters") }, "\(counts)")
        // Seed 004 dates the HTS evacuation 31 Jul; seed 001 puts it after the 3 Aug agreement.
        #expect(states.flatMap(\.anomalies).contains { $0.kind == .datesDisagree && $0.message.contains("2017-07-31") && $0.message.contains("2017-08-03/2017-08-29") })
    }

    @Test("no track moves faster than the maximum speed, and every unit has one")
    func plausibleJourneys() throws {
        let w = try Self.world()
        let v = w.model.settings.maximumSpeed
        for unit in w.model.units {
            let times = unit.journey.knotTimes, measures = unit.journey.knotMeasures
            #expect(!times.isEmpty, "\(unit.convoy)/\(unit.unit) has no journey")
            for k in 1..<max(1, times.count) {
                let dt = times[k] - times[k - 1], dm = abs(measures[k] - measures[k - 1])
                #expect(dm <= v * dt * (1 + 1e-9) + 1e-3, "\(unit.convoy)/\(unit.unit): \(dm) m in \(dt) s")
            }
            #expect(!unit.journey.strained, "\(unit.convoy)/\(unit.unit)")
        }
    }
}
