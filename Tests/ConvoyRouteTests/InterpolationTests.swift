import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import Testing

@testable import ConvoyRoute

/// Positions along road paths and between observations, checked against GeographicLib's GeodSolve.
struct InterpolationTests {
    /// Linear referencing on the road Hisya – Sadad – Mahin – … : each position equals GeodSolve's point
    /// at the remaining distance along the segment that holds it, and segment lengths agree.
    @Test func pathPositionsMatchGeodSolve() throws {
        let gazetteer = try Support.gazetteer()
        let path = try #require(try Support.roads(gazetteer).geodesicPath(ofRoad: "road-hisya-palmyra"))
        for i in 1..<path.vertices.count {
            let reference = try Support.geodSolveDistance(path.vertices[i - 1].point, path.vertices[i].point)
            #expect(abs((path.cumulative[i] - path.cumulative[i - 1]) - reference) < 1e-6)
        }
        for measure in stride(from: 0.0, through: path.length, by: path.length / 13) {
            let i = path.segment(containing: measure)
            let reference = try Support.geodSolvePosition(path.vertices[i].point, path.vertices[i + 1].point, measure - path.cumulative[i])
            let ours = path.position(at: measure)
            #expect(Geodesic.inverse(from: ours, to: reference).distance < 1e-6, "at \(measure) m")
        }
    }

    /// Two observations on the road, 10 h apart: at 4 h the unit is 40 % of the road distance along,
    /// at GeodSolve's point on the segment that holds that distance — not on the straight lon/lat line.
    @Test func constantSpeedAlongTheRoad() throws {
        let gazetteer = try Support.gazetteer()
        let roads = try Support.roads(gazetteer)
        let log = try Support.log([
            "2017-08-29T00:00,c,,,at Palmyra,departed,,,test,q1",
            "2017-08-29T10:00,c,,,at Humayma,halted,,,test,q2",
        ], places: gazetteer)
        let model = RouteModel(log: log, roads: roads)
        let track = try #require(model.units.first)
        // Palmyra – T3 – Humayma, along road-qara-abu-kamal.
        #expect(track.path.vertices.map(\.placeID) == ["sy-palmyra", "sy-t3-pumping-station", "sy-humayma"])
        let palmyra = track.path.vertices[0].point, t3 = track.path.vertices[1].point, humayma = track.path.vertices[2].point
        let leg1 = try Support.geodSolveDistance(palmyra, t3), leg2 = try Support.geodSolveDistance(t3, humayma)
        #expect(abs(track.path.length - (leg1 + leg2)) < 1e-6)
        for hours in [1.0, 4.0, 9.5] {
            let t = try Support.time("2017-08-29T00:00") + hours * 3600
            let p = try #require(track.position(at: t))
            let along = (leg1 + leg2) * hours / 10
            let reference = along <= leg1 ? try Support.geodSolvePosition(palmyra, t3, along) : try Support.geodSolvePosition(t3, humayma, along - leg1)
            #expect(Geodesic.inverse(from: p.point, to: reference).distance < 1e-6, "\(hours) h")
            #expect(abs(p.measure - along) < 1e-6)
            #expect(p.phase == .interpolated)
        }
        // Halted at Humayma: after the last report it stays there.
        let later = try #require(track.position(at: try Support.time("2017-08-31T00:00")))
        #expect(later.point == humayma)
        #expect(later.phase == .afterLastPosition)
    }

    /// No road joins Arsal and Deir ez-Zor: the leg is the geodesic, interpolated with GeodSolve's positions.
    @Test func geodesicWhenNoRoad() throws {
        let gazetteer = try Support.gazetteer()
        let log = try Support.log(["2017-08-01T00:00,c,,,at Ras Baalbek,departed,,,t,q", "2017-08-02T00:00,c,,,at Deir ez-Zor,arrived,,,t,q"], places: gazetteer)
        let model = RouteModel(log: log, roads: try Support.roads(gazetteer))
        let track = try #require(model.units.first)
        #expect(track.path.vertices.count == 2)
        let a = track.path.vertices[0].point, b = track.path.vertices[1].point
        let p = try #require(track.position(at: try Support.time("2017-08-01T06:00")))
        let reference = try Support.geodSolvePosition(a, b, try Support.geodSolveDistance(a, b) / 4)
        #expect(Geodesic.inverse(from: p.point, to: reference).distance < 1e-6)
    }

