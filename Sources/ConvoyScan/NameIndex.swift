import ConvoyGazetteer

/// Every gazetteer name compiled into one automaton: a trie over the integer ids of normalised
/// name tokens (``NameKey``), so scanning text costs a few hash look-ups per word whatever the
/// gazetteer's size — no loop over names. Immutable once built, so one index serves many scans.
public final class NameIndex: Sendable {
    /// The places, by index.
    package let places: PlaceTable
    /// Number of distinct countries (the size of a per-country tally).
    package let countryCount: Int
    /// The names, by index (grouped by place).
    package let names: NameTable
    // The columns under the names the rules read them by. (The scan reads the copies of the
    // resolver's fields in each name entry, `KeyEntry`, which sit with the names it reads anyway;
    // the place table is what the copies are made from and checked against on read-back.)
    package var placeIDs: [String] { places.ids }
    package var placeNames: [String] { places.names }
    package var placeKinds: [String] { places.kinds }
    package var placeCountries: [String?] { places.countries }
    package var placeCountryIndex: [Int32] { places.countryIndex }
    package var placeBundled: [Bool] { places.bundled }
    package var placeIDRank: [Int32] { places.idRank }
    package var placeFirstName: [Int32] { places.firstName }
    package var placeNameCount: [Int32] { places.nameCount }
    package var nameTexts: [String] { names.texts }
    package var nameKinds: [NameKind] { names.kinds }
    package var namePlace: [Int32] { names.place }
    /// Per key, where its names are and what it names, in one record (one cache line read per key).
    package let keys: [KeyInfo]
    /// The names with each key, side by side: key `k`'s are `keyEntries[entries(ofKey: k)]`, in
    /// name order, with their bytes in `entryBytes`. Resolving a mention reads a few adjacent
    /// cache lines here instead of chasing a string per name.
    package let keyEntries: [KeyEntry]
    package let entryBytes: [UInt8]
    /// Each key's text as UTF-8, by key index: `keyBytes[keyStarts[k]..<keyStarts[k + 1]]`
    /// (what suggestions are measured against; one arena, not a million strings).
    package let keyBytes: [UInt8]
    package let keyStarts: [Int32]
    // The automaton.
    package let vocabulary: ByteMap
    /// Tokens `0..<rootCount` start a key; the root's child by token `t` is node `t + 1`.
    package let rootCount: Int32
    package let edges: EdgeMap
    /// Per trie node, the key it completes (-1: none), with ``bundledKeyFlag`` set when a bundled
    /// place has the key: the walk reads the flag with the key instead of the key's record.
    package let nodeKey: [Int32]
    /// Set in a `nodeKey` value whose key a bundled (curated) place has.
    package static let bundledKeyFlag: Int32 = 1 << 30
    /// Every name's words, tokenized (see ``Tokenizer/Segments``), when the index was built
    /// `forLargeInputs`.
    package let knownSegments: Tokenizer.Segments?
    /// Bundled places per country, by country index: the resolver's tie-break (the region the
    /// curated data covers).
    package let countryDensity: [Int]
    /// What each word is to the rules that read the scan's words, as the rulebook gave it: the
    /// tokenized names carry these classes, and a tokenizer of this index uses the same table.
    package let wordClasses: WordClassTable

    /// Reports adding up to this many bytes are checked with an index built `forLargeInputs`.
    public static let largeInputBytes = 64 << 20

    /// Number of places, names, distinct keys, distinct tokens and trie nodes.
    public var placeCount: Int { placeIDs.count }
    public var nameCount: Int { nameTexts.count }
    public var keyCount: Int { keys.count }
    public var tokenCount: Int { vocabulary.count }
    public var nodeCount: Int { nodeKey.count }

    /// Builds the index from the store: every place and every name with its stored key.
    ///
    /// - Parameter forLargeInputs: also tokenize every name's words up front, so that text spelling
    ///   names as recorded never takes the slow Unicode path. With 1.2 M names this adds ~6 s to the
    ///   build and makes the scan ~1.5× faster: worth it for ~100 MB of text, not for a report.
    package convenience init(gazetteer: Gazetteer, forLargeInputs: Bool = false, wordClasses: WordClassTable) throws {
        let entries = try gazetteer.placesWithNameKeys()
        self.init(places: entries.map(\.place), forLargeInputs: forLargeInputs, wordClasses: wordClasses, keyOf: { p, n, name in
            let keys = entries[p].nameKeys
            return n >= 0 && n < keys.count && entries[p].place.names[n].text == name.text ? keys[n] : NameKey.key(name.text)
        })
    }

