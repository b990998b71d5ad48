import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import Testing

@testable import ConvoyRoute

/// The seed log against the five reports: every row quotes its report verbatim, and the replay and
/// `where` answers tell the story the reports tell.
struct SeedLogTests {
    static func normalized(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    @Test func everyRowQuotesItsReportVerbatim() throws {
        let log = try Support.seedLog(try Support.gazetteer())
        #expect(log.observations.count >= 15)
        for o in log.observations {
            #expect(o.citation.source.hasPrefix("seeds/"), "line \(o.line)")
            let report = Self.normalized(try String(contentsOf: Support.repository.appendingPathComponent(o.citation.source), encoding: .utf8))
            for excerpt in o.citation.quote.components(separatedBy: " … ") {
                #expect(report.contains(Self.normalized(excerpt)), "line \(o.line): \(excerpt)")
            }
        }
    }

    func model() throws -> (RouteModel, Gazetteer) {
        let gazetteer = try Support.gazetteer()
        return (RouteModel(log: try Support.seedLog(gazetteer), roads: try Support.roads(gazetteer)), gazetteer)
    }

    @Test func replayShowsThreeConvoysAndTheSplit() throws {
        let (model, gazetteer) = try model()
        #expect(model.convoys == ["ahl-al-sham-2017", "hts-arsal-2017", "is-qalamoun-2017"])
        let split = try #require(model.states.first { $0.convoy == "is-qalamoun-2017" && $0.status == .split })
        #expect(split.children.sorted() == ["east", "west"])
        #expect(split.vehicles?.count(of: "buses")?.count == 17)
        // "6 of the 17 buses have returned westward toward Palmyra ... the remaining 11 buses"
        let children = model.states.filter { $0.parent == "main" && $0.convoy == "is-qalamoun-2017" }
        #expect(Set(children.compactMap { $0.vehicles?.count(of: "buses")?.count }) == [6, 11])
        // 6 + 11 = 17: no count anomaly at the split.
        #expect(!split.anomalies.contains { $0.kind == .countMismatch })
        // The west unit lies between the split point and Palmyra, west of it.
        let west = try #require(children.first { $0.unit == "west" }?.position)
        #expect(west.point.longitude < split.position!.point.longitude)
        let palmyra = try #require(try gazetteer.place(id: "sy-palmyra")).location
        #expect(Geodesic.inverse(from: west.point, to: palmyra).distance < Geodesic.inverse(from: split.position!.point, to: palmyra).distance)
    }

    @Test func distancesGrowAlongTheRoute() throws {
        let (model, _) = try model()
        let main = model.states.filter { $0.convoy == "is-qalamoun-2017" && $0.unit == "main" }
        let distances = main.compactMap(\.cumulative)
        #expect(distances.count == main.count)
        #expect(zip(distances, distances.dropFirst()).allSatisfy { $0 <= $1 + 1e-6 })
        // From the Sheikh Ali crossing to the road between Humayma and Abu Kamal and back to As Sukhnah: hundreds of km.
        #expect(distances.last! > 500_000)
        let track = try #require(model.units.first { $0.convoy == "is-qalamoun-2017" && $0.unit == "main" })
        #expect(track.path.vertices.contains { $0.placeID == "sy-palmyra" })
        #expect(track.path.vertices.contains { $0.placeID == "sy-t2-pumping-station" })
    }

    @Test func disagreementsAreAnomalies() throws {
        let (model, _) = try model()
        let all = model.states.flatMap { s in s.anomalies.map { (s, $0) } }
        // "Nearly two dozen buses" (seed 002) against "17 buses" (seed 004), the same day.
        #expect(all.contains { $0.1.kind == .sourcesDisagree && $0.1.message.contains("17 buses") && $0.1.message.contains("~22 buses") })
        // "about 250 militants" (002) against "around 308 ISIS militants" (004).
        #expect(all.contains { $0.1.kind == .sourcesDisagree && $0.1.message.contains("~250 militants") && $0.1.message.contains("~308 militants") })
        // HTS: "on July 31st 2017" (004) against the agreement of "the 3rd of August 2017" (001).
        #expect(all.contains { $0.0.convoy == "hts-arsal-2017" && $0.1.kind == .datesDisagree && $0.1.message.contains("2017-07-31") && $0.1.message.contains("2017-08-03") })
        // No speed anomaly in the seed log: the reports are consistent about how far the buses went.
        #expect(!all.contains { $0.1.kind == .impossibleSpeed })
    }

    func unit(_ answers: [ConvoyAnswer], _ convoy: String, _ unit: String = "main") -> UnitAnswer? {
        answers.first { $0.convoy == convoy }?.units.first { $0.unit == unit }
    }

    /// 27 Aug: "Buses first gathered ... the 28th of August 2017" — nothing yet.
    @Test func beforeTheFirstReportTheConvoyIsAbsent() throws {
        let (model, _) = try model()
        let answers = model.answer(.instant(try Support.time("2017-08-27T12:00")))
        let isConvoy = try #require(answers.first { $0.convoy == "is-qalamoun-2017" })
        #expect(isConvoy.units.isEmpty)
        #expect(isConvoy.firstReport == (try Support.time("2017-08-28T00:00")))
    }

    /// 28 Aug, 09:00: gathered in the Western Qalamoun at the Sheikh Ali crossing area.
    @Test func assemblingOnTheMorningOfThe28th() throws {
        let (model, gazetteer) = try model()
        let u = try #require(unit(model.answer(.instant(try Support.time("2017-08-28T09:00"))), "is-qalamoun-2017"))
        let crossing = try #require(try gazetteer.place(id: "sy-al-sheikh-ali-crossing"))
        #expect(Geodesic.inverse(from: u.position!.point, to: crossing.location).distance < 1)
        #expect(u.sources.contains { $0.quote.contains("Buses first gathered yesterday morning") })
    }

    /// 30 Aug evening: "the coalition cratered the road heading east between Hamaymah and Abu Kamal"; the buses "were stuck".
    @Test func haltedBetweenHumaymaAndAbuKamalOn30August() throws {
        let (model, gazetteer) = try model()
        let u = try #require(unit(model.answer(.instant(try Support.time("2017-08-30T18:00"))), "is-qalamoun-2017"))
        #expect(u.status == .halted)
        #expect(u.position?.between == ["Humayma", "Abu Kamal"])
        let humayma = try #require(try gazetteer.place(id: "sy-humayma")).location, abuKamal = try #require(try gazetteer.place(id: "sy-abu-kamal")).location
        let p = try #require(u.position).point
        let stretch = Geodesic.inverse(from: humayma, to: abuKamal).distance
        #expect(Geodesic.inverse(from: p, to: humayma).distance < stretch)
        #expect(Geodesic.inverse(from: p, to: abuKamal).distance < stretch)
        #expect(u.sources.contains { $0.quote.contains("Air strikes destroyed the road and a small bridge") })
    }

    /// 3 Sep: after "turning around and heading back west from the Abul Kamal area", 17 buses "between Humayma and As Sukhnah".
    @Test func turnedBackWestOn3September() throws {
        let (model, gazetteer) = try model()
        let u = try #require(unit(model.answer(.instant(try Support.time("2017-09-03T12:00Z")), nearest: { (try? gazetteer.landmarks(near: $0)) ?? [] }), "is-qalamoun-2017"))
        #expect(u.status == .turnedBack)
        #expect(u.vehicles?.count(of: "buses")?.count == 17)
        let p = try #require(u.position)
        // West of Humayma and south of As Sukhnah's latitude band's north edge: on the loop toward As Sukhnah.
        #expect(p.point.longitude < 39.97 && p.point.longitude > 38.2)
        #expect(u.before?.location == .between("Humayma", "As Sukhnah"))
        #expect(u.sources.contains { $0.quote.contains("remains in the Syrian Desert between Humayma and As Sukhnah") })
        #expect(!u.nearest.isEmpty)
        // The nearest place's bearing points from the place to the answer.
        let first = u.nearest[0]
        let place = try #require(try gazetteer.place(id: first.id))
        let back = Geodesic.direct(from: place.location, azimuth: first.bearing, distance: first.distance).point
        #expect(Geodesic.inverse(from: back, to: p.point).distance < 1)
    }

    /// 6 Sep: two units after the split, their last known state; the 11 "stalled in the Syrian Desert east of As Sukhnah".
    @Test func afterTheSplitTwoUnits() throws {
        let (model, gazetteer) = try model()
        let answers = model.answer(.instant(try Support.time("2017-09-06T12:00")))
        let units = try #require(answers.first { $0.convoy == "is-qalamoun-2017" }).units
        #expect(units.map(\.unit).sorted() == ["east", "west"])
        let east = try #require(unit(answers, "is-qalamoun-2017", "east"))
        #expect(east.status == .stalled)
        #expect(east.vehicles?.total == 11)
        #expect(east.sinceLast == 86_400)
        let sukhnah = try #require(try gazetteer.place(id: "sy-as-sukhnah")).location
        let p = try #require(east.position).point
        let azimuth = Geodesic.inverse(from: sukhnah, to: p).initialAzimuth
        #expect(abs(azimuth - 90) < 1)
        let west = try #require(unit(answers, "is-qalamoun-2017", "west"))
        #expect(west.vehicles?.total == 6)
        #expect(west.parent == "main")
    }

    /// 15 Aug: "40 buses and 14 Red Cross-affiliate Vehicles ... entered the town of Falita", then "reached Al-Rahiba".
    @Test func ahlAlShamOn15August() throws {
        let (model, _) = try model()
        let u = try #require(unit(model.answer(.instant(try Support.time("2017-08-15T12:00"))), "ahl-al-sham-2017"))
        #expect(u.vehicles?.count(of: "buses")?.count == 40)
        #expect(u.position?.phase == .interpolated)
        #expect(u.before?.places.first?.id == "sy-falita")
        #expect(u.after?.places.first?.id == "sy-al-rahiba")
        let day = try #require(unit(model.answer(.day(from: try Support.time("2017-08-15"), to: try Support.time("2017-08-16"))), "ahl-al-sham-2017")?.day)
        let track = try #require(model.units.first { $0.convoy == "ahl-al-sham-2017" })
        #expect(abs(day.covered - track.path.length) < 1)
    }
}