    /// Stationary between two reports at the same place, and halted rows without a place take the next halted position.
    @Test func haltedUnitsStayPut() throws {
        let gazetteer = try Support.gazetteer()
        let log = try Support.log([
            "2017-08-29T00:00,c,,,at Palmyra,departed,,,t,q",
            "2017-08-29T06:00,c,,,,halted,,,t,q",
            "2017-08-30T00:00,c,,,at Humayma,halted,,,t,q",
            "2017-08-31T00:00,c,,,at Humayma,stalled,,,t,q",
        ], places: gazetteer)
        let track = try #require(RouteModel(log: log, roads: try Support.roads(gazetteer)).units.first)
        let humayma = try #require(try gazetteer.place(id: "sy-humayma")).location
        for time in ["2017-08-29T06:00", "2017-08-29T18:00", "2017-08-30T12:00"] {
            let p = try #require(track.position(at: try Support.time(time)))
            #expect(Geodesic.inverse(from: p.point, to: humayma).distance < 1e-6, "\(time)")
        }
        let moving = try #require(track.position(at: try Support.time("2017-08-29T03:00")))
        #expect(abs(moving.measure - track.path.length / 2) < 1e-6)
    }

    /// `between A and B` sits at the middle of the road stretch, its radius half the stretch plus the places' radii.
    @Test func betweenIsTheMiddleOfTheStretch() throws {
        let gazetteer = try Support.gazetteer()
        let roads = try Support.roads(gazetteer)
        let log = try Support.log(["2017-09-02,c,,,between Humayma and As Sukhnah,turned back,,,t,q"], places: gazetteer)
        let model = RouteModel(log: log, roads: roads)
        let knot = try #require(model.units.first?.knots.first)
        // The stretch is the network path Humayma → As Sukhnah (west to Palmyra, then the M20).
        let humayma = try #require(try gazetteer.place(id: "sy-humayma")), sukhnah = try #require(try gazetteer.place(id: "sy-as-sukhnah"))
        let stretch = GeodesicPath(roads.path(from: PathVertex(point: humayma.location), humayma.uncertaintyMeters, to: PathVertex(point: sukhnah.location), sukhnah.uncertaintyMeters).vertices)
        #expect(stretch.vertices.contains { $0.placeID == "sy-arak" })
        #expect(Geodesic.inverse(from: knot.point, to: stretch.position(at: stretch.length / 2)).distance < 1e-6)
        #expect(abs(knot.uncertainty - (stretch.length / 2 + 20_000)) < 1e-6)
        #expect(knot.between == ["Humayma", "As Sukhnah"])
        // The date alone is the whole day, Damascus time: the knot sits at its middle.
        #expect(knot.time == (try Support.time("2017-09-02T12:00")))
    }

    /// N km DIRECTION of PLACE: GeodSolve's direct problem from the place.
    @Test func offsetFromAPlace() throws {
        let gazetteer = try Support.gazetteer()
        let log = try Support.log(["2017-09-05,c,,,38 km ESE of As Sukhnah,stalled,,,t,q"], places: gazetteer)
        let knot = try #require(RouteModel(log: log, roads: .none).units.first?.knots.first)
        let sukhnah = try #require(try gazetteer.place(id: "sy-as-sukhnah"))
        let out = try Support.geographicLib("GeodSolve", ["-p", "10"], input: "\(sukhnah.location.latitude) \(sukhnah.location.longitude) 112.5 38000\n")
        #expect(Geodesic.inverse(from: knot.point, to: try GeoPoint(latitude: out[0][0], longitude: out[0][1])).distance < 1e-6)
        #expect(knot.uncertainty == sukhnah.uncertaintyMeters + 3_800)
    }
}
