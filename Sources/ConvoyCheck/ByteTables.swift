import CPrefetch

/// The hash of the word tables: the bytes taken eight at a time (little-endian, the last block
/// zero-filled), each block mixed in with one multiply, then a final scramble — a word of up to
/// eight bytes costs three multiplies, not one per byte. Not cryptographic. The tokenizer computes
/// the same value from the words of text it has already loaded (``ByteHash``).
@inline(__always)
func byteHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let n = bytes.count
    var h = ByteHash.start(count: n)
    guard let base = bytes.baseAddress else { return ByteHash.finish(h) }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= n {
        h = ByteHash.mix(h, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
        i += 8
    }
    if i < n {
        var tail: UInt64 = 0
        for k in 0..<(n - i) { tail |= UInt64(base[i + k]) << UInt64(8 * k) }
        h = ByteHash.mix(h, tail)
    }
    return ByteHash.finish(h)
}

/// The steps of ``byteHash(_:)``.
enum ByteHash {
    @inline(__always)
    static func start(count: Int) -> UInt64 { UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15 }

    /// Mixes in a block of eight bytes (the last one zero-filled past the end).
    @inline(__always)
    static func mix(_ h: UInt64, _ block: UInt64) -> UInt64 {
        let x = (h ^ block) &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 31)
    }

    @inline(__always)
    static func finish(_ h: UInt64) -> UInt64 {
        let x = (h ^ (h >> 29)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 32)
    }
}

extension UnsafeBufferPointer {
    /// Asks the CPU for the cache line of element `i` (nothing when `i` is out of range): a hint,
    /// so that a look-up's miss overlaps other work (see `CPrefetch`).
    @inline(__always)
    func prefetch(_ i: Int) {
        guard let base = baseAddress, i >= 0, i < count else { return }
        convoy_prefetch(base + i)
    }
}

/// Eight text bytes at once, as a UInt64 (first byte lowest): each test sets the high bit of the
/// bytes it selects. Adding a constant to bytes below 0x80 never carries into the next byte, so a
/// byte's range test is two additions. Used by the tokenizer, the markup mask and the cursor.
enum ByteLanes {
    static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let ones: UInt64 = 0x0101_0101_0101_0101

    /// `byte` in each of the eight lanes.
    static func repeated(_ byte: UInt8) -> UInt64 { UInt64(byte) &* ones }

    /// Bytes of `w` equal to the byte repeated in `pattern`: the lowest flag is exact (higher ones
    /// may be false after a true one), so use it to find the first, or to test for any.
    @inline(__always)
    static func equal(_ w: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = w ^ pattern
        return (x &- ones) & ~x & highBits
    }

    /// Bytes from `low` to `high` (both below 0x80) among bytes below 0x80.
    @inline(__always)
    private static func inRange(_ x: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
        let atLeast = x &+ UInt64(0x80 - low) &* ones
        let above = x &+ UInt64(0x7F - high) &* ones
        return atLeast & ~above & highBits
    }

    /// Bytes that are not ASCII letters or digits (non-ASCII bytes included).
    @inline(__always)
    static func notAlnum(_ w: UInt64) -> UInt64 {
        let x = w & ~highBits
        let alnum = inRange(x, 0x30, 0x39) | inRange(x | 0x2020_2020_2020_2020, 0x61, 0x7A)
        return (~alnum | w) & highBits
    }

    /// Capital letters A–Z (of ASCII bytes).
    @inline(__always)
    static func upper(_ w: UInt64) -> UInt64 { inRange(w & ~highBits, 0x41, 0x5A) & ~w }

    /// Small letters a–z (of ASCII bytes).
    @inline(__always)
    static func lowerLetters(_ w: UInt64) -> UInt64 { inRange(w & ~highBits, 0x61, 0x7A) & ~w }
}

/// An open-addressing hash map from byte strings to Int64 values, with the keys kept in one arena.
/// Used for the vocabulary of name tokens (immutable once built) and for a scanner's word cache.
///
/// Built for look-ups in tables far larger than the CPU cache: a slot holds 32 bits of the hash
/// beside the entry's index, so a probe that misses touches one cache line; a hit touches the
/// entry (hash, key place, value together) and the key's bytes.
struct ByteMap: Sendable {
    private struct Entry {
        var hash: UInt64
        var offset: Int32
        var length: Int32
        var value: Int64
    }

    /// High 32 bits: the hash's high bits; low 32 bits: entry index + 1 (0: empty).
    private var slots: [UInt64]
    private var entries: [Entry] = []
    private var arena: [UInt8] = []
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { entries.count }

