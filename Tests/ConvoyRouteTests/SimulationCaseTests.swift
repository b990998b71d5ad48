import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import Testing

@testable import ConvoyRoute

/// Convoys of the simulator (Benchmarks/simulate) whose truth `where` once left outside its
/// answer, kept as fixtures: the log the generator wrote and the true positions from its
/// `truth.json` and `track.csv`.
@Suite("simulated convoys: the truth inside every answer, the estimate inside the set")
struct SimulationCaseTests {
    /// `generate.py --out /tmp/sim200 --convoys 200 --queries 30 --seed 19`, convoy sim-0126: it
    /// stalls at Al-Shoula, then drives west and is reported "toward As-Salamiyah" (line 7) from
    /// "south-west of Al-Shoula" (line 5), a sector holding several roads, and takes a shortest way
    /// from a point of it that is not the sector's point nearest to As-Salamiyah.
    static let sim0126 = #"""
time,convoy,unit,parent,location,status,vehicles,people,source,quote,note,road
2017-06-18,sim-0126,main,,between حميمة and As Sukhnah,moving,,,simulation,"On 18 June, the convoy was seen moving between حميمة and As Sukhnah.","Simulated report 1 of 14. Window: date. Location: between, on the shortest road between the two places.",
2017-06-18T16:35/2017-06-18T19:35,sim-0126,main,,east of T-3,departed,,,simulation,"A few hours before the report of 18 June, 19:35, the convoy set out and was east of T-3.","Simulated report 2 of 14. Window: ago. Location: dir, within 50 km (no distance reported), direction on a 8-point compass.",
2017-06-18T21:00/2017-06-19T15:00,sim-0126,main,,,stalled,,,simulation,"Between 21:00 on 18 June and 15:00 on 19 June, the convoy remained stalled.",Simulated report 4 of 14. Window: span. No location.,
2017-06-19T03:48Z,sim-0126,main,,south-west of Al-Shoula,moving,22 buses,,simulation,"At 03:48 GMT on 19 June, the convoy of 22 buses was seen moving south-west of Al-Shoula.","Simulated report 5 of 14. Window: instant. Location: dir, within 50 km (no distance reported), direction on a 8-point compass.",
2017-06-19T02:37,sim-0126,main,,40 km northeast of Kabawjib,stalled,22 buses,,simulation,"At 02:37 on 19 June, the convoy of 22 buses remained stalled 40 km northeast of Kabawjib.","Simulated report 3 of 14. Window: instant. Location: km-dir, distance rounded to 5 km, direction on a 8-point compass.",
2017-06-19T06:36Z,sim-0126,main,,toward As-Salamiyah,moving,,,simulation,"At 06:36 GMT on 19 June, the convoy was heading toward As-Salamiyah.","Simulated report 6 of 14. Window: instant. Location: toward, on the road from the previous reported position to the place.",
2017-06-19T11:58,sim-0126,main,,45 km southwest of Humaymah al-Kabira,moving,,,simulation,"At 11:58 on 19 June, the convoy was seen moving 45 km southwest of Humaymah al-Kabira.","Simulated report 7 of 14. Window: instant. Location: km-dir, distance rounded to 5 km, direction on a 8-point compass.",
2017-06-19T18:00/2017-06-20T00:00,sim-0126,main,,at Alep,stalled,,,simulation,"On the evening of 19 June, the convoy remained stalled at Alep.","Simulated report 9 of 14. Window: part. Location: at, within Aleppo's radius (6 km).",
2017-06-19T19:12,sim-0126,main,,at Aleppo,arrived,,,simulation,"At 19:12 on 19 June, the convoy arrived at Aleppo.","Simulated report 8 of 14. Window: instant. Location: at, within Aleppo's radius (6 km).",
2017-06-20T06:00/2017-06-20T12:00,sim-0126,main,,near Aleppo within 5 km,halted,,,simulation,"Between 06:00 on 20 June and 12:00 on 20 June, the convoy was halted within 5 km of Aleppo.","Simulated report 10 of 14. Window: span. Location: near, within 5 km (rounded up to 5 km).",
2017-06-21,sim-0126,main,,near Aleppo within 40 km,moving,,,simulation,"On 21 June, the convoy was seen moving within 40 km of Aleppo.","Simulated report 11 of 14. Window: date. Location: near, within 40 km (rounded up to 5 km).",
2017-06-21T14:50,sim-0126,main,,near Hama within 35 km,departed,,,simulation,"At 14:50 on 21 June, the convoy set out and was within 35 km of Hama.","Simulated report 12 of 14. Window: instant. Location: near, within 35 km (rounded up to 5 km).",
2017-06-21T18:24,sim-0126,main,,4 km N of Homs,moving,,,simulation,"At 18:24 on 21 June, the convoy was seen moving 4 km N of Homs.","Simulated report 13 of 14. Window: instant. Location: km-dir, distance rounded to 1 km, direction on a 16-point compass.",
2017-06-22T00:00/2017-06-22T12:00,sim-0126,main,,in Homs Province,arrived,,,simulation,"On the morning of 22 June, the convoy arrived in Homs Province.","Simulated report 14 of 14. Window: part. Location: in, within the governorate's radius (260 km).",
"""#

    /// sim-0126's true positions (UTC): at each row's instant (truth.json) and every 10 minutes of
    /// its drive west on 19 June (track.csv).
    static let sim0126Truth: [(time: String, lat: Double, lon: Double)] = [
        ("2017-06-18T13:00:00Z", 34.5516757, 39.0795386),  // row 2
        ("2017-06-18T14:58:00Z", 34.55117, 38.8828084),  // row 3
        ("2017-06-18T23:37:00Z", 35.33588, 40.14084),  // row 6
        ("2017-06-19T01:54:00Z", 35.33588, 40.14084),  // row 4
        ("2017-06-19T03:48:00Z", 35.1342882, 39.5649209),  // row 5
        ("2017-06-19T04:00:00Z", 35.0717123, 39.3882869),  // track
        ("2017-06-19T04:10:00Z", 35.0193689, 39.2412981),  // track
        ("2017-06-19T04:20:00Z", 34.9668473, 39.0944969),  // track
        ("2017-06-19T04:30:00Z", 34.914148, 38.9478833),  // track
        ("2017-06-19T04:40:00Z", 34.8433407, 38.8158183),  // track
        ("2017-06-19T04:50:00Z", 34.7531717, 38.6993935),  // track
        ("2017-06-19T05:00:00Z", 34.6628903, 38.5832216),  // track
        ("2017-06-19T05:10:00Z", 34.6115085, 38.4382108),  // track
        ("2017-06-19T05:20:00Z", 34.5664401, 38.2885266),  // track
        ("2017-06-19T05:30:00Z", 34.5522699, 38.1309879),  // track
        ("2017-06-19T05:40:00Z", 34.5430626, 37.9721602),  // track
        ("2017-06-19T05:50:00Z", 34.5336488, 37.8133678),  // track
        ("2017-06-19T06:00:00Z", 34.5240285, 37.6546115),  // track
        ("2017-06-19T06:10:00Z", 34.543136, 37.4978308),  // track
        ("2017-06-19T06:20:00Z", 34.5674286, 37.3413297),  // track
        ("2017-06-19T06:30:00Z", 34.5915204, 37.184738),  // track
        ("2017-06-19T06:36:00Z", 34.6058789, 37.0907398),  // row 7
        ("2017-06-19T06:40:00Z", 34.6247358, 37.0312862),  // track
        ("2017-06-19T06:50:00Z", 34.6730429, 36.88298),  // track
        ("2017-06-19T07:00:00Z", 34.721169, 36.7345018),  // track
        ("2017-06-19T07:10:00Z", 34.8476215, 36.7353269),  // track
        ("2017-06-19T07:20:00Z", 34.9790747, 36.7457171),  // track
        ("2017-06-19T07:30:00Z", 35.1105242, 36.7561405),  // track
        ("2017-06-19T07:40:00Z", 35.0827948, 36.8782421),  // track
        ("2017-06-19T07:50:00Z", 35.0241864, 37.0217061),  // track
        ("2017-06-19T08:00:00Z", 35.1042028, 37.10654),  // track
        ("2017-06-19T08:10:00Z", 35.2233102, 37.1750501),  // track
        ("2017-06-19T08:20:00Z", 35.3423765, 37.2437608),  // track
        ("2017-06-19T08:30:00Z", 35.4614012, 37.3126733),  // track
        ("2017-06-19T08:40:00Z", 35.5803841, 37.3817891),  // track
        ("2017-06-19T08:58:00Z", 35.7935208, 37.4896401),  // row 8
        ("2017-06-19T16:12:00Z", 36.20124, 37.16117),  // row 10
        ("2017-06-19T20:58:00Z", 36.20124, 37.16117),  // row 9
        ("2017-06-20T06:20:00Z", 36.20124, 37.16117),  // row 11
        ("2017-06-21T10:03:00Z", 35.9165659, 37.3909455),  // row 12
        ("2017-06-21T11:50:00Z", 35.1584103, 37.1376922),  // row 13
        ("2017-06-21T15:24:00Z", 34.7641511, 36.7287466),  // row 14
        ("2017-06-22T03:13:00Z", 34.60638, 37.08745),  // row 15
    ]

    /// Within this many metres of the set's lines the truth is on it (score.py's `ON_SET_M`).
    static let onSet = 100.0

    static func model(_ text: String, _ gazetteer: Gazetteer) throws -> ConvoyModel {
        let lines = text.split(separator: "\n").map(String.init)
        return try Support.model(try Support.log(Array(lines.dropFirst()), header: lines[0], places: gazetteer), gazetteer)
    }

    static func utc(_ text: String) throws -> Double { try LogTimeParser(zone: Support.damascus).parse(text).start }

    /// The geodesic distance from `point` to the nearest position of the unit's feasible set then.
    static func outside(_ unit: UnitModel, at t: Double, _ point: GeoPoint) throws -> Double {
        let answer = try #require(unit.position(at: t))
        let set = unit.feasibleSet(answer.feasible)
        guard !set.isEmpty else { return .infinity }
        return Geodesic.inverse(from: unit.space.point(at: unit.space.nearest(to: point, in: set)), to: point).distance
    }

    @Test("sim-0126: the truth lies on every answer's set, through the `toward` leg (main left it 32 km outside at 06:36Z)")
    func sim0126TruthInside() throws {
        let gazetteer = try Support.gazetteer()
        let unit = try #require(try Self.model(Self.sim0126, gazetteer).unit(convoy: "sim-0126", unit: "main"))
        for truth in Self.sim0126Truth {
            let t = try Self.utc(truth.time)
            let point = try GeoPoint(latitude: truth.lat, longitude: truth.lon)
            let distance = try Self.outside(unit, at: t, point)
            #expect(distance <= Self.onSet, "\(truth.time): the truth is \(distance.rounded()) m outside the feasible set")
            let answer = try #require(unit.position(at: t))
            let error = Geodesic.inverse(from: answer.point, to: point).distance
            #expect(error <= answer.uncertainty + 1, "\(truth.time): the truth is \(error.rounded()) m from the estimate, uncertainty \(answer.uncertainty.rounded()) m")
        }
    }

    /// Every ~17 minutes over a unit's reports (and 12 h before and 36 h after them, as the
    /// simulator's queries go), while it exists: the estimate lies in the set (to a metre) and no
    /// point of the set is farther from it than `uncertainty` — along the space from the estimate
    /// to each interval's ends, and in a straight line to every vertex of the set's lines.
    static func checkEstimateInsideSet(_ model: ConvoyModel) throws -> Int {
        var checked = 0
        for unit in model.units where !unit.prism.constraints.isEmpty {
            var t = unit.prism.firstStart - 12 * 3600
            while t <= unit.prism.lastEnd + 36 * 3600 {
                defer { t += 17 * 60 }
                guard unit.exists(at: t) || t < unit.existsFrom && unit.parent == nil, let answer = unit.position(at: t) else { continue }
                let set = unit.feasibleSet(answer.feasible)
                guard !set.isEmpty else { continue }
                checked += 1
                let label = "\(unit.convoy)/\(unit.unit) at \(t)"
                let inside = set.contains(answer.estimate, tolerance: 1)
                #expect(inside, "\(label): the estimate is outside the feasible set")
                let around = DistanceField(space: unit.space, sources: UnitSpaceBuilder.single(answer.estimate), radius: .infinity)
                let lateral = unit.prism.lateral(at: t)
                for interval in set.intervals {
                    for offset in [interval.lo, interval.hi] {
                        guard let d = around.distance(to: SpacePosition(edge: interval.edge, offset: offset), in: unit.space) else { continue }
                        #expect(d + lateral <= answer.uncertainty + 1, "\(label): a point of the set is \(d.rounded()) m along the space from the estimate, uncertainty \(answer.uncertainty.rounded()) m")
                    }
                }
                let straight = unit.farthest(from: answer.point, in: set)
                #expect(straight <= answer.uncertainty + 1, "\(label): a point of the set is \(straight.rounded()) m from the estimate, uncertainty \(answer.uncertainty.rounded()) m")
            }
        }
        return checked
    }

    @Test("between two places whose discs overlap (Humayma, T2): the road joining them, the estimate midway")
    func betweenOverlappingDiscs() throws {
        let gazetteer = try Support.gazetteer()
        // Humayma (radius 20 km) and T2 (15 km) are 18 km apart on the IPC pipeline road: the discs
        // overlap, so no road lies between the discs themselves.
        let model = try Self.model(#"""
            time,convoy,location,status,source,quote
            2017-08-29T06:00,test,at Palmyra,moving,test,"at Palmyra"
            2017-08-29T12:00,test,between Humayma and T2 pumping station,halted,test,"between Humayma and T2"
            """#, gazetteer)
        let unit = try #require(model.units.first)
        let answer = try #require(unit.position(at: try Self.utc("2017-08-29T12:00")))
        let set = unit.feasibleSet(answer.feasible)
        let humayma = try Self.point("Humayma", gazetteer), t2 = try Self.point("T2 pumping station", gazetteer)
        // The road from one place's point to the other's is in the set, and the estimate halfway
        // along it: about as far from each (the road there is nearly straight).
        for p in [humayma, t2] {
            let onRoad = try #require(unit.space.nearest(to: p)).position
            #expect(try Self.outside(unit, at: try Self.utc("2017-08-29T12:00"), unit.space.point(at: onRoad)) < 1)
        }
        let toHumayma = Geodesic.inverse(from: answer.point, to: humayma).distance, toT2 = Geodesic.inverse(from: answer.point, to: t2).distance
        #expect(abs(toHumayma - toT2) < 3_000, "estimate \(toHumayma) m from Humayma, \(toT2) m from T2")
        #expect(!set.isEmpty)
    }

    static func point(_ name: String, _ gazetteer: Gazetteer) throws -> GeoPoint {
        guard case .found(let places) = try gazetteer.routePlaces(for: name), let place = places.first else { throw DataError(file: "test", line: 0, column: 0, message: "no place \(name)") }
        return place.point
    }

    /// Found by Benchmarks/simulate/exact.py on sim-0047 (seed 19): T3's 20 km disc reaches the
    /// M20 east of Palmyra, so the shortest way between the two discs skips Palmyra, while the
    /// shortest road from T3 to Deir ez-Zor runs through it.
    @Test("between T3 and Deir ez-Zor: the road through Palmyra is in the set, not only the way between the discs")
    func betweenHoldsTheRoadBetweenThePlaces() throws {
        let gazetteer = try Support.gazetteer()
        let model = try Self.model(#"""
            time,convoy,location,status,source,quote
            2017-07-12T04:18,test,between T3 pumping station and Dayr az Zawr,halted,test,"halted between T3 pumping station and Dayr az Zawr"
            """#, gazetteer)
        let unit = try #require(model.units.first)
        let at = try Self.utc("2017-07-12T04:18")
        let route = try #require(unit.space.nearest(to: try Self.point("Palmyra", gazetteer))).position
        #expect(try Self.outside(unit, at: at, unit.space.point(at: route)) < 1)
    }

    /// Found by Benchmarks/simulate/exact.py on sim-0069 (seed 19, 200 convoys): the generator
    /// wrote "35 km S of As Sukhnah" for a distance rounded to 5 km; read as 35 ±0.5 km, the
    /// answer left out the IPC pipeline road 37.3 km south of As Sukhnah.
    @Test("a distance is read with the coarsest rounding it may have had: 35 km is 32.5–37.5 km")
    func distancesKeepTheirRounding() throws {
        #expect(UnitSpaceBuilder.roundingHalfUnit(38_000) == 500)
        #expect(UnitSpaceBuilder.roundingHalfUnit(35_000) == 2_500)
        #expect(UnitSpaceBuilder.roundingHalfUnit(20_000) == 5_000)
        #expect(UnitSpaceBuilder.roundingHalfUnit(150_000) == 25_000)
        #expect(UnitSpaceBuilder.roundingHalfUnit(100_000) == 50_000)
        #expect(abs(UnitSpaceBuilder.roundingHalfUnit(2_500) - 250) < 1e-6)
        #expect(abs(UnitSpaceBuilder.roundingHalfUnit(3_700) - 50) < 1e-6)
        let gazetteer = try Support.gazetteer()
        let model = try Self.model(#"""
            time,convoy,location,status,source,quote
            2017-06-29T13:38,test,35 km S of As Sukhnah,moving,test,"seen moving 35 km S of As Sukhnah"
            """#, gazetteer)
        let unit = try #require(model.units.first)
        // 37.3 km S of As Sukhnah (by `convoy distance`), on the IPC pipeline road.
        #expect(try Self.outside(unit, at: try Self.utc("2017-06-29T13:38"), GeoPoint(latitude: 34.551, longitude: 38.87)) < 100)
    }

    /// A stretch from a (south) to b (north), 22 km; X to the east, 57 km straight from a and 65 km
    /// from b by a bend at c (shorter than going back through a); spurs beyond X and south of a.
    @Test("shortest ways toward a place start from every point of the previous stretch, not only its nearest")
    func shortestWaysFromAStretch() throws {
        var builder = NetworkSpace.Builder()
        let road = builder.road(NetworkSpace.Road(id: "r", name: "r"))
        func vertex(_ lat: Double, _ lon: Double) throws -> Int32 { builder.addVertex(try GeoPoint(latitude: lat, longitude: lon)) }
        let a = try vertex(0, 0), b = try vertex(0.2, 0), c = try vertex(0.3, 0.25), x = try vertex(0.1, 0.5), y = try vertex(0.1, 0.8), z = try vertex(-0.3, 0)
        let stretch = builder.addEdge(from: a, to: b, road: road)
        let direct = builder.addEdge(from: a, to: x, road: road)
        let bend = [builder.addEdge(from: b, to: c, road: road), builder.addEdge(from: c, to: x, road: road)]
        let beyond = builder.addEdge(from: x, to: y, road: road), south = builder.addEdge(from: a, to: z, road: road)
        let space = builder.build()
        let whole = { (e: Int32) in EdgeInterval(edge: e, lo: 0, hi: space.edges[Int(e)].length) }
        let origins = SpaceSet(normalizing: [whole(stretch)])
        let target = DistanceField(space: space, sources: UnitSpaceBuilder.single(SpacePosition(edge: beyond, offset: 0)), radius: .infinity)
        let ways = target.shortestWays(from: origins, in: space, tolerance: 100)
        for e in [stretch, direct] + bend {
            #expect(ways.intersection(SpaceSet(normalizing: [whole(e)])).length >= space.edges[Int(e)].length - 1, "edge \(e) is on a shortest way")
        }
        // Only the way from the stretch's nearest point: what a single shortest path gives.
        let nearestOnly = try #require(DistanceField.shortestPath(in: space, from: origins, to: target.sources))
        #expect(Set(nearestOnly.pieces.map(\.edge)).isDisjoint(with: bend))
        for e in [beyond, south] {
            let middle = SpacePosition(edge: e, offset: space.edges[Int(e)].length / 2)
            #expect(!ways.contains(middle), "edge \(e) leads to no shortest way")
        }
    }

    @Test("the seed log: every ~17 min, the estimate is in the set and uncertainty reaches all of it")
    func seedLogEstimateInsideSet() throws {
        let gazetteer = try Support.gazetteer()
        let checked = try Self.checkEstimateInsideSet(try Support.model(try Support.seedLog(gazetteer), gazetteer))
        #expect(checked > 1_000)
    }

    @Test("sim-0126: every ~17 min, the estimate is in the set and uncertainty reaches all of it")
    func sim0126EstimateInsideSet() throws {
        let gazetteer = try Support.gazetteer()
        let checked = try Self.checkEstimateInsideSet(try Self.model(Self.sim0126, gazetteer))
        #expect(checked > 400)
    }
}
