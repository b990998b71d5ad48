import ConvoyGazetteer

/// Every gazetteer name compiled into one automaton: a trie over the integer ids of normalised
/// name tokens (``NameKey``), so scanning text costs a few hash look-ups per word whatever the
/// gazetteer's size — no loop over names. Immutable once built, so one index serves many scans.
public final class NameIndex: Sendable {
    // Places, by index.
    let placeIDs: [String]
    let placeNames: [String]
    let placeKinds: [String]
    let placeCountries: [String?]
    /// Per place, the index of its country among the index's distinct countries (-1: none).
    let placeCountryIndex: [Int32]
    /// Number of distinct countries (the size of a per-country tally).
    let countryCount: Int
    let placeBundled: [Bool]
    let placeFirstName: [Int32]
    let placeNameCount: [Int32]
    // Names, by index (grouped by place).
    let nameTexts: [String]
    let nameKinds: [NameKind]
    let namePlace: [Int32]
    /// Lower-cased, whitespace-collapsed text: names match case-insensitively (the data de-duplicates so).
    let nameFolded: [String]
    /// Folded canonical name per place.
    let placeFolded: [String]
    /// Names per key, by key index.
    let keyNames: [[Int32]]
    /// The one place a key names, or -1 when it names several.
    let keyPlaces: [Int32]
    /// Whether a bundled (curated) place has the key.
    let keyBundled: [Bool]
    /// Each key's text as UTF-8, by key index: `keyBytes[keyStarts[k]..<keyStarts[k + 1]]`
    /// (what suggestions are measured against; one arena, not a million strings).
    let keyBytes: [UInt8]
    let keyStarts: [Int32]
    // The automaton.
    let vocabulary: ByteMap
    let rootChild: [Int32]
    let edges: EdgeMap
    let nodeKey: [Int32]
    /// Every name's words, tokenized (see ``Tokenizer/Segments``), when the index was built
    /// `forLargeInputs`.
    let knownSegments: Tokenizer.Segments?
    /// Bundled places per country, by country index: the resolver's tie-break (the region the
    /// curated data covers).
    let countryDensity: [Int]

    /// Reports adding up to this many bytes are checked with an index built `forLargeInputs`.
    public static let largeInputBytes = 64 << 20

    /// Number of places, names, distinct keys, distinct tokens and trie nodes.
    public var placeCount: Int { placeIDs.count }
    public var nameCount: Int { nameTexts.count }
    public var keyCount: Int { keyNames.count }
    public var tokenCount: Int { vocabulary.count }
    public var nodeCount: Int { nodeKey.count }

    /// Builds the index from the store: every place and every name with its stored key.
    ///
    /// - Parameter forLargeInputs: also tokenize every name's words up front, so that text spelling
    ///   names as recorded never takes the slow Unicode path. With 1.2 M names this adds ~6 s to the
    ///   build and makes the scan ~1.5× faster: worth it for ~100 MB of text, not for a report.
    public convenience init(gazetteer: Gazetteer, forLargeInputs: Bool = false) throws {
        let entries = try gazetteer.placesWithNameKeys()
        self.init(places: entries.map(\.place), forLargeInputs: forLargeInputs, keyOf: { p, n, name in
            let keys = entries[p].nameKeys
            return n >= 0 && n < keys.count && entries[p].place.names[n].text == name.text ? keys[n] : NameKey.key(name.text)
        })
    }

    /// Builds the index from places; `key` gives a name's key (by default computed with ``NameKey/key(_:)``).
    public convenience init(places: [Place], forLargeInputs: Bool = false, key: (Place, PlaceName) -> String = { NameKey.key($1.text) }) {
        self.init(places: places, forLargeInputs: forLargeInputs, keyOf: { p, _, name in key(places[p], name) })
    }

