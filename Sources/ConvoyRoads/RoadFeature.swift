import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

/// One road of a road file: a GeoJSON LineString Feature with its id, name and the source that says
/// the road is there. Positions are the road's geometry, any number of them (a road drawn from
/// OpenStreetMap has hundreds; a schematic road one per waypoint).
public struct RoadFeature: Sendable, Hashable {
    /// Unique within its file; what the update log's `road` column names. Never `none`.
    public let id: String
    public let name: String
    /// What says this road exists (and, for the bundled roads, which legs are inference).
    public let source: String
    public let sourceURL: String?
    public let note: String?
    /// A speed limit or design speed in km/h, when the file gives one.
    public let maxSpeedKmh: Double?
    /// True when the line is straight between estimated waypoints, not the road's surveyed geometry.
    public let schematic: Bool
    /// Gazetteer place ids, one per position (nil where a position is not a place); nil when the file has none.
    public let waypoints: [String?]?
    /// The line, in order; consecutive repeats removed, so every segment has a length.
    public let coordinates: [GeoPoint]

    public init(id: String, name: String, source: String, sourceURL: String? = nil, note: String? = nil, maxSpeedKmh: Double? = nil, schematic: Bool = false, waypoints: [String?]? = nil, coordinates: [GeoPoint]) {
        precondition(coordinates.count >= 2, "a road needs two positions")
        precondition(waypoints == nil || waypoints!.count == coordinates.count, "one waypoint per position")
        self.id = id
        self.name = name
        self.source = source
        self.sourceURL = sourceURL
        self.note = note
        self.maxSpeedKmh = maxSpeedKmh
        self.schematic = schematic
        self.waypoints = waypoints
        self.coordinates = coordinates
    }
}

/// Reads road files: an RFC 7946 FeatureCollection of LineString Features, each with an `id`
/// (Feature member or `properties.id`; a string or an integer), and `properties.source`; optional
/// `name` (default: the id), `max_speed_kmh`, `schematic`, `waypoints`, `source_url`, `note`. Other
/// properties (the many an OpenStreetMap export carries) are ignored. Every problem is reported as
/// `file:line:col: message` (at most ``maximumErrors``) and a file with any problem yields no roads.
public enum RoadFile {
    /// How many problems are listed before the rest are summarised.
    public static let maximumErrors = 100

    /// Reads and checks the file at `url`. `placeNames`, when given, is asked once for the waypoint
    /// ids and returns the ones the gazetteer knows (id → name); an unknown waypoint is an error.
    public static func load(_ url: URL, displayPath: String? = nil, placeNames: ((Set<String>) -> [String: String])? = nil) throws -> [RoadFeature] {
        let path = displayPath ?? url.path
        return try parse(try GazetteerFile.readBytes(url, displayPath: path), displayPath: path, placeNames: placeNames)
    }

    /// Parses a road file held in memory; `displayPath` names it in errors.
    public static func parse(_ bytes: [UInt8], displayPath path: String, placeNames: ((Set<String>) -> [String: String])? = nil) throws(DataErrors) -> [RoadFeature] {
        let root: LocatedJSON
        do { root = try LocatedJSON.parse(bytes) } catch {
            throw DataErrors([DataError(file: path, at: error.location, error.message)])
        }
        var reader = RoadFileReader(path: path)
        let roads = reader.roads(in: root)
        if let placeNames, reader.errors.isEmpty {
            let ids = Set(reader.waypointLocations.map(\.id))
            let known = ids.isEmpty ? [:] : placeNames(ids)
            for (id, location) in reader.waypointLocations where known[id] == nil {
                reader.errors.append(DataError(file: path, at: location, "waypoint \"\(id)\" is not the id of a gazetteer place"))
            }
        }
        guard reader.errors.isEmpty else {
            throw DataErrors(Array(reader.errors.prefix(maximumErrors)), truncated: reader.errors.count > maximumErrors)
        }
        return roads
    }
}

/// Walks the JSON tree, collecting every problem rather than stopping at the first.
private struct RoadFileReader {
    let path: String
    var errors: [DataError] = []
    var waypointLocations: [(id: String, location: SourceLocation)] = []

    init(path: String) { self.path = path }

    mutating func fail(_ value: LocatedJSON, _ message: String) {
        errors.append(DataError(file: path, at: value.location, message))
    }

