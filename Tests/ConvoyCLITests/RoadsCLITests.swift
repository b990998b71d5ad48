import ConvoyTestSupport
import Foundation
import Testing

/// `convoy route`, `convoy import roads` and `--roads FILE`, run as a user would.
struct RoadsCLITests {
    /// A road file with one road from Palmyra straight to As Sukhnah (no Arak), written to a temp file.
    func write(_ text: String, _ name: String = "roads.geojson") throws -> String {
        let url = ScratchSpace.path("roads").appendingPathExtension("geojson")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let direct = """
        {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "direct", "geometry": {"type": "LineString", "coordinates": [[38.2672, 34.56], [38.872083, 34.886806]]},
         "properties": {"name": "Direct", "source": "test"}}
        ]}
        """

    /// Done when: `convoy route Palmyra "As Sukhnah"` follows the M20 through Arak, in every format.
    @Test func routeFollowsTheM20() throws {
        let runner = try ConvoyRunner()
        let text = runner.run(["route", "Palmyra", "As Sukhnah"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("road-m20-palmyra-deir-ez-zor"))
        #expect(text.stdout.contains("Arak"))
        #expect(!text.stdout.contains("T3"))
        let (json, value) = try runner.json(["route", "Palmyra", "As Sukhnah"])
        #expect(json.status == 0)
        let object = try #require(value as? [String: Any])
        let places = try #require(object["places"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(places == ["sy-palmyra", "sy-arak", "sy-as-sukhnah"])
        #expect(object["on_network"] as? Bool == true)
        let geo = runner.run(["route", "Palmyra", "As Sukhnah", "--format", "geojson"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(geo.stdout.utf8)) as? [String: Any])
        let feature = try #require((doc["features"] as? [[String: Any]])?.first)
        let geometry = try #require(feature["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "LineString")
        let coordinates = try #require(geometry["coordinates"] as? [[Double]])
        #expect(coordinates.first == [38.2672, 34.56])
        #expect(coordinates.last == [38.872083, 34.886806])
        #expect(coordinates.contains([38.566667, 34.65]))  // Arak, [lon, lat]
        // Off the network: a point 300 km away goes by the geodesic, and says why.
        let far = runner.run(["route", "Palmyra", "33.0,44.0"])
        #expect(far.status == 0)
        #expect(far.stdout.contains("(geodesic)") && far.stdout.contains("from the nearest road"))
        #expect(runner.run(["route", "Palmyra", "Nowhereville"]).status == 1)
        #expect(runner.run(["route", "Palmyra", "As Sukhnah", "--format", "kml"]).status == 2)
    }

    /// The turn-back route: west on the pipeline road to Palmyra, then the M20 — the path `where` uses.
    @Test func humaymaToAsSukhnah() throws {
        let runner = try ConvoyRunner()
        let (result, value) = try runner.json(["route", "sy-humayma", "As Sukhnah"])
        #expect(result.status == 0)
        let roads = try #require((value as? [String: Any])?["roads"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(roads == ["road-palmyra-abu-kamal", "road-m20-palmyra-deir-ez-zor"])
    }

    /// Done when: `convoy import roads` of a malformed file changes nothing and points to file:line:col.
    @Test func importRoadsIsCheckedAndAllOrNothing() throws {
        let runner = try ConvoyRunner()
        let good = try write(Self.direct)
        let imported = runner.run(["import", "roads", good])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 1 road"))
        // The imported road replaces the bundled ones: Palmyra → As Sukhnah no longer passes Arak.
        let (_, value) = try runner.json(["route", "Palmyra", "As Sukhnah"])
        #expect(((value as? [String: Any])?["roads"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["direct"])
        // A malformed file: file:line:col, exit 1, and the store keeps the previous import.
        let bad = try write(Self.direct.replacingOccurrences(of: "[38.872083, 34.886806]", with: "[38.872083, 134.886806]"))
        let refused = runner.run(["import", "roads", bad])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(bad):2:106: latitude"), "\(refused.stderr)")
        #expect(refused.stderr.contains("latitude 134.886806 is outside [-90, 90]"))
        #expect(refused.stderr.contains("nothing was imported"))
        let syntax = try write(Self.direct.replacingOccurrences(of: "\"name\": \"Direct\",", with: "\"name\": \"Direct\""))
        let broken = runner.run(["import", "roads", syntax])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("\(syntax):3:34: expected ',' or '}' in object"), "\(broken.stderr)")
        let unknownPlace = try write(Self.direct.replacingOccurrences(of: "\"source\": \"test\"", with: "\"source\": \"test\", \"waypoints\": [\"sy-palmyra\", \"sy-atlantis\"]"))
        let unknown = runner.run(["import", "roads", unknownPlace])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("waypoint \"sy-atlantis\" is not the id of a gazetteer place"))
        #expect(runner.run(["import", "roads", "/nonexistent/roads.geojson"]).status == 2)
        #expect(runner.run(["import", "roads", good, "--zone", "UTC"]).status == 2)
        let (_, after) = try runner.json(["route", "Palmyra", "As Sukhnah"])
        #expect(((after as? [String: Any])?["roads"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["direct"])
    }

    /// `--roads FILE` wins for one run, on every command that routes; a bad file is an error there too.
    @Test func roadsOptionForOneRun() throws {
        let runner = try ConvoyRunner()
        let file = try write(Self.direct)
        let (_, value) = try runner.json(["route", "Palmyra", "As Sukhnah", "--roads", file])
        #expect(((value as? [String: Any])?["roads"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["direct"])
        let (_, bundled) = try runner.json(["route", "Palmyra", "As Sukhnah"])
        #expect(((bundled as? [String: Any])?["roads"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["road-m20-palmyra-deir-ez-zor"])
        for command in [["replay"], ["where", "--at", "2017-09-03T12:00"], ["export", "--format", "geojson"]] {
            let result = runner.run(command + ["--roads", file])
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        let bad = try write("{\"type\": \"FeatureCollection\", \"features\": [}")
        let refused = runner.run(["replay", "--roads", bad])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(bad):1:"))
    }
}
