import ArgumentParser
import ConvoyExport
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyRoads
import ConvoyRoute
import Foundation

/// `convoy route A B`: the network path between two places or `LAT,LON` points — its length, the
/// roads and places it passes, and where it leaves the network.
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "The road-network path between two places or LAT,LON points.",
        discussion: """
            Each end joins the network at its nearest road point when it lies within its radius \
            (a place's uncertainty_m; 0 for LAT,LON) plus 5 km; the way there is a geodesic and \
            is reported as off the network. When an end does not join, or no road connects the two, \
            the route is the geodesic, and says why. This is the path `replay`, `where` and \
            `export` use for a leg. Formats: text, json (= --json), geojson (a LineString).
            """)

    @Argument(help: "Where from: a place name or id, or LAT,LON.") var from: String
    @Argument(help: "Where to: a place name or id, or LAT,LON.") var to: String
    @Option(help: ArgumentHelp("text, json or geojson.", valueName: "format")) var format: String?
    @Option(name: .long, help: ArgumentHelp("Route over the roads in this GeoJSON file (this run only).", discussion: "Default: the roads imported with `convoy import roads`, else the bundled Gazetteer/roads.geojson.", valueName: "file"))
    var roads: String?
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let format, !["text", "json", "geojson"].contains(format) { throw ValidationError("unknown format \"\(format)\"; known: text, json, geojson") }
        if output.json, let format, format != "json" { throw ValidationError("--json asks for --format json; do not combine it with --format \(format)") }
    }

    func run() throws {
        let gazetteer = try store.open()
        let network = try RoadSources.load(file: roads, gazetteer: gazetteer, directory: try DataLocations.gazetteerDirectory(option: store.gazetteer))
        let a = try PlaceArgument.resolve(from, in: gazetteer, allowCoordinates: true)
        let b = try PlaceArgument.resolve(to, in: gazetteer, allowCoordinates: true)
        a.warnIfAmbiguous()
        b.warnIfAmbiguous()
        let route = NetworkRoute(network: network, from: RouteEnd(a), to: RouteEnd(b))
        switch output.json ? "json" : (format ?? "text") {
        case "json": try printJSON(route.json)
        case "geojson": try printJSON(route.geoJSON)
        default: for line in route.text { say(line) }
        }
    }
}

/// One end of a route: where it is, how sure, and what it is called.
struct RouteEnd {
    let query: String
    let id: String?
    let name: String
    let point: GeoPoint
    let radius: Double

    init(_ argument: PlaceArgument) {
        query = argument.text
        id = argument.match?.place.id
        name = argument.match?.place.name ?? TextFormat.coordinate(argument.point)
        point = argument.point
        radius = argument.match?.place.uncertaintyMeters ?? 0
    }

    var json: JSONValue {
        .object(["query": .string(query), "id": id.map { .string($0) } ?? .null, "name": .string(name),
                 "lat": .number(rounded(point.latitude, 6)), "lon": .number(rounded(point.longitude, 6)), "uncertainty_m": .number(rounded(radius, 1))])
    }
}

/// The route between two ends by the network rule, in the measures of the whole route (metres from `from`).
struct NetworkRoute {
    struct OffNetwork { let from: Double; let to: Double; let reason: String }

    let from: RouteEnd, to: RouteEnd
    let origin: String
    /// The network part, when there is one, and where it starts along the route.
    let path: NetworkPath?
    let pathStart: Double
    let length: Double
    let offNetwork: [OffNetwork]
    let points: [GeoPoint]
    /// Why the route is the geodesic, when it is.
    let geodesicReason: String?

    init(network: RoadNetwork, from: RouteEnd, to: RouteEnd) {
        self.from = from
        self.to = to
        origin = network.origin
        let graph = network.graph
        let geodesic = Geodesic.inverse(from: from.point, to: to.point).distance
        func tooFar(_ end: RouteEnd) -> String {
            let nearest = graph.locate(end.point)
            let distance = nearest.map { TextFormat.distance($0.distanceOff) } ?? "?"
            return "\(end.name) lies \(distance) from the nearest road, beyond its radius \(TextFormat.distance(end.radius)) + \(Int(RoadGraph.joinTolerance / 1000)) km"
        }
        var reason: String?
        var found: (NetworkPath, NetworkJoin, NetworkJoin)?
        if graph.edges.isEmpty {
            reason = "no roads are loaded"
        } else if let ja = graph.join(from.point, radius: from.radius) {
            if let jb = graph.join(to.point, radius: to.radius) {
                if let p = graph.shortestPath(from: ja.position, to: jb.position) { found = (p, ja, jb) } else { reason = "no road connects them (they join separate parts of the network)" }
            } else {
                reason = tooFar(to)
            }
        } else {
            reason = tooFar(from)
        }
        if let (p, ja, jb) = found, p.length > 1 {
            var off: [OffNetwork] = []
            let lead = ja.distanceOff > 1 ? ja.distanceOff : 0
            if lead > 0 { off.append(OffNetwork(from: 0, to: lead, reason: "from \(from.name) to the nearest road (geodesic)")) }
            let total = lead + p.length + (jb.distanceOff > 1 ? jb.distanceOff : 0)
            if jb.distanceOff > 1 { off.append(OffNetwork(from: lead + p.length, to: total, reason: "from the road to \(to.name) (geodesic)")) }
            var points = lead > 0 ? [from.point] : []
            points += p.polyline
            if jb.distanceOff > 1 { points.append(to.point) }
            path = p
            pathStart = lead
            length = total
            offNetwork = off
            self.points = points
            geodesicReason = nil
        } else {
            path = nil
            pathStart = 0
            length = geodesic
            let why = reason ?? "both ends join the network at the same point"
            offNetwork = [OffNetwork(from: 0, to: geodesic, reason: "geodesic: \(why)")]
            points = [from.point, to.point]
            geodesicReason = why
        }
    }

