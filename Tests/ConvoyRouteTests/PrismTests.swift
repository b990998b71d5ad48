import ConvoyGeodesy
import ConvoyTestSupport
import Foundation
import Testing

@testable import ConvoyRoute

/// The prism arithmetic against an independent brute force: the network sampled every ~100 m,
/// network distances between samples by Floyd–Warshall, and the exact feasible set of a chain of
/// constraints computed by dynamic programming over time steps (forward: where the unit can be
/// having met the first j constraints; backward: from where it can still meet the rest).
@Suite("space-time prisms against a brute-force computation")
struct PrismTests {
    /// A small network near Palmyra: a loop of four roads with a spur and a dangling branch.
    static func network() -> NetworkSpace {
        var b = NetworkSpace.Builder()
        let p = [(34.56, 38.27), (34.60, 38.50), (34.50, 38.70), (34.40, 38.45), (34.75, 38.55), (34.30, 38.90)].map { try! GeoPoint(latitude: $0.0, longitude: $0.1) }
        for point in p { b.addVertex(point) }
        let road = b.road(.init(id: "r", name: "test road"))
        b.addEdge(from: 0, to: 1, road: road)
        b.addEdge(from: 1, to: 2, through: [try! GeoPoint(latitude: 34.57, longitude: 38.62)], road: road)
        b.addEdge(from: 2, to: 3, road: road)
        b.addEdge(from: 3, to: 0, road: road)
        b.addEdge(from: 1, to: 4, road: road)
        b.addEdge(from: 2, to: 5, road: road)
        return b.build()
    }

    /// Samples of the network: positions every ≤ `spacing` metres on every edge (vertices shared).
    struct Samples {
        var positions: [SpacePosition] = []
        var distance: [[Double]] = []

        init(_ space: NetworkSpace, spacing: Double) {
            var index: [String: Int] = [:]
            var neighbours: [[(Int, Double)]] = []
            func node(_ key: String, _ position: SpacePosition) -> Int {
                if let i = index[key] { return i }
                positions.append(position)
                neighbours.append([])
                index[key] = positions.count - 1
                return positions.count - 1
            }
            for (e, edge) in space.edges.enumerated() {
                let n = max(1, Int((edge.length / spacing).rounded(.up)))
                var previous = node("v\(edge.from)", SpacePosition(edge: Int32(e), offset: 0))
                for k in 1...n {
                    let key = k == n ? "v\(edge.to)" : "e\(e)-\(k)"
                    let current = node(key, SpacePosition(edge: Int32(e), offset: edge.length * Double(k) / Double(n)))
                    neighbours[previous].append((current, edge.length / Double(n)))
                    neighbours[current].append((previous, edge.length / Double(n)))
                    previous = current
                }
            }
            let count = positions.count
            distance = Array(repeating: Array(repeating: .infinity, count: count), count: count)
            for i in 0..<count {
                distance[i][i] = 0
                for (j, d) in neighbours[i] { distance[i][j] = min(distance[i][j], d) }
            }
            for k in 0..<count {
                for i in 0..<count where distance[i][k] < .infinity {
                    for j in 0..<count where distance[i][k] + distance[k][j] < distance[i][j] { distance[i][j] = distance[i][k] + distance[k][j] }
                }
            }
        }

        /// The samples in a set (allowing a metre for rounding).
        func members(of set: SpaceSet, in space: NetworkSpace) -> Set<Int> {
            var result = Set<Int>()
            for (i, p) in positions.enumerated() where covered(p, set, space) { result.insert(i) }
            return result
        }

        /// A sample lies in a set when its position does, or (at a vertex) when any edge's end there does.
        func covered(_ p: SpacePosition, _ set: SpaceSet, _ space: NetworkSpace, tolerance: Double = 1) -> Bool {
            if set.contains(p, tolerance: tolerance) { return true }
            let edge = space.edges[Int(p.edge)]
            let vertex: Int32? = p.offset < 1e-9 ? edge.from : abs(p.offset - edge.length) < 1e-9 ? edge.to : nil
            guard let vertex else { return false }
            return space.edges(at: vertex).contains { e in
                let other = space.edges[Int(e)]
                return set.contains(SpacePosition(edge: e, offset: other.from == vertex ? 0 : other.length), tolerance: tolerance)
            }
        }

        /// For each sample, the samples within `r` of it.
        func neighbours(within r: Double) -> [[Int]] {
            positions.indices.map { i in positions.indices.filter { distance[i][$0] <= r + 1e-6 } }
        }

        func ball(_ from: Set<Int>, _ near: [[Int]]) -> Set<Int> {
            var result = Set<Int>()
            for i in from { result.formUnion(near[i]) }
            return result
        }
    }

