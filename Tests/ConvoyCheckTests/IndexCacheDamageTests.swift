import ConvoyGazetteer
@testable import ConvoyScan
import ConvoyTestSupport
import Foundation
import Testing

@_spi(Fuzzing) @testable import ConvoyCheck

/// A damaged or hostile cache file is rejected and rebuilt, never trusted and never a trap; an
/// edited word list rebuilds the cache (issue 17, the place-name index cache). A hostile file's
/// checksum is right (it is no secret), so most damage here comes with a recomputed checksum: the
/// reader's own checks must catch it.
@Suite("Damaged and hostile index cache files")
struct IndexCacheDamageTests {
    /// A store of the bundled gazetteer, its cache files written, and their bodies (the file
    /// without its checksum) with the tables the reader reads, in order.
    struct Cache {
        let store: Gazetteer
        let path: String
        let body: [UInt8]
        let tables: [IndexArchiveReader.TableRecord]
        let large: Bool

        init(large: Bool) throws {
            store = try IndexCacheTests.freshStore()
            _ = try NameIndex.cached(gazetteer: store, forLargeInputs: large)
            path = store.path + (large ? ".names-index-large" : ".names-index")
            body = Array(try Data(contentsOf: URL(fileURLWithPath: path)).dropLast(8))
            var reader = IndexArchiveReader(data: Data(body))
            _ = try reader.readString()
            _ = try NameIndex(reading: &reader, forLargeInputs: large, wordClasses: .bundled)
            tables = reader.tables
            self.large = large
        }

        /// The `n`th table (0-based) of records of `type`.
        func table(_ type: String, _ n: Int = 0) -> IndexArchiveReader.TableRecord {
            tables.filter { $0.type == type }[n]
        }

        /// The index the reader makes of a body, or nil when it rejects it; an accepted index is
        /// used for a check of every seed report (which must not trap).
        func read(_ body: [UInt8]) -> NameIndex? {
            guard let index = try? NameIndex.readCacheBody(body, forLargeInputs: large) else { return nil }
            let checker = ReportChecker(index: index)
            for text in (try? IndexCacheTests.seedTexts()) ?? [] { _ = checker.check(text: text) }
            return index
        }
    }

