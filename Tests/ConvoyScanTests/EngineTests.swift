import ConvoyGazetteer
import ConvoyGeodesy
@testable import ConvoyScan
import Testing

/// The engine on its own, with no rulebook: places and word classes made here, rules that take
/// every match (or none), and the spans it finds checked against the text.
@Suite("the scan engine alone")
struct EngineTests {
    static func place(_ id: String, _ name: String, _ others: [String] = []) throws -> Place {
        Place(id: id, name: name, kind: "town", country: "SY", location: try GeoPoint(latitude: 35, longitude: 38),
              uncertaintyMeters: 1000, coordinateSource: "test",
              names: [PlaceName(text: name, lang: "en", script: "Latn", kind: .preferred)]
                  + others.map { PlaceName(text: $0, lang: "ar", script: "Arab", kind: .variant) },
              origin: .bundled)
    }

    static let near = WordClasses(rawValue: 1 << 0)
    static let highest = WordClasses(rawValue: 1 << UInt32(WordClasses.storableBits - 1))

    static func index(large: Bool) throws -> NameIndex {
        let places = [try place("sy-homs", "Homs", ["حمص"]), try place("sy-abu-kamal", "Abu Kamal"),
                      try place("sy-deir", "Deir ez-Zor"), try place("sy-tanf", "al-Tanf")]
        return NameIndex(places: places, forLargeInputs: large,
                         wordClasses: WordClassTable(["near": near, "homs": highest], digest: "test"))
    }

    /// Rules that take every match the walk finds.
    final class TakeAll: MatchRules {
        func mayOpenName(at s: Int, _ words: Span<Word>) -> Bool { true }
        func accepts(_ found: Candidate, _ words: Span<Word>, _ source: Span<UInt8>) -> Bool { true }
    }

    /// Rules that take nothing.
    final class TakeNone: MatchRules {
        func mayOpenName(at s: Int, _ words: Span<Word>) -> Bool { false }
        func accepts(_ found: Candidate, _ words: Span<Word>, _ source: Span<UInt8>) -> Bool { false }
    }