    /// Builds the index; `keyOf(place, position in place.names or -1 for an added canonical name, name)`
    /// gives each name's key.
    init(places: [Place], forLargeInputs: Bool, keyOf: (Int, Int, PlaceName) -> String) {
        var placeIDs: [String] = [], placeNames: [String] = [], placeKinds: [String] = []
        var placeCountries: [String?] = [], placeBundled: [Bool] = []
        var placeFirstName: [Int32] = [], placeNameCount: [Int32] = [], placeFolded: [String] = []
        var nameTexts: [String] = [], nameKinds: [NameKind] = [], namePlace: [Int32] = [], nameFolded: [String] = []
        var keyIndex: [String: Int32] = [:]
        var keyNames: [[Int32]] = []
        var keyTokens: [[String]] = []
        var keyBytes: [UInt8] = [], keyStarts: [Int32] = [0]
        var density: [String: Int] = [:]
        for place in places {
            let p = Int32(placeIDs.count)
            placeIDs.append(place.id)
            placeNames.append(place.name)
            placeFolded.append(Self.folded(place.name))
            placeKinds.append(place.kind)
            placeCountries.append(place.country)
            placeBundled.append(place.origin == .bundled)
            if place.origin == .bundled, let c = place.country { density[c, default: 0] += 1 }
            placeFirstName.append(Int32(nameTexts.count))
            var names = place.names
            let added = !names.contains(where: { $0.text == place.name })
            if added { names.insert(PlaceName(text: place.name, lang: "und", script: "Latn", kind: .preferred), at: 0) }
            placeNameCount.append(Int32(names.count))
            for (position, name) in names.enumerated() {
                let n = Int32(nameTexts.count)
                nameTexts.append(name.text)
                nameKinds.append(name.kind)
                namePlace.append(p)
                nameFolded.append(Self.folded(name.text))
                let k = keyOf(Int(p), added ? position - 1 : position, name)
                guard !k.isEmpty else { continue }
                if let existing = keyIndex[k] {
                    keyNames[Int(existing)].append(n)
                } else {
                    keyIndex[k] = Int32(keyNames.count)
                    keyNames.append([n])
                    keyTokens.append(k.split(separator: " ").map(String.init))
                    keyBytes.append(contentsOf: k.utf8)
                    keyStarts.append(Int32(keyBytes.count))
                }
            }
        }
        var vocabulary = ByteMap(capacity: keyNames.count + 16)
        var tokenCount: Int32 = 0
        var tokenIDs: [[Int32]] = []
        tokenIDs.reserveCapacity(keyTokens.count)
        for tokens in keyTokens {
            tokenIDs.append(tokens.map { token in
                let bytes = Array(token.utf8)
                if let id = vocabulary.value(for: bytes) { return Int32(id) }
                vocabulary.set(bytes, value: Int64(tokenCount))
                tokenCount += 1
                return tokenCount - 1
            })
        }
        var rootChild = [Int32](repeating: -1, count: Int(tokenCount))
        var edges = EdgeMap(capacity: keyNames.count + 16)
        var nodeKey: [Int32] = [-1]  // node 0 is the root
        for (k, ids) in tokenIDs.enumerated() {
            var node: Int32 = 0
            for (depth, id) in ids.enumerated() {
                var child = depth == 0 ? rootChild[Int(id)] : edges.child(node, id)
                if child < 0 {
                    child = Int32(nodeKey.count)
                    nodeKey.append(-1)
                    if depth == 0 { rootChild[Int(id)] = child } else { edges.insert(node, id, child: child) }
                }
                node = child
            }
            nodeKey[Int(node)] = Int32(k)
        }
        self.placeIDs = placeIDs
        self.placeNames = placeNames
        self.placeKinds = placeKinds
        self.placeCountries = placeCountries
        var countryIndex: [String: Int32] = [:]
        self.placeCountryIndex = placeCountries.map { country in
            guard let country else { return -1 }
            if let known = countryIndex[country] { return known }
            countryIndex[country] = Int32(countryIndex.count)
            return Int32(countryIndex.count - 1)
        }
        self.countryCount = countryIndex.count
        var densityByIndex = [Int](repeating: 0, count: countryIndex.count)
        for (country, i) in countryIndex { densityByIndex[Int(i)] = density[country] ?? 0 }
        self.countryDensity = densityByIndex
        self.placeBundled = placeBundled
        self.placeFirstName = placeFirstName
        self.placeNameCount = placeNameCount
        self.nameTexts = nameTexts
        self.nameKinds = nameKinds
        self.namePlace = namePlace
        self.nameFolded = nameFolded
        self.placeFolded = placeFolded
        self.keyNames = keyNames
        self.keyPlaces = keyNames.map { names in
            let first = namePlace[Int(names[0])]
            return names.allSatisfy { namePlace[Int($0)] == first } ? first : -1
        }
        self.keyBundled = keyNames.map { names in names.contains { placeBundled[Int(namePlace[Int($0)])] } }
        self.keyBytes = keyBytes
        self.keyStarts = keyStarts
        self.vocabulary = vocabulary
        self.rootChild = rootChild
        self.edges = edges
        self.nodeKey = nodeKey
        self.knownSegments = forLargeInputs ? Tokenizer.segments(of: nameTexts, vocabulary: vocabulary) : nil
    }