    /// Builds the index from places; `key` gives a name's key (by default computed with ``NameKey/key(_:)``).
    package convenience init(places: [Place], forLargeInputs: Bool = false, wordClasses: WordClassTable,
                             key: (Place, PlaceName) -> String = { NameKey.key($1.text) }) {
        self.init(places: places, forLargeInputs: forLargeInputs, wordClasses: wordClasses, keyOf: { p, _, name in key(places[p], name) })
    }

    /// Builds the index; `keyOf(place, position in place.names or -1 for an added canonical name, name)`
    /// gives each name's key.
    package init(places: [Place], forLargeInputs: Bool, wordClasses: WordClassTable, keyOf: (Int, Int, PlaceName) -> String) {
        self.wordClasses = wordClasses
        var placeIDs: [String] = [], placeNames: [String] = [], placeKinds: [String] = []
        var placeCountries: [String?] = [], placeBundled: [Bool] = []
        var placeFirstName: [Int32] = [], placeNameCount: [Int32] = []
        var nameTexts: [String] = [], nameKinds: [NameKind] = [], namePlace: [Int32] = []
        var nameKey: [Int32] = [], nameCanonical: [Bool] = []
        var nameFolded: [UInt8] = [], nameFoldedStarts: [Int32] = [0]
        var keyIndex: [String: Int32] = [:]
        var keyNameCount: [Int32] = []
        var keyTokens: [[String]] = []
        var keyBytes: [UInt8] = [], keyStarts: [Int32] = [0]
        var density: [String: Int] = [:]
        for place in places {
            let p = Int32(placeIDs.count)
            placeIDs.append(place.id)
            placeNames.append(place.name)
            let canonical = Self.folded(place.name)
            placeKinds.append(place.kind)
            placeCountries.append(place.country)
            placeBundled.append(place.origin.isCurated)
            if place.origin == .bundled, let c = place.country { density[c, default: 0] += 1 }
            placeFirstName.append(Int32(nameTexts.count))
            var names = place.names
            let added = !names.contains(where: { $0.text == place.name })
            if added { names.insert(PlaceName(text: place.name, lang: "und", script: "Latn", kind: .preferred), at: 0) }
            placeNameCount.append(Int32(names.count))
            for (position, name) in names.enumerated() {
                nameTexts.append(name.text)
                nameKinds.append(name.kind)
                namePlace.append(p)
                let folded = Self.folded(name.text)
                nameFolded.append(contentsOf: folded.utf8)
                nameFoldedStarts.append(Int32(nameFolded.count))
                nameCanonical.append(folded == canonical)
                let k = keyOf(Int(p), added ? position - 1 : position, name)
                guard !k.isEmpty else { nameKey.append(-1); continue }
                if let existing = keyIndex[k] {
                    nameKey.append(existing)
                    keyNameCount[Int(existing)] += 1
                } else {
                    nameKey.append(Int32(keyNameCount.count))
                    keyIndex[k] = Int32(keyNameCount.count)
                    keyNameCount.append(1)
                    keyTokens.append(k.split(separator: " ").map(String.init))
                    keyBytes.append(contentsOf: k.utf8)
                    keyStarts.append(Int32(keyBytes.count))
                }
            }
        }
        // The key entries, by a counting sort of the names on their keys (name order within a key),
        // with their bytes in entry order so that a key's bytes are adjacent too.
        var keyEntryStart = [Int32](repeating: 0, count: keyNameCount.count + 1)
        for (k, count) in keyNameCount.enumerated() { keyEntryStart[k + 1] = keyEntryStart[k] + count }
        var fill = keyEntryStart
        var entryName = [Int](repeating: 0, count: Int(keyEntryStart.last!))
        for n in nameTexts.indices where nameKey[n] >= 0 {
            entryName[Int(fill[Int(nameKey[n])])] = n
            fill[Int(nameKey[n])] += 1
        }
        var keyEntries: [KeyEntry] = [], entryBytes: [UInt8] = []
        keyEntries.reserveCapacity(entryName.count)
        entryBytes.reserveCapacity(2 * nameFolded.count)
        for n in entryName {
            let start = entryBytes.count
            entryBytes.append(contentsOf: nameTexts[n].utf8)
            let textLength = entryBytes.count - start
            entryBytes.append(contentsOf: nameFolded[Int(nameFoldedStarts[n])..<Int(nameFoldedStarts[n + 1])])
            keyEntries.append(KeyEntry(name: Int32(n), place: namePlace[n], bytes: Int32(start), textLength: Int32(textLength),
                                       foldedLength: Int32(entryBytes.count - start - textLength), kind: nameKinds[n], canonical: nameCanonical[n]))
        }
        // Token ids: the tokens that start a key first, so that the root's child by token `t` is
        // node `t + 1` (no table to read for the first word of a name).
        var vocabulary = ByteMap(capacity: keyNameCount.count + 16)
        var tokenCount: Int32 = 0
        func tokenID(_ token: String) -> Int32 {
            let bytes = Array(token.utf8)
            if let id = vocabulary.value(for: bytes) { return Int32(id) }
            vocabulary.set(bytes, value: Int64(tokenCount))
            tokenCount += 1
            return tokenCount - 1
        }
        for tokens in keyTokens { _ = tokenID(tokens[0]) }
        let rootCount = tokenCount
        let tokenIDs: [[Int32]] = keyTokens.map { $0.map(tokenID) }
        var edges = EdgeMap(capacity: keyNameCount.count + 16)
        var nodeKey = [Int32](repeating: -1, count: Int(rootCount) + 1)  // node 0 is the root
        for (k, ids) in tokenIDs.enumerated() {
            var node = ids[0] + 1
            for id in ids.dropFirst() {
                var child = edges.child(node, id)
                if child < 0 {
                    child = Int32(nodeKey.count)
                    nodeKey.append(-1)
                    edges.insert(node, id, child: child)
                }
                node = child
            }
            nodeKey[Int(node)] = Int32(k)
        }
        var countryIndex: [String: Int32] = [:]
        let placeCountryIndex: [Int32] = placeCountries.map { country in
            guard let country else { return -1 }
            if let known = countryIndex[country] { return known }
            countryIndex[country] = Int32(countryIndex.count)
            return Int32(countryIndex.count - 1)
        }
        self.countryCount = countryIndex.count
        var densityByIndex = [Int](repeating: 0, count: countryIndex.count)
        for (country, i) in countryIndex { densityByIndex[Int(i)] = density[country] ?? 0 }
        self.countryDensity = densityByIndex
        let placeIDRank = PlaceTable.idRanks(placeIDs)
        for j in keyEntries.indices {
            let p = Int(keyEntries[j].place)
            (keyEntries[j].idRank, keyEntries[j].country, keyEntries[j].bundled) = (placeIDRank[p], placeCountryIndex[p], placeBundled[p])
        }
        guard let places = PlaceTable(ids: placeIDs, names: placeNames, kinds: placeKinds, countries: placeCountries, countryIndex: placeCountryIndex,
                                      bundled: placeBundled, idRank: placeIDRank, firstName: placeFirstName, nameCount: placeNameCount,
                                      countryCount: countryIndex.count, nameTotal: nameTexts.count),
            let names = NameTable(texts: nameTexts, kinds: nameKinds, place: namePlace, placeCount: placeIDs.count)
        else { preconditionFailure("the index's place and name columns were built out of step") }
        self.places = places
        self.names = names
        self.keyEntries = keyEntries
        self.entryBytes = entryBytes
        self.keys = keyNameCount.indices.map { k in
            let entries = keyEntries[Int(keyEntryStart[k])..<Int(keyEntryStart[k + 1])]
            let first = entries.first!.place
            return KeyInfo(start: keyEntryStart[k], count: keyEntryStart[k + 1] - keyEntryStart[k],
                           place: entries.allSatisfy { $0.place == first } ? first : -1,
                           bundled: entries.contains { placeBundled[Int($0.place)] })
        }
        self.keyBytes = keyBytes
        self.keyStarts = keyStarts
        self.vocabulary = vocabulary
        self.rootCount = rootCount
        let keys = self.keys
        let flagged = nodeKey.map { k in k >= 0 && keys[Int(k)].bundled ? k | Self.bundledKeyFlag : k }
        edges.setChildKeys(flagged)
        self.edges = edges
        self.nodeKey = flagged
        self.knownSegments = forLargeInputs ? Tokenizer.segments(of: nameTexts, vocabulary: vocabulary, wordClasses: wordClasses) : nil
        // Huge pages pay for a scan of large inputs; for a report they would only add to the load.
        if forLargeInputs { adviseHugePages() }
    }