    /// The exact feasible sets at each step of `times`, by dynamic programming over the samples.
    static func bruteForce(_ samples: Samples, constraints: [(region: Set<Int>, start: Double, end: Double)], v: Double, times: [Double]) -> [Set<Int>] {
        let all = Set(samples.positions.indices)
        let n = constraints.count
        let dt = times[1] - times[0]
        let near = samples.neighbours(within: v * dt)
        var forward: [[Set<Int>]] = []  // forward[step][j]
        var state = [all] + Array(repeating: Set<Int>(), count: n)
        for (step, t) in times.enumerated() {
            if step > 0 { state = state.map { samples.ball($0, near) } }
            for j in 0..<n where t >= constraints[j].start - 1e-9 && t <= constraints[j].end + 1e-9 { state[j + 1].formUnion(state[j].intersection(constraints[j].region)) }
            forward.append(state)
        }
        var backward = [[Set<Int>]](repeating: [], count: times.count)
        state = Array(repeating: Set<Int>(), count: n) + [all]
        for step in times.indices.reversed() {
            let t = times[step]
            if step < times.count - 1 { state = state.map { samples.ball($0, near) } }
            for j in (0..<n).reversed() where t >= constraints[j].start - 1e-9 && t <= constraints[j].end + 1e-9 { state[j].formUnion(state[j + 1].intersection(constraints[j].region)) }
            backward[step] = state
        }
        return times.indices.map { step in (0...n).reduce(into: Set<Int>()) { $0.formUnion(forward[step][$1].intersection(backward[step][$1])) } }
    }

    @Test("with instants at points, the set is exactly the brute force's; with windows and stretches it contains it")
    func againstBruteForce() throws {
        let space = Self.network()
        let samples = Samples(space, spacing: 600)
        var rng = SeededGenerator(seed: 19)
        let v = 20.0  // m/s
        var checked = 0, excess = 0, total = 0
        for trial in 0..<24 {
            let instants = trial < 8
            // Three constraints along a random walk over the samples, 20–40 minutes apart.
            var constraints: [PrismConstraint] = []
            var reference: [(Set<Int>, Double, Double)] = []
            var t = 0.0
            var current = Int.random(in: samples.positions.indices, using: &rng)
            for k in 0..<3 {
                let step = Double(Int.random(in: 20...40, using: &rng)) * 60
                t += step
                let reachable = samples.positions.indices.filter { samples.distance[current][$0] <= v * step * 0.9 }
                current = reachable.randomElement(using: &rng)!
                let width = instants ? 0 : Double(Int.random(in: 0...2, using: &rng)) * 600
                let region: SpaceSet
                if instants {
                    let p = samples.positions[current]
                    region = SpaceSet(normalizing: [EdgeInterval(edge: p.edge, lo: p.offset, hi: p.offset)])
                } else {
                    // A disc of 1–4 km around the sample.
                    region = space.positions(in: .disc(center: space.point(at: samples.positions[current]), radius: Double(Int.random(in: 1...4, using: &rng)) * 1000))
                }
                constraints.append(PrismConstraint(region: region, start: t, end: t + width, row: k))
                reference.append((samples.members(of: region, in: space), t, t + width))
                t += width
            }
            let prism = UnitPrism(space: space, constraints: constraints, maximumSpeed: v)
            #expect(prism.conflicts.isEmpty)
            let dt = 60.0
            let times = stride(from: 0.0, through: t + 1200, by: dt).map { $0 }
            let exact = Self.bruteForce(samples, constraints: reference, v: v, times: times)
            for (step, time) in times.enumerated() where step % 3 == 0 {
                let ours = prism.feasibleSet(at: time)
                let oursSamples = samples.members(of: ours, in: space)
                let missing = exact[step].subtracting(oursSamples)
                #expect(missing.isEmpty, "trial \(trial) at t=\(time): \(missing.count) truly feasible samples outside the answer")
                if instants, time >= constraints[0].start, time <= constraints[2].end {
                    // Between instants at points the ball intersection is the exact network prism;
                    // the samples it holds beyond the brute force are within one sample spacing.
                    for extra in oursSamples.subtracting(exact[step]) {
                        let nearest = exact[step].map { samples.distance[$0][extra] }.min() ?? .infinity
                        #expect(nearest <= 600 + v * dt + 1, "trial \(trial) at t=\(time): sample \(extra) is \(nearest) m from the exact set")
                    }
                }
                checked += 1
                total += oursSamples.count
                excess += oursSamples.count - exact[step].intersection(oursSamples).count
            }
        }
        #expect(checked > 100)
        // Record how much wider than the exact set the answer is on these cases.
        print("prism brute force: \(checked) times checked; answer holds \(total) samples, \(excess) beyond the exact set")
    }