    /// `crs` values that still mean WGS84 longitude/latitude (GDAL writes the first when RFC7946=NO).
    static let lonLatCRS: Set<String> = ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"]

    mutating func roads(in root: LocatedJSON) -> [RoadFeature] {
        guard case .object = root else {
            fail(root, "expected a GeoJSON FeatureCollection object, found \(root.typeName)")
            return []
        }
        if case .string("FeatureCollection", _)? = root["type"] {} else {
            fail(root["type"] ?? root, "\"type\" must be \"FeatureCollection\"")
        }
        if let crs = root["crs"] {
            if case .string(let name, _)? = crs["properties"]?["name"], Self.lonLatCRS.contains(name) {} else {
                fail(crs, "coordinates must be WGS84 longitude/latitude (RFC 7946); reproject with `ogr2ogr -t_srs EPSG:4326 -lco RFC7946=YES`")
            }
        }
        guard case .array(let features, let at)? = root["features"] else {
            fail(root["features"] ?? root, "\"features\" must be an array of Features")
            return []
        }
        if features.isEmpty { fail(root["features"]!, "no roads: \"features\" is empty") }
        _ = at
        var roads: [RoadFeature] = []
        var firstSeen: [String: SourceLocation] = [:]
        for feature in features {
            guard let (road, idValue) = self.road(feature) else { continue }
            if let earlier = firstSeen[road.id] {
                fail(idValue, "duplicate road id \"\(road.id)\" (first at line \(earlier.line))")
                continue
            }
            firstSeen[road.id] = idValue.location
            roads.append(road)
        }
        return roads
    }