    /// Places passed, with their measures: the two ends and the named vertices between.
    var places: [(id: String?, name: String, measure: Double)] {
        var list: [(id: String?, name: String, measure: Double)] = [(from.id, from.name, 0)]
        for p in path?.places ?? [] where p.id != list.last?.id { list.append((p.id, p.name, pathStart + p.measure)) }
        if to.id == nil || to.id != list.last?.id { list.append((to.id, to.name, length)) } else { list[list.count - 1].measure = length }
        return list
    }

    var text: [String] {
        var lines = ["\(from.name) → \(to.name): \(TextFormat.distance(length))" + (path == nil ? " (geodesic)" : " over the road network")]
        for road in path?.roads ?? [] {
            lines.append("  road    \(Self.kilometres(pathStart + road.from))–\(Self.kilometres(pathStart + road.to)) km  \(road.name) [\(road.id)]\(road.schematic ? " (schematic)" : "")")
        }
        for off in offNetwork {
            lines.append("  off     \(Self.kilometres(off.from))–\(Self.kilometres(off.to)) km  \(off.reason)")
        }
        lines.append("  passes  " + places.map { "\($0.name) \(Self.kilometres($0.measure)) km" }.joined(separator: " · "))
        if path?.roads.contains(where: \.schematic) == true {
            lines.append("  note    schematic roads are straight between their waypoints: the road distance is longer")
        }
        if !origin.isEmpty { lines.append("  roads   from \(origin)") }
        return lines
    }

    static func kilometres(_ metres: Double) -> String { String(format: "%.1f", metres / 1000) }

    var json: JSONValue {
        .object([
            "from": from.json, "to": to.json,
            "length_m": .number(rounded(length, 1)),
            "on_network": .bool(path != nil),
            "network_m": .number(rounded(path?.length ?? 0, 1)),
            "off_network_m": .number(rounded(offNetwork.reduce(0) { $0 + $1.to - $1.from }, 1)),
            "roads": .array((path?.roads ?? []).map { r in
                .object(["id": .string(r.id), "name": .string(r.name), "schematic": .bool(r.schematic),
                         "from_m": .number(rounded(pathStart + r.from, 1)), "to_m": .number(rounded(pathStart + r.to, 1))])
            }),
            "places": .array(places.map { p in .object(["id": p.id.map { .string($0) } ?? .null, "name": .string(p.name), "measure_m": .number(rounded(p.measure, 1))]) }),
            "off_network": .array(offNetwork.map { o in .object(["from_m": .number(rounded(o.from, 1)), "to_m": .number(rounded(o.to, 1)), "reason": .string(o.reason)]) }),
            "geodesic_reason": geodesicReason.map { .string($0) } ?? .null,
            "road_source": .string(origin),
        ])
    }

    /// A FeatureCollection with the route as one LineString, densified so that each straight
    /// lon/lat segment stays within 100 m of the geodesic it draws (RFC 7946 §3.1.1).
    var geoJSON: JSONValue {
        var line: [GeoPoint] = []
        for (a, b) in zip(points, points.dropFirst()) {
            if line.isEmpty { line.append(a) }
            line += Densify.intermediatePoints(from: a, to: b)
            line.append(b)
        }
        if line.count < 2 { line = [points[0], points[0]] }
        let coordinates = JSONValue.array(line.map { .array([.number(rounded($0.longitude, 6)), .number(rounded($0.latitude, 6))]) })
        let properties: JSONValue = .object([
            "kind": .string("route"), "from": .string(from.name), "to": .string(to.name),
            "from_id": from.id.map { .string($0) } ?? .null, "to_id": to.id.map { .string($0) } ?? .null,
            "length_m": .number(rounded(length, 1)), "on_network": .bool(path != nil),
            "off_network_m": .number(rounded(offNetwork.reduce(0) { $0 + $1.to - $1.from }, 1)),
            "roads": .array((path?.roads ?? []).map { .string($0.id) }),
            "places": .array(places.map { .string($0.name) }),
        ])
        let lons = line.map(\.longitude), lats = line.map(\.latitude)
        return .object([
            "type": .string("FeatureCollection"),
            "bbox": .array([lons.min()!, lats.min()!, lons.max()!, lats.max()!].map { .number(rounded($0, 6)) }),
            "features": .array([.object(["type": .string("Feature"), "id": .string("route"), "properties": properties,
                                         "geometry": .object(["type": .string("LineString"), "coordinates": coordinates])])]),
        ])
    }
}