    /// Lower case with runs of white space as one space: how mention texts and names are compared.
    static func folded(_ text: String) -> String {
        var utf8 = text.utf8
        if let fast = utf8.withContiguousStorageIfAvailable({ asciiFolded($0) }), let fast {
            return fast
        }
        var copy = text
        copy.makeContiguousUTF8()
        utf8 = copy.utf8
        if let fast = utf8.withContiguousStorageIfAvailable({ asciiFolded($0) }), let fast { return fast }
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
    static func foldASCII(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
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
    func tokenID(_ token: String) -> Int32 { vocabulary.tokenID(token) }

    /// The trie node reached from `node` by `token`, or -1.
    @inline(__always)
    func child(_ node: Int32, _ token: Int32) -> Int32 {
        guard token >= 0 else { return -1 }
        return node == 0 ? rootChild[Int(token)] : edges.child(node, token)
    }

    /// The text of key `k`.
    func keyText(_ k: Int) -> String {
        keyBytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[Int(keyStarts[k])..<Int(keyStarts[k + 1])]), as: UTF8.self) }
    }

    /// The index of the key a node completes, or -1.
    @inline(__always)
    func key(at node: Int32) -> Int32 { nodeKey[Int(node)] }

    /// A short description of a place for messages: "Abu Kamal (city, SY) [sy-abu-kamal]".
    func describe(_ p: Int) -> String {
        var parts = [placeKinds[p]]
        if let c = placeCountries[p] { parts.append(c) }
        return "\(placeNames[p]) (\(parts.joined(separator: ", "))) [\(placeIDs[p])]"
    }

    /// Index of the place with this id (linear; used for messages and tests only).
    func placeIndex(id: String) -> Int? { placeIDs.firstIndex(of: id) }
}

extension NameIndex {
    /// Whether a text (UTF-8) is one of the recorded names with key `k`, ignoring case — compared
    /// on folded bytes when it is ASCII, as most text is (`scratch` is a reusable buffer).
    func isRecorded(_ text: UnsafeBufferPointer<UInt8>, key k: Int32, scratch: inout [UInt8]) -> Bool {
        let names = keyNames[Int(k)]
        if Self.foldASCII(text, into: &scratch) {
            return names.contains { nameFolded[Int($0)].utf8.elementsEqual(scratch) }
        }
        let folded = Self.folded(String(decoding: text, as: UTF8.self))
        return names.contains { nameFolded[Int($0)] == folded }
    }

    /// Whether the matcher takes a one-word text with key `k` only as recorded: a key that only
    /// GeoNames places have (docs/check.md, "Names only GeoNames records").
    func needsRecordedSpelling(oneWord: Bool, key k: Int32) -> Bool { oneWord && !keyBundled[Int(k)] }

    /// The index of the key a text has, when some name has it.
    func keyIndex(of text: String) -> Int32? {
        let tokens = NameKey.tokens(text)
        guard !tokens.isEmpty else { return nil }
        var node: Int32 = 0
        for token in tokens {
            node = child(node, tokenID(token))
            if node < 0 { return nil }
        }
        let k = key(at: node)
        return k >= 0 ? k : nil
    }

    /// Whether a place id is in the index.
    public func contains(placeID: String) -> Bool { placeIndex(id: placeID) != nil }
}
