import ConvoyGazetteer

/// The places of a ``NameIndex``, a column per field, all of one length: one value, so the
/// columns cannot get out of step, made only through a constructor that checks them.
package struct PlaceTable: Sendable {
    package let ids: [String]
    package let names: [String]
    package let kinds: [String]
    package let countries: [String?]
    /// Each place's country's index among the index's distinct countries (-1: none).
    package let countryIndex: [Int32]
    /// Whether the place is curated.
    package let bundled: [Bool]
    /// The place's position when the places are sorted by id (String order; the resolver's last
    /// tie-break, one integer instead of two strings).
    package let idRank: [Int32]
    /// Where its names are in the ``NameTable``.
    package let firstName: [Int32]
    package let nameCount: [Int32]

    package var count: Int { ids.count }

    /// The table, or nil when its columns do not agree: all of one length, country indices below
    /// `countryCount`, the id ranks a permutation that sorts the ids, and each place's names within
    /// the `nameTotal` names.
    package init?(ids: [String], names: [String], kinds: [String], countries: [String?], countryIndex: [Int32], bundled: [Bool],
                  idRank: [Int32], firstName: [Int32], nameCount: [Int32], countryCount: Int, nameTotal: Int) {
        let n = ids.count
        guard [names.count, kinds.count, countries.count, countryIndex.count, bundled.count, idRank.count, firstName.count, nameCount.count]
            .allSatisfy({ $0 == n }),
            countryIndex.allSatisfy({ $0 >= -1 && Int($0) < countryCount })
        else { return nil }
        var byRank = [Int32](repeating: -1, count: n)
        for (p, r) in idRank.enumerated() {
            guard r >= 0, Int(r) < n, byRank[Int(r)] < 0 else { return nil }
            byRank[Int(r)] = Int32(p)
        }
        for r in byRank.indices.dropFirst() where !(ids[Int(byRank[r - 1])] < ids[Int(byRank[r])]) { return nil }
        for p in 0..<n {
            let first = Int(firstName[p]), count = Int(nameCount[p])
            if first < 0 || count < 0 || first + count > nameTotal { return nil }
        }
        (self.ids, self.names, self.kinds, self.countries, self.countryIndex) = (ids, names, kinds, countries, countryIndex)
        (self.bundled, self.idRank, self.firstName, self.nameCount) = (bundled, idRank, firstName, nameCount)
    }

    /// Each id's position in the ids sorted.
    package static func idRanks(_ ids: [String]) -> [Int32] {
        var ranks = [Int32](repeating: 0, count: ids.count)
        for (r, p) in ids.indices.sorted(by: { ids[$0] < ids[$1] }).enumerated() { ranks[p] = Int32(r) }
        return ranks
    }
}

/// The recorded names of a ``NameIndex`` (grouped by place), a column per field, of one length,
/// each naming a place of the index: checked by its constructor.
package struct NameTable: Sendable {
    package let texts: [String]
    package let kinds: [NameKind]
    package let place: [Int32]

    package var count: Int { texts.count }

    /// The table, or nil when its columns differ in length or a name's place is not below `placeCount`.
    package init?(texts: [String], kinds: [NameKind], place: [Int32], placeCount: Int) {
        guard kinds.count == texts.count, place.count == texts.count, place.allSatisfy({ $0 >= 0 && Int($0) < placeCount }) else { return nil }
        (self.texts, self.kinds, self.place) = (texts, kinds, place)
    }
}
