import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// A named point of a path: a road waypoint or an observed position.
public struct PathVertex: Sendable, Hashable {
    public let point: GeoPoint
    /// Gazetteer id and name when the vertex is a place.
    public let placeID: String?
    public let name: String?

    public init(point: GeoPoint, placeID: String? = nil, name: String? = nil) {
        self.point = point
        self.placeID = placeID
        self.name = name
    }
}

/// A polyline of geodesic legs with linear referencing: a position is given by its distance in
/// metres from the start, measured along the ellipsoid with PROJ (never straight in lon/lat).
public struct GeodesicPath: Sendable {
    public let vertices: [PathVertex]
    /// Distance from the start to each vertex, metres; `cumulative[0] == 0`.
    public let cumulative: [Double]
    private let lines: [GeodesicLine]

    public init(_ vertices: [PathVertex]) {
        precondition(!vertices.isEmpty, "a path needs at least one vertex")
        self.vertices = vertices
        var cumulative = [0.0]
        var lines: [GeodesicLine] = []
        for (a, b) in zip(vertices, vertices.dropFirst()) {
            let line = GeodesicLine(from: a.point, to: b.point)
            lines.append(line)
            cumulative.append(cumulative.last! + line.length)
        }
        self.cumulative = cumulative
        self.lines = lines
    }

    /// Total length in metres.
    public var length: Double { cumulative.last! }

    /// Index of the segment holding `measure` (binary search: O(log n)).
    public func segment(containing measure: Double) -> Int {
        guard lines.count > 1 else { return 0 }
        var low = 0, high = cumulative.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if cumulative[mid] <= measure { low = mid } else { high = mid }
        }
        return min(low, lines.count - 1)
    }

    /// The point `measure` metres from the start along the path (clamped to the path).
    public func position(at measure: Double) -> GeoPoint {
        guard !lines.isEmpty else { return vertices[0].point }
        let m = min(max(measure, 0), length)
        let i = segment(containing: m)
        return lines[i].position(atDistance: m - cumulative[i])
    }

    /// The nearest point of the path to `point`: its measure and the geodesic distance off the path.
    /// Each segment is solved by ``GeodesicLine/nearestPoint(to:tolerance:)`` (a few inverse
    /// problems per segment, to a millimetre).
    public func locate(_ point: GeoPoint) -> (measure: Double, offset: Double) {
        guard !lines.isEmpty else { return (0, Geodesic.inverse(from: vertices[0].point, to: point).distance) }
        var best = (measure: 0.0, offset: Double.infinity)
        for (i, line) in lines.enumerated() {
            let nearest = line.nearestPoint(to: point)
            if nearest.distanceOff < best.offset { best = (cumulative[i] + nearest.distanceAlong, nearest.distanceOff) }
        }
        return best
    }

    /// The vertices strictly between two measures, in travel order from `from` to `to`.
    public func vertices(from: Double, to: Double) -> [PathVertex] {
        let tolerance = 1.0
        if from <= to {
            return zip(vertices, cumulative).filter { $0.1 > from + tolerance && $0.1 < to - tolerance }.map(\.0)
        }
        return zip(vertices, cumulative).filter { $0.1 < from - tolerance && $0.1 > to + tolerance }.map(\.0).reversed()
    }
}

/// A road path from `Gazetteer/roads.geojson`: ordered gazetteer waypoints with the sources that
/// say the convoy used (or could have used) this road.
public struct RoadPath: Sendable {
    public let id: String
    public let name: String
    public let source: String
    public let path: GeodesicPath

    public init(id: String, name: String, source: String, waypoints: [PathVertex]) {
        self.id = id
        self.name = name
        self.source = source
        path = GeodesicPath(waypoints)
    }
}

/// The road paths observations are joined along.
public struct RoadNetwork: Sendable {
    public let roads: [RoadPath]

    public init(roads: [RoadPath]) {
        self.roads = roads
    }

    /// No roads: every leg is a geodesic.
    public static let none = RoadNetwork(roads: [])

    public func road(id: String) -> RoadPath? { roads.first { $0.id == id } }