    /// One straight road east from 34.5° N 38° E (about 92 km per degree of longitude).
    static func oneRoad(toLongitude east: Double) throws -> (space: NetworkSpace, edge: Int32) {
        var b = NetworkSpace.Builder()
        b.addVertex(try GeoPoint(latitude: 34.5, longitude: 38.0))
        b.addVertex(try GeoPoint(latitude: 34.5, longitude: east))
        let edge = b.addEdge(from: 0, to: 1, road: b.road(.init(id: "r", name: "r")))
        return (b.build(), edge)
    }

    @Test("on one road between two instants the set is the interval both balls allow")
    func oneRoadInterval() throws {
        let (space, edge) = try Self.oneRoad(toLongitude: 39.0)
        let length = space.edges[0].length
        let v = 25.0
        // At 10 km at t = 0 and at 60 km at t = 3600 (50 km in an hour: 13.9 m/s of 25 allowed).
        let a = PrismConstraint(region: SpaceSet(normalizing: [.init(edge: edge, lo: 10_000, hi: 10_000)]), start: 0, end: 0, row: 0)
        let c = PrismConstraint(region: SpaceSet(normalizing: [.init(edge: edge, lo: 60_000, hi: 60_000)]), start: 3600, end: 3600, row: 1)
        let prism = UnitPrism(space: space, constraints: [a, c], maximumSpeed: v)
        for t in stride(from: 0.0, through: 3600, by: 450) {
            let set = prism.feasibleSet(at: t)
            let lo = max(0, 10_000 - v * t, 60_000 - v * (3600 - t)), hi = min(length, 10_000 + v * t, 60_000 + v * (3600 - t))
            #expect(set.intervals.count == 1)
            #expect(abs(set.intervals[0].lo - lo) < 1e-6 && abs(set.intervals[0].hi - hi) < 1e-6, "t=\(t): \(set.intervals) vs \(lo)…\(hi)")
        }
        // After the last report the set grows at the maximum speed, in both directions.
        let later = prism.feasibleSet(at: 3600 + 1000)
        #expect(abs(later.intervals[0].lo - (60_000 - 25_000)) < 1e-6 && abs(later.intervals[0].hi - (60_000 + 25_000)) < 1e-6)
    }

    @Test("a wide region is narrowed by the reports beyond its neighbours in time")
    func narrowedByTheChain() throws {
        let (space, edge) = try Self.oneRoad(toLongitude: 41.0)
        let length = space.edges[0].length  // about 275 km
        let v = 25.0
        // At 0 km at t = 0; somewhere on the road between 1 h and 1 h 30; at 80 km at t = 4 h.
        let a = PrismConstraint(region: SpaceSet(normalizing: [.init(edge: edge, lo: 0, hi: 0)]), start: 0, end: 0, row: 0)
        let wide = PrismConstraint(region: SpaceSet(normalizing: [.init(edge: edge, lo: 0, hi: length)]), start: 3600, end: 5400, row: 1)
        let c = PrismConstraint(region: SpaceSet(normalizing: [.init(edge: edge, lo: 80_000, hi: 80_000)]), start: 14_400, end: 14_400, row: 2)
        let prism = UnitPrism(space: space, constraints: [a, wide, c], maximumSpeed: v)
        // By 1 h 30 the unit is within 135 km of its start: the wide report's region is that part.
        let narrowed = try #require(prism.constraints.first { $0.row == 1 }).region
        #expect(narrowed.intervals.count == 1 && abs(narrowed.intervals[0].hi - v * 5400) < 1e-6, "\(narrowed.intervals)")
        // At 1 h 45 the binding past report is the wide one: 67.5 km beyond its narrowed region
        // (202.5 km), not the whole road; the exact set (157.5 km from the start) lies inside.
        let t = 6300.0
        let set = prism.feasibleSet(at: t)
        #expect(set.intervals.count == 1)
        #expect(abs(set.intervals[0].lo) < 1e-6 && abs(set.intervals[0].hi - (v * 5400 + v * (t - 3600))) < 1e-6, "\(set.intervals)")
        #expect(set.contains(SpacePosition(edge: edge, offset: v * t)))
        #expect(length > set.intervals[0].hi + 50_000)
    }

    @Test("two reports no bus can join are a conflict naming both rows; the answer keeps both places")
    func conflict() throws {
        let (space, edge) = try Self.oneRoad(toLongitude: 39.0)
        // 80 km in 30 minutes: 160 km/h against 90 allowed.
        let a = PrismConstraint(region: SpaceSet(normalizing: [.init(edge: edge, lo: 0, hi: 0)]), start: 0, end: 0, row: 4)
        let c = PrismConstraint(region: SpaceSet(normalizing: [.init(edge: edge, lo: 80_000, hi: 80_000)]), start: 1800, end: 1800, row: 7)
        let prism = UnitPrism(space: space, constraints: [a, c], maximumSpeed: 25)
        #expect(prism.conflicts.count == 1)
        let conflict = try #require(prism.conflicts.first)
        #expect(conflict.rows == (4, 7))
        #expect(abs(conflict.neededSpeed * 3.6 - 160) < 0.01)
        let middle = prism.feasibleSet(at: 900)
        #expect(middle.contains(SpacePosition(edge: edge, offset: 0)) && middle.contains(SpacePosition(edge: edge, offset: 80_000)))
    }

