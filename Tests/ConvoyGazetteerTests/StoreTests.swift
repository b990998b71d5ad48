import ConvoyGeodesy
import ConvoyTestSupport
import Foundation
import GRDB
import Testing

@testable import ConvoyGazetteer

/// The SQLite store: building from the bundled data, rebuilding when it changes, transactional
/// imports, and the indexes (key, FTS5, R*Tree) behind the lookups.
struct StoreTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bundled = repository.appendingPathComponent("Gazetteer")

    /// A temporary folder with a copy of the bundled gazetteer that a test may edit.
    struct Sandbox {
        let root: URL
        var data: URL { root.appendingPathComponent("Gazetteer") }
        var database: String { root.appendingPathComponent("store.sqlite").path }

        init() throws {
            root = ScratchSpace.path("convoy-store")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: StoreTests.bundled.appendingPathComponent("places.geojson"), to: data.appendingPathComponent("places.geojson"))
        }

        func open() throws -> Gazetteer { try Gazetteer(path: database, bundledDirectory: data) }

        func write(_ text: String, to name: String) throws -> String {
            let url = root.appendingPathComponent(name)
            try text.write(to: url, atomically: false, encoding: .utf8)
            return url.path
        }

        func fixture(_ name: String) throws -> String {
            try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
        }
    }

    /// Everything in the store, to compare before and after a failed import.
    static func snapshot(_ g: Gazetteer) throws -> [String] {
        try g.database.read { db in
            try String.fetchAll(db, sql: "SELECT id || '|' || name || '|' || lat || '|' || lon FROM place ORDER BY id")
                + String.fetchAll(db, sql: "SELECT place_rowid || '|' || text || '|' || key FROM place_name ORDER BY rowid")
                + String.fetchAll(db, sql: "SELECT rowid || '|' || text FROM name_fts ORDER BY rowid")
                + String.fetchAll(db, sql: "SELECT id || '|' || min_lat || '|' || min_lon FROM place_rtree ORDER BY id")
                + String.fetchAll(db, sql: "SELECT key || '=' || value FROM meta ORDER BY key")
        }
    }

    @Test func buildsOnFirstUseAndOnlyRebuildsWhenDataChanges() throws {
        let sandbox = try Sandbox()
        let first = try sandbox.open()
        guard case .rebuilt(let count) = first.bundledSync else { Issue.record("expected a build on first use"); return }
        let placesInFile = try GazetteerFile.load(sandbox.data.appendingPathComponent("places.geojson")).count
        #expect(count == placesInFile)
        #expect(try first.counts().places == placesInFile)

        #expect(try sandbox.open().bundledSync == .upToDate)

        // Edit the data: rename Qara's canonical name; the next open rebuilds and sees it.
        let url = sandbox.data.appendingPathComponent("places.geojson")
        var text = try String(contentsOf: url, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"name\": \"Qara\"", with: "\"name\": \"Qara (edited)\"")
        try text.write(to: url, atomically: false, encoding: .utf8)
        let reopened = try sandbox.open()
        #expect(reopened.bundledSync == .rebuilt(places: placesInFile))
        #expect(try reopened.place(id: "sy-qara")?.name == "Qara (edited)")
        #expect(try reopened.counts().places == placesInFile)  // replaced, not duplicated
    }

    @Test func aBadGazetteerFileLeavesTheStoreExactlyAsItWas() throws {
        let sandbox = try Sandbox()
        let before = try Self.snapshot(try sandbox.open())
        let url = sandbox.data.appendingPathComponent("places.geojson")
        let good = try String(contentsOf: url, encoding: .utf8)
        // A latitude out of range deep inside the file.
        let bad = good.replacingOccurrences(of: "\"name\": \"Palmyra\"", with: "\"name\": \"Palmyra\", \"uncertainty_m\": -5, \"x\": 1")
        try bad.write(to: url, atomically: false, encoding: .utf8)
        let error = try #require(throws: DataErrors.self) { _ = try sandbox.open() }
        #expect(error.errors.contains { $0.message.contains("duplicate member \"uncertainty_m\"") })
        try good.write(to: url, atomically: false, encoding: .utf8)
        // Reopen with the good file in place: fingerprint equals the old one, nothing rebuilt.
        let after = try sandbox.open()
        #expect(after.bundledSync == .upToDate)
        #expect(try Self.snapshot(after) == before)
    }

    @Test func resolvesReportSpellingsToOnePlace() throws {
        let g = try Sandbox().open()
        let expectations: [(String, String)] = [
            ("Abul Kamal", "sy-abu-kamal"), ("Boukamal", "sy-abu-kamal"), ("Albu Kamal", "sy-abu-kamal"),
            ("Al-Bukamal", "sy-abu-kamal"), ("البوكمال", "sy-abu-kamal"), ("abu  KAMAL", "sy-abu-kamal"),
            ("Deir Ezzor", "sy-deir-ez-zor"), ("Deir el-Zour", "sy-deir-ez-zor"), ("Deir al-Zor", "sy-deir-ez-zor"),
            ("Hamaymah", "sy-humayma"), ("Humayma", "sy-humayma"), ("Ras Belbek", "lb-ras-baalbek"),
            ("Qalamun", "sy-qalamoun"), ("Rural Damascus", "sy-rif-dimashq-governorate"), ("Yormouk", "sy-yarmouk-camp"),
            ("Sukhna", "sy-as-sukhnah"), ("Halimah Qaarrah", "sy-halimat-qara"), ("Hmeimim", "sy-hmeimim-air-base"),
        ]
        for (spelling, id) in expectations {
            #expect(try g.resolve(spelling).first?.place.id == id, "\(spelling)")
        }
        // Homonyms stay apart: the Jordanian Humayma is a second answer, not merged.
        #expect(try g.resolve("Humayma").map(\.place.id).contains("jo-humayma"))
        #expect(try !g.resolve("Hmeimim").contains { $0.place.id.contains("humay") })
        // The canonical name is an exact match; a recorded variant a variant; a new spelling normalized.
        #expect(try g.resolve("Abu Kamal").first?.match == .exact)
        #expect(try g.resolve("Abul Kamal").first?.match == .variant)
        #expect(try g.resolve("ABOUL KAMAL").first?.match == .normalized)
    }

    @Test func suggestionsForUnknownNamesAreRankedAndNeverAccepted() throws {
        let g = try Sandbox().open()
        #expect(try g.resolve("Palnyra").isEmpty)
        #expect(try g.suggestions(for: "Palnyra").first?.place.id == "sy-palmyra")
        #expect(try g.suggestions(for: "Boukmal").first?.place.id == "sy-abu-kamal")
        #expect(try g.suggestions(for: "Hmeimin").first?.place.id == "sy-hmeimim-air-base")
        #expect(try g.suggestions(for: "Xyzzyq").isEmpty)
        let search = try g.search("kamal")
        #expect(search.first?.place.id == "sy-abu-kamal")
        #expect(search.first?.reason == "contains")
    }

    @Test func nearUsesTheRTreeThenExactGeodesics() throws {
        let g = try Sandbox().open()
        let sukhnah = try #require(try g.place(id: "sy-as-sukhnah"))
        let near = try g.places(near: sukhnah.location, radius: 150_000)
        #expect(near.first?.place.id == "sy-as-sukhnah")
        #expect(near.first?.distance == 0)
        for item in near {
            let exact = Geodesic.inverse(from: sukhnah.location, to: item.place.location)
            #expect(abs(exact.distance - item.distance) < 1e-9)
            #expect(item.distance <= 150_000)
        }
        // Every place the prefilter might miss is really farther than the radius.
        let all = try g.places()
        let inside = Set(all.filter { Geodesic.inverse(from: sukhnah.location, to: $0.location).distance <= 150_000 }.map(\.id))
        #expect(Set(near.map(\.place.id)) == inside)
        #expect(near.map(\.place.id).contains("sy-palmyra"))
        // The R*Tree really holds one box per place.
        #expect(try g.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM place_rtree") } == all.count)
    }

    @Test func searchBoxHandlesTheAntimeridianAndPoles() throws {
        let box = Gazetteer.searchBox(around: try GeoPoint(latitude: 10, longitude: 179.9), radius: 50_000)
        #expect(box.longitudeRanges.count == 2)
        let polar = Gazetteer.searchBox(around: try GeoPoint(latitude: 89.95, longitude: 0), radius: 20_000)
        #expect(polar.longitudeRanges == [-180...180])
    }

    @Test func importsGeoNamesAndSkipsPlacesTheBundledDataCites() throws {
        let sandbox = try Sandbox()
        let g = try sandbox.open()
        let before = try g.counts()
        let summary = try g.importGeoNames(path: try sandbox.fixture("geonames-sample.txt"))
        #expect(summary.rows == 11)
        #expect(summary.skippedBundled == 3)  // Homs, Damascus, Abu Kamal are curated
        #expect(summary.places == 8)
        #expect(try g.counts().places == before.places + 8)
        let beirut = try #require(try g.resolve("Beirut").first)
        #expect(beirut.place.id == "gn-276781")
        #expect(beirut.place.kind == "city")
        #expect(try g.resolve("بيروت").first?.place.id == "gn-276781")
        // Re-importing replaces rather than duplicates.
        _ = try g.importGeoNames(path: try sandbox.fixture("geonames-sample.txt"))
        #expect(try g.counts().places == before.places + 8)
        // Imported places survive a rebuild of the bundled part.
        let url = sandbox.data.appendingPathComponent("places.geojson")
        try (try String(contentsOf: url, encoding: .utf8) + "\n").write(to: url, atomically: false, encoding: .utf8)
        let reopened = try sandbox.open()
        #expect(reopened.bundledSync != .upToDate)
        #expect(try reopened.resolve("Beirut").first?.place.id == "gn-276781")
    }

    @Test func aMalformedGeoNamesLineImportsNothing() throws {
        let sandbox = try Sandbox()
        let g = try sandbox.open()
        let before = try Self.snapshot(g)
        let good = try String(contentsOfFile: try sandbox.fixture("geonames-sample.txt"), encoding: .utf8)
        var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[7].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        fields[4] = "134.5"  // latitude out of range on line 8
        lines[7] = fields.joined(separator: "\t")
        lines[9] = "not\tenough\tcolumns"  // line 10
        let path = try sandbox.write(lines.joined(separator: "\n"), to: "bad.txt")
        let error = try #require(throws: DataErrors.self) { _ = try g.importGeoNames(path: path, displayPath: "bad.txt") }
        #expect(error.errors.map(\.description) == [
            "bad.txt:8: latitude 134.5 is outside [-90, 90]",
            "bad.txt:10: expected 19 tab-separated columns (GeoNames format), found 3",
        ])
        #expect(try Self.snapshot(g) == before)

        let nan = good.replacingOccurrences(of: "\t33.84675\t", with: "\tnan\t")
        let nanError = try #require(throws: DataErrors.self) { _ = try g.importGeoNames(path: try sandbox.write(nan, to: "nan.txt"), displayPath: "nan.txt") }
        #expect(nanError.errors.first?.description.hasPrefix("nan.txt:1: coordinate is not a finite number") == true)
        #expect(try Self.snapshot(g) == before)

        let empty = try sandbox.write("", to: "empty.txt")
        #expect(throws: DataErrors.self) { _ = try g.importGeoNames(path: empty) }
        #expect(throws: FileAccessError.self) { _ = try g.importGeoNames(path: sandbox.root.appendingPathComponent("missing.txt").path) }
        #expect(throws: FileAccessError.self) { _ = try g.importGeoNames(path: sandbox.root.path) }
        #expect(try Self.snapshot(g) == before)
    }

    @Test func migrationsAreRecordedByGRDB() throws {
        let g = try Sandbox().open()
        let applied = try g.database.read { try Schema.migrator.appliedIdentifiers($0) }
        #expect(applied.contains("v1: places, names, FTS5, R*Tree"))
        let ftsHits = try g.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM name_fts WHERE name_fts MATCH 'key : \"kamal\"'") }
        #expect((ftsHits ?? 0) >= 3)
    }
}
