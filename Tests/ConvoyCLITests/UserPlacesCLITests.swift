import Foundation
import Testing

/// `convoy places add | import | remove`: an analyst's own places, from the flagged name to the
/// next check that resolves it, as a user would type the commands.
@Suite("convoy places add, import, remove")
struct UserPlacesCLITests {
    /// A runner on a store built from a folder of its own, holding a copy of `files` of the
    /// bundled gazetteer (so a test can change it, or leave layers out).
    struct Setup {
        let runner: ConvoyRunner
        let gazetteer: URL

        init(files: [String] = ["places.geojson", "countries.geojson", "geonames-cities500.txt"]) throws {
            runner = try ConvoyRunner()
            gazetteer = runner.directory.appendingPathComponent("Gazetteer")
            try FileManager.default.createDirectory(at: gazetteer, withIntermediateDirectories: true)
            for name in files {
                try FileManager.default.copyItem(at: ConvoyRunner.repository.appendingPathComponent("Gazetteer/\(name)"), to: gazetteer.appendingPathComponent(name))
            }
        }

        var userFile: String { runner.databasePath + ".user-places.geojson" }

        func run(_ arguments: [String]) -> ConvoyRunner.Result {
            runner.run(arguments + ["--db", runner.databasePath, "--gazetteer", gazetteer.path], storeOptions: false)
        }