    mutating func road(_ feature: LocatedJSON) -> (RoadFeature, LocatedJSON)? {
        guard case .object = feature else {
            fail(feature, "expected a Feature object, found \(feature.typeName)")
            return nil
        }
        let errorsBefore = errors.count
        if case .string("Feature", _)? = feature["type"] {} else { fail(feature["type"] ?? feature, "\"type\" must be \"Feature\"") }
        let properties = feature["properties"]
        if let properties, !properties.isObject {
            fail(properties, "\"properties\" must be an object")
        }
        // The id: the Feature's own (RFC 7946: a string or a number), else properties.id.
        var id: String?
        let idValue = feature["id"] ?? properties?["id"]
        switch idValue {
        case .string(let text, _)?: id = text
        case .number(let n, _)? where n == n.rounded() && abs(n) < 1e15: id = String(Int64(n))
        case let other?: fail(other, "a road id must be a string or an integer, found \(other.typeName)")
        case nil: fail(feature, "a road needs an \"id\" (the Feature's id or properties.id)")
        }
        if let text = id, let value = idValue {
            if text.isEmpty || text.count > 200 || text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) || text != text.trimmingCharacters(in: .whitespaces) {
                fail(value, "a road id must be 1–200 characters without control characters or surrounding spaces")
            } else if text == "none" {
                fail(value, "\"none\" cannot be a road id: the update log's road column uses it to ask for the geodesic")
            }
        }
        let coordinates = lineString(feature["geometry"], in: feature)
        var name: String?, source: String?, sourceURL: String?, note: String?, maxSpeed: Double?, schematic = false
        var waypoints: [String?]?
        if let properties, properties.isObject {
            name = optionalString(properties, "name")
            source = optionalString(properties, "source")
            if source == nil || source!.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                fail(properties["source"] ?? properties, "a road needs properties.source: what says this road is there (e.g. \"OpenStreetMap contributors, extract of 2024-05-01\")")
            }
            sourceURL = optionalString(properties, "source_url")
            note = optionalString(properties, "note")
            switch properties["max_speed_kmh"] {
            case nil, .null?: break
            case .number(let v, _)? where v > 0 && v <= 300: maxSpeed = v
            case let other?: fail(other, "max_speed_kmh must be a number of km/h in (0, 300], found \(describe(other))")
            }
            switch properties["schematic"] {
            case nil, .null?: break
            case .bool(let b, _)?: schematic = b
            case let other?: fail(other, "schematic must be true or false, found \(other.typeName)")
            }
            if let value = properties["waypoints"], !value.isNull {
                waypoints = self.waypoints(value, count: coordinates?.raw)
            }
        } else if properties == nil || properties!.isNull {
            fail(properties ?? feature, "a road needs properties with a source")
        }
        guard errors.count == errorsBefore, let id, let idValue, let coordinates, let source else { return nil }
        // Consecutive repeated positions add nothing; keep the waypoint of the first of a run.
        var points: [GeoPoint] = []
        var keptWaypoints: [String?] = []
        for (i, p) in coordinates.points.enumerated() {
            if let last = points.last, last == p { continue }
            points.append(p)
            keptWaypoints.append(waypoints?[i] ?? nil)
        }
        guard points.count >= 2 else {
            fail(feature["geometry"]!, "the LineString has no length: all its positions are the same")
            return nil
        }
        let road = RoadFeature(
            id: id, name: (name?.isEmpty == false ? name : nil) ?? id, source: source, sourceURL: sourceURL, note: note, maxSpeedKmh: maxSpeed,
            schematic: schematic, waypoints: waypoints == nil ? nil : keptWaypoints, coordinates: points)
        return (road, idValue)
    }

    mutating func lineString(_ geometry: LocatedJSON?, in feature: LocatedJSON) -> (points: [GeoPoint], raw: Int)? {
        guard let geometry, !geometry.isNull else {
            fail(geometry ?? feature, "a road needs a LineString geometry")
            return nil
        }
        guard geometry.isObject else {
            fail(geometry, "geometry must be an object, found \(geometry.typeName)")
            return nil
        }
        guard case .string(let type, _)? = geometry["type"] else {
            fail(geometry["type"] ?? geometry, "geometry needs a \"type\"")
            return nil
        }
        guard type == "LineString" else {
            let hint = type == "MultiLineString" ? " (split it into LineStrings: `ogr2ogr -explodecollections`)" : ""
            fail(geometry["type"]!, "a road's geometry must be a LineString, found \(type)\(hint)")
            return nil
        }
        guard case .array(let positions, _)? = geometry["coordinates"] else {
            fail(geometry["coordinates"] ?? geometry, "a LineString needs a \"coordinates\" array")
            return nil
        }
        guard positions.count >= 2 else {
            fail(geometry["coordinates"]!, "a LineString needs at least 2 positions, found \(positions.count)")
            return nil
        }
        var points: [GeoPoint] = []
        points.reserveCapacity(positions.count)
        var ok = true
        for position in positions {
            guard case .array(let numbers, _) = position, numbers.count == 2 || numbers.count == 3 else {
                fail(position, "a position must be [longitude, latitude] or [longitude, latitude, altitude]")
                ok = false
                continue
            }
            guard case .number(let lon, _) = numbers[0], case .number(let lat, _) = numbers[1] else {
                fail(position, "a position's longitude and latitude must be numbers")
                ok = false
                continue
            }
            if numbers.count == 3, case .number = numbers[2] {} else if numbers.count == 3 {
                fail(numbers[2], "an altitude must be a number")
                ok = false
            }
            do { points.append(try GeoPoint(latitude: lat, longitude: lon)) } catch {
                fail(position, "\(error.description) (positions are [longitude, latitude])")
                ok = false
            }
        }
        return ok ? (points, positions.count) : nil
    }

    mutating func waypoints(_ value: LocatedJSON, count: Int?) -> [String?]? {
        guard case .array(let items, _) = value else {
            fail(value, "waypoints must be an array of place ids (or null), one per position")
            return nil
        }
        if let count, items.count != count {
            fail(value, "waypoints has \(items.count) entries but the LineString has \(count) positions: give one per position (null where a position is not a place)")
            return nil
        }
        var result: [String?] = []
        for item in items {
            switch item {
            case .null: result.append(nil)
            case .string(let id, let location) where !id.isEmpty:
                result.append(id)
                waypointLocations.append((id, location))
            default:
                fail(item, "a waypoint must be a place id or null, found \(describe(item))")
                result.append(nil)
            }
        }
        return result
    }

    mutating func optionalString(_ object: LocatedJSON, _ key: String) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s, _)?: return s
        case let other?:
            fail(other, "\(key) must be a string, found \(other.typeName)")
            return nil
        }
    }

    func describe(_ value: LocatedJSON) -> String {
        switch value {
        case .number(let n, _): "\(n)"
        case .string(let s, _): "\"\(s)\""
        default: value.typeName
        }
    }
}

extension LocatedJSON {
    var isObject: Bool { if case .object = self { true } else { false } }
    var isNull: Bool { if case .null = self { true } else { false } }
}
