import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import Testing

@testable import ConvoyRoads

/// The bundled roads as a network: the routes the reports describe come out of it.
struct BundledRoadsTests {
    func path(_ network: RoadNetwork, _ a: String, _ b: String) throws -> NetworkPath {
        let g = network.graph
        let va = try #require(g.vertices.firstIndex { $0.placeID == a }), vb = try #require(g.vertices.firstIndex { $0.placeID == b })
        let from = try #require(g.position(ofVertex: va)), to = try #require(g.position(ofVertex: vb))
        return try #require(g.shortestPath(from: from, to: to))
    }

    /// "Highway M20 runs Palmyra – Arak – As Sukhnah" (REFERENCE): Palmyra → As Sukhnah passes Arak, not T3.
    @Test func palmyraToAsSukhnahFollowsTheM20ThroughArak() throws {
        let network = try Support.bundled()
        let p = try path(network, "sy-palmyra", "sy-as-sukhnah")
        #expect(p.places.map(\.id) == ["sy-palmyra", "sy-arak", "sy-as-sukhnah"])
        #expect(!p.places.contains { $0.id == "sy-t3-pumping-station" })
        #expect(p.roads.map(\.id) == ["road-m20-palmyra-deir-ez-zor"])
        // Length: the two geodesic legs, by GeodSolve.
        let points = p.vertices.map(\.point)
        let reference = try Support.geodSolveDistances(Array(zip(points, points.dropFirst()))).reduce(0, +)
        #expect(abs(p.length - reference) < 1e-6)
        #expect(p.length > 60_000 && p.length < 80_000)
    }

    /// The turn-back: "a 100-mile western loop and then north ... through the Syrian town of Sukhna"
    /// (Reuters/NYT): west along the pipeline road to Palmyra, then the M20 north-east.
    @Test func humaymaToAsSukhnahFollowsTheRoadsThatExist() throws {
        let network = try Support.bundled()
        let p = try path(network, "sy-humayma", "sy-as-sukhnah")
        #expect(p.places.map(\.id) == ["sy-humayma", "sy-t3-pumping-station", "sy-palmyra", "sy-arak", "sy-as-sukhnah"])
        #expect(p.roads.map(\.id) == ["road-palmyra-abu-kamal", "road-m20-palmyra-deir-ez-zor"])
        let toPalmyra = try #require(p.places.first { $0.id == "sy-palmyra" }).measure
        // 100 miles is 161 km: the loop west to Palmyra is within 10 % of it.
        #expect(abs(toPalmyra - 160_934) < 16_000)
    }

    /// Every bundled edge's length is the sum of its segments' geodesics, as GeodSolve computes them.
    @Test func edgeLengthsMatchGeodSolve() throws {
        let g = try Support.bundled().graph
        var pairs: [(GeoPoint, GeoPoint)] = []
        for e in g.edges { pairs += zip(e.geometry.points, e.geometry.points.dropFirst()).map { ($0, $1) } }
        let reference = try Support.geodSolveDistances(pairs)
        var k = 0
        for e in g.edges {
            let sum = reference[k..<(k + e.geometry.segmentCount)].reduce(0, +)
            k += e.geometry.segmentCount
            #expect(abs(e.length - sum) < 1e-6, "edge \(e.from)–\(e.to) of \(g.roads[e.road].id)")
        }
    }

    /// Each physical road is in the file once: no two edges join the same pair of places.
    @Test func eachStretchOfRoadOnce() throws {
        let g = try Support.bundled().graph
        var pairs = Set<[Int]>()
        for e in g.edges { #expect(pairs.insert([e.from, e.to].sorted()).inserted, "\(g.vertices[e.from].name ?? "?") – \(g.vertices[e.to].name ?? "?")") }
        // All bundled roads are schematic and say so.
        #expect(g.roads.allSatisfy { $0.schematic })
        // One network: the three convoys' roads meet.
        #expect(Set(g.component).count == 1)
    }
}