    static func put<T>(_ value: T, in body: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value) { for (i, b) in $0.enumerated() { body[offset + i] = b } }
    }

    static func int(_ body: [UInt8], at offset: Int) -> Int {
        body[offset..<(offset + 8)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    }

    /// The file as a hostile writer would make it: the body with its checksum.
    static func file(_ body: [UInt8]) -> Data {
        Data(body) + withUnsafeBytes(of: ArchiveChecksum.of(Data(body)).littleEndian) { Data($0) }
    }

    @Test(arguments: [false, true])
    func theGoodBodyIsAccepted(large: Bool) throws {
        let cache = try Cache(large: large)
        #expect(cache.read(cache.body) != nil)
    }

    @Test(arguments: [false, true])
    func aValueThatIsNoEnumCaseIsRejected(large: Bool) throws {
        let cache = try Cache(large: large)
        let kinds = cache.table("NameKind")
        #expect(kinds.count > 0)
        var body = cache.body
        body[kinds.offset + kinds.count / 2] = UInt8(NameKind.allCases.count)
        #expect(cache.read(body) == nil)
        // The kind inside a name entry.
        let entries = cache.table("KeyEntry")
        body = cache.body
        body[entries.offset + MemoryLayout<KeyEntry>.offset(of: \KeyEntry.kind)!] = 0xC8
        #expect(cache.read(body) == nil)
        if large {
            // A tokenized word's role.
            let words = cache.table("Word")
            body = cache.body
            body[words.offset + words.stride * (words.count / 2) + Word.roleOffset] = 7
            #expect(cache.read(body) == nil)
        }
    }

    /// A known ASCII word's stored answer whose role bits are 3 (no role) is rejected: the scan
    /// reads those bits as a role without a check (`WordLookup(packed:)`), trusting the reader.
    @Test func aKnownWordsAnswerWithNoRoleIsRejected() throws {
        let cache = try Cache(large: true)
        // The known ASCII words: the word table read just before the tokenized words.
        let words = cache.table("Word")
        let table = try #require(cache.tables.last { $0.type == "UInt64" && $0.offset < words.offset })
        let slots = (table.count - 8) / 4
        let used = try #require((0..<slots).first { Self.int(cache.body, at: table.offset + $0 * 32) != 0 })
        let at = table.offset + used * 32 + 8  // a slot: tag, value, key head, key tail
        func withRole(_ bits: Int) -> [UInt8] {
            var body = cache.body
            Self.put(Int64(Self.int(body, at: at) & ~(3 << 32) | bits << 32), in: &body, at: at)
            return body
        }
        #expect(cache.read(withRole(1)) != nil, "role bits 1, an article: a value the tables can hold")
        #expect(cache.read(withRole(3)) == nil)
    }

    @Test func aBooleanThatIsNeither0Nor1IsRejected() throws {
        let cache = try Cache(large: false)
        let bools = cache.tables.filter { $0.type == "Bool" }
        #expect(bools.count == 2)  // which places have no country; which are bundled
        for table in bools {
            var body = cache.body
            body[table.offset] = 2
            #expect(cache.read(body) == nil)
        }
        for (type, offset) in [("KeyInfo", KeyInfo.bundledOffset), ("KeyEntry", MemoryLayout<KeyEntry>.offset(of: \KeyEntry.canonical)!),
                               ("KeyEntry", MemoryLayout<KeyEntry>.offset(of: \KeyEntry.bundled)!)] {
            var body = cache.body
            body[cache.table(type).offset + offset] = 0x80
            #expect(cache.read(body) == nil, "\(type)")
        }
    }

    @Test func aFullHashTableIsRejectedRatherThanProbedForever() throws {
        let cache = try Cache(large: false)
        // The automaton's edges: every free slot filled with a copy of a used one, count to match.
        let edges = cache.table("Edge")
        var body = cache.body
        let empty = [UInt8](repeating: 0xFF, count: 8)
        let used = (0..<edges.count).first { Array(body[(edges.offset + $0 * edges.stride)..<(edges.offset + $0 * edges.stride + 8)]) != empty }!
        let record = Array(body[(edges.offset + used * edges.stride)..<(edges.offset + (used + 1) * edges.stride)])
        for slot in 0..<edges.count where Array(body[(edges.offset + slot * edges.stride)..<(edges.offset + slot * edges.stride + 8)]) == empty {
            body.replaceSubrange((edges.offset + slot * edges.stride)..<(edges.offset + (slot + 1) * edges.stride), with: record)
        }
        let countAt = edges.offset + edges.count * edges.stride
        #expect(cache.read(body) == nil)
        Self.put(Int64(edges.count), in: &body, at: countAt)
        #expect(cache.read(body) == nil)
        // The word table (the vocabulary, the first table of UInt64 after the name entries): every
        // free slot given a used slot's words.
        let entriesAt = cache.table("KeyEntry").offset
        let vocabulary = cache.tables.first { $0.type == "UInt64" && $0.offset > entriesAt }!
        body = cache.body
        let slots = (vocabulary.count - 8) / 4
        let first = (0..<slots).first { Self.int(body, at: vocabulary.offset + $0 * 32) != 0 }!
        let slot = Array(body[(vocabulary.offset + first * 32)..<(vocabulary.offset + first * 32 + 32)])
        for s in 0..<slots where Self.int(body, at: vocabulary.offset + s * 32) == 0 {
            body.replaceSubrange((vocabulary.offset + s * 32)..<(vocabulary.offset + s * 32 + 32), with: slot)
        }
        #expect(cache.read(body) == nil)
        Self.put(Int64(slots), in: &body, at: vocabulary.offset + vocabulary.count * 8)
        #expect(cache.read(body) == nil)
    }

    @Test func offsetsAndCountsOutOfRangeAreRejected() throws {
        let cache = try Cache(large: true)
        func rejected(_ change: (inout [UInt8]) -> Void, _ what: String) {
            var body = cache.body
            change(&body)
            #expect(cache.read(body) == nil, "\(what)")
        }
        let entries = cache.table("KeyEntry")
        rejected({ Self.put(Int32.max - 8, in: &$0, at: entries.offset + MemoryLayout<KeyEntry>.offset(of: \KeyEntry.bytes)!) }, "a name's bytes past the end")
        rejected({ Self.put(Int32(-3), in: &$0, at: entries.offset + MemoryLayout<KeyEntry>.offset(of: \KeyEntry.place)!) }, "a name of no place")
        let keyInfo = cache.table("KeyInfo")
        rejected({ Self.put(Int32.max, in: &$0, at: keyInfo.offset + MemoryLayout<KeyInfo>.offset(of: \KeyInfo.count)!) }, "a key with too many names")
        rejected({ Self.put(Int32(-7), in: &$0, at: keyInfo.offset + MemoryLayout<KeyInfo>.offset(of: \KeyInfo.place)!) }, "a key of place -7")
        // A table's count past the end of the file; a count that is negative.
        let kinds = cache.table("NameKind")
        rejected({ Self.put(Int64.max, in: &$0, at: kinds.offset - 8) }, "a huge count")
        rejected({ Self.put(Int64(-1), in: &$0, at: kinds.offset - 8) }, "a negative count")
        // A long key of the vocabulary whose bytes would lie at an offset near 2^64 (once a trap).
        let entriesAt = entries.offset
        let vocabulary = cache.tables.first { $0.type == "UInt64" && $0.offset > entriesAt }!
        let used = (0..<((vocabulary.count - 8) / 4)).first { Self.int(cache.body, at: vocabulary.offset + $0 * 32) != 0 }!
        rejected({ body in
            let at = vocabulary.offset + used * 32
            Self.put(UInt64(0x8000_0001_0000_0011), in: &body, at: at)  // used, 17 bytes: in the arena
            Self.put(UInt64.max - 15, in: &body, at: at + 24)
        }, "a key at offset 2^64 - 16")
        // A tokenized segment's word ending past its segment, and a token id past the vocabulary.
        let words = cache.table("Word")
        rejected({ Self.put(Int32(1 << 20), in: &$0, at: words.offset + MemoryLayout<Word>.offset(of: \Word.end)!) }, "a word past its segment")
        rejected({ Self.put(Int32(1 << 28), in: &$0, at: words.offset + MemoryLayout<Word>.offset(of: \Word.token)!) }, "a token id past the vocabulary")
        // The string offsets of the place names: one past the arena.
        let offsets = cache.tables.filter { $0.type == "Int64" }[1]
        rejected({ Self.put(Int64(1 << 40), in: &$0, at: offsets.offset + 8) }, "a string past its arena")
        // The key starts: out of order.
        let keyStarts = cache.tables.filter { $0.type == "Int32" }.first { $0.count == cache.table("KeyInfo").count + 1 }!
        rejected({ Self.put(Int32.max, in: &$0, at: keyStarts.offset + 4) }, "a key start past the key bytes")
    }

    @Test(arguments: [false, true])
    func aCutBodyIsRejected(large: Bool) throws {
        let cache = try Cache(large: large)
        for k in 0..<60 {
            let length = cache.body.count * k / 60
            #expect(cache.read(Array(cache.body.prefix(length))) == nil, "\(length) bytes")
        }
        #expect(cache.read(cache.body + [0]) == nil, "a byte too many")
    }

    @Test(arguments: [false, true])
    func flippedBytesNeverTrap(large: Bool) throws {
        let cache = try Cache(large: large)
        var random = SeededGenerator(seed: large ? 17 : 71)
        var accepted = 0
        for _ in 0..<400 {
            var body = cache.body
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                body[Int.random(in: 0..<body.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
            if cache.read(body) != nil { accepted += 1 }  // a flip inside a name's text is still an index
        }
        // Most damage to the tables is caught; what is accepted was used without a trap.
        #expect(accepted < 400)
    }

    @Test func aHostileFileBesideTheStoreIsRebuiltAndTheCheckIsTheSame() throws {
        let cache = try Cache(large: false)
        let text = try IndexCacheTests.seedTexts()[4]
        let expected = IndexCacheTests.report(try NameIndex(gazetteer: cache.store), cache.store, text)
        var body = cache.body
        body[cache.table("NameKind").offset] = 0x7F
        // With its checksum right (a hostile file), and with a flipped byte and the old checksum (damage).
        var damaged = Data(cache.body) + (try Data(contentsOf: URL(fileURLWithPath: cache.path)).suffix(8))
        damaged[damaged.count / 2] ^= 0x10
        for file in [Self.file(body), damaged] {
            try file.write(to: URL(fileURLWithPath: cache.path))
            let before = try IndexCacheTests.identity(cache.path)
            var rebuilt = false
            let index = try NameIndex.cached(gazetteer: cache.store, willBuild: { _ in rebuilt = true })
            #expect(rebuilt)
            #expect(IndexCacheTests.report(index, cache.store, text) == expected)
            #expect(try IndexCacheTests.identity(cache.path) != before, "rewritten")
        }
    }

    @Test func anEditedWordListRebuildsTheCache() throws {
        // The digest follows the lists' words, classes and names.
        // (The fingerprint holds it with the whole rulebook's digest, which RulebookTests check.)
        func digest(_ lists: [WordClassList]) -> String { WordClassTable.digest(of: lists) + "-" + CheckRules.bundled.digest }
        var lists = WordClassTable.lists(of: .bundled)
        #expect(digest(lists) == NameIndex.rulesDigest)
        lists[0].words.insert("alongside")
        #expect(digest(lists) != NameIndex.rulesDigest)
        lists = WordClassTable.lists(of: .bundled)
        lists[lists.count - 1].classes = .notPlace
        #expect(digest(lists) != NameIndex.rulesDigest)
        // A file written under other lists is not read: the index is built again and the file rewritten.
        let store = try IndexCacheTests.freshStore()
        var builds = 0
        _ = try NameIndex.cached(gazetteer: store, forLargeInputs: false, rules: "lists before an edit", willBuild: { _ in builds += 1 })
        _ = try NameIndex.cached(gazetteer: store, forLargeInputs: false, rules: "lists before an edit", willBuild: { _ in builds += 1 })
        #expect(builds == 1)
        _ = try NameIndex.cached(gazetteer: store, willBuild: { _ in builds += 1 })
        #expect(builds == 2)
        _ = try NameIndex.cached(gazetteer: store, willBuild: { _ in builds += 1 })
        #expect(builds == 2)
    }

    @Test func aDamagedSuggestionIndexIsRejected() throws {
        let store = try IndexCacheTests.freshStore()
        let index = try NameIndex(gazetteer: store)
        _ = SuggestionIndex.cached(index: index, gazetteer: store)
        let body = Array(try Data(contentsOf: URL(fileURLWithPath: store.path + ".suggest-index")).dropLast(8))
        #expect((try? SuggestionIndex.readCacheBody(body, index: index)) != nil)
        var reader = IndexArchiveReader(data: Data(body))
        _ = try reader.readString()
        _ = try SuggestionIndex(index: index, reading: &reader)
        let int32Tables = reader.tables.filter { $0.type == "Int32" }
        // A key's length that is not its length; a posting of a key that does not exist.
        for (table, value) in [(int32Tables[0], Int32(999)), (int32Tables[2], Int32(index.keyCount))] {
            var damaged = body
            Self.put(value, in: &damaged, at: table.offset)
            #expect((try? SuggestionIndex.readCacheBody(damaged, index: index)) == nil)
        }
    }
}