        func json(_ arguments: [String]) throws -> (ConvoyRunner.Result, Any) {
            let result = run(arguments + ["--json"])
            return (result, try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)))
        }

        func write(_ text: String, _ name: String) throws -> String {
            let url = runner.directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }

        /// The place ids `convoy check --json` gives for the mentions of a report, by mention text.
        func mentions(_ report: String) throws -> (status: Int32, ids: [String: String], errors: [String]) {
            let (result, json) = try self.json(["check", report])
            let file = try #require(((json as? [String: Any])?["files"] as? [[String: Any]])?.first)
            var ids: [String: String] = [:]
            for mention in file["mentions"] as? [[String: Any]] ?? [] { ids[mention["text"] as! String] = mention["place_id"] as? String }
            let errors = (file["diagnostics"] as? [[String: Any]] ?? []).filter { $0["severity"] as? String == "error" }.compactMap { $0["text"] as? String }
            return (result.status, ids, errors)
        }
    }

    /// The issue's case, on the curated places alone (the bundled GeoNames layer has ‘Ayn ‘Īsá):
    /// check flags Ain Issa, one `places add` records it, the next check resolves it in every
    /// recorded spelling, a rebuild of the bundled data keeps it, and after `places remove` check
    /// flags it again.
    @Test func aFlaggedPlaceIsAddedInOneCommandAndTheNextCheckResolvesIt() throws {
        let setup = try Setup(files: ["places.geojson"])
        let report = try setup.write("The convoy left Raqqa and stopped near Ain Issa; later it was seen in Ayn Issa and near عين عيسى.\n", "report.txt")
        let first = setup.run(["check", report])
        #expect(first.status == 1)
        #expect(first.stdout.contains("report.txt:1:40: error: unknown place 'Ain Issa'"), "\(first.stdout)")
        #expect(first.stdout.contains("error: unknown place 'Ayn Issa'"))

        let (added, json) = try setup.json([
            "places", "add", "Ain Issa", "--at", "36.385,38.859", "--radius", "3", "--source", "test: the analyst's map reading",
            "--kind", "town", "--country", "SY", "--alias", "Ayn Issa", "--alias", "عين عيسى",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let object = try #require(json as? [String: Any])
        #expect(Set(object.keys) == ["file", "added", "replaced", "removed"])
        #expect(object["file"] as? String == setup.userFile)
        let place = try #require((object["added"] as? [[String: Any]])?.first)
        #expect(place["id"] as? String == "user-sy-ain-issa")
        #expect(place["origin"] as? String == "user")
        #expect(place["uncertainty_m"] as? Double == 3000)
        #expect(place["lat"] as? Double == 36.385 && place["lon"] as? Double == 38.859)
        #expect(place["source"] as? String == "test: the analyst's map reading")
        #expect((place["names"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == ["Ain Issa", "Ayn Issa", "عين عيسى"])
        #expect(FileManager.default.fileExists(atPath: setup.userFile))

        let second = try setup.mentions(report)
        #expect(second.status == 0)
        #expect(second.errors.isEmpty)
        #expect(second.ids == ["Raqqa": "sy-raqqa", "Ain Issa": "user-sy-ain-issa", "Ayn Issa": "user-sy-ain-issa", "عين عيسى": "user-sy-ain-issa"])
        // Another spelling with the same key resolves too (a normalised match).
        let other = try setup.write("Fighting near Ain Eissa.\n", "other.txt")
        #expect(try setup.mentions(other).ids == ["Ain Eissa": "user-sy-ain-issa"])

        // A new version of the bundled data (its fingerprint changes) is rebuilt around the user's places.
        let curated = setup.gazetteer.appendingPathComponent("places.geojson")
        try (try String(contentsOf: curated, encoding: .utf8) + "\n").write(to: curated, atomically: false, encoding: .utf8)
        let rebuilt = setup.run(["check", report])
        #expect(rebuilt.status == 0)
        #expect(rebuilt.stderr.contains("rebuilt") || rebuilt.stderr.contains("built"), "\(rebuilt.stderr)")

        let (removed, removedJSON) = try setup.json(["places", "remove", "Ayn Issa"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(((removedJSON as? [String: Any])?["removed"] as? [[String: Any]])?.first?["id"] as? String == "user-sy-ain-issa")
        let third = try setup.mentions(report)
        #expect(third.status == 1)
        #expect(third.errors.contains("Ain Issa"))
        #expect(third.ids["Ain Issa"] == nil)
    }

    /// With every bundled layer: Ithriyah is in none of them. Listing, showing and removing by id.
    @Test func addListShowRemoveWithTheBundledLayers() throws {
        let setup = try Setup()
        let report = try setup.write("The buses stopped near Ithriyah before dawn.\n", "report.txt")
        #expect(try setup.mentions(report).errors == ["Ithriyah"])
        let add = setup.run(["places", "add", "Ithriyah", "--at", "35.3,37.8", "--radius", "5", "--source", "test", "--alias", "Athriya"])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("added Ithriyah"))
        #expect(add.stdout.contains("[user-ithriyah]"))
        #expect(add.stdout.contains(setup.userFile))
        #expect(try setup.mentions(report).ids == ["Ithriyah": "user-ithriyah"])

        let (_, list) = try setup.json(["places", "list", "--origin", "user"])
        #expect((list as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["user-ithriyah"])
        let show = setup.run(["places", "show", "Athriya"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("your own places (\(setup.userFile))"))
        #expect(show.stdout.contains("source     test"))
        let country = setup.run(["places", "show", "Turquie"])
        #expect(country.stdout.contains("countries (Gazetteer/countries.geojson)"))

        // Adding it again is refused (exit 1); removing a bundled place is refused (exit 1).
        let again = setup.run(["places", "add", "Ithriyah", "--at", "35.3,37.8", "--radius", "5", "--source", "test"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("is one of your places already, as user-ithriyah"))
        let bundled = setup.run(["places", "remove", "Palmyra"])
        #expect(bundled.status == 1)
        #expect(bundled.stderr.contains("not yours to remove"))

        // A name that another place has too is said at once: the check will have to choose.
        let homonym = setup.run(["places", "add", "Qara", "--at", "29.0,40.0", "--radius", "2", "--source", "test", "--country", "SA"])
        #expect(homonym.status == 0)
        #expect(homonym.stderr.contains("convoy: note: 'Qara' also names Qara (") && homonym.stderr.contains("[sy-qara]"), "\(homonym.stderr)")
        #expect(setup.run(["places", "remove", "user-sa-qara"]).status == 0)

        #expect(setup.run(["places", "remove", "user-ithriyah"]).status == 0)
        #expect(try setup.mentions(report).errors == ["Ithriyah"])
        let (_, empty) = try setup.json(["places", "list", "--origin", "user"])
        #expect((empty as? [Any])?.isEmpty == true)
    }

    @Test(arguments: [
        (["--at", "35.3,37.8", "--radius", "5"], "--source"),                                // no source: refused
        (["--at", "35.3,37.8", "--radius", "5", "--source", " "], "a source is required"),
        (["--at", "95.3,37.8", "--radius", "5", "--source", "test"], "--at expects LAT,LON"),
        (["--at", "35.3", "--radius", "5", "--source", "test"], "--at expects LAT,LON"),
        (["--at", "35.3,37.8", "--radius", "0", "--source", "test"], "the radius must be more than 0"),
        (["--at", "35.3,37.8", "--radius", "5", "--source", "test", "--kind", "vilage"], "unknown kind \"vilage\""),
        (["--at", "35.3,37.8", "--radius", "5", "--source", "test", "--country", "Syria"], "ISO 3166-1 alpha-2"),
    ])
    func aBadAddIsAUsageErrorAndChangesNothing(options: [String], message: String) throws {
        let setup = try Setup(files: ["places.geojson"])
        let result = setup.run(["places", "add", "Ithriyah"] + options)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: setup.userFile))
    }

    static func feature(_ id: String, _ name: String, lon: String, lat: String, partOf: String? = nil) -> String {
        """
          {"type": "Feature", "id": "\(id)", "geometry": {"type": "Point", "coordinates": [\(lon), \(lat)]},
           "properties": {"name": "\(name)", "kind": "village", "country": "SY", "admin1": null, "uncertainty_m": 2000, "coordinate_source": "test",
                          \(partOf.map { "\"part_of\": \"\($0)\"," } ?? "") "names": [{"text": "\(name)", "lang": "en", "script": "Latn", "kind": "preferred", "source": "test"}]}}
        """
    }

    static func collection(secondLat: String, partOf: String) -> String {
        "{\"type\": \"FeatureCollection\", \"features\": [\n"
            + feature("sy-first", "First Hamlet", lon: "37.1", lat: "35.2") + ",\n"
            + feature("sy-second", "Second Hamlet", lon: "37.2", lat: secondLat, partOf: partOf) + "\n]}\n"
    }

    /// `places import FILE`: one transaction. A bad feature is `file:line:col: message`, exit 2,
    /// and nothing changes; a good file adds its places (ids with `user-` in front), and its
    /// places can sit in a bundled governorate.
    @Test func importIsOneTransaction() throws {
        let setup = try Setup(files: ["places.geojson"])
        let bad = Self.collection(secondLat: "135.25", partOf: "sy-homs-governorate")
        let path = try setup.write(bad, "mine.geojson")
        let result = setup.run(["places", "import", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("mine.geojson:5:87: latitude 135.25 is outside [-90, 90]"), "\(result.stderr)")
        #expect(result.stderr.contains("convoy: nothing changed"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: setup.userFile))
        let (_, none) = try setup.json(["places", "list", "--origin", "user"])
        #expect((none as? [Any])?.isEmpty == true)

        let good = Self.collection(secondLat: "35.25", partOf: "sy-homs-governorate")
        let (imported, json) = try setup.json(["places", "import", try setup.write(good, "mine.geojson")])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(((json as? [String: Any])?["added"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted() == ["user-sy-first", "user-sy-second"])
        let report = try setup.write("Shelling near First Hamlet and in Second Hamlet.\n", "report.txt")
        #expect(try setup.mentions(report).ids == ["First Hamlet": "user-sy-first", "Second Hamlet": "user-sy-second"])
        // The same file again replaces them.
        let (_, again) = try setup.json(["places", "import", path])
        #expect(((again as? [String: Any])?["replaced"] as? [Any])?.count == 2)
        // A part_of that names nothing is an error at the value.
        let orphan = Self.collection(secondLat: "35.25", partOf: "sy-nowhere")
        let failed = setup.run(["places", "import", try setup.write(orphan, "orphan.geojson")])
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("orphan.geojson:7:30: "), "\(failed.stderr)")
        #expect(failed.stderr.contains("part_of \"sy-nowhere\" is not the id of a place in this file or in the gazetteer"))
    }
}