    /// Reads an index written by ``archive(into:)``, checking that its tables agree with each other.
    /// The word classes are not stored: the cache file's fingerprint holds their digest, so a
    /// file is read only with the table it was written with.
    package init(reading reader: inout IndexArchiveReader, forLargeInputs: Bool, wordClasses: WordClassTable) throws {
        self.wordClasses = wordClasses
        func malformed(_ what: String) -> IndexArchiveReader.Malformed { .init(description: what) }
        func malformedTable(_ what: String) -> IndexArchiveReader.Malformed { .init(description: "the \(what) table's columns do not agree") }
        let ids = try reader.readStrings(), placeNames = try reader.readStrings(), kinds = try reader.readStrings()
        let countries = try reader.readOptionalStrings(), countryIndex = try reader.read(Int32.self)
        countryCount = try reader.readInt()
        countryDensity = try reader.read(Int.self)
        let bundled = try reader.readBools(), idRank = try reader.read(Int32.self)
        let firstName = try reader.read(Int32.self), nameCount = try reader.read(Int32.self)
        let texts = try reader.readStrings()
        let nameKinds = try reader.read(NameKind.self, valid: { IndexArchiveReader.isNameKind($0[0]) })
        let namePlace = try reader.read(Int32.self)
        guard let places = PlaceTable(ids: ids, names: placeNames, kinds: kinds, countries: countries, countryIndex: countryIndex, bundled: bundled,
                                      idRank: idRank, firstName: firstName, nameCount: nameCount, countryCount: countryCount, nameTotal: texts.count)
        else { throw malformedTable("place") }
        guard let names = NameTable(texts: texts, kinds: nameKinds, place: namePlace, placeCount: ids.count) else { throw malformedTable("name") }
        self.places = places
        self.names = names
        keys = try reader.read(KeyInfo.self, valid: { IndexArchiveReader.isBool($0[KeyInfo.bundledOffset]) })
        keyEntries = try reader.read(KeyEntry.self, valid: KeyEntry.isValid)
        entryBytes = try reader.read(UInt8.self)
        keyBytes = try reader.read(UInt8.self)
        keyStarts = try reader.read(Int32.self)
        vocabulary = try ByteMap(from: &reader)
        let tokens = vocabulary.count
        guard vocabulary.allValues({ $0 >= 0 && $0 < tokens }) else { throw malformed("a token id is out of range") }
        let root = try reader.readInt()
        guard root >= 0, root <= tokens else { throw malformed("the number of tokens that start a name is out of range") }
        rootCount = Int32(root)
        nodeKey = try reader.read(Int32.self)
        edges = try EdgeMap(from: &reader, nodeKey: nodeKey, tokens: tokens)
        let hasSegments = try reader.readInt()
        guard hasSegments == 0 || hasSegments == 1 else { throw malformed("the tokenized names' flag is neither 0 nor 1") }
        knownSegments = hasSegments == 1 ? try Tokenizer.Segments(from: &reader, tokens: tokens) : nil
        guard reader.isAtEnd, (hasSegments == 1) == forLargeInputs, tablesAgree() else { throw malformed("the index's tables do not agree") }
        if forLargeInputs { adviseHugePages() }
    }

