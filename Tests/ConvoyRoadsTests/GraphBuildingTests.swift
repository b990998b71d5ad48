import ConvoyGeodesy
import ConvoyTestSupport
import Foundation
import Testing

@testable import ConvoyRoads

/// How road files become a graph: shared positions, snapping, split segments, dangling ends,
/// separate components — on small networks whose answer is known, lengths checked by GeodSolve.
struct GraphBuildingTests {
    let p = Support.point

    /// Two roads crossing at a position both list: one vertex where four edges meet.
    @Test func sharedPositionIsOneVertex() throws {
        let centre = p(34.0, 38.0)
        let g = RoadGraph(roads: [
            Support.road("ew", [p(34.0, 37.8), centre, p(34.0, 38.2)]),
            Support.road("ns", [p(33.8, 38.0), centre, p(34.2, 38.0)]),
        ])
        #expect(g.vertices.count == 5)
        #expect(g.edges.count == 4)
        let middle = try #require(g.vertices.firstIndex { $0.point == centre })
        #expect(g.edges(at: middle).count == 4)
        #expect(Set(g.component).count == 1)
        // West end → north end: through the centre, the two legs' geodesics.
        let path = try #require(Support.path(g, p(34.0, 37.8), p(34.2, 38.0)))
        let reference = try Support.geodSolveDistances([(p(34.0, 37.8), centre), (centre, p(34.2, 38.0))]).reduce(0, +)
        #expect(abs(path.length - reference) < 1e-6)
        #expect(path.roads.map(\.id) == ["ew", "ns"])
    }

    /// A road end 30 m from another road's end snaps to it; at 80 m (beyond the 50 m tolerance) it
    /// stays a dangling end, and the two roads are separate components.
    @Test func endsWithinTheToleranceSnapOthersDangle() throws {
        let a = Support.road("a", [p(34.0, 38.0), p(34.0, 38.1)])
        for (gap, joined) in [(30.0, true), (80.0, false)] {
            let start = try Support.geodSolveDirect(p(34.0, 38.1), 90, gap)
            let g = RoadGraph(roads: [a, Support.road("b", [start, p(34.0, 38.3)])])
            #expect((Set(g.component).count == 1) == joined, "gap \(gap) m")
            #expect(g.vertices.count == (joined ? 3 : 4))
            let dangling = g.vertices.indices.filter { g.edges(at: $0).count == 1 }.count
            #expect(dangling == (joined ? 2 : 4))
            #expect((Support.path(g, p(34.0, 38.0), p(34.0, 38.3)) != nil) == joined, "gap \(gap) m")
        }
    }

    /// A road that ends 20 m from the middle of another road's segment (no position there) splits
    /// that segment at the nearest point: a T junction with three edges.
    @Test func anEndNearAnotherRoadSplitsItsSegment() throws {
        let west = p(34.0, 38.0), east = p(34.0, 38.2)
        let line = GeodesicLine(from: west, to: east)
        let foot = line.position(atDistance: line.length * 0.4)
        let azimuth = line.positionAndAzimuth(atDistance: line.length * 0.4).azimuth
        let end = try Support.geodSolveDirect(foot, azimuth - 90, 20)  // 20 m north of the road
        let far = try Support.geodSolveDirect(end, azimuth - 90, 10_000)
        let g = RoadGraph(roads: [Support.road("main", [west, east]), Support.road("spur", [far, end])])
        #expect(g.edges.count == 3)
        #expect(g.edges.filter { g.roads[$0.road].id == "main" }.count == 2)
        let junction = try #require(g.vertices.indices.first { g.edges(at: $0).count == 3 })
        #expect(Geodesic.inverse(from: g.vertices[junction].point, to: foot).distance < 0.01)
        // The split halves add up to the road (GeodSolve), and the spur now reaches the east end.
        let mainLength = try Support.geodSolveDistances([(west, east)])[0]
        #expect(abs(g.edges.filter { g.roads[$0.road].id == "main" }.reduce(0) { $0 + $1.length } - mainLength) < 1e-6)
        let path = try #require(Support.path(g, far, east))
        #expect(path.roads.map(\.id) == ["spur", "main"])
    }

    /// Two roads that cross without a shared position (a bridge over a road) are not joined.
    @Test func aCrossingWithoutASharedPositionIsNoJunction() {
        let g = RoadGraph(roads: [Support.road("ew", [p(34.0, 37.8), p(34.0, 38.2)]), Support.road("ns", [p(33.8, 38.0), p(34.2, 38.0)])])
        #expect(g.vertices.count == 4)
        #expect(Set(g.component).count == 2)
        #expect(g.shortestPath(from: NetworkPosition(edge: 0, offset: 10), to: NetworkPosition(edge: 1, offset: 10)) == nil)
    }

    /// Waypoint positions are named vertices even mid-road; consecutive repeats and snapped
    /// neighbours never make zero-length edges.
    @Test func waypointsAreNamedVertices() {
        let road = Support.road("r", [p(34.0, 38.0), p(34.0, 38.1), p(34.0, 38.2)], waypoints: ["x-a", "x-b", nil])
        let g = RoadGraph(roads: [road], placeNames: ["x-a": "A", "x-b": "B"])
        #expect(g.vertices.map(\.name) == ["A", "B", nil])
        #expect(g.edges.count == 2)
        #expect(g.edges.allSatisfy { $0.length > 0 })
    }

