import Foundation
import Testing

/// `convoy places …` and `convoy distance`, run in-process as a user would type them.
struct PlacesCLITests {
    @Test(arguments: [
        ("Abul Kamal", "sy-abu-kamal"), ("Boukamal", "sy-abu-kamal"), ("Albu Kamal", "sy-abu-kamal"),
        ("Al-Bukamal", "sy-abu-kamal"), ("البوكمال", "sy-abu-kamal"), ("Deir Ezzor", "sy-deir-ez-zor"),
        ("Deir el-Zour", "sy-deir-ez-zor"), ("Deir al-Zor", "sy-deir-ez-zor"), ("Hamaymah", "sy-humayma"),
    ])
    func showFindsEverySpellingTheIssueNames(spelling: String, id: String) throws {
        let convoy = try ConvoyRunner()
        let (result, json) = try convoy.json(["places", "show", spelling])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(json as? [String: Any])
        #expect(object["id"] as? String == id)
        for key in ["id", "name", "kind", "country", "lat", "lon", "uncertainty_m", "source", "names"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let names = try #require(object["names"] as? [[String: Any]])
        #expect(names.allSatisfy { $0["text"] is String && $0["lang"] is String && $0["script"] is String && $0["kind"] is String })
        #expect(names.contains { $0["script"] as? String == "Arab" })
    }

    @Test func showPrintsNamesCoordinatesUncertaintyAndSource() throws {
        let result = try ConvoyRunner().run(["places", "show", "Abul Kamal"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Abu Kamal"))
        #expect(result.stdout.contains("\"Abul Kamal\" is a recorded variant name"))
        #expect(result.stdout.contains("position"))
        #expect(result.stdout.contains("± "))
        #expect(result.stdout.contains("source"))
        #expect(result.stdout.contains("البوكمال"))
    }

    @Test func showGivesTheProjectedPositionThroughPROJ() throws {
        let convoy = try ConvoyRunner()
        let (result, json) = try convoy.json(["places", "show", "sy-qara", "--crs", "EPSG:32637"])
        #expect(result.status == 0)
        let projected = try #require((json as? [String: Any])?["projected"] as? [String: String])
        #expect(projected["crs"] == "EPSG:32637")
        let bad = convoy.run(["places", "show", "Qara", "--crs", "EPSG:999999"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("crs not found"))  // PROJ's own words
    }

    @Test func anUnknownNameExitsOneWithRankedSuggestions() throws {
        let result = try ConvoyRunner().run(["places", "show", "Palnyra"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no place called \"Palnyra\""))
        #expect(result.stderr.contains("did you mean"))
        #expect(result.stderr.contains("Palmyra"))
        #expect(result.stdout.isEmpty)
    }

    @Test func listFiltersByKindAndCountry() throws {
        let convoy = try ConvoyRunner()
        let (result, json) = try convoy.json(["places", "list", "--kind", "pumping station"])
        #expect(result.status == 0)
        let ids = try #require(json as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(Set(ids) == ["sy-t2-pumping-station", "sy-t3-pumping-station"])
        let lebanon = try #require(try convoy.json(["places", "list", "--country", "LB"]).1 as? [[String: Any]])
        #expect(lebanon.contains { $0["id"] as? String == "lb-arsal" })
        #expect(lebanon.allSatisfy { $0["country"] as? String == "LB" || ($0["countries"] as? [String])?.contains("LB") == true })
        let text = convoy.run(["places", "list", "--country", "LB"])
        #expect(text.stdout.contains("Arsal"))
    }

    @Test func searchRanksAndSaysDidYouMean() throws {
        let convoy = try ConvoyRunner()
        let (_, json) = try convoy.json(["places", "search", "Sukhnah"])
        let hits = try #require((json as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(hits.first?["id"] as? String == "sy-as-sukhnah")
        let fuzzy = convoy.run(["places", "search", "Palnyra"])
        #expect(fuzzy.stdout.contains("did you mean"))
        #expect(fuzzy.stdout.contains("Palmyra"))
    }

    @Test func nearGivesGeodesicDistanceAndBearing() throws {
        let convoy = try ConvoyRunner()
        // 38 km along azimuth 112.5° (ESE) from As Sukhnah: the nearest named place is As Sukhnah, to the WNW.
        let (result, json) = try convoy.json(["places", "near", "34.755118", "39.255523", "--radius", "60"])
        #expect(result.status == 0)
        let places = try #require((json as? [String: Any])?["places"] as? [[String: Any]])
        let sukhnah = try #require(places.first { $0["id"] as? String == "sy-as-sukhnah" })
        let distance = try #require(sukhnah["distance_m"] as? Double)
        let bearing = try #require(sukhnah["bearing_deg"] as? Double)
        let reference = try GeodSolve.inverse(34.755118, 39.255523, sukhnah["lat"] as! Double, sukhnah["lon"] as! Double)
        #expect(abs(distance - reference.s12) < 1e-3)
        #expect(abs(bearing - (reference.azi1 < 0 ? reference.azi1 + 360 : reference.azi1)) < 1e-3)
        let distances = places.compactMap { $0["distance_m"] as? Double }
        #expect(distances == distances.sorted())
        #expect(distances.allSatisfy { $0 <= 60_000 })
        #expect(convoy.run(["places", "near", "34.7,39.5"]).status == 0)
    }

    @Test func distanceQaraAbuKamalAgreesWithGeodSolveToTheMillimetre() throws {
        let convoy = try ConvoyRunner()
        let (result, json) = try convoy.json(["distance", "Qara", "Abu Kamal"])
        #expect(result.status == 0)
        let object = try #require(json as? [String: Any])
        let from = try #require(object["from"] as? [String: Any]), to = try #require(object["to"] as? [String: Any])
        #expect(from["id"] as? String == "sy-qara")
        #expect(to["id"] as? String == "sy-abu-kamal")
        // GeodSolve on the stored coordinates, run now: an independent implementation.
        let reference = try GeodSolve.inverse(from["lat"] as! Double, from["lon"] as! Double, to["lat"] as! Double, to["lon"] as! Double)
        #expect(abs((object["distance_m"] as! Double) - reference.s12) < 1e-3)
        #expect(abs((object["azimuth1_deg"] as! Double) - reference.azi1) < 1e-6)
        #expect(abs((object["azimuth2_deg"] as! Double) - reference.azi2) < 1e-6)
    }

    @Test func distanceAcceptsRawCoordinates() throws {
        let (result, json) = try ConvoyRunner().json(["distance", "34.1547,36.7447", "34.45,40.9186"])
        #expect(result.status == 0)
        let object = try #require(json as? [String: Any])
        #expect((object["from"] as? [String: Any])?["id"] is NSNull)
        #expect(abs((object["distance_m"] as! Double) - 385_599.174363736) < 1e-6)
    }

    @Test func badInputGetsClearMessagesAndTheRightExitStatus() throws {
        let convoy = try ConvoyRunner()
        // Unknown place: findings, exit 1.
        let unknown = convoy.run(["distance", "Qara", "Atlantis"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no place called \"Atlantis\""))
        // Coordinates out of range: usage, exit 2, with the offending value.
        let range = convoy.run(["distance", "95,40", "Qara"])
        #expect(range.status == 2)
        #expect(range.stderr.contains("latitude 95.0 is outside [-90, 90]"))
        // Usage errors exit 2.
        #expect(convoy.run(["places", "show"]).status == 2)
        #expect(convoy.run(["frobnicate"], storeOptions: false).status == 2)
        // Missing and unreadable files exit 2.
        let missing = convoy.run(["places", "import", "geonames", "/nonexistent/SY.txt"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/SY.txt: No such file or directory"))
        let directory = convoy.run(["places", "import", "geonames", convoy.directory.path])
        #expect(directory.status == 2)
        #expect(directory.stderr.contains("is a directory"))
        let badGazetteer = convoy.run(["places", "list", "--db", convoy.databasePath, "--gazetteer", "/nonexistent"], storeOptions: false)
        #expect(badGazetteer.status == 2)
        // Help is not an error.
        let help = convoy.run(["--help"], storeOptions: false)
        #expect(help.status == 0)
        #expect(help.stdout.contains("places"))
    }

    @Test func aMalformedGeoNamesFileIsReportedByLineAndImportsNothing() throws {
        let convoy = try ConvoyRunner()
        let before = try convoy.json(["places", "list"]).1 as? [[String: Any]]
        let path = convoy.directory.appendingPathComponent("SY.txt").path
        let row = ["1", "Testville", "Testville", "", "34.1", "36.1", "P", "PPL", "SY", "", "", "", "", "", "0", "", "0", "Asia/Damascus", "2020-01-01"]
        var bad = row
        bad[5] = "west"
        try ([row, bad].map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let result = convoy.run(["places", "import", "geonames", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("SY.txt:2: latitude \"34.1\" / longitude \"west\" are not numbers"))
        #expect(result.stderr.contains("nothing was imported"))
        let after = try convoy.json(["places", "list"]).1 as? [[String: Any]]
        #expect(after?.count == before?.count)
        #expect(convoy.run(["places", "show", "Testville"]).status == 1)
    }

    @Test func importsAGeoNamesFileWithProgressAndSummary() throws {
        let convoy = try ConvoyRunner()
        let path = ConvoyRunner.repository.appendingPathComponent("Tests/ConvoyGazetteerTests/Fixtures/geonames-sample.txt").path
        let (result, json) = try convoy.json(["places", "import", "geonames", path])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(json as? [String: Any])
        #expect(summary["places"] as? Int == 8)
        #expect(summary["skipped_bundled"] as? Int == 3)
        #expect(convoy.run(["places", "show", "Zahlé"]).status == 0)
    }
}

/// The messages of finding 18 (issue 17): each says what is wrong, where, with the right status.
struct StoreMessageTests {
    @Test func anEmptyStoreOrGazetteerPathIsAUsageError() throws {
        let convoy = try ConvoyRunner()
        let db = convoy.run(["places", "show", "Palmyra", "--db", "", "--gazetteer", ConvoyRunner.gazetteerDirectory], storeOptions: false)
        #expect(db.status == 2)
        #expect(db.stderr.contains("--db needs a file; it was given an empty path"))
        #expect(db.stdout.isEmpty)
        let gazetteer = convoy.run(["places", "show", "Palmyra", "--db", convoy.databasePath, "--gazetteer", ""], storeOptions: false)
        #expect(gazetteer.status == 2)
        #expect(gazetteer.stderr == "convoy: --gazetteer needs a folder; it was given an empty path\n")
    }

    /// A copy of the bundled gazetteer folder with `edit` applied to places.geojson.
    static func gazetteer(in convoy: ConvoyRunner, _ edit: (String) -> String) throws -> String {
        let folder = convoy.directory.appendingPathComponent("my-gazetteer")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: ConvoyRunner.gazetteerDirectory + "/places.geojson", encoding: .utf8)
        try edit(text).write(to: folder.appendingPathComponent("places.geojson"), atomically: false, encoding: .utf8)
        return folder.path
    }

    @Test func gazetteerErrorsNameTheFolderGivenAndNoImportIsClaimed() throws {
        let convoy = try ConvoyRunner()
        let folder = try Self.gazetteer(in: convoy) { $0.replacingOccurrences(of: "\"id\": \"sy-palmyra\"", with: "\"id\": \"\"") }
        for arguments in [["places", "show", "Palmyra"], ["where", "--at", "2017-08-30T12:00"], ["replay"]] {
            let result = convoy.run(arguments + ["--db", convoy.databasePath, "--gazetteer", folder], storeOptions: false)
            #expect(result.status == 1, "\(arguments)")
            let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.hasPrefix(folder + "/places.geojson:"), "\(arguments): \(result.stderr)")
            #expect(first.hasSuffix("\"id\" must be a non-empty string, found an empty string"), "\(result.stderr)")
            #expect(!result.stderr.contains("Gazetteer/places.geojson"))
            #expect(!result.stderr.contains("nothing was imported"), "\(arguments)")
        }
        // A bad --updates log in `where` or `replay` is not an import either; in `import updates` it is.
        let log = convoy.directory.appendingPathComponent("bad.csv").path
        try "time,convoy,location,status,source,quote\n2017-08-30,c,at Atlantis,moving,s,q\n".write(toFile: log, atomically: false, encoding: .utf8)
        let replay = convoy.run(["replay", "--updates", log])
        #expect(replay.status == 1)
        #expect(replay.stderr.contains("bad.csv:2:"))
        #expect(!replay.stderr.contains("nothing was imported"))
        let imported = convoy.run(["import", "updates", log])
        #expect(imported.status == 1)
        #expect(imported.stderr.hasSuffix("convoy: nothing was imported\n"))
    }

    @Test func anEmptyGazetteerIsRefusedAndTheStoreKeepsItsPlaces() throws {
        let convoy = try ConvoyRunner()
        #expect(convoy.run(["places", "show", "Palmyra"]).status == 0)
        let folder = try Self.gazetteer(in: convoy) { _ in "{\"type\": \"FeatureCollection\", \"features\": []}" }
        let result = convoy.run(["places", "show", "Palmyra", "--db", convoy.databasePath, "--gazetteer", folder], storeOptions: false)
        #expect(result.status == 1)
        #expect(result.stderr.contains("places.geojson:1:43: \"features\" is empty"))
        #expect(convoy.run(["places", "show", "Palmyra"]).status == 0)
    }

    @Test func aFIFOGazetteerIsNamedAsOne() throws {
        let convoy = try ConvoyRunner()
        let folder = convoy.directory.appendingPathComponent("fifo-gazetteer")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(mkfifo(folder.appendingPathComponent("places.geojson").path, 0o644) == 0)
        let result = convoy.run(["places", "list", "--db", convoy.databasePath, "--gazetteer", folder.path], storeOptions: false)
        #expect(result.status == 2)
        #expect(result.stderr == "convoy: \(folder.path)/places.geojson: is a FIFO (named pipe), not a regular file; a gazetteer must be a file\n")
    }
}

/// GeographicLib's GeodSolve, run as a process: the independent reference for geodesics.
enum GeodSolve {
    struct Inverse {
        let azi1: Double, azi2: Double, s12: Double
    }

    static func inverse(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) throws -> Inverse {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["GeodSolve", "-i", "-p", "10"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("\(lat1) \(lon1) \(lat2) \(lon2)\n".utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard process.terminationStatus == 0, fields.count == 3 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "GeodSolve (geographiclib-tools) is needed for this test"])
        }
        var azi2 = fields[1]
        if azi2 < 0 { azi2 += 360 }
        var azi1 = fields[0]
        if azi1 < 0 { azi1 += 360 }
        return Inverse(azi1: azi1, azi2: azi2, s12: fields[2])
    }
}