    /// Whether the tables' sizes and cross-references agree (so that a damaged cache file cannot
    /// send a look-up out of bounds).
    private func tablesAgree() -> Bool {
        // (The place and name tables checked themselves.)
        let table = self.places
        let places = self.places.count, names = self.names.count
        guard countryDensity.count == countryCount, keyStarts.count == keys.count + 1, keyStarts.first == 0,
            Int(keyStarts.last!) == keyBytes.count, rootCount >= 0, Int(rootCount) < nodeKey.count
        else { return false }
        guard nodeKey.allSatisfy({ $0 == -1 || ($0 >= 0 && Int($0 & ~Self.bundledKeyFlag) < keys.count
                && ($0 & Self.bundledKeyFlag != 0) == keys[Int($0 & ~Self.bundledKeyFlag)].bundled) }),
            zip(keyStarts, keyStarts.dropFirst()).allSatisfy({ $0 <= $1 })
        else { return false }
        for k in keys {
            let start = Int(k.start), count = Int(k.count)
            if start < 0 || count <= 0 || start + count > keyEntries.count || k.place < -1 || Int(k.place) >= places { return false }
        }
        for e in keyEntries {
            if e.name < 0 || Int(e.name) >= names || e.place < 0 || Int(e.place) >= places { return false }
            let p = Int(e.place)
            if (e.idRank, e.country, e.bundled) != (table.idRank[p], table.countryIndex[p], table.bundled[p]) { return false }
            let start = Int(e.bytes), end = start + Int(e.textLength) + Int(e.foldedLength)
            if start < 0 || e.textLength < 0 || e.foldedLength < 0 || end > entryBytes.count { return false }
        }
        return true
    }

