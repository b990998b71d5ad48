import ConvoyTestSupport
import Foundation
import GRDB
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import ConvoyGazetteer

/// Gazetteer files and GeoNames dumps a user did not write: every limit is an error at the value
/// (`file:line:col`), a store error says what is wrong with the store, and nothing traps or grows
/// without bound.
struct HostileGazetteerTests {
    static func errors(_ properties: String, id: String = "\"sy-palmyra\"") -> [String] {
        GazetteerFileTests.errors(GazetteerFileTests.feature(properties, id: id))
    }

    static func properties(name: String = "Palmyra", uncertainty: String = "1500", extra: String = "") -> String {
        """
        "name": "\(name)", "kind": "city", "country": "SY", "uncertainty_m": \(uncertainty), "coordinate_source": "Wikipedia",\(extra)
        "names": [{"text": "\(name)", "lang": "en", "script": "Latn", "kind": "preferred", "source": "Wikipedia"}]
        """
    }

    /// Features, each `(id, part_of)`, as a gazetteer file.
    static func collection(_ features: [(String, String?)]) -> String {
        let items = features.map { id, parent in
            """
            {"type": "Feature", "id": "\(id)", "geometry": {"type": "Point", "coordinates": [38.2, 34.5]},
             "properties": {\(properties(name: id, extra: parent.map { " \"part_of\": \"\($0)\"," } ?? ""))}}
            """
        }
        return "{\"type\": \"FeatureCollection\", \"features\": [\n" + items.joined(separator: ",\n") + "\n]}"
    }