    @Test("shortest paths between stretches agree with the brute force")
    func shortestPaths() throws {
        let space = Self.network()
        let samples = Samples(space, spacing: 2000)
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<40 {
            let i = Int.random(in: samples.positions.indices, using: &rng), j = Int.random(in: samples.positions.indices, using: &rng)
            let a = samples.positions[i], c = samples.positions[j]
            let path = try #require(DistanceField.shortestPath(in: space, from: SpaceSet(normalizing: [.init(edge: a.edge, lo: a.offset, hi: a.offset)]), to: SpaceSet(normalizing: [.init(edge: c.edge, lo: c.offset, hi: c.offset)])))
            #expect(abs(path.length - samples.distance[i][j]) < 1e-3, "\(i)→\(j): \(path.length) vs \(samples.distance[i][j])")
            #expect(abs(path.pieces.reduce(0) { $0 + $1.length } - path.length) < 1e-3)
            // The pieces chain: each starts where the previous ended.
            for (p, q) in zip(path.pieces, path.pieces.dropFirst()) {
                let end = space.point(at: SpacePosition(edge: p.edge, offset: p.to)), start = space.point(at: SpacePosition(edge: q.edge, offset: q.from))
                #expect(Geodesic.inverse(from: end, to: start).distance < 0.01)
            }
        }
    }

    @Test("the best-estimate journey meets every report, never exceeds the speed, and stays inside the set")
    func witness() throws {
        let space = Self.network()
        let samples = Samples(space, spacing: 1000)
        var rng = SeededGenerator(seed: 77)
        let v = 22.0
        for trial in 0..<30 {
            var constraints: [PrismConstraint] = []
            var t = 0.0
            var current = Int.random(in: samples.positions.indices, using: &rng)
            for k in 0..<5 {
                let step = Double(Int.random(in: 10...90, using: &rng)) * 60
                t += step
                let reachable = samples.positions.indices.filter { samples.distance[current][$0] <= v * step * 0.8 }
                current = reachable.randomElement(using: &rng)!
                let width = Double(Int.random(in: 0...3, using: &rng)) * 900
                let region = space.positions(in: .disc(center: space.point(at: samples.positions[current]), radius: Double(Int.random(in: 0...5, using: &rng)) * 1000 + 10))
                constraints.append(PrismConstraint(region: region, start: t, end: t + width, row: k))
                t += width
            }
            let prism = UnitPrism(space: space, constraints: constraints, maximumSpeed: v)
            let preferred = prism.constraints.map { c -> SpacePosition in
                let i = c.region.intervals[c.region.intervals.count / 2]
                return SpacePosition(edge: i.edge, offset: (i.lo + i.hi) / 2)
            }
            let schedules: [LegSchedule] = (0..<4).map { _ in [.steady, .waitThenGo, .goThenWait].randomElement(using: &rng)! }
            let journey = Witness(prism: prism, preferred: preferred, preferredTimes: prism.constraints.map { ($0.start + $0.end) / 2 }, schedules: schedules)
            #expect(!journey.strained, "trial \(trial)")
            for visit in journey.visits {
                let c = prism.constraints[visit.constraint]
                #expect(visit.time >= c.start - 1e-6 && visit.time <= c.end + 1e-6, "trial \(trial): visit outside its window")
                #expect(c.region.contains(visit.position, tolerance: 1), "trial \(trial): visit outside its region")
                let at = try #require(journey.position(at: visit.time))
                #expect(Geodesic.inverse(from: space.point(at: at), to: space.point(at: visit.position)).distance < 1, "trial \(trial): not at the visit at its time")
            }
            for (a, b) in zip(0..<journey.knotTimes.count, 1..<journey.knotTimes.count) {
                let dt = journey.knotTimes[b] - journey.knotTimes[a], dm = journey.knotMeasures[b] - journey.knotMeasures[a]
                #expect(dt >= -1e-9 && dm <= v * dt + 1e-6, "trial \(trial): \(dm) m in \(dt) s")
            }
            for step in 0..<40 {
                let time = t * Double(step) / 40
                let position = try #require(journey.position(at: time))
                #expect(prism.feasibleSet(at: time).contains(position, tolerance: 1), "trial \(trial) at \(time): the estimate is outside the set")
            }
        }
    }
}
