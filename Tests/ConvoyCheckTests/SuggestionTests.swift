@testable import ConvoyCheck
import ConvoyGazetteer
import ConvoyTestSupport
import Foundation
import Testing

/// On the curated layer alone: with the bundled GeoNames layer, thousands of names share a trigram
/// with a phrase and the two ways of ranking trigram candidates differ among equally distant names
/// (such a gazetteer, of at most `smallGazetteerKeys` keys, gets the in-memory index at once).
@Suite("suggestions in memory and from the store")
struct SuggestionTests {
    /// Phrases near the gazetteer's names: each name with a letter dropped, two letters swapped and
    /// a vowel added (the planted misspellings of reports), and the seeds' unknown phrases.
    static func phrases() throws -> [String] {
        var phrases = ["Afat", "Yormouk", "Hmeimim", "Qalamon", "Abu Kamel", "Deir Ezzor", "Sukhna", "Arsaal", "Falitah", "Rahibah"]
        for entry in try Fixture.curatedGazetteer.allNames() {
            let chars = Array(entry.name.text)
            guard chars.count >= 5 else { continue }
            let i = chars.count / 2
            phrases.append(String(chars[..<i] + chars[(i + 1)...]))
            phrases.append(String(chars[..<(i - 1)] + [chars[i], chars[i - 1]] + chars[(i + 1)...]))
            phrases.append(String(chars[..<i] + ["a"] + chars[i...]))
        }
        return phrases
    }

    /// The in-memory index and the store's query must suggest the same names, in the same order,
    /// for every phrase (on this gazetteer fewer than 500 names share a trigram with most phrases,
    /// so the two ways of ranking trigram candidates rarely come into play).
    @Test func theInMemoryIndexSuggestsWhatTheStoreSuggests() throws {
        let memory = SuggestionIndex(index: Fixture.curatedIndex)
        var compared = 0, nonEmpty = 0
        for phrase in try Self.phrases() {
            let key = NameKey.key(phrase)
            guard !key.isEmpty else { continue }
            let fromStore = SuggestionSource.fromStore(Fixture.curatedGazetteer, phrase)
            let inMemory = memory.suggestions(forKey: key, limit: SuggestionSource.limit)
            #expect(inMemory == fromStore, "\(phrase)")
            compared += 1
            if !fromStore.isEmpty { nonEmpty += 1 }
        }
        #expect(compared > 1000)
        #expect(nonEmpty > compared * 9 / 10)
    }

    /// The in-memory index's early reject: the bag distance (by bucket) never exceeds the edit
    /// distance, on neighbouring phrases (the same name misspelt in different ways) and random pairs.
    @Test func theBagDistanceNeverExceedsTheEditDistance() throws {
        let keys = try Self.phrases().map { NameKey.key($0) }.filter { !$0.isEmpty }
        var generator = SeededGenerator(seed: 7)
        var pairs = zip(keys, keys.dropFirst()).map { ($0, $1) }
        for _ in 0..<5000 { pairs.append((keys.randomElement(using: &generator)!, keys.randomElement(using: &generator)!)) }
        var taken = [Int16](repeating: 0, count: SuggestionIndex.Bag.buckets)
        var rejecting = 0
        for (a, b) in pairs {
            let query = a.unicodeScalars.map(\.value), candidate = b.unicodeScalars.map(\.value)
            var bag = [Int16](repeating: 0, count: SuggestionIndex.Bag.buckets)
            for q in query { bag[SuggestionIndex.Bag.bucket(q)] += 1 }
            let bound = SuggestionIndex.Bag.lowerBound(candidate.span, query: bag, taken: &taken, queryCount: query.count)
            let distance = NameKey.editDistance(a, b)
            #expect(bound <= distance, "\(a) / \(b)")
            if bound > 2 { rejecting += 1 }
        }
        #expect(taken.allSatisfy { $0 == 0 })
        #expect(rejecting > pairs.count / 4)
    }

    /// A checker asks the store first and switches to the in-memory index after `storeQueries`
    /// phrases; the answers do not change at the switch.
    @Test func theSourceSwitchesToMemoryAfterItsStoreQueries() throws {
        let source = SuggestionSource(index: Fixture.curatedIndex, gazetteer: Fixture.curatedGazetteer, storeQueries: 3, smallGazetteerKeys: 0)
        let phrases = ["Yormouk", "Qalamon", "Sukhna", "Arsaal", "Falitah", "Abu Kamel"]
        for (i, phrase) in phrases.enumerated() {
            let answer = source.suggestions(for: phrase, key: NameKey.key(phrase))
            #expect((source.inMemory != nil) == (i >= 3), "\(phrase)")
            #expect(answer == SuggestionSource.fromStore(Fixture.curatedGazetteer, phrase), "\(phrase)")
            #expect(!answer.isEmpty, "\(phrase)")
        }
        #expect(source.storeQueriesMade == 3)
        // A small gazetteer gets the in-memory index at once.
        let small = SuggestionSource(index: Fixture.curatedIndex, gazetteer: Fixture.curatedGazetteer)
        #expect(small.suggestions(for: "Sukhna", key: NameKey.key("Sukhna")) == SuggestionSource.fromStore(Fixture.curatedGazetteer, "Sukhna"))
        #expect(small.inMemory != nil && small.storeQueriesMade == 0)
    }
}
