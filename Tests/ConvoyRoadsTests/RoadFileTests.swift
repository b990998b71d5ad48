import ConvoyGazetteer
import ConvoyGeodesy
import Foundation
import Testing

@testable import ConvoyRoads

/// Every way a road file can be wrong, each reported as `file:line:col: message` at the value itself,
/// and a file with any problem yields no roads at all.
struct RoadFileTests {
    static let good = #"{"type": "Feature", "id": "r1", "geometry": {"type": "LineString", "coordinates": [[38.0, 34.0], [38.1, 34.1]]}, "properties": {"name": "R", "source": "test"}}"#

    /// Parses a file whose second line is `feature` (after `good` on the first feature line when
    /// `withGood`), and returns its errors as text.
    func errors(_ feature: String, places: [String: String]? = nil) -> [String] {
        let text = "{\"type\": \"FeatureCollection\", \"features\": [\n\(feature)\n]}\n"
        do {
            _ = try RoadFile.parse(Array(text.utf8), displayPath: "t.geojson", placeNames: places.map { known in { _ in known } })
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// The error for a bad value on line 2, at the column where `needle` starts.
    func expectError(_ feature: String, at needle: String, _ message: String, places: [String: String]? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let found = errors(feature, places: places)
        guard let range = feature.range(of: needle) else {
            Issue.record("needle \(needle) not in the feature", sourceLocation: sourceLocation)
            return
        }
        let column = feature.distance(from: feature.startIndex, to: range.lowerBound) + 1
        #expect(found.contains { $0.hasPrefix("t.geojson:2:\(column): ") && $0.contains(message) }, "\(found)", sourceLocation: sourceLocation)
    }

    func replacing(_ old: String, _ new: String) -> String { Self.good.replacingOccurrences(of: old, with: new) }

    @Test func aGoodFileReads() throws {
        #expect(errors(Self.good).isEmpty)
        let roads = try RoadFile.parse(Array("{\"type\": \"FeatureCollection\", \"features\": [\(Self.good)]}".utf8), displayPath: "t")
        #expect(roads.map(\.id) == ["r1"])
        #expect(roads[0].coordinates == [try GeoPoint(latitude: 34.0, longitude: 38.0), try GeoPoint(latitude: 34.1, longitude: 38.1)])
        // Numeric ids (ogr2ogr's osm_id), properties.id, altitude, a name defaulting to the id, a GDAL CRS84 crs member.
        let text = #"{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, "features": [{"type": "Feature", "id": 42, "geometry": {"type": "LineString", "coordinates": [[38, 34, 500], [38.1, 34.1, 510], [38.1, 34.1, 510]]}, "properties": {"source": "osm", "highway": "primary"}}, {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[38, 34], [39, 35]]}, "properties": {"id": "p", "source": "s", "max_speed_kmh": 80, "schematic": true}}]}"#
        let more = try RoadFile.parse(Array(text.utf8), displayPath: "t")
        #expect(more.map(\.id) == ["42", "p"])
        #expect(more[0].name == "42")
        #expect(more[0].coordinates.count == 2)  // the repeated last position is dropped
        #expect(more[1].maxSpeedKmh == 80 && more[1].schematic)
    }

    @Test func syntaxErrorsPointAtTheCharacter() {
        let broken = Self.good.replacingOccurrences(of: "\"name\": \"R\",", with: "\"name\": \"R\"")
        let found = errors(broken)
        #expect(found.count == 1)
        let column = broken.range(of: "\"source\"")!.lowerBound.utf16Offset(in: broken) + 1
        #expect(found.first?.hasPrefix("t.geojson:2:\(column): expected ',' or '}' in object") == true, "\(found)")
        // Trailing garbage, and a file that is not a collection.
        func parse(_ text: String) -> [String] {
            do throws(DataErrors) { _ = try RoadFile.parse(Array(text.utf8), displayPath: "t"); return [] } catch { return error.errors.map(\.description) }
        }
        #expect(parse("{\"type\": \"FeatureCollection\", \"features\": []} x") == ["t:1:47: unexpected text after the JSON value"])
        #expect(parse("[]") == ["t:1:1: expected a GeoJSON FeatureCollection object, found an array"])
        #expect(parse("{\"type\": \"Feature\", \"features\": []}") .contains("t:1:10: \"type\" must be \"FeatureCollection\""))
        #expect(parse("{\"type\": \"FeatureCollection\"}") == ["t:1:1: \"features\" must be an array of Features"])
        #expect(parse("{\"type\": \"FeatureCollection\", \"features\": []}") == ["t:1:43: no roads: \"features\" is empty"])
        #expect(parse("{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:3857\"}}, \"features\": []}").contains { $0.hasPrefix("t:1:38: coordinates must be WGS84 longitude/latitude") })
    }

    @Test func featureShapeErrors() {
        expectError("[1, 2]", at: "[1, 2]", "expected a Feature object, found an array")
        expectError(replacing("\"type\": \"Feature\"", "\"type\": \"Point\""), at: "\"Point\"", "\"type\" must be \"Feature\"")
        expectError(replacing("\"properties\": {\"name\": \"R\", \"source\": \"test\"}", "\"properties\": []"), at: "[]}", "\"properties\" must be an object")
        expectError(replacing("\"properties\": {\"name\": \"R\", \"source\": \"test\"}", "\"properties\": null"), at: "null", "a road needs properties with a source")
    }

    @Test func idErrors() {
        expectError(replacing("\"id\": \"r1\", ", ""), at: "{", "a road needs an \"id\"")
        expectError(replacing("\"id\": \"r1\"", "\"id\": true"), at: "true", "a road id must be a string or an integer, found a boolean")
        expectError(replacing("\"id\": \"r1\"", "\"id\": \"\""), at: "\"\"", "a road id must be 1–200 characters")
        expectError(replacing("\"id\": \"r1\"", "\"id\": \" r1\""), at: "\" r1\"", "a road id must be 1–200 characters")
        expectError(replacing("\"id\": \"r1\"", "\"id\": \"none\""), at: "\"none\"", "\"none\" cannot be a road id")
        let found = errors(Self.good + ",\n" + Self.good)
        #expect(found == ["t.geojson:3:27: duplicate road id \"r1\" (first at line 2)"])
    }

    @Test func geometryErrors() {
        expectError(replacing("{\"type\": \"LineString\", \"coordinates\": [[38.0, 34.0], [38.1, 34.1]]}", "null"), at: "null", "a road needs a LineString geometry")
        expectError(replacing("{\"type\": \"LineString\", \"coordinates\": [[38.0, 34.0], [38.1, 34.1]]}", "7"), at: "7", "geometry must be an object, found a number")
        expectError(replacing("\"type\": \"LineString\", ", ""), at: "{\"coordinates\"", "geometry needs a \"type\"")
        expectError(replacing("\"LineString\"", "\"Point\""), at: "\"Point\"", "a road's geometry must be a LineString, found Point")
        expectError(replacing("\"LineString\"", "\"MultiLineString\""), at: "\"MultiLineString\"", "ogr2ogr -explodecollections")
        expectError(replacing("\"coordinates\": [[38.0, 34.0], [38.1, 34.1]]", "\"coords\": 1"), at: "{\"type\": \"LineString\"", "a LineString needs a \"coordinates\" array")
        expectError(replacing("[[38.0, 34.0], [38.1, 34.1]]", "[[38.0, 34.0]]"), at: "[[38.0, 34.0]]", "a LineString needs at least 2 positions, found 1")
        expectError(replacing("[38.1, 34.1]", "[38.1]"), at: "[38.1]", "a position must be [longitude, latitude]")
        expectError(replacing("[38.1, 34.1]", "[38.1, \"34\"]"), at: "[38.1, \"34\"]", "longitude and latitude must be numbers")
        expectError(replacing("[38.1, 34.1]", "[38.1, 34.1, \"high\"]"), at: "\"high\"", "an altitude must be a number")
        expectError(replacing("[38.1, 34.1]", "[38.1, 95.0]"), at: "[38.1, 95.0]", "latitude 95.0 is outside [-90, 90] (positions are [longitude, latitude])")
        expectError(replacing("[38.1, 34.1]", "[181.0, 34.1]"), at: "[181.0, 34.1]", "longitude 181.0 is outside [-180, 180]")
        expectError(replacing("[38.1, 34.1]", "[38.0, 34.0]"), at: "{\"type\": \"LineString\"", "the LineString has no length")
    }

    @Test func propertyErrors() {
        expectError(replacing(", \"source\": \"test\"", ""), at: "{\"name\"", "a road needs properties.source")
        expectError(replacing("\"source\": \"test\"", "\"source\": \"  \""), at: "\"  \"", "a road needs properties.source")
        expectError(replacing("\"source\": \"test\"", "\"source\": 3"), at: "3}", "source must be a string, found a number")
        expectError(replacing("\"name\": \"R\"", "\"name\": [\"R\"]"), at: "[\"R\"]", "name must be a string, found an array")
        expectError(replacing("\"name\": \"R\"", "\"name\": \"R\", \"max_speed_kmh\": -5"), at: "-5", "max_speed_kmh must be a number of km/h in (0, 300], found -5.0")
        expectError(replacing("\"name\": \"R\"", "\"name\": \"R\", \"max_speed_kmh\": \"80\""), at: "\"80\"", "max_speed_kmh must be a number")
        expectError(replacing("\"name\": \"R\"", "\"name\": \"R\", \"schematic\": \"yes\""), at: "\"yes\"", "schematic must be true or false, found a string")
        expectError(replacing("\"name\": \"R\"", "\"name\": \"R\", \"source_url\": 1"), at: "1, \"source\"", "source_url must be a string")
    }

    @Test func waypointErrors() {
        expectError(replacing("\"name\": \"R\"", "\"name\": \"R\", \"waypoints\": \"sy-a\""), at: "\"sy-a\"", "waypoints must be an array of place ids")
        expectError(replacing("\"name\": \"R\"", "\"name\": \"R\", \"waypoints\": [\"sy-a\"]"), at: "[\"sy-a\"]", "waypoints has 1 entries but the LineString has 2 positions")
        expectError(replacing("\"name\": \"R\"", "\"name\": \"R\", \"waypoints\": [\"sy-a\", 7]"), at: "7]", "a waypoint must be a place id or null, found 7.0")
        expectError(replacing("\"name\": \"R\"", "\"name\": \"R\", \"waypoints\": [\"sy-a\", \"sy-nowhere\"]"), at: "\"sy-nowhere\"", "waypoint \"sy-nowhere\" is not the id of a gazetteer place", places: ["sy-a": "A"])
        #expect(errors(replacing("\"name\": \"R\"", "\"name\": \"R\", \"waypoints\": [\"sy-a\", null]"), places: ["sy-a": "A"]).isEmpty)
    }

    /// Many bad features: the first 100 problems are listed and the rest summarised.
    @Test func manyErrorsAreCapped() {
        let bad = replacing("[38.1, 34.1]", "[38.1, 95.0]")
        let features = (0..<150).map { bad.replacingOccurrences(of: "\"r1\"", with: "\"r\($0)\"") }.joined(separator: ",\n")
        do {
            _ = try RoadFile.parse(Array("{\"type\": \"FeatureCollection\", \"features\": [\n\(features)\n]}".utf8), displayPath: "t")
            Issue.record("no error")
        } catch {
            #expect(error.errors.count == RoadFile.maximumErrors)
            #expect(error.truncated)
        }
    }
}