    @inline(__always) private static func tag(_ hash: UInt64) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 }

    /// The value stored for `key` (with its precomputed hash), or nil.
    @inline(__always)
    func value(for key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int64? {
        find(key, hash).map { entries[$0].value }
    }

    /// Index of the entry holding `key`, or nil.
    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, _ hash: UInt64) -> Int? {
        let tag = Self.tag(hash)
        return slots.withUnsafeBufferPointer { slots in
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[i]
                if slot == 0 { return nil }
                if slot & 0xFFFF_FFFF_0000_0000 == tag {
                    let e = Int(slot & 0xFFFF_FFFF) - 1
                    if entries[e].hash == hash, equal(entries[e], key) { return e }
                }
                i = (i + 1) & mask
            }
        }
    }

    @inline(__always)
    private func equal(_ entry: Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(entry.length) == key.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            let start = Int(entry.offset)
            for k in 0..<key.count where a[start + k] != key[k] { return false }
            return true
        }
    }

    /// Stores `value` for `key`, replacing an earlier value; grows when half full.
    mutating func set(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int64) {
        if let e = find(key, hash) {
            entries[e].value = value
            return
        }
        entries.append(Entry(hash: hash, offset: Int32(arena.count), length: Int32(key.count), value: value))
        arena.append(contentsOf: key)
        if entries.count * 2 > slots.count { grow() } else { place(entries.count - 1) }
    }

    private mutating func place(_ e: Int) {
        let hash = entries[e].hash
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Self.tag(hash) | UInt64(e + 1)
    }

    mutating func set(_ key: [UInt8], value: Int64) {
        key.withUnsafeBufferPointer { set($0, hash: byteHash($0), value: value) }
    }

    func value(for key: [UInt8]) -> Int64? {
        key.withUnsafeBufferPointer { value(for: $0, hash: byteHash($0)) }
    }

    /// Backs the table with huge pages (see ``HugePages``): for the large, immutable vocabularies.
    func adviseHugePages() {
        HugePages.advise(slots)
        HugePages.advise(entries)
        HugePages.advise(arena)
    }

    /// Forgets every entry (keeps the table's size).
    mutating func removeAll() {
        for i in slots.indices { slots[i] = 0 }
        entries.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    func archive(into writer: inout IndexArchiveWriter) {
        writer.write(slots)
        writer.write(entries)
        writer.write(arena)
    }

    init(from reader: inout IndexArchiveReader) throws {
        slots = try reader.read(UInt64.self)
        entries = try reader.read(Entry.self)
        arena = try reader.read(UInt8.self)
        mask = slots.count - 1
        guard slots.count >= 16, slots.count & mask == 0, entries.count * 2 <= slots.count,
            entries.allSatisfy({ $0.offset >= 0 && $0.length >= 0 && Int($0.offset) + Int($0.length) <= arena.count }),
            slots.allSatisfy({ $0 & 0xFFFF_FFFF <= UInt64(entries.count) })
        else { throw IndexArchiveReader.Malformed(description: "a word table does not add up") }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for e in entries.indices { place(e) }
    }
}

extension ByteMap {
    /// The id of a normalised token in a vocabulary (token bytes → id), or -1 when no name has it.
    @inline(__always)
    func tokenID(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        value(for: bytes, hash: byteHash(bytes)).map { Int32(truncatingIfNeeded: $0) } ?? -1
    }

    func tokenID(_ token: String) -> Int32 {
        guard !token.isEmpty else { return -1 }
        var bytes = Array(token.utf8)
        return bytes.withUnsafeMutableBufferPointer { tokenID(UnsafeBufferPointer($0)) }
    }
}

/// An open-addressing map from (trie node, token id) to the child node: the automaton's edges.
/// Key and child sit side by side, so a look-up touches one cache line per probe.
///
/// Most look-ups ask for an edge that does not exist (a word followed by one that continues no
/// name), so a bit filter of 8–16 bits per edge answers them first: it is small enough to
/// stay in the CPU cache, where the table (tens of MB for a GeoNames gazetteer) is not.
struct EdgeMap: Sendable {
    fileprivate struct Edge {
        var key: UInt64
        var child: Int32
    }