    /// Writes the index for ``init(reading:forLargeInputs:)``.
    package func archive(into writer: inout IndexArchiveWriter) {
        writer.write(strings: placeIDs)
        writer.write(strings: placeNames)
        writer.write(strings: placeKinds)
        writer.write(strings: placeCountries)
        writer.write(placeCountryIndex)
        writer.write(countryCount)
        writer.write(countryDensity)
        writer.write(placeBundled)
        writer.write(placeIDRank)
        writer.write(placeFirstName)
        writer.write(placeNameCount)
        writer.write(strings: nameTexts)
        writer.write(nameKinds)
        writer.write(namePlace)
        writer.write(keys)
        writer.write(keyEntries)
        writer.write(entryBytes)
        writer.write(keyBytes)
        writer.write(keyStarts)
        vocabulary.archive(into: &writer)
        writer.write(Int(rootCount))
        writer.write(nodeKey)
        edges.archive(into: &writer)
        writer.write(knownSegments == nil ? 0 : 1)
        knownSegments?.archive(into: &writer)
    }

    /// Backs the tables a scan reads at random with huge pages (see ``HugePages``).
    private func adviseHugePages() {
        vocabulary.adviseHugePages()
        edges.adviseHugePages()
        knownSegments?.map.adviseHugePages()
        knownSegments?.asciiWords.adviseHugePages()
        knownSegments.map { HugePages.advise($0.words) }
        HugePages.advise(keyEntries)
        HugePages.advise(entryBytes)
        HugePages.advise(keys)
        HugePages.advise(nodeKey)
        HugePages.advise(nameTexts)
        HugePages.advise(placeIDs)
        HugePages.advise(placeNames)
    }

    /// Lower case with runs of white space as one space, without Arabic marks and with Arabic's
    /// interchangeable letter forms as one: how mention texts and names are compared.
    package static func folded(_ text: String) -> String {
        let folded = foldedCaseAndSpace(text)
        guard folded.unicodeScalars.contains(where: { isArabicMark($0) || arabicLetterForm($0) != nil }) else { return folded }
        var out = String.UnicodeScalarView()
        for s in folded.unicodeScalars where !isArabicMark(s) { out.append(arabicLetterForm(s) ?? s) }
        return String(out)
    }

