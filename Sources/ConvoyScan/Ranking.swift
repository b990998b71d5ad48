import ConvoyGazetteer

/// How the places a name can mean are ranked (docs/check.md, "Ambiguity and context"). In the
/// engine, beside the entries it reads: resolving a candidate runs these loops over a key's
/// entries, which are then inlined there (from another module they would be calls). The scan
/// needs only the first of them, found in one pass (``NameIndex/forEachPlace(key:folded:_:)``); a
/// mention's or diagnostic's whole list is sorted when it is read
/// (``NameIndex/rankedPlaces(_:key:)``). Both compare places by ``NameIndex/RankOrder``.
extension NameIndex {
    /// One of the places a name can mean, with the best of its names for the text.
    package struct RankedPlace {
        package var place: Int32
        /// Its country's index (-1: none): the context rule's tally key.
        package var country: Int32
        /// Its best recorded name with the key: exact (canonical) < variant (recorded) < normalized, then name kind.
        package var name: Int32 = -1
        package var match = MatchKind.normalized
        package var kind = NameKind.misspelling
        /// Whether the text is its canonical name (ignoring case).
        package var canonical: Bool

        package init(place: Int32, country: Int32, canonical: Bool) {
            (self.place, self.country, self.canonical) = (place, country, canonical)
        }
    }

    /// A place's place in the ranking: matched as written, the denser country, a good name,
    /// bundled (one integer, each field in bits of its own), then the id's rank, which no two
    /// places share (so the order is total: the first place is the same however it is found).
    package struct RankOrder: Comparable {
        package var order: UInt64
        package var idRank: Int32

        package init(order: UInt64, idRank: Int32) { (self.order, self.idRank) = (order, idRank) }

        @inline(__always)
        package static func < (a: RankOrder, b: RankOrder) -> Bool { a.order < b.order || (a.order == b.order && a.idRank < b.idRank) }
    }

    /// The best of one place's names with a key (`run`, positions in `keyEntries`) for a folded
    /// text: exact (the text is the canonical name) < variant (a recorded name) < normalized (the
    /// key only), then by name kind; the first of equals.
    @inline(__always)
    package func bestName(_ run: Range<Int>, _ folded: UnsafeBufferPointer<UInt8>) -> RankedPlace {
        let first = keyEntries[run.lowerBound]
        // The text is the canonical name when, folded, it is a name that folds to the canonical one.
        let canonical = run.contains { keyEntries[$0].canonical && entryFolded($0, equals: folded) }
        var best = RankedPlace(place: first.place, country: first.country, canonical: canonical)
        for j in run {
            let e = keyEntries[j]
            let match: MatchKind = entryFolded(j, equals: folded) ? (canonical ? .exact : .variant) : .normalized
            if best.name >= 0, (best.match, best.kind) <= (match, e.kind) { continue }
            (best.name, best.match, best.kind) = (e.name, match, e.kind)
        }
        return best
    }

    /// The rank of a place whose best name is `best`, its entries starting at `j`.
    @inline(__always)
    package func rankOrder(_ best: RankedPlace, entry j: Int) -> RankOrder {
        let e = keyEntries[j]
        let density = best.country >= 0 ? countryDensity[Int(best.country)] : 0
        let order = (best.match == .normalized ? 1 << 62 : 0) | UInt64((1 << 41) - 1 - min(density, (1 << 41) - 1)) << 2
            | (best.kind < .misspelling ? 0 : 2) | (e.bundled ? 0 : 1)
        return RankOrder(order: order, idRank: e.idRank)
    }

    /// Calls `body` with each place a folded text with key `k` can name (a key's names are grouped
    /// by place: each place is a run of entries), its best name and its rank.
    @inline(__always)
    package func forEachPlace(key k: Int32, folded: UnsafeBufferPointer<UInt8>, _ body: (RankedPlace, RankOrder) -> Void) {
        let range = entries(ofKey: k)
        var j = range.lowerBound
        while j < range.upperBound {
            let p = keyEntries[j].place
            var end = j + 1
            while end < range.upperBound, keyEntries[end].place == p { end += 1 }
            let best = bestName(j..<end, folded)
            body(best, rankOrder(best, entry: j))
            j = end
        }
    }

    /// The places a text (UTF-8) with key `k` can name, in rank order.
    package func rankedPlaces(_ text: UnsafeBufferPointer<UInt8>, key k: Int32) -> [RankedPlace] {
        var scratch: [UInt8] = []
        var ranked: [(RankedPlace, RankOrder)] = []
        withFolded(text, key: k, scratch: &scratch) { folded in
            forEachPlace(key: k, folded: folded) { ranked.append(($0, $1)) }
        }
        return ranked.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// The places a text with key `k` can name, `chosen` (a place index) first and the others in
    /// rank order: what a mention or diagnostic of a name several places have lists.
    package func rankedPlaces(_ text: String, key k: Int32, chosen: Int32) -> [RankedPlace] {
        var places = Array(text.utf8).withUnsafeBufferPointer { rankedPlaces($0, key: k) }
        if let i = places.firstIndex(where: { $0.place == chosen }), i > 0 { places.insert(places.remove(at: i), at: 0) }
        return places
    }
}
