import ConvoyCheck
import ConvoyGazetteer
import ConvoyTestSupport
import Foundation
import Testing

@Suite("The name index cached beside the store")
struct IndexCacheTests {
    /// A fresh store holding the bundled gazetteer, in its own directory.
    static func freshStore() throws -> Gazetteer {
        let dir = ScratchSpace.path("convoy-index-cache")
        return try Gazetteer(path: dir.appendingPathComponent("store.sqlite").path, bundledDirectory: Fixture.repository.appendingPathComponent("Gazetteer"))
    }

    static func seedTexts() throws -> [String] {
        let dir = Fixture.repository.appendingPathComponent("seeds")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files.count == 5)
        return try files.map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
    }

    /// Everything a check reports, as text: mentions with their places and positions, diagnostics
    /// with their messages and suggestions.
    static func report(_ index: NameIndex, _ gazetteer: Gazetteer, _ text: String) -> [String] {
        let result = ReportChecker(index: index, gazetteer: gazetteer).check(text: text)
        return result.mentions.map { "\($0.position.offset) \($0.text) \($0.placeID) \($0.matchedName) \($0.match) \($0.candidates)" }
            + result.diagnostics.map { "\($0.position.offset) \($0.severity) \($0.message) \($0.suggestions.map(\.placeID))" }
    }

    /// Imports a town named Zarqatown with GeoNames id `id` (a row of GeoNames' 19 tab-separated columns).
    static func importTown(_ store: Gazetteer, id: String, alternates: String) throws {
        let tsv = ScratchSpace.path("convoy-index-cache", suffix: ".txt")
        let row = [id, "Zarqatown", "Zarqatown", alternates, "34.5", "38.2", "P", "PPL", "SY", "", "", "", "", "", "1000", "", "300", "Asia/Damascus", "2024-01-01"]
        try Data((row.joined(separator: "\t") + "\n").utf8).write(to: tsv)
        _ = try store.importGeoNames(path: tsv.path)
    }

    /// The file's inode and modification time: a rewrite (a new file renamed over the old) changes them.
    static func identity(_ path: String) throws -> [String] {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return ["\(attributes[.systemFileNumber] ?? "?")", String(format: "%.9f", modified)]
    }

    @Test(arguments: [false, true])
    func theIndexReadBackChecksLikeTheIndexBuilt(forLargeInputs: Bool) throws {
        let store = try Self.freshStore()
        let cachePath = store.path + (forLargeInputs ? ".names-index-large" : ".names-index")
        let built = try NameIndex(gazetteer: store, forLargeInputs: forLargeInputs)
        _ = try NameIndex.cached(gazetteer: store, forLargeInputs: forLargeInputs)
        let written = try Self.identity(cachePath)
        let read = try NameIndex.cached(gazetteer: store, forLargeInputs: forLargeInputs)
        #expect(try Self.identity(cachePath) == written, "the second call reads the file, it does not rewrite it")
        let sizes: (NameIndex) -> [Int] = { [$0.placeCount, $0.nameCount, $0.keyCount, $0.tokenCount, $0.nodeCount] }
        #expect(sizes(read) == sizes(built))
        let planted = try String(contentsOf: Fixture.fixture("planted.txt"), encoding: .utf8)
        for text in try Self.seedTexts() + [planted] {
            let expected = Self.report(built, store, text)
            #expect(!expected.isEmpty)
            #expect(Self.report(read, store, text) == expected)
        }
    }

    @Test func aChangedStoreIsIndexedAgain() throws {
        let store = try Self.freshStore()
        let text = "The convoy reached Qara and then Zarqatown before nightfall."
        let before = Self.report(try NameIndex.cached(gazetteer: store), store, text)
        #expect(!before.contains { $0.contains("gn-9990001") })
        // A GeoNames row adds the place; the store file changes.
        try Self.importTown(store, id: "9990001", alternates: "Zarqa Town")
        let after = Self.report(try NameIndex.cached(gazetteer: store), store, text)
        #expect(after.contains { $0.hasSuffix("Zarqatown gn-9990001 Zarqatown exact [\"gn-9990001\"]") })
        #expect(after == Self.report(try NameIndex(gazetteer: store), store, text))
    }

    @Test func aDamagedOrCutFileIsRebuilt() throws {
        let store = try Self.freshStore()
        let cachePath = store.path + ".names-index"
        let built = try NameIndex(gazetteer: store)
        _ = try NameIndex.cached(gazetteer: store)
        let good = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        let first = try Self.identity(cachePath)
        let text = try Self.seedTexts()[0]
        let expected = Self.report(built, store, text)
        var flipped = good
        flipped[good.count / 2] ^= 0x40
        for damaged in [flipped, good.prefix(good.count / 3), Data()] {
            try damaged.write(to: URL(fileURLWithPath: cachePath))
            #expect(try Self.identity(cachePath) != first)
            #expect(Self.report(try NameIndex.cached(gazetteer: store), store, text) == expected)
            // Rewritten whole: the next call reads it and leaves it as it is.
            let rewritten = try Self.identity(cachePath)
            #expect(Self.report(try NameIndex.cached(gazetteer: store), store, text) == expected)
            #expect(try Self.identity(cachePath) == rewritten)
        }
    }

    /// The suggestion index read back suggests what the one built suggests, for every test phrase;
    /// a file written for other keys (after an import) or damaged is rebuilt.
    @Test func theSuggestionIndexReadBackSuggestsLikeTheOneBuilt() throws {
        let store = try Self.freshStore()
        let cachePath = store.path + ".suggest-index"
        let index = try NameIndex(gazetteer: store)
        let built = SuggestionIndex(index: index)
        _ = SuggestionIndex.cached(index: index, gazetteer: store)
        let written = try Self.identity(cachePath)
        let read = SuggestionIndex.cached(index: try NameIndex.cached(gazetteer: store), gazetteer: store)
        #expect(try Self.identity(cachePath) == written, "read, not rewritten")
        var nonEmpty = 0
        for phrase in try SuggestionTests.phrases() {
            let expected = built.suggestions(for: phrase)
            #expect(read.suggestions(for: phrase) == expected, "\(phrase)")
            if !expected.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 1000)
        // A damaged file is rebuilt.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        damaged[damaged.count / 2] ^= 0x01
        try damaged.write(to: URL(fileURLWithPath: cachePath))
        #expect(SuggestionIndex.cached(index: index, gazetteer: store).suggestions(for: "Yormouk") == built.suggestions(for: "Yormouk"))
        #expect(try Self.identity(cachePath) != written)
        // A change to the store that leaves the names as they were rebuilds the name index but
        // keeps the suggestion index (it depends on the keys only).
        let kept = try Self.identity(cachePath)
        let namesFile = try Self.identity(store.path + ".names-index")
        try store.database.write { try $0.execute(sql: "CREATE TABLE unrelated_test_table (x INTEGER)") }
        _ = SuggestionIndex.cached(index: try NameIndex.cached(gazetteer: store), gazetteer: store)
        #expect(try Self.identity(store.path + ".names-index") != namesFile)
        #expect(try Self.identity(cachePath) == kept)
        // New keys: the file is rebuilt and the new name is suggested.
        try Self.importTown(store, id: "9990002", alternates: "")
        let updated = SuggestionIndex.cached(index: try NameIndex.cached(gazetteer: store), gazetteer: store)
        #expect(try Self.identity(cachePath) != kept)
        #expect(updated.suggestions(for: "Zarqatwn").first?.placeID == "gn-9990002")
    }

    /// A cache file that can be neither read nor written (here a directory stands in its place)
    /// costs only the build: the check is the same and no temporary file is left behind.
    @Test func aCacheThatCannotBeWrittenOnlyCostsTheBuild() throws {
        let store = try Self.freshStore()
        let cachePath = store.path + ".names-index"
        try FileManager.default.createDirectory(atPath: cachePath + "/in-the-way", withIntermediateDirectories: true)
        let text = try Self.seedTexts()[4]
        #expect(Self.report(try NameIndex.cached(gazetteer: store), store, text) == Self.report(try NameIndex(gazetteer: store), store, text))
        let directory = URL(fileURLWithPath: store.path).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }
}