    /// The letter an Arabic letter form is written for, as news text and gazetteers interchange them
    /// (the hamza seat of an alef is mostly left out, a final ة or ى written ه or ي): "إسطنبول" is
    /// "اسطنبول" as recorded, "حماه" is "حماة". These are the Arabic counterpart of case, not a
    /// spelling of their own (NameKey folds them the same way).
    private static func arabicLetterForm(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x0622, 0x0623, 0x0625, 0x0671: "\u{0627}"  // آ أ إ ٱ → ا
        case 0x0629: "\u{0647}"  // ة → ه
        case 0x0649: "\u{064A}"  // ى → ي
        default: nil
        }
    }

    /// Arabic vowel marks, shadda and sukun (U+064B–U+065F), the dagger alef (U+0670) and the
    /// tatweel (U+0640): optional in writing, so no part of how a name is spelt ("عمّان" is "عمان" as
    /// recorded, "الركبان" is "الرُّكبان").
    private static func isArabicMark(_ s: Unicode.Scalar) -> Bool {
        (0x064B...0x065F).contains(s.value) || s.value == 0x0670 || s.value == 0x0640
    }

    private static func foldedCaseAndSpace(_ text: String) -> String {
        var utf8 = text.utf8
        if let fast = utf8.withContiguousStorageIfAvailable({ asciiFolded($0) }), let fast {
            return fast
        }
        var copy = text
        copy.makeContiguousUTF8()
        utf8 = copy.utf8
        if let fast = utf8.withContiguousStorageIfAvailable({ asciiFolded($0) }), let fast { return fast }
        // No white space (most names): the text lower-cased, without reading it Character by
        // Character (a Character is white space when its first scalar is).
        if !text.unicodeScalars.contains(where: \.properties.isWhitespace) { return text.lowercased() }
        var out = ""
        var space = false
        for ch in text.lowercased() {
            if ch.isWhitespace {
                space = true
            } else {
                if space, !out.isEmpty { out.append(" ") }
                space = false
                out.append(ch)
            }
        }
        return out
    }

    /// `folded` for ASCII text, on bytes; nil when the text is not ASCII.
    private static func asciiFolded(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var out = [UInt8]()
        return foldASCII(bytes, into: &out) ? String(decoding: out, as: UTF8.self) : nil
    }

    /// Lower-cases ASCII bytes and collapses runs of white space into one space, as ``folded(_:)``
    /// does, into `out`; false when the bytes are not all ASCII.
    package static func foldASCII(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(bytes.count)
        var space = false
        for b in bytes {
            if b >= 0x80 { return false }
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                space = true
                continue
            }
            if space, !out.isEmpty { out.append(0x20) }
            space = false
            out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        return true
    }

    /// The id of a normalised token, or -1 when no name has it.
    package func tokenID(_ token: String) -> Int32 { vocabulary.tokenID(token) }

    /// The trie node reached from `node` by `token`, or -1.
    @inline(__always)
    package func child(_ node: Int32, _ token: Int32) -> Int32 {
        withAutomaton { $0.child(node, token) }
    }

    /// The automaton as buffer pointers, for the scan's walk (see ``EdgeMap/View``).
    package struct Automaton {
        package let rootCount: Int32
        package let edges: EdgeMap.View
        package let nodeKey: UnsafeBufferPointer<Int32>

        /// The trie node reached from `node` by `token`, or -1 (as ``NameIndex/child(_:_:)``).
        @inline(__always)
        package func child(_ node: Int32, _ token: Int32) -> Int32 {
            guard token >= 0 else { return -1 }
            return node == 0 ? (token < rootCount ? token + 1 : -1) : edges.child(node, token)
        }

        /// The node reached from `node` by `token` and its `nodeKey` value (see ``key(_:)``), or (-1, -1):
        /// the walk's step, which reads the key from the edge rather than from a second table.
        @inline(__always)
        package func step(_ node: Int32, _ token: Int32) -> (node: Int32, key: Int32) {
            guard token >= 0 else { return (-1, -1) }
            if node == 0 { return token < rootCount ? (token + 1, nodeKey[Int(token + 1)]) : (-1, -1) }
            return edges.step(node, token)
        }

        /// A `nodeKey` value taken apart: the key (-1: none) and whether a bundled place has it.
        @inline(__always)
        package static func key(_ v: Int32) -> (key: Int32, bundled: Bool) {
            (v < 0 ? -1 : v & ~NameIndex.bundledKeyFlag, v & NameIndex.bundledKeyFlag != 0)
        }

        /// Asks for the cache lines a walk from the word with `token`, followed by `next`, reads first.
        @inline(__always)
        package func prefetchWalk(_ token: Int32, _ next: Int32) {
            guard token >= 0, token < rootCount else { return }
            nodeKey.prefetch(Int(token + 1))
            if next >= 0 { edges.prefetch(token + 1, next) }
        }
    }

    /// Calls `body` with the automaton's view, valid during the call.
    package func withAutomaton<R>(_ body: (Automaton) throws -> R) rethrows -> R {
        try edges.withView { edges in
            try nodeKey.withUnsafeBufferPointer { try body(Automaton(rootCount: rootCount, edges: edges, nodeKey: $0)) }
        }
    }

    /// The text of key `k`.
    package func keyText(_ k: Int) -> String {
        keyBytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[Int(keyStarts[k])..<Int(keyStarts[k + 1])]), as: UTF8.self) }
    }

    /// The index of the key a node completes, or -1.
    @inline(__always)
    package func key(at node: Int32) -> Int32 { Automaton.key(nodeKey[Int(node)]).key }

    /// A short description of a place for messages: "Abu Kamal (city, SY) [sy-abu-kamal]".
    package func describe(_ p: Int) -> String {
        var parts = [placeKinds[p]]
        if let c = placeCountries[p] { parts.append(c) }
        return "\(placeNames[p]) (\(parts.joined(separator: ", "))) [\(placeIDs[p])]"
    }

    /// Index of the place with this id (linear; used for messages and tests only).
    package func placeIndex(id: String) -> Int? { placeIDs.firstIndex(of: id) }
}

