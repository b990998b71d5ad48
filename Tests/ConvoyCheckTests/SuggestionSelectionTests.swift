@testable import ConvoyCheck
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyTestSupport
import Testing

/// The in-memory suggestions where the 500-candidate cut of each source binds, which the bundled
/// gazetteer never reaches: thousands of names over a small alphabet, checked against the rule
/// (``SuggestionRule``) written out here — the first 500 keys with the phrase's skeleton, and the
/// 500 keys sharing the most distinct trigrams with it among those whose length allows a close
/// match (ties in key order); those within the edit-distance bound; for a key shorter than
/// ``SuggestionRule/minimumKeyLengthForLowerLayers``, curated places only; one name per place by
/// rank (curated places before others at equal distance).
@Suite("suggestions where the candidate cut binds")
struct SuggestionSelectionTests {
    static func trigrams(_ key: String) -> Set<[Unicode.Scalar]> {
        let s = Array(key.unicodeScalars)
        guard s.count >= 3 else { return [] }
        return Set((0...(s.count - 3)).map { Array(s[$0..<$0 + 3]) })
    }

    static func expected(_ index: NameIndex, key: String, limit: Int) -> [NameSuggestion] {
        let length = key.unicodeScalars.count, skeleton = NameKey.skeleton(ofKey: key), own = trigrams(key)
        let keys = (0..<index.keyCount).map { index.keyText($0) }
        let bySkeleton = keys.indices.filter { !skeleton.isEmpty && NameKey.skeleton(ofKey: keys[$0]) == skeleton }.prefix(500)
        let shared = keys.indices.compactMap { k -> (key: Int, count: Int)? in
            let other = keys[k].unicodeScalars.count
            guard SuggestionRule.accepts(distance: abs(other - length), length, other, sameSkeleton: true) else { return nil }
            let count = own.intersection(trigrams(keys[k])).count
            return count > 0 ? (k, count) : nil
        }
        let byTrigrams = shared.sorted { ($1.count, $0.key) < ($0.count, $1.key) }.prefix(500).map(\.key)
        var best: [Int32: SuggestionRule.Rank] = [:]
        for k in Set(bySkeleton).union(byTrigrams) {
            let other = keys[k].unicodeScalars.count
            let same = NameKey.skeleton(ofKey: keys[k]) == skeleton
            let bound = SuggestionRule.maxDistance(length, other, sameSkeleton: same)
            let distance = NameKey.editDistance(key, keys[k])
            guard abs(other - length) <= bound, distance <= bound else { continue }
            for j in index.entries(ofKey: Int32(k)) {
                let e = index.keyEntries[j]
                guard SuggestionRule.suggests(curated: e.bundled, keyLength: length, distance: distance) else { continue }
                let rank = SuggestionRule.Rank(distance: distance, sameSkeleton: same, curated: e.bundled, text: index.nameTexts[Int(e.name)], placeID: index.placeIDs[Int(e.place)])
                if let current = best[e.place], !(rank < current) { continue }
                best[e.place] = rank
            }
        }
        return best.sorted { $0.value < $1.value }.prefix(limit).map { p, rank in
            NameSuggestion(placeID: index.placeIDs[Int(p)], name: index.placeNames[Int(p)], spelling: rank.text, editDistance: rank.distance)
        }
    }

    @Test func suggestionsFollowTheRuleWhenTheCutBinds() throws {
        var random = SeededGenerator(seed: 500)
        let letters = Array("qarte")
        func word(_ range: ClosedRange<Int>) -> String {
            String((0..<Int.random(in: range, using: &random)).map { _ in letters.randomElement(using: &random)! })
        }
        var places: [Place] = []
        var seen = Set<String>()
        while places.count < 4000 {
            let name = word(6...11).capitalized
            guard seen.insert(NameKey.key(name)).inserted else { continue }
            places.append(Place(id: "p-\(places.count)", name: name, kind: "village", country: ["AA", "BB"].randomElement(using: &random)!,
                                location: try GeoPoint(latitude: 30, longitude: 40), uncertaintyMeters: 1000, coordinateSource: "test",
                                names: [], origin: places.count.isMultiple(of: 2) ? .bundled : .geonames))
        }
        let index = NameIndex(places: places)
        let memory = SuggestionIndex(index: index)
        var cutBinds = 0
        for _ in 0..<12 {
            let key = NameKey.key(word(7...10))
            // The trigram source's cut binds when more than 500 keys of an allowed length share a trigram.
            let length = key.unicodeScalars.count
            let sharing = (0..<index.keyCount).filter { k in
                let other = index.keyText(k).unicodeScalars.count
                return SuggestionRule.accepts(distance: abs(other - length), length, other, sameSkeleton: true)
                    && !Self.trigrams(index.keyText(k)).isDisjoint(with: Self.trigrams(key))
            }.count
            if sharing > 500 { cutBinds += 1 }
            // Every accepted place, not only the first five: the candidate sets are compared whole.
            let got = memory.suggestions(forKey: key, limit: 100_000), want = Self.expected(index, key: key, limit: 100_000)
            #expect(got == want, "\(key)")
            #expect(want.count > 5, "\(key)")
        }
        #expect(cutBinds >= 8)  // 10 of these 12 phrases
    }
}
