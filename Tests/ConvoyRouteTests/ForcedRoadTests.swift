import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import Testing

@testable import ConvoyRoute

/// The update log's `road` column in the model: the leg ending at a row keeps to the named road
/// (or, with `none`, to the geodesic), in the feasible set and in the best-estimate journey.
@Suite("the road column forces a leg")
struct ForcedRoadTests {
    static let header = "time,convoy,unit,parent,location,status,vehicles,people,source,quote,note,road"

    /// Palmyra at 08:00, Homs at 20:00, with `road` on the second row.
    static func model(road: String) throws -> (UnitModel, Gazetteer) {
        let g = try Support.gazetteer()
        let log = try Support.log([
            "2017-08-10T08:00,c,main,,Palmyra,departed,,,s.txt,q,,",
            "2017-08-10T20:00,c,main,,Homs,moving,,,s.txt,q,,\(road)",
        ], header: header, places: g)
        let model = try Support.model(log, g)
        return (try #require(model.unit(convoy: "c", unit: "main")), g)
    }

    static func roadID(_ unit: UnitModel, _ position: SpacePosition) -> String? {
        let edge = unit.space.edges[Int(position.edge)]
        return edge.isOffNetwork ? nil : unit.space.roads[Int(edge.road)].id
    }

    @Test("without a road the leg takes the Homs – Palmyra highway; forced onto the Al-Qaryatayn road it keeps to that road")
    func forcedRoad() throws {
        let noon = try Support.time("2017-08-10T14:00")
        let (free, _) = try Self.model(road: "")
        let freeEstimate = try #require(free.position(at: noon))
        #expect(Self.roadID(free, freeEstimate.estimate) == "road-homs-palmyra")

        let (forced, g) = try Self.model(road: "road-hisya-palmyra")
        #expect(forced.rowNotes.isEmpty, "\(forced.rowNotes)")
        let answer = try #require(forced.position(at: noon))
        #expect(forced.prism.corridors.count == 1)
        #expect(Self.roadID(forced, answer.estimate) == "road-hisya-palmyra")
        // Every position of the set at that time lies on the forced road, on the M5 joining its
        // end at Hisya to Homs, or inside the two towns' own discs (where the leg begins and ends).
        let set = forced.feasibleSet(answer.feasible)
        let towns = try ["sy-palmyra", "sy-homs"].map { try #require(try g.place(id: $0)) }
        for interval in set.intervals {
            let road = Self.roadID(forced, SpacePosition(edge: interval.edge, offset: interval.lo))
            if road == "road-hisya-palmyra" || road == "road-m5-al-qutayfah-hama" { continue }
            #expect(road != nil)
            for offset in [interval.lo, interval.hi] {
                let p = forced.space.point(at: SpacePosition(edge: interval.edge, offset: offset))
                #expect(towns.contains { Geodesic.inverse(from: $0.location, to: p).distance <= $0.uncertaintyMeters + 1 }, "\(road ?? "-") at \(p) is outside the forced leg")
            }
        }
        // The journey passes Al-Qaryatayn (the forced road's town), which the free one does not.
        let qaryatayn = try #require(try g.place(id: "sy-al-qaryatayn")).location
        func closest(_ unit: UnitModel) -> Double {
            stride(from: try! Support.time("2017-08-10T08:00"), through: try! Support.time("2017-08-10T20:00"), by: 300).map { t in
                Geodesic.inverse(from: unit.position(at: t)!.point, to: qaryatayn).distance
            }.min()!
        }
        #expect(closest(forced) < 5_000)
        #expect(closest(free) > 30_000)
        // Outside the leg the road binds nothing: before the first report the set is not cut to it.
        let before = try #require(forced.position(at: try Support.time("2017-08-10T06:00")))
        let earlier = Set(forced.feasibleSet(before.feasible).intervals.map { Self.roadID(forced, SpacePosition(edge: $0.edge, offset: $0.lo)) })
        #expect(earlier.contains("road-homs-palmyra"))
    }

    @Test("road none: the leg is the geodesic from Palmyra to Homs")
    func geodesicLeg() throws {
        let (unit, g) = try Self.model(road: "none")
        let palmyra = try #require(try g.place(id: "sy-palmyra")).location
        let homs = try #require(try g.place(id: "sy-homs")).location
        let line = Geodesic.inverse(from: palmyra, to: homs)
        for hour in [10, 12, 14, 16, 18] {
            let t = try Support.time(String(format: "2017-08-10T%02d:00", hour))
            let answer = try #require(unit.position(at: t))
            // Off the roads, on the geodesic between the two towns (within the places' radii).
            #expect(unit.space.edges[Int(answer.estimate.edge)].isOffNetwork)
            let along = GeodesicLine(from: palmyra, to: homs).nearestPoint(to: answer.point)
            #expect(along.distanceOff < 1_000, "\(hour):00 \(along.distanceOff) m off the geodesic")
            #expect(along.distanceAlong > 0 && along.distanceAlong < line.distance)
            for interval in unit.feasibleSet(answer.feasible).intervals {
                let edge = unit.space.edges[Int(interval.edge)]
                #expect(edge.isOffNetwork || interval.hi - interval.lo < 30_000, "\(hour):00 a road stretch of \(Int(interval.hi - interval.lo)) m in a geodesic leg")
            }
        }
    }

    @Test("road none on a toward row: the stretch toward the place is the leg, along the geodesic")
    func geodesicToward() throws {
        let g = try Support.gazetteer()
        let log = try Support.log([
            "2017-08-10T08:00,c,main,,Palmyra,departed,,,s.txt,q,,",
            "2017-08-10T20:00,c,main,,toward Homs,moving,,,s.txt,q,,none",
        ], header: Self.header, places: g)
        let unit = try #require(try Support.model(log, g).unit(convoy: "c", unit: "main"))
        #expect(unit.prism.corridors.count == 1)
        // The leg is one geodesic edge (no zero-length loop beside it), and the estimate keeps to it.
        let legEdges = unit.prism.corridors[0].edges.filter { unit.space.edges[Int($0)].isOffNetwork }
        #expect(legEdges.count == 1)
        #expect(legEdges.allSatisfy { unit.space.edges[Int($0)].length > 100_000 })
        let answer = try #require(unit.position(at: try Support.time("2017-08-10T09:00")))
        #expect(unit.space.edges[Int(answer.estimate.edge)].isOffNetwork)
    }

    @Test("a road that does not join the leg's ends is noted, not forced")
    func roadThatDoesNotLead() throws {
        let (unit, _) = try Self.model(road: "road-aleppo-idlib")
        #expect(unit.rowNotes.values.contains { $0.contains("does not lead") })
        let answer = try #require(unit.position(at: try Support.time("2017-08-10T14:00")))
        #expect(Self.roadID(unit, answer.estimate) == "road-homs-palmyra")
    }
}