/// A key as the matcher and resolver read it.
package struct KeyInfo: Sendable, BitwiseCopyable {
    /// Where `bundled` sits in a stored record (checked to be 0 or 1 when a cache file is read).
    package static let bundledOffset = MemoryLayout<KeyInfo>.offset(of: \KeyInfo.bundled)!

    /// Its names' positions in `keyEntries`.
    package var start: Int32
    package var count: Int32
    /// The one place the key names, or -1 when it names several.
    package var place: Int32
    /// Whether a bundled (curated) place has the key.
    package var bundled: Bool
}

/// One recorded name under a key, as the resolver reads it.
package struct KeyEntry: Sendable, BitwiseCopyable {
    /// The name's and its place's indices.
    package var name: Int32
    package var place: Int32
    /// Where its bytes start in `entryBytes`: the name as recorded, then its folded form.
    package var bytes: Int32
    package var textLength: Int32
    package var foldedLength: Int32
    /// What the resolver reads of the place, copied here from the per-place tables so that
    /// resolving a name reads its entries' cache lines and no line of those tables (each a
    /// miss: they are read at random): the id's rank, the country's index (-1: none), curated.
    package var idRank: Int32 = 0
    package var country: Int32 = -1
    package var kind: NameKind
    /// Whether the name, folded, is its place's canonical name folded.
    package var canonical: Bool
    package var bundled = false

    /// Whether a stored record's enum and Bool fields hold values (a cache file's, before it is read).
    package static func isValid(_ record: UnsafeRawBufferPointer) -> Bool {
        IndexArchiveReader.isNameKind(record[kindOffset]) && IndexArchiveReader.isBool(record[canonicalOffset])
            && IndexArchiveReader.isBool(record[bundledOffset])
    }
    private static let kindOffset = MemoryLayout<KeyEntry>.offset(of: \KeyEntry.kind)!
    private static let canonicalOffset = MemoryLayout<KeyEntry>.offset(of: \KeyEntry.canonical)!
    private static let bundledOffset = MemoryLayout<KeyEntry>.offset(of: \KeyEntry.bundled)!
}

extension NameIndex {
    /// Whether a text (UTF-8) is one of the recorded names with key `k`, ignoring case — compared
    /// on folded bytes when it is ASCII, as most text is (`scratch` is a reusable buffer).
    package func isRecorded(_ text: UnsafeBufferPointer<UInt8>, key k: Int32, scratch: inout [UInt8]) -> Bool {
        withFolded(text, key: k, scratch: &scratch) { folded in
            entries(ofKey: k).contains { entryFolded($0, equals: folded) }
        }
    }

    /// Asks for the cache line of key `k`'s record.
    @inline(__always)
    package func prefetchKey(_ k: Int32) {
        keys.withUnsafeBufferPointer { $0.prefetch(Int(k)) }
    }

    /// Asks for the cache line of key `k`'s first name entry (its record must be in cache by now).
    @inline(__always)
    package func prefetchEntries(ofKey k: Int32) {
        let start = Int(keys[Int(k)].start)
        keyEntries.withUnsafeBufferPointer { $0.prefetch(start) }
    }

