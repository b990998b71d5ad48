import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// The road network as the route model asks for legs: a ``RoadGraph`` and the rule that turns two
/// positions into a path of named points. Kept so that today's route model routes its legs over
/// the graph with its code unchanged.
public struct RoadNetwork: Sendable {
    public let graph: RoadGraph
    /// Where the roads came from, for messages ("Gazetteer/roads.geojson", a file, the store).
    public let origin: String

    public init(graph: RoadGraph, origin: String = "") {
        self.graph = graph
        self.origin = origin
    }

    public init(roads: [RoadFeature], placeNames: [String: String] = [:], origin: String = "") {
        self.init(graph: RoadGraph(roads: roads, placeNames: placeNames), origin: origin)
    }

    /// No roads: every leg is a geodesic.
    public static let none = RoadNetwork(graph: .empty)

    public var roads: [RoadFeature] { graph.roads }

    public func road(id: String) -> RoadFeature? { graph.road(id: id).map { graph.roads[$0] } }

    /// A road's whole line as a linear reference, its waypoints named.
    public func geodesicPath(ofRoad id: String) -> GeodesicPath? {
        guard let r = graph.road(id: id) else { return nil }
        let road = graph.roads[r]
        var names: [String: String] = [:]
        for v in graph.vertices { if let id = v.placeID, let name = v.name { names[id] = name } }
        return GeodesicPath(road.coordinates.indices.map { k in
            let id = road.waypoints?[k] ?? nil
            return PathVertex(point: road.coordinates[k], placeID: id, name: id.map { names[$0] ?? $0 })
        })
    }

    /// Reads a road file (``RoadFile``) and builds its graph. `names` gives the gazetteer names of
    /// waypoint ids; when given, an id the gazetteer does not know is an error.
    public static func load(_ url: URL, displayPath: String? = nil, names: ((Set<String>) -> [String: String])? = nil) throws -> RoadNetwork {
        let shown = displayPath ?? url.path
        var known: [String: String] = [:]
        let roads = try RoadFile.load(url, displayPath: shown, placeNames: names.map { lookup in { ids in known = lookup(ids); return known } })
        return RoadNetwork(roads: roads, placeNames: known, origin: shown)
    }

    /// How far (metres) a position may lie off a road, beyond its own uncertainty, and still join it.
    public static let roadTolerance = RoadGraph.joinTolerance

    /// The path from `a` to `b` as named points: when both join the network (each within its
    /// uncertainty plus ``roadTolerance``) and a path connects them, `a`, the point where it joins,
    /// the network path, the point where it leaves, `b`; else the single geodesic. `roadID` forces
    /// one road (the update log's `road` column), or `none` the geodesic. `network` is the path
    /// over the network, nil for the geodesic.
    public func path(from a: PathVertex, _ aUncertainty: Double, to b: PathVertex, _ bUncertainty: Double, roadID: String? = nil) -> (vertices: [PathVertex], road: String?, network: NetworkPath?) {
        if roadID == "none" || graph.edges.isEmpty { return ([a, b], nil, nil) }
        let network: NetworkPath
        if let roadID {
            guard let forced = graph.path(from: a.point, to: b.point, alongRoad: roadID) else { return ([a, b], nil, nil) }
            network = forced.path
        } else {
            guard let ja = graph.join(a.point, radius: aUncertainty), let jb = graph.join(b.point, radius: bUncertainty),
                let found = graph.shortestPath(from: ja.position, to: jb.position)
            else { return ([a, b], nil, nil) }
            network = found
        }
        // Both ends join the network at the same point: no road between them.
        guard network.length > 1 else { return ([a, b], nil, nil) }
        var vertices = [a]
        for v in network.vertices {
            if let last = vertices.last, Geodesic.inverse(from: last.point, to: v.point).distance < 0.001 {
                if last.name == nil, v.name != nil, vertices.count > 1 { vertices[vertices.count - 1] = v }
                continue
            }
            vertices.append(v)
        }
        if let last = vertices.last, Geodesic.inverse(from: last.point, to: b.point).distance < 0.001 {
            vertices[vertices.count - 1] = b
        } else {
            vertices.append(b)
        }
        return (vertices, network.roads.first?.id, network)
    }
}