    static func spans(_ text: String, _ index: NameIndex, _ rules: any MatchRules) -> [String] {
        let scanner = TextScanner(index: index)
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { p in
            scanner.tokenize(p)
            let found = scanner.findCandidates(p, p, rules: rules)
            defer { scanner.recycle(found) }
            return found.map { String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self) }
        }
    }

    @Test(arguments: [false, true]) func candidatesAreTheNamesInTheText(large: Bool) throws {
        let index = try Self.index(large: large)
        let text = "The convoy left Homs near dawn for Abu-Kamal, then Deir ez-Zor’s outskirts, al-Tanf and حمص."
        #expect(Self.spans(text, index, TakeAll()) == ["Homs", "Abu-Kamal", "Deir ez-Zor", "al-Tanf", "حمص"])
        #expect(Self.spans(text, index, TakeNone()).isEmpty)
        #expect(Self.spans("Homsville and Kamal alone", index, TakeAll()).isEmpty)
    }

    /// The words carry what the table given says of them, and the text's shapes.
    @Test(arguments: [false, true]) func wordsCarryTheGivenClassesAndTheirShapes(large: Bool) throws {
        let index = try Self.index(large: large)
        let scanner = TextScanner(index: index)
        let bytes = Array("NEAR Homs, near-by HOMS's".utf8)
        let words = bytes.withUnsafeBufferPointer { p in
            scanner.tokenize(p)
            return scanner.words
        }
        // (A possessive's classes are the whole word's: "homss" has none.)
        #expect(words.map(\.classes) == [Self.near, Self.highest, Self.near, [], []])
        #expect(words[0].has(.allCaps) && words[1].has(.capital) && words[2].has(.lower))
        #expect(words[2].has(.spanJoin) && !words[2].has(.phraseJoin), "after a comma")
        #expect(words[3].has(.hyphenBefore))
        #expect(words[4].has(.possessive) && words[4].altEnd == words[4].end - 2)
        #expect(words[1].token >= 0 && words[1].token == words[4].altToken)
    }

    /// A plain word (ASCII letters and digits) read eight bytes at a time — the lanes' letters,
    /// capitals and digits masked to the word — has what the byte-at-a-time reading gives it at the
    /// text's end: its extent, token, role, classes and shape (digits among letters, words of 1, 7,
    /// 8, 9 and 15 bytes).
    @Test(arguments: [false, true]) func plainWordsReadByLanesAreReadAsByBytes(large: Bool) throws {
        let index = try Self.index(large: large)
        let scanner = TextScanner(index: index)
        let samples = ["a", "A", "a1", "b52", "B52", "UN", "Un", "1a", "12", "x1y", "near", "NEAR", "Homs", "HOMS", "h0ms",
                       "abcdefg", "ABCDEFG", "abcdefgh", "ABCDEFGH", "Abcdefg1", "abcdefghi", "ABCDEFGH1", "1ABCDEFGH",
                       "abcdefghijklmno", "ABCDEFGHIJKLMN1", "Abcdefghijklm12", "a2345678901234b"]
        func words(_ text: String) -> [Word] {
            Array(text.utf8).withUnsafeBufferPointer { p in
                scanner.tokenize(p)
                return scanner.words
            }
        }
        for sample in samples {
            let lanes = words(sample + " " + String(repeating: "x", count: 20)), bytes = words("x " + sample)
            guard lanes.count == 2, bytes.count == 2 else {
                Issue.record("\(sample): \(lanes.count) and \(bytes.count) words")
                continue
            }
            let (a, b) = (lanes[0], bytes[1])
            #expect(a.end - a.start == b.end - b.start && a.token == b.token && a.role == b.role, "\(sample)")
            #expect(a.classes == b.classes && a.shape.subtracting(.joins) == b.shape.subtracting(.joins), "\(sample): \(a.shape) \(b.shape)")
        }
    }

    /// A word's token, role and classes survive the word tables' packing, up to the highest class bit.
    @Test func lookupsPackAndUnpack() {
        for classes in [WordClasses(), Self.near, Self.highest, WordClasses(rawValue: (1 << UInt32(WordClasses.storableBits)) - 1)] {
            for (token, role) in [(Int32(-1), NameKey.WordRole.plain), (0, .article), (Int32.max - 1, .abu)] {
                let answer = WordLookup(token: token, role: role, classes: classes)
                let back = WordLookup(packed: answer.packed)
                #expect((back.token, back.role, back.classes) == (token, role, classes))
                #expect(WordLookup.isValid(answer.packed, tokens: Int(Int32.max)))
            }
        }
        #expect(!WordLookup.isValid(-1, tokens: 10))
        #expect(!WordLookup.isValid(Int64(11), tokens: 10), "a token id past the vocabulary")
        // The unpacking reads the role's bits as its raw value: they must be the roles' raw values,
        // and no stored value may carry the fourth pattern.
        #expect([NameKey.WordRole.plain, .article, .abu].map(\.rawValue) == [0, 1, 2])
        #expect(NameKey.WordRole(rawValue: 3) == nil)
        #expect(!WordLookup.isValid(3 << 32, tokens: 10), "role bits 3")
        // 0, the answer a queued look-up reads as until it is settled: no token, plain, no classes.
        let none = WordLookup(packed: 0)
        #expect((none.token, none.role, none.classes) == (-1, .plain, []))
    }
}

@Suite("byte classes")
struct ByteClassTests {
    /// The inline tests the scan's loops use say what the table generated from NameKey's rules says, for every byte.
    @Test func inlineTestsAreTheGeneratedTable() {
        for b in 0...255 {
            #expect(ByteClass.of(UInt8(b)) == ByteClass.table[b], "byte \(b)")
        }
        #expect(ByteClass.table.filter { $0 == .apostrophe }.count == 2)
    }

    /// The curly marks the tokenizer deletes inside a word are deleted by NameKey too, and
    /// their UTF-8 forms are what the byte tests look for.
    @Test func curlyApostrophesAreNameKeys() {
        for scalar in ["\u{2018}", "\u{2019}"] {
            #expect(NameKey.words("a\(scalar)b") == ["ab"])
            let bytes = Array(scalar.utf8)
            #expect(bytes.withUnsafeBufferPointer { ByteClass.apostropheLength($0, 0) } == 3)
        }
        #expect(Array("\u{201C}".utf8).withUnsafeBufferPointer { ByteClass.apostropheLength($0, 0) } == 0)
        #expect(Array("x".utf8).withUnsafeBufferPointer { ByteClass.apostropheLength($0, 0) } == 0)
    }
}