    /// Asks for what resolving key `k` reads after its entries (which must be in cache by now):
    /// the first entry's bytes.
    @inline(__always)
    package func prefetchNames(ofKey k: Int32) {
        let e = keyEntries[Int(keys[Int(k)].start)]
        entryBytes.withUnsafeBufferPointer { $0.prefetch(Int(e.bytes)) }
    }

    /// The positions in `keyEntries` of key `k`'s names.
    @inline(__always)
    package func entries(ofKey k: Int32) -> Range<Int> {
        let info = keys[Int(k)]
        return Int(info.start)..<Int(info.start + info.count)
    }

    /// Whether entry `j`'s name is `text` as recorded, byte for byte.
    @inline(__always)
    package func entryText(_ j: Int, equals text: UnsafeBufferPointer<UInt8>) -> Bool {
        let e = keyEntries[j]
        return Int(e.textLength) == text.count && bytesEqual(Int(e.bytes), text)
    }

    /// Whether entry `j`'s folded name is `folded`.
    @inline(__always)
    package func entryFolded(_ j: Int, equals folded: UnsafeBufferPointer<UInt8>) -> Bool {
        let e = keyEntries[j]
        return Int(e.foldedLength) == folded.count && bytesEqual(Int(e.bytes + e.textLength), folded)
    }

    @inline(__always)
    private func bytesEqual(_ start: Int, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        entryBytes.withUnsafeBufferPointer { a in
            for i in 0..<other.count where a[start + i] != other[i] { return false }
            return true
        }
    }

    /// Calls `body` with the text's folded form (``folded(_:)``). Most text is a name of key `k`
    /// as recorded, whose folded form is stored; the rest is folded on bytes when ASCII, through
    /// `String` otherwise.
    @inline(__always)  // so that the body, a closure, is inlined too (no context or thunk per call)
    package func withFolded<R>(_ text: UnsafeBufferPointer<UInt8>, key k: Int32, scratch: inout [UInt8],
                       _ body: (_ folded: UnsafeBufferPointer<UInt8>) -> R) -> R {
        for j in entries(ofKey: k) where entryText(j, equals: text) {
            let e = keyEntries[j]
            return entryBytes.withUnsafeBufferPointer { a in
                body(UnsafeBufferPointer(rebasing: a[Int(e.bytes + e.textLength)..<Int(e.bytes + e.textLength + e.foldedLength)]))
            }
        }
        if !Self.foldASCII(text, into: &scratch) {
            scratch = Array(Self.folded(String(decoding: text, as: UTF8.self)).utf8)
        }
        return scratch.withUnsafeBufferPointer { body($0) }
    }

    /// Whether the matcher takes a one-word text with key `k` only as recorded: a key that only
    /// GeoNames places have (docs/check.md, "Names only GeoNames records").
    package func needsRecordedSpelling(oneWord: Bool, key k: Int32) -> Bool { needsRecordedSpelling(oneWord: oneWord, bundled: keys[Int(k)].bundled) }

    /// As ``needsRecordedSpelling(oneWord:key:)``, for a key whose `bundled` flag is known.
    @inline(__always)
    package func needsRecordedSpelling(oneWord: Bool, bundled: Bool) -> Bool { oneWord && !bundled }

    /// The index of the key a text has, when some name has it.
    package func keyIndex(of text: String) -> Int32? { keyIndex(ofKey: NameKey.key(text)) }

    /// The index of a key (``NameKey/key(_:)``: its tokens joined by spaces), when some name has it.
    package func keyIndex(ofKey key: String) -> Int32? {
        guard !key.isEmpty else { return nil }
        var node: Int32 = 0
        for token in key.split(separator: " ") {
            node = child(node, tokenID(String(token)))
            if node < 0 { return nil }
        }
        let k = self.key(at: node)
        return k >= 0 ? k : nil
    }

    /// Whether a place id is in the index.
    public func contains(placeID: String) -> Bool { placeIndex(id: placeID) != nil }
}

extension NameIndex {
    /// A tokenizer for text to scan against this index (one per thread).
    package func makeTokenizer() -> Tokenizer {
        Tokenizer(vocabulary: vocabulary, known: knownSegments, wordClasses: wordClasses, bounded: true)
    }
}