    /// Positions at offsets along an edge are GeodSolve's points along the segment that holds them.
    @Test func pointAtAnOffsetMatchesGeodSolve() throws {
        let points = [p(34.0, 38.0), p(34.3, 38.4), p(34.35, 39.1), p(34.1, 39.5)]
        let g = RoadGraph(roads: [Support.road("r", points)])
        let edge = try #require(g.edges.first)
        #expect(g.edges.count == 1)
        for fraction in [0.05, 0.3, 0.5, 0.77, 0.99] {
            let offset = edge.length * fraction
            let i = edge.geometry.segment(containing: offset)
            let reference = try Support.geodSolvePosition(points[i], points[i + 1], offset - edge.geometry.cumulative[i])
            #expect(Geodesic.inverse(from: g.point(at: NetworkPosition(edge: 0, offset: offset)), to: reference).distance < 1e-6)
        }
    }

    /// A random network of many roads: `locate` through the grid finds what a search of every
    /// segment finds, and points beyond the join radius do not join.
    @Test func locateAgreesWithBruteForce() throws {
        var rng = SeededGenerator(seed: 18)
        var roads: [RoadFeature] = []
        for k in 0..<300 {
            var q = p(Double.random(in: 33...36, using: &rng), Double.random(in: 36...41, using: &rng))
            var line = [q]
            for _ in 0..<Int.random(in: 2...12, using: &rng) {
                q = Geodesic.direct(from: q, azimuth: Double.random(in: 0..<360, using: &rng), distance: Double.random(in: 500...8_000, using: &rng)).point
                line.append(q)
            }
            roads.append(Support.road("r\(k)", line))
        }
        let g = RoadGraph(roads: roads)
        for _ in 0..<150 {
            let q = p(Double.random(in: 32.5...36.5, using: &rng), Double.random(in: 35.5...41.5, using: &rng))
            var best = Double.infinity
            for e in g.edges { for i in 0..<e.geometry.segmentCount { best = min(best, e.geometry.nearest(to: q, onSegment: i).distanceOff) } }
            let found = try #require(g.locate(q))
            #expect(abs(found.distanceOff - best) < 0.01, "\(q)")
            #expect(Geodesic.inverse(from: g.point(at: found.position), to: q).distance - found.distanceOff < 0.01)
            #expect((g.join(q, radius: 1_000) != nil) == (best <= 1_000 + RoadGraph.joinTolerance))
        }
    }

    /// A blocked stretch forces the way round; with no way round there is no path. Positions inside
    /// edges are start and end points of their own.
    @Test func blockedStretchesAndMidEdgePositions() throws {
        // A square: two ways from the south-west corner to the north-east one.
        let sw = p(34.0, 38.0), se = p(34.0, 38.2), ne = p(34.2, 38.2), nw = p(34.2, 38.0)
        let g = RoadGraph(roads: [Support.road("south-east", [sw, se, ne]), Support.road("west-north", [sw, nw, ne])])
        let southEdge = try #require(g.edges.firstIndex { g.roads[$0.road].id == "south-east" && (g.vertices[$0.from].point == sw || g.vertices[$0.to].point == sw) })
        let start = NetworkPosition(edge: southEdge, offset: g.edges[southEdge].length / 2)
        let neVertex = try #require(g.vertices.firstIndex { $0.point == ne })
        let goal = try #require(g.position(ofVertex: neVertex))
        let open = try #require(g.shortestPath(from: start, to: goal))
        #expect(open.roads.map(\.id) == ["south-east"])
        // Crater just east of the start: back west, round by the north.
        let eastward = g.vertices[g.edges[southEdge].from].point == sw  // offsets grow towards se
        let crater = eastward ? BlockedInterval(edge: southEdge, from: start.offset + 100, to: start.offset + 200) : BlockedInterval(edge: southEdge, from: start.offset - 200, to: start.offset - 100)
        let detour = try #require(g.shortestPath(from: start, to: goal, avoiding: [crater]))
        #expect(detour.roads.map(\.id) == ["south-east", "west-north"])
        #expect(detour.length > open.length)
        // Blocked on both sides of the start: nowhere to go.
        let west = eastward ? BlockedInterval(edge: southEdge, from: start.offset - 300, to: start.offset - 200) : BlockedInterval(edge: southEdge, from: start.offset + 200, to: start.offset + 300)
        #expect(g.shortestPath(from: start, to: goal, avoiding: [crater, west]) == nil)
        // Two positions on one edge: the stretch between them.
        let other = NetworkPosition(edge: southEdge, offset: start.offset / 2)
        let short = try #require(g.shortestPath(from: start, to: other))
        #expect(abs(short.length - start.offset / 2) < 1e-6)
        #expect(short.pieces.count == 1)
    }

    /// A forced road stays on it even when another road is shorter.
    @Test func aForcedRoadIsFollowed() throws {
        let sw = p(34.0, 38.0), se = p(34.0, 38.2), ne = p(34.2, 38.2), nw = p(34.2, 38.0)
        let g = RoadGraph(roads: [Support.road("direct", [sw, ne]), Support.road("round", [sw, se, ne]), Support.road("other", [sw, nw])])
        let forced = try #require(g.path(from: sw, to: ne, alongRoad: "round"))
        #expect(forced.path.roads.map(\.id) == ["round"])
        #expect(forced.path.vertices.contains { $0.point == se })
        #expect(g.path(from: sw, to: ne, alongRoad: "no-such-road") == nil)
        // "other" does not reach ne: no path along it alone beyond its own end.
        let along = try #require(g.path(from: sw, to: ne, alongRoad: "other"))
        #expect(along.path.roads.map(\.id) == ["other"])
    }
}
