// roads-bench: how fast a road file of a few thousand features loads (parse and check, build the
// graph; and from the store), and shortest paths over it — convoy's own Dijkstra beside
// SwiftGraph 4.0.0's `dijkstra` on the same graph, with their answers compared.
//
//   swift run -c release --package-path Benchmarks roads-bench [features] [positions] [queries]
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyRoads
import Foundation
import SwiftGraph

let arguments = CommandLine.arguments
let featureCount = arguments.count > 1 ? Int(arguments[1])! : 5_000
let positionCount = arguments.count > 2 ? Int(arguments[2])! : 20
let queryCount = arguments.count > 3 ? Int(arguments[3])! : 200

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Random walks on a 0.02° lattice over Syria: roads meet where they share lattice nodes.
struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
var seeded = Seeded(state: 2026)
let size = 300
var text = "{\"type\": \"FeatureCollection\", \"features\": [\n"
for k in 0..<featureCount {
    var i = Int.random(in: 0..<size, using: &seeded), j = Int.random(in: 0..<size, using: &seeded)
    var coordinates: [String] = []
    for _ in 0..<positionCount {
        coordinates.append(String(format: "[%.6f, %.6f]", 36.0 + Double(j) * 0.02, 32.5 + Double(i) * 0.02))
        switch Int.random(in: 0..<4, using: &seeded) {
        case 0: i = min(size - 1, i + 1)
        case 1: i = max(0, i - 1)
        case 2: j = min(size - 1, j + 1)
        default: j = max(0, j - 1)
        }
    }
    text += "{\"type\": \"Feature\", \"id\": \"road-\(k)\", \"properties\": {\"name\": \"Road \(k)\", \"source\": \"generated\", \"highway\": \"primary\"}, \"geometry\": {\"type\": \"LineString\", \"coordinates\": [\(coordinates.joined(separator: ", "))]}}"
    text += k == featureCount - 1 ? "\n" : ",\n"
}
text += "]}\n"
let path = FileManager.default.temporaryDirectory.appendingPathComponent("roads-bench-\(featureCount).geojson")
try text.write(to: path, atomically: true, encoding: .utf8)
print("file: \(featureCount) features × \(positionCount) positions, \(text.utf8.count / 1024) KiB at \(path.path)")

var roads: [RoadFeature] = []
var graph = RoadGraph.empty
var parseTimes: [Double] = [], buildTimes: [Double] = []
for _ in 0..<5 {
    parseTimes.append(try seconds { roads = try RoadFile.load(path) })
    buildTimes.append(seconds { graph = RoadGraph(roads: roads) })
}
func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
print(String(format: "read and check: %.3f s; build the graph: %.3f s; total %.3f s (medians of 5)", median(parseTimes), median(buildTimes), median(parseTimes) + median(buildTimes)))
print("graph: \(graph.vertices.count) vertices, \(graph.edges.count) edges, \(Set(graph.component).count) components")

// From the store, as every command after `convoy import roads` reads them.
let storePath = FileManager.default.temporaryDirectory.appendingPathComponent("roads-bench-\(getpid()).sqlite").path
let gazetteerDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Gazetteer").standardized
let gazetteer = try Gazetteer(path: storePath, bundledDirectory: gazetteerDirectory)
let store = try RoadStore(gazetteer)
let importTime = try seconds { try store.replace(with: roads, file: path.path) }
var storeTimes: [Double] = []
for _ in 0..<5 { storeTimes.append(try seconds { graph = RoadGraph(roads: try store.load()!) }) }
print(String(format: "store: import %.3f s; load and build %.3f s (median of 5)", importTime, median(storeTimes)))
try? FileManager.default.removeItem(atPath: storePath)

// Shortest paths between random vertices: ours, and SwiftGraph's on the same edges.
// Vertices labelled by strings so that `dijkstra(root:)` by index is not ambiguous.
let sg = WeightedGraph<String, Double>(vertices: graph.vertices.indices.map { "v\($0)" })
for e in graph.edges where e.from != e.to { sg.addEdge(fromIndex: e.from, toIndex: e.to, weight: e.length) }
var pairs: [(Int, Int)] = []
while pairs.count < queryCount {
    let a = Int.random(in: 0..<graph.vertices.count, using: &seeded), b = Int.random(in: 0..<graph.vertices.count, using: &seeded)
    if a != b, graph.component[a] == graph.component[b] { pairs.append((a, b)) }
}
var ours: [Double] = [], theirs: [Double] = []
let oursTime = seconds {
    for (a, b) in pairs { ours.append(graph.shortestPath(from: graph.position(ofVertex: a)!, to: graph.position(ofVertex: b)!)!.length) }
}
let theirsTime = seconds {
    for (a, b) in pairs { theirs.append(sg.dijkstra(root: a, startDistance: 0).0[b]!) }
}
let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? 0
print(String(format: "shortest path, %d random pairs: convoy %.3f ms/query, SwiftGraph dijkstra %.3f ms/query (%.1f× slower); largest difference %.2e m", queryCount, oursTime / Double(queryCount) * 1000, theirsTime / Double(queryCount) * 1000, theirsTime / oursTime, worst))

// locate: nearest network point of random points.
var points: [GeoPoint] = []
for _ in 0..<2_000 { points.append(try GeoPoint(latitude: Double.random(in: 32.5...38.5, using: &seeded), longitude: Double.random(in: 36...42, using: &seeded))) }
var found = 0
let locateTime = seconds { for p in points where graph.locate(p) != nil { found += 1 } }
print(String(format: "locate: %.1f µs per point (%d points)", locateTime / Double(points.count) * 1e6, found))