    /// Reads roads.geojson: each Feature's `id`, `properties.name`, `properties.source`,
    /// `properties.waypoints` (place ids) and its LineString (one position per waypoint).
    /// Waypoint names come from `names` (the gazetteer: ids → names, asked once for every waypoint);
    /// an id it does not know is shown as it is.
    public static func load(_ url: URL, displayPath: String? = nil, names: (Set<String>) -> [String: String] = { _ in [:] }) throws -> RoadNetwork {
        let shown = displayPath ?? url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw FileAccessError(path: shown, reason: "cannot be read") }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let features = root["features"] as? [[String: Any]] else {
            throw DataErrors([DataError(file: shown, line: 1, message: "not a GeoJSON FeatureCollection")])
        }
        var parsed: [(id: String, name: String, source: String, waypoints: [(placeID: String, point: GeoPoint)])] = []
        var errors: [DataError] = []
        for feature in features {
            let id = feature["id"] as? String ?? "?"
            guard let properties = feature["properties"] as? [String: Any], let geometry = feature["geometry"] as? [String: Any],
                let coordinates = geometry["coordinates"] as? [[Double]], let waypoints = properties["waypoints"] as? [String],
                waypoints.count == coordinates.count, coordinates.count >= 2
            else {
                errors.append(DataError(file: shown, message: "road \(id): needs a LineString with one position per entry of properties.waypoints"))
                continue
            }
            var points: [(placeID: String, point: GeoPoint)] = []
            for (placeID, position) in zip(waypoints, coordinates) {
                guard position.count >= 2, let point = try? GeoPoint(latitude: position[1], longitude: position[0]) else {
                    errors.append(DataError(file: shown, message: "road \(id): waypoint \(placeID) has no valid [lon, lat]"))
                    continue
                }
                points.append((placeID, point))
            }
            parsed.append((id, properties["name"] as? String ?? id, properties["source"] as? String ?? "", points))
        }
        if !errors.isEmpty { throw DataErrors(errors) }
        let known = names(Set(parsed.flatMap { $0.waypoints.map(\.placeID) }))
        return RoadNetwork(roads: parsed.map { road in
            RoadPath(id: road.id, name: road.name, source: road.source,
                     waypoints: road.waypoints.map { PathVertex(point: $0.point, placeID: $0.placeID, name: known[$0.placeID] ?? $0.placeID) })
        })
    }

    /// How far (metres) a position may lie off a road, beyond its own uncertainty, and still be
    /// taken to be on it.
    public static let roadTolerance = 5_000.0

    /// The road both positions lie on (within their uncertainty plus ``roadTolerance``), the one
    /// they lie closest to when several do; nil when none does.
    public func road(joining a: GeoPoint, _ aUncertainty: Double, _ b: GeoPoint, _ bUncertainty: Double) -> (road: RoadPath, a: (measure: Double, offset: Double), b: (measure: Double, offset: Double))? {
        var best: (RoadPath, (measure: Double, offset: Double), (measure: Double, offset: Double))?
        for road in roads {
            let la = road.path.locate(a)
            guard la.offset <= aUncertainty + Self.roadTolerance else { continue }
            let lb = road.path.locate(b)
            guard lb.offset <= bUncertainty + Self.roadTolerance else { continue }
            if let current = best, current.1.offset + current.2.offset <= la.offset + lb.offset { continue }
            best = (road, la, lb)
        }
        return best.map { ($0.0, $0.1, $0.2) }
    }

    /// The path from `a` to `b`: along the joining road (a, the road's waypoints between them, b),
    /// or the single geodesic when no road joins them or `roadID` is `none`.
    public func path(from a: PathVertex, _ aUncertainty: Double, to b: PathVertex, _ bUncertainty: Double, roadID: String? = nil) -> (vertices: [PathVertex], road: String?) {
        if roadID == "none" { return ([a, b], nil) }
        var joined: (road: RoadPath, a: (measure: Double, offset: Double), b: (measure: Double, offset: Double))?
        if let roadID, let road = road(id: roadID) {
            joined = (road, road.path.locate(a.point), road.path.locate(b.point))
        } else {
            joined = road(joining: a.point, aUncertainty, b.point, bUncertainty)
        }
        guard let joined, abs(joined.a.measure - joined.b.measure) > 1 else { return ([a, b], nil) }
        var fromMeasure = joined.a.measure, toMeasure = joined.b.measure
        // An off-road end joins the road at the waypoint nearest to it, so keep that waypoint.
        let forward = toMeasure >= fromMeasure
        if joined.a.offset > 100 { fromMeasure += forward ? -2 : 2 }
        if joined.b.offset > 100 { toMeasure += forward ? 2 : -2 }
        let middle = joined.road.path.vertices(from: fromMeasure, to: toMeasure)
        return ([a] + middle + [b], joined.road.id)
    }
}
