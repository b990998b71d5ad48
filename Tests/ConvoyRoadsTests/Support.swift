import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyTestSupport
import Foundation

@testable import ConvoyRoads

/// Shared set-up: the repository's gazetteer and bundled roads, small hand-made networks, and
/// GeographicLib's GeodSolve (independent of PROJ) as the reference for lengths and positions.
enum Support {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func gazetteer() throws -> Gazetteer {
        try Gazetteer(path: ScratchSpace.path("convoy-roads", suffix: ".sqlite").path, bundledDirectory: repository.appendingPathComponent("Gazetteer"))
    }

    /// The bundled network, its waypoints named from the gazetteer.
    static func bundled() throws -> RoadNetwork {
        let gazetteer = try gazetteer()
        return try RoadNetwork.load(repository.appendingPathComponent("Gazetteer/roads.geojson"), displayPath: "Gazetteer/roads.geojson") { (try? gazetteer.names(ofPlaceIDs: $0)) ?? [:] }
    }

    static func point(_ lat: Double, _ lon: Double) -> GeoPoint { try! GeoPoint(latitude: lat, longitude: lon) }

    static func road(_ id: String, _ points: [GeoPoint], waypoints: [String?]? = nil) -> RoadFeature {
        RoadFeature(id: id, name: id, source: "test", waypoints: waypoints, coordinates: points)
    }

    /// The shortest path between the vertices at two points (nil when either is not a vertex or no path joins them).
    static func path(_ g: RoadGraph, _ a: GeoPoint, _ b: GeoPoint, avoiding: [BlockedInterval] = []) -> NetworkPath? {
        guard let va = g.vertices.firstIndex(where: { $0.point == a }), let vb = g.vertices.firstIndex(where: { $0.point == b }),
            let pa = g.position(ofVertex: va), let pb = g.position(ofVertex: vb)
        else { return nil }
        return g.shortestPath(from: pa, to: pb, avoiding: avoiding)
    }

    /// The point `distance` metres from `p` at `azimuth`, by GeodSolve's direct problem.
    static func geodSolveDirect(_ p: GeoPoint, _ azimuth: Double, _ distance: Double) throws -> GeoPoint {
        let out = try geographicLib("GeodSolve", ["-p", "10"], input: "\(p.latitude) \(p.longitude) \(azimuth) \(distance)\n")
        return try GeoPoint(latitude: out[0][0], longitude: out[0][1])
    }

    /// Geodesic distances between consecutive pairs, by GeodSolve (one process for all of them).
    static func geodSolveDistances(_ pairs: [(GeoPoint, GeoPoint)]) throws -> [Double] {
        let input = pairs.map { "\($0.0.latitude) \($0.0.longitude) \($0.1.latitude) \($0.1.longitude)" }.joined(separator: "\n") + "\n"
        return try geographicLib("GeodSolve", ["-i", "-p", "10"], input: input).map { $0[2] }
    }

    /// The point `distance` metres along the geodesic from a to b, by GeodSolve.
    static func geodSolvePosition(_ a: GeoPoint, _ b: GeoPoint, _ distance: Double) throws -> GeoPoint {
        let out = try geographicLib("GeodSolve", ["-I", "\(a.latitude)", "\(a.longitude)", "\(b.latitude)", "\(b.longitude)", "-p", "10"], input: "\(distance)\n")
        return try GeoPoint(latitude: out[0][0], longitude: out[0][1])
    }

    static func geographicLib(_ tool: String, _ arguments: [String], input: String) throws -> [[Double]] {
        try GeographicLib.run(tool, arguments, input: input)
    }
}