    private var edges: [Edge]
    private var mask: Int
    private(set) var count = 0
    private static let empty = Edge(key: .max, child: -1)
    /// One bit per hash of (node, token); set for every edge. Sized by ``rebuildFilter()``.
    private var filter = BitSet(count: 64)
    private var filterShift: UInt64 = 58

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        edges = [Edge](repeating: Self.empty, count: size)
        mask = size - 1
    }

    @inline(__always)
    fileprivate static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// The filter bit of a key: the top bits of a second multiplicative hash.
    @inline(__always)
    fileprivate static func filterBit(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0xC2B2_AE3D_27D4_EB4F) >> shift)
    }

    @inline(__always)
    private func filterBit(_ key: UInt64) -> Int { Self.filterBit(key, filterShift) }

    @inline(__always)
    func child(_ node: Int32, _ token: Int32) -> Int32 {
        withView { $0.child(node, token) }
    }

    /// The table as buffer pointers, for a scan's inner loop: a look-up through a view touches no
    /// reference count (reading the table's arrays through the index does, every time).
    struct View {
        fileprivate let edges: UnsafeBufferPointer<Edge>
        fileprivate let filter: UnsafeBufferPointer<UInt64>
        fileprivate let mask: Int
        fileprivate let filterShift: UInt64

        @inline(__always)
        func child(_ node: Int32, _ token: Int32) -> Int32 {
            let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
            let bit = EdgeMap.filterBit(key, filterShift)
            guard filter[bit >> 6] >> UInt64(bit & 63) & 1 != 0 else { return -1 }
            var i = EdgeMap.slot(key, mask)
            while true {
                let e = edges[i]
                if e.key == key { return e.child }
                if e.key == .max { return -1 }
                i = (i + 1) & mask
            }
        }
        /// Asks for the cache lines a ``child(_:_:)`` look-up of (node, token) will read.
        @inline(__always)
        func prefetch(_ node: Int32, _ token: Int32) {
            let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
            let bit = EdgeMap.filterBit(key, filterShift)
            filter.prefetch(bit >> 6)
            edges.prefetch(EdgeMap.slot(key, mask))
        }
    }

    /// Calls `body` with a view of the table, valid during the call.
    func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try edges.withUnsafeBufferPointer { e in
            try filter.words.withUnsafeBufferPointer { f in
                try body(View(edges: e, filter: f, mask: mask, filterShift: filterShift))
            }
        }
    }

    mutating func insert(_ node: Int32, _ token: Int32, child: Int32) {
        let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
        var i = Self.slot(key, mask)
        while edges[i].key != .max {
            if edges[i].key == key { edges[i].child = child; return }
            i = (i + 1) & mask
        }
        edges[i] = Edge(key: key, child: child)
        count += 1
        if count * 2 > edges.count { grow() }
        if count * 8 > filter.count {
            rebuildFilter()
        } else {
            filter.insert(filterBit(key))
        }
    }

    /// Backs the table with huge pages (see ``HugePages``).
    func adviseHugePages() {
        HugePages.advise(edges)
        HugePages.advise(filter.words)
    }

    /// Sizes the filter to 16 bits or more per edge (it is rebuilt when that falls to 8; a few per
    /// cent false positives) and sets every edge's bit.
    private mutating func rebuildFilter() {
        var bits = 64
        while bits < count * 16 { bits <<= 1 }
        filter = BitSet(count: bits)
        filterShift = UInt64(64 - bits.trailingZeroBitCount)
        for e in edges where e.key != .max { filter.insert(filterBit(e.key)) }
    }

    func archive(into writer: inout IndexArchiveWriter) {
        writer.write(edges)
        writer.write(count)
        writer.write(filter.words)
    }

    /// - Parameter nodes: the number of trie nodes (every child must be one).
    init(from reader: inout IndexArchiveReader, nodes: Int) throws {
        edges = try reader.read(Edge.self)
        count = try reader.readInt()
        filter = BitSet(words: try reader.read(UInt64.self))
        mask = edges.count - 1
        filterShift = UInt64(64 - filter.count.trailingZeroBitCount)
        guard edges.count >= 16, edges.count & mask == 0, filter.count >= 64, filter.count & (filter.count - 1) == 0,
            edges.allSatisfy({ $0.key == .max || ($0.child > 0 && Int($0.child) < nodes) })
        else { throw IndexArchiveReader.Malformed(description: "the automaton's edges do not add up") }
    }

    private mutating func grow() {
        let old = edges
        edges = [Edge](repeating: Self.empty, count: edges.count * 2)
        mask = edges.count - 1
        count = 0
        for e in old where e.key != .max {
            insert(Int32(bitPattern: UInt32(e.key >> 32)), Int32(bitPattern: UInt32(e.key & 0xFFFF_FFFF)), child: e.child)
        }
    }
}

/// A fixed-size set of small non-negative integers, a bit each (the edge filter, the places a
/// report mentions).
struct BitSet: Sendable {
    private(set) var words: [UInt64]

    /// A set that can hold `0..<count`.
    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

    init(words: [UInt64]) { self.words = words }

    /// How many values it can hold (a multiple of 64).
    var count: Int { words.count * 64 }

    @inline(__always)
    mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }

    @inline(__always)
    func contains(_ i: Int) -> Bool { words.withUnsafeBufferPointer { $0[i >> 6] >> UInt64(i & 63) & 1 != 0 } }

    /// The values in the set, in increasing order.
    var members: [Int] {
        var result: [Int] = []
        for (w, bits) in words.enumerated() where bits != 0 {
            for bit in 0..<64 where bits >> UInt64(bit) & 1 != 0 { result.append(w << 6 | bit) }
        }
        return result
    }
}