    @Test func anEmptyFeatureListIsRefusedRatherThanEmptyingTheStore() {
        #expect(GazetteerFileTests.errors("{\"type\": \"FeatureCollection\",\n \"features\": []}") == [
            "places.geojson:2:14: \"features\" is empty: a gazetteer needs at least one place"
        ])
    }

    @Test func anUncertaintyBeyondTheEarthIsRefused() {
        #expect(Self.errors(Self.properties(uncertainty: "1e308")).first?.contains("uncertainty_m 1e+308 is larger than 20,000 km") == true)
        #expect(Self.errors(Self.properties(uncertainty: "20000000")).isEmpty)
        #expect(Self.errors(Self.properties(uncertainty: "20000001")).count == 1)
        // A number no double holds names its member (it used to say only "out of range").
        let huge = Self.errors(Self.properties(uncertainty: "1e400"))
        #expect(huge.count == 1)
        #expect(huge.first?.contains("number 1e400 for \"uncertainty_m\" is too large for a double") == true)
        #expect(huge.first?.hasPrefix("places.geojson:3:86:") == true, "\(huge)")
    }

    @Test func partOfCyclesAreReportedOnceEach() {
        let pair = GazetteerFileTests.errors(Self.collection([("sy-a", "sy-b"), ("sy-b", "sy-a"), ("sy-c", "sy-a")]))
        #expect(pair.count == 1)
        #expect(pair.first?.contains("part_of makes a cycle: sy-a → sy-b → sy-a") == true)
        let three = GazetteerFileTests.errors(Self.collection([("sy-a", "sy-b"), ("sy-b", "sy-c"), ("sy-c", "sy-a"), ("sy-d", nil)]))
        #expect(three.count == 1)
        #expect(three.first?.contains("sy-a → sy-b → sy-c → sy-a") == true)
        let selfParent = GazetteerFileTests.errors(Self.collection([("sy-a", "sy-a")]))
        #expect(selfParent.count == 1)
        #expect(selfParent.first?.contains("sy-a → sy-a") == true)
        #expect(GazetteerFileTests.errors(Self.collection([("sy-a", "sy-b"), ("sy-b", "sy-c"), ("sy-c", nil)])).isEmpty)
    }

    @Test func overlongAndControlCharacterTextIsRefused() {
        let long = String(repeating: "a", count: 1_000_000)
        let errors = Self.errors(Self.properties(name: long))
        #expect(errors.count == 2)  // the name and the names[] text
        #expect(errors.allSatisfy { $0.contains("is 1000000 characters long; at most 200 are allowed") })
        #expect(Self.errors(Self.properties(name: String(repeating: "ب", count: 200))).isEmpty)
        let note = Self.errors(Self.properties(extra: " \"note\": \"\(String(repeating: "x", count: 4001))\","))
        #expect(note.count == 1 && note[0].contains("at most 4000"))
        let nul = Self.errors(Self.properties(name: "Palm\\u0000yra"))
        #expect(nul.first?.contains("holds the control character U+0000 at character 5") == true)
        let escape = Self.errors(Self.properties(extra: " \"note\": \"\\u001b[31mred\","))
        #expect(escape.first?.contains("U+001B") == true)
        #expect(Self.errors(Self.properties(extra: " \"note\": \"two\\nlines\",")).isEmpty)
    }

    @Test func anEmptyStringIsCalledEmptyNotAString() {
        let errors = Self.errors(Self.properties(), id: "\"\"")
        #expect(errors == ["places.geojson:2:27: \"id\" must be a non-empty string, found an empty string"])
        #expect(Self.errors(Self.properties(), id: "\"  \"").first?.hasSuffix("found only spaces") == true)
        #expect(Self.errors(Self.properties(), id: "7").first?.hasSuffix("found a number") == true)
    }

    @Test func aMinifiedFileOnOneLineIsReadInLinearTime() throws {
        // Columns were counted from the line's start for every value: quadratic on a one-line file.
        let features = (0..<1500).map { n in
            "{\"type\":\"Feature\",\"id\":\"sy-p\(n)\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[38.2,34.5]},\"properties\":{\(Self.properties(name: "P\(n)").replacingOccurrences(of: "\n", with: " "))}}"
        }
        let text = "{\"type\":\"FeatureCollection\",\"features\":[" + features.joined(separator: ",") + "]}"
        #expect(text.utf8.count > 400_000)
        let start = ContinuousClock.now
        let places = try GazetteerFile.parse(Array(text.utf8), displayPath: "x")
        #expect(places.count == 1500)
        #expect(ContinuousClock.now - start < .seconds(20))  // quadratic: minutes
        // And columns on such a line are still exact.
        let bad = text.replacingOccurrences(of: "\"sy-p1499\"", with: "\"SY-p1499\"")
        let error = try #require(throws: DataErrors.self) { _ = try GazetteerFile.parse(Array(bad.utf8), displayPath: "x") }
        let column = bad.distance(from: bad.startIndex, to: try #require(bad.range(of: "\"SY-p1499\"")).lowerBound) + 1  // ASCII: characters = columns
        #expect(error.errors.first?.line == 1)
        #expect(error.errors.first?.column == column)
    }

    // MARK: Files

    /// Finding 18: a FIFO was reported as "cannot be read (permission denied?)", and errors named
    /// Gazetteer/places.geojson whatever the folder given.
    @Test func aFIFOIsNamedAndErrorsNameTheFileActuallyRead() throws {
        let sandbox = try StoreTests.Sandbox()
        let file = sandbox.data.appendingPathComponent("places.geojson")
        try FileManager.default.removeItem(at: file)
        #expect(mkfifo(file.path, 0o644) == 0)
        let error = try #require(throws: FileAccessError.self) { _ = try sandbox.open() }
        #expect(error.description == "\(file.path): is a FIFO (named pipe), not a regular file; a gazetteer must be a file")
        try FileManager.default.removeItem(at: file)
        try "{\"type\": \"FeatureCollection\", \"features\": []}".write(to: file, atomically: false, encoding: .utf8)
        let dataErrors = try #require(throws: DataErrors.self) { _ = try sandbox.open() }
        #expect(dataErrors.errors.first?.file == file.path)
        // Nothing was built from the empty list.
        let store = try DatabaseQueue(path: sandbox.database)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM place") } == 0)
    }

    // MARK: GeoNames

    /// Finding 13: /dev/zero has no line end; getline grew to gigabytes. Now the first 64 KiB end it.
    @Test func aLineBeyond64KiBStopsTheImportAtItsColumn() throws {
        let sandbox = try StoreTests.Sandbox()
        let g = try sandbox.open()
        let before = try StoreTests.snapshot(g)
        if FileManager.default.fileExists(atPath: "/dev/zero") {
            let error = try #require(throws: DataErrors.self) { _ = try g.importGeoNames(path: "/dev/zero") }
            #expect(error.errors.map(\.description) == [
                "/dev/zero:1:65537: line is longer than 65536 bytes (GeoNames lines are a few KB); is this a GeoNames dump? Nothing more was read"
            ])
        }
        let good = try String(contentsOfFile: try sandbox.fixture("geonames-sample.txt"), encoding: .utf8)
        let long = good + String(repeating: "é", count: 40_000) + "\n"  // 80,000 bytes, 40,000 characters
        let error = try #require(throws: DataErrors.self) { _ = try g.importGeoNames(path: try sandbox.write(long, to: "long.txt"), displayPath: "long.txt") }
        #expect(error.errors.last?.description.hasPrefix("long.txt:12:32769: line is longer than 65536 bytes") == true)
        #expect(try StoreTests.snapshot(g) == before)
        // A line of exactly the limit (with CRLF) is read, and is only a malformed row.
        let exact = String(repeating: "x", count: LineReader.defaultMaximumLineLength) + "\r\n"
        let atLimit = try #require(throws: DataErrors.self) { _ = try g.importGeoNames(path: try sandbox.write(exact, to: "exact.txt"), displayPath: "exact.txt") }
        #expect(atLimit.errors.map(\.description) == ["exact.txt:1: expected 19 tab-separated columns (GeoNames format), found 1"])
    }

    @Test func lineReaderMatchesASimpleSplitOnAnyInput() throws {
        var rng = SeededGenerator(seed: 13)
        for round in 0..<40 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...3000, using: &rng) {
                bytes.append([0x0A, 0x0D, 0x41, 0x09, 0xC3, 0xA9].randomElement(using: &rng)!)
            }
            let path = ScratchSpace.path("lines", suffix: ".txt").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            let reader = try LineReader(path: path, maximumLineLength: 100)
            var lines: [[UInt8]] = []
            var failed = false
            do {
                while let line = try reader.nextLine({ Array($0) }) { lines.append(line) }
            } catch is LineReader.LineTooLong { failed = true }
            var expected = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                line.last == 0x0D ? Array(line.dropLast()) : Array(line)
            }
            if bytes.last == 0x0A || bytes.isEmpty { expected.removeLast() }
            if let tooLong = expected.firstIndex(where: { $0.count > 100 }) {
                #expect(failed, "round \(round)")
                #expect(lines == Array(expected[..<tooLong]), "round \(round)")
            } else {
                #expect(!failed && lines == expected, "round \(round)")
            }
        }
    }

    @Test func controlCharactersAndBadUTF8InAGeoNamesRowAreLocated() throws {
        let sandbox = try StoreTests.Sandbox()
        let g = try sandbox.open()
        let good = try String(contentsOfFile: try sandbox.fixture("geonames-sample.txt"), encoding: .utf8)
        let nul = good.replacingOccurrences(of: "\tZahlé\t", with: "\tZa\u{0}hlé\t")
        let error = try #require(throws: DataErrors.self) { _ = try g.importGeoNames(path: try sandbox.write(nul, to: "nul.txt"), displayPath: "nul.txt") }
        #expect(error.errors.map(\.description) == ["nul.txt:1:10: control character 0x0 in a GeoNames row"])
        var bytes = Array(good.utf8)
        bytes.insert(0xFF, at: 9)
        let path = sandbox.root.appendingPathComponent("bad-utf8.txt").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let utf8 = try #require(throws: DataErrors.self) { _ = try g.importGeoNames(path: path, displayPath: "bad-utf8.txt") }
        #expect(utf8.errors.map(\.description) == ["bad-utf8.txt:1:10: line is not valid UTF-8"])
    }

    // MARK: Store failures

    /// Finding 18: a full store was "SQLite error 13 … while executing INSERT"; now it says so.
    @Test func aFullStoreIsSaidInWords() throws {
        let sandbox = try StoreTests.Sandbox()
        let g = try sandbox.open()
        let pages = try g.database.read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
        try g.database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA max_page_count = \(pages)") }
        let error = try #require(throws: StoreFailure.self) { _ = try g.importGeoNames(path: try sandbox.fixture("geonames-sample.txt")) }
        #expect(error.reason == .full)
        #expect(error.description == "no space left on the device for the store \(sandbox.database): nothing was written")
    }

    @Test func sqliteErrorsBecomeStoreFailuresByCode() {
        let cases: [(ResultCode, StoreFailure.Reason, String)] = [
            (.SQLITE_READONLY, .readOnly, "the store /s.sqlite is read-only"), (.SQLITE_FULL, .full, "no space left"),
            (.SQLITE_BUSY, .busy, "is busy"), (.SQLITE_NOTADB, .damaged, "is damaged"), (.SQLITE_CORRUPT, .damaged, "is damaged"),
        ]
        for (code, reason, words) in cases {
            let failure = StoreFailure(DatabaseError(resultCode: code, message: "m"), path: "/s.sqlite")
            #expect(failure?.reason == reason)
            #expect(failure?.description.contains(words) == true, "\(code)")
        }
        #expect(StoreFailure(DataErrors([]), path: nil) == nil)
    }
}
