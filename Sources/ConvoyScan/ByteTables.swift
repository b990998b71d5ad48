import CPrefetch

extension UnsafeBufferPointer {
    /// Asks the CPU for the cache line of element `i` (nothing when `i` is out of range): a hint,
    /// so that a look-up's miss overlaps other work (see `CPrefetch`).
    @inline(__always)
    package func prefetch(_ i: Int) {
        guard let base = baseAddress, i >= 0, i < count else { return }
        convoy_prefetch(base + i)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The first position at or after `start` that holds `byte`, or nil: read eight bytes at a time
    /// (``ByteLanes``), for searches over long runs of text (the title-case pass's line feeds).
    package func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        var i = Swift.max(start, 0)
        if let base = baseAddress {
            let raw = UnsafeRawPointer(base), pattern = ByteLanes.repeated(byte)
            // Sixteen bytes at a time by a vector compare while none matches (most of a long
            // search), then eight (the first match exactly, by lanes).
            let vector = SIMD16<UInt8>(repeating: byte)
            while i + 16 <= count, !any(raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) .== vector) { i += 16 }
            while i + 8 <= count {
                let flags = ByteLanes.equal(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)), pattern)
                // The lowest flag is exact (see ``ByteLanes/equal(_:_:)``).
                if flags != 0 { return i + flags.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < count {
            if self[i] == byte { return i }
            i += 1
        }
        return nil
    }
}

/// Eight text bytes at once, as a UInt64 (first byte lowest): each test sets the high bit of the
/// bytes it selects. Adding a constant to bytes below 0x80 never carries into the next byte, so a
/// byte's range test is two additions. Used by the tokenizer, the block cut and the cursor.
public enum ByteLanes {
    @inlinable public static var highBits: UInt64 { 0x8080_8080_8080_8080 }
    @inlinable public static var ones: UInt64 { 0x0101_0101_0101_0101 }

    /// `byte` in each of the eight lanes.
    @inlinable public static func repeated(_ byte: UInt8) -> UInt64 { UInt64(byte) &* ones }

    /// Bytes of `w` equal to the byte repeated in `pattern`: the lowest flag is exact (higher ones
    /// may be false after a true one), so use it to find the first, or to test for any.
    @inlinable @inline(__always)
    public static func equal(_ w: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = w ^ pattern
        return (x &- ones) & ~x & highBits
    }

    /// How many lanes of `flags` are set (each 0x80 or 0, exactly): summed by one multiply (the
    /// baseline x86-64 build has no population count instruction).
    @inlinable @inline(__always)
    public static func count(_ flags: UInt64) -> Int { Int(((flags >> 7) &* ones) >> 56) }

    /// Bytes from `low` to `high` (both below 0x80) among bytes below 0x80.
    @inlinable @inline(__always)
    static func inRange(_ x: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
        let atLeast = x &+ UInt64(0x80 - low) &* ones
        let above = x &+ UInt64(0x7F - high) &* ones
        return atLeast & ~above & highBits
    }

    /// Bytes that are not ASCII letters or digits (non-ASCII bytes included).
    @inlinable @inline(__always)
    public static func notAlnum(_ w: UInt64) -> UInt64 {
        let x = w & ~highBits
        let alnum = inRange(x, 0x30, 0x39) | inRange(x | 0x2020_2020_2020_2020, 0x61, 0x7A)
        return (~alnum | w) & highBits
    }

    /// Capital letters A–Z (of ASCII bytes).
    @inlinable @inline(__always)
    public static func upper(_ w: UInt64) -> UInt64 { inRange(w & ~highBits, 0x41, 0x5A) & ~w }

    /// Small letters a–z (of ASCII bytes).
    @inlinable @inline(__always)
    public static func lowerLetters(_ w: UInt64) -> UInt64 { inRange(w & ~highBits, 0x61, 0x7A) & ~w }

    /// Digits 0–9 (of ASCII bytes).
    @inlinable @inline(__always)
    public static func digits(_ w: UInt64) -> UInt64 { inRange(w & ~highBits, 0x30, 0x39) & ~w }
}

/// An open-addressing hash map from byte strings to Int64 values.
/// Used for the vocabulary of name tokens (immutable once built) and for a scanner's word cache.
///
/// Built for look-ups in tables far larger than the CPU cache: a slot is 32 bytes, aligned so that
/// it sits in one cache line, and holds the hash's high bits, the key's length, the value and the
/// key's first 16 bytes. So a hit on a key of up to 16 bytes (nearly every word) reads one cache
/// line, where a slot pointing to an entry pointing to the key's bytes read three, one after the
/// other. Longer keys keep their bytes in an arena, read on a tag match.
package struct ByteMap: Sendable {
    /// A slot is four words: `meta` (0: empty; else the hash's high 31 bits with bit 63 set, over
    /// the key's length in the low 32 bits), the value, then the key's bytes 0–7 and 8–15
    /// (zero-filled), or for a key longer than 16 bytes its bytes 0–7 and its offset in `arena`.
    private static let slotWords = 4
    /// The slots, with 8 spare words: the table starts `skew` words in, at a 64-byte boundary,
    /// which an array's storage does not guarantee.
    private var words: [UInt64]
    private var skew = 0
    private var arena: [UInt8] = []
    private var mask: Int
    package private(set) var count = 0

    package init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        mask = size - 1
        words = []
        allocate(slots: size)
    }

    /// Fresh, empty storage for `slots` slots.
    private mutating func allocate(slots: Int) {
        words = [UInt64](repeating: 0, count: slots * Self.slotWords + 8)
        skew = words.withUnsafeBufferPointer { Self.skew($0.baseAddress) }
    }

    /// Words from `base` to the next 64-byte boundary.
    @inline(__always) private static func skew(_ base: UnsafePointer<UInt64>?) -> Int {
        (8 - (Int(bitPattern: base) >> 3) & 7) & 7
    }

    private var slotCount: Int { mask + 1 }

    @inline(__always) private static func meta(_ hash: UInt64, _ length: Int) -> UInt64 {
        (hash | 1 << 63) & 0xFFFF_FFFF_0000_0000 | UInt64(truncatingIfNeeded: length)
    }

    /// A key's first 16 bytes as two little-endian words, zero-filled past its end, read without
    /// touching a byte outside the key (overlapping loads instead of a loop over the bytes).
    @inline(__always)
    package static func blocks(_ key: UnsafeBufferPointer<UInt8>) -> (head: UInt64, tail: UInt64) {
        let n = key.count
        guard let base = key.baseAddress, n > 0 else { return (0, 0) }
        let raw = UnsafeRawPointer(base)
        if n >= 8 {
            let head = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            if n >= 16 { return (head, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))) }
            if n == 8 { return (head, 0) }
            // The key's last eight bytes, shifted so that byte 8 comes first.
            return (head, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) >> UInt64(8 * (16 - n)))
        }
        if n >= 4 {
            let low = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
            return (low | high << UInt64(8 * (n - 4)), 0)
        }
        let middle = n >> 1
        return (UInt64(base[0]) | UInt64(base[middle]) << UInt64(8 * middle) | UInt64(base[n - 1]) << UInt64(8 * (n - 1)), 0)
    }

    /// Calls `body` with the slots' words.
    @inline(__always)
    private func withSlots<R>(_ body: (UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        let range = skew..<(skew + slotCount * Self.slotWords)
        return try words.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Calls `body` with the slots' words to change. A copy of the table made storage of its own on
    /// its first change, which may sit differently against the cache lines: the slots move to its boundary.
    private mutating func withMutableSlots<R>(_ body: (UnsafeMutableBufferPointer<UInt64>) throws -> R) rethrows -> R {
        let n = slotCount * Self.slotWords, old = skew
        skew = words.withUnsafeMutableBufferPointer { all in
            let new = Self.skew(all.baseAddress)
            if new != old, let base = all.baseAddress { (base + new).update(from: base + old, count: n) }
            return new
        }
        let range = skew..<(skew + n)
        return try words.withUnsafeMutableBufferPointer { try body(UnsafeMutableBufferPointer(rebasing: $0[range])) }
    }

    /// The value stored for `key` (with its precomputed hash), or nil.
    @inline(__always)
    package func value(for key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int64? {
        withSlots { slots in find(key, hash, slots).map { Int64(bitPattern: slots[$0 + 1]) } }
    }

    /// Asks the CPU for the cache line of the first slot a key with `hash` would be looked up in
    /// (see ``UnsafeBufferPointer/prefetch(_:)``).
    @inline(__always)
    package func prefetch(hash: UInt64) {
        withSlots { $0.prefetch((Int(truncatingIfNeeded: hash) & mask) * Self.slotWords) }
    }

    /// Word index of the slot holding `key`, or nil.
    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, _ hash: UInt64, _ slots: UnsafeBufferPointer<UInt64>) -> Int? {
        let meta = Self.meta(hash, key.count)
        let (head, tail) = Self.blocks(key)
        let short = key.count <= 16
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let at = i * Self.slotWords
            let m = slots[at]
            if m == meta, slots[at + 2] == head, short ? slots[at + 3] == tail : longKeyEqual(Int(slots[at + 3]), key) { return at }
            if m == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    private func longKeyEqual(_ offset: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { a in
            for k in 0..<key.count where a[offset + k] != key[k] { return false }
            return true
        }
    }

    /// Stores `value` for `key`, replacing an earlier value; grows when half full.
    package mutating func set(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int64) {
        if let at = withSlots({ find(key, hash, $0) }) {
            withMutableSlots { $0[at + 1] = UInt64(bitPattern: value) }
            return
        }
        if (count + 1) * 2 > slotCount { grow() }
        var (head, tail) = Self.blocks(key)
        if key.count > 16 {
            tail = UInt64(arena.count)
            arena.append(contentsOf: key)
        }
        place((Self.meta(hash, key.count), UInt64(bitPattern: value), head, tail), hash: hash)
        count += 1
    }

    /// Writes a slot's four words at the first free slot from `hash`.
    private mutating func place(_ slot: (meta: UInt64, value: UInt64, head: UInt64, tail: UInt64), hash: UInt64) {
        let mask = self.mask
        withMutableSlots { slots in
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i * Self.slotWords] != 0 { i = (i + 1) & mask }
            let at = i * Self.slotWords
            (slots[at], slots[at + 1], slots[at + 2], slots[at + 3]) = slot
        }
    }

    package mutating func set(_ key: [UInt8], value: Int64) {
        key.withUnsafeBufferPointer { set($0, hash: byteHash($0), value: value) }
    }

    package func value(for key: [UInt8]) -> Int64? {
        key.withUnsafeBufferPointer { value(for: $0, hash: byteHash($0)) }
    }

    /// Backs the table with huge pages (see ``HugePages``): for the large, immutable vocabularies.
    package func adviseHugePages() {
        HugePages.advise(words)
        HugePages.advise(arena)
    }

    /// Forgets every entry (keeps the table's size).
    package mutating func removeAll() {
        withMutableSlots { $0.update(repeating: 0) }
        arena.removeAll(keepingCapacity: true)
        count = 0
    }

    /// The slots in order (skew removed), so that an archive does not depend on where an array sat.
    private var slotWordsInOrder: [UInt64] { withSlots { Array($0) } }

    /// A table's contents, independent of where its storage sits: what an archive stores
    /// (``init(validating:)`` takes it back).
    package struct Parts {
        /// The slots in order, then 8 spare words (read back, the slots move into them in place).
        package var slotWords: [UInt64]
        package var count: Int
        package var arena: [UInt8]
    }

    package var parts: Parts { Parts(slotWords: slotWordsInOrder + [UInt64](repeating: 0, count: 8), count: count, arena: arena) }

    /// A table from its parts (a cache file's), checking every slot as the look-ups rely on it:
    /// a used slot's key (its bytes in the slot, or in the arena in range) hashes to the slot's tag
    /// and is reached by probing from its hash without crossing a free slot; bytes past a short
    /// key's end are zero; the count is the number of used slots, at most half of them (so every
    /// probe meets a free slot and ends). Nil when any of that fails.
    package init?(validating parts: Parts) {
        words = parts.slotWords
        count = parts.count
        arena = parts.arena
        guard words.count >= 8 + 16 * Self.slotWords, (words.count - 8) % Self.slotWords == 0 else { return nil }
        let slots = (words.count - 8) / Self.slotWords
        mask = slots - 1
        guard slots & mask == 0, count >= 0, count * 2 <= slots else { return nil }
        skew = 0
        let mask = self.mask, count = self.count, keys = arena  // (a second reference to the arena: no copy)
        let valid: Bool = keys.withUnsafeBufferPointer { arena in
            withMutableSlots { slots in  // moves the slots to the cache-line boundary
                // In slot order from a free slot, with the run of used slots ending at each: a key
                // is reached from its hash without crossing a free slot when its distance from
                // there is within the run (one pass in order, no probe at random).
                guard let free = (0...mask).first(where: { slots[$0 * Self.slotWords] == 0 }) else { return false }
                var used = 0, run = 0
                for step in 1...(mask + 1) {
                    let slot = (free + step) & mask
                    let at = slot * Self.slotWords, meta = slots[at]
                    guard meta != 0 else { run = 0; continue }
                    used += 1
                    run += 1
                    let length = Int(meta & 0xFFFF_FFFF), head = slots[at + 2], tail = slots[at + 3]
                    let hash: UInt64
                    if length <= 16 {
                        // Zero past the key's end, as `blocks` makes them.
                        let headBytes = min(length, 8), tailBytes = max(0, length - 8)
                        if headBytes < 8, head >> UInt64(8 * headBytes) != 0 { return false }
                        if tailBytes < 8, tail >> UInt64(8 * tailBytes) != 0 { return false }
                        hash = ByteHash.ofBlocks(head: head, tail: tail, count: length)
                    } else {
                        guard tail <= UInt64(arena.count), UInt64(length) <= UInt64(arena.count) - tail else { return false }
                        let key = UnsafeBufferPointer(rebasing: arena[Int(tail)..<(Int(tail) + length)])
                        guard Self.blocks(key).head == head else { return false }
                        hash = byteHash(key)
                    }
                    guard Self.meta(hash, length) == meta, (slot - Int(truncatingIfNeeded: hash)) & mask < run else { return false }
                }
                return used == count
            }
        }
        guard valid else { return nil }
    }

    /// Whether every stored value passes `test` (a cache file's, as it is read).
    package func allValues(_ test: (Int64) -> Bool) -> Bool {
        withSlots { slots in
            stride(from: 0, to: slots.count, by: Self.slotWords).allSatisfy { slots[$0] == 0 || test(Int64(bitPattern: slots[$0 + 1])) }
        }
    }

    /// Calls `body` with each entry's key length and value.
    package func forEachEntry(_ body: (_ keyLength: Int, _ value: Int64) -> Void) {
        withSlots { slots in
            for at in stride(from: 0, to: slots.count, by: Self.slotWords) where slots[at] != 0 {
                body(Int(slots[at] & 0xFFFF_FFFF), Int64(bitPattern: slots[at + 1]))
            }
        }
    }

    private mutating func grow() {
        let old = slotWordsInOrder
        let size = slotCount * 2
        mask = size - 1
        allocate(slots: size)
        for at in stride(from: 0, to: old.count, by: Self.slotWords) where old[at] != 0 {
            // The slot index came from the hash's low bits, which the slot does not keep: rehash the
            // key, from the words a short key is held in, from the arena for a long one.
            let length = Int(old[at] & 0xFFFF_FFFF)
            let hash = length <= 16
                ? ByteHash.ofBlocks(head: old[at + 2], tail: old[at + 3], count: length)
                : arena.withUnsafeBufferPointer { byteHash(UnsafeBufferPointer(rebasing: $0[Int(old[at + 3])..<(Int(old[at + 3]) + length)])) }
            place((old[at], old[at + 1], old[at + 2], old[at + 3]), hash: hash)
        }
    }
}

extension ByteMap {
    /// The id of a normalised token in a vocabulary (token bytes → id), or -1 when no name has it.
    @inline(__always)
    package func tokenID(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        value(for: bytes, hash: byteHash(bytes)).map { Int32(truncatingIfNeeded: $0) } ?? -1
    }

    package func tokenID(_ token: String) -> Int32 {
        guard !token.isEmpty else { return -1 }
        var bytes = Array(token.utf8)
        return bytes.withUnsafeMutableBufferPointer { tokenID(UnsafeBufferPointer($0)) }
    }
}

/// An open-addressing map from (trie node, token id) to the child node: the automaton's edges.
/// Key, child and the key the child completes sit side by side, so a step of the walk touches one
/// cache line per probe, and no second table to learn whether the child ends a name.
///
/// Most look-ups ask for an edge that does not exist (a word followed by one that continues no
/// name), so a bit filter of 8–16 bits per edge answers them first: it is small enough to
/// stay in the CPU cache, where the table (tens of MB for a GeoNames gazetteer) is not.
package struct EdgeMap: Sendable {
    /// One edge; stored raw in a cache file (checked as it is read).
    package struct Edge: BitwiseCopyable {
        package var key: UInt64
        package var child: Int32
        /// The child's `nodeKey` value (the key it completes, -1 for none), set by ``setChildKeys(_:)``.
        package var childKey: Int32 = -1
    }

    private var edges: [Edge]
    private var mask: Int
    package private(set) var count = 0
    private static let empty = Edge(key: .max, child: -1)
    /// One bit per hash of (node, token); set for every edge. Sized by ``rebuildFilter()``.
    private var filter = BitSet(count: 64)
    private var filterShift: UInt64 = 58

    package init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        edges = [Edge](repeating: Self.empty, count: size)
        mask = size - 1
    }

    /// An edge's key: the node in the high half, the token in the low one.
    @inline(__always)
    fileprivate static func edgeKey(_ node: Int32, _ token: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
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
    package func child(_ node: Int32, _ token: Int32) -> Int32 {
        withView { $0.child(node, token) }
    }

    /// The table as buffer pointers, for a scan's inner loop: a look-up through a view touches no
    /// reference count (reading the table's arrays through the index does, every time).
    package struct View {
        fileprivate let edges: UnsafeBufferPointer<Edge>
        fileprivate let filter: UnsafeBufferPointer<UInt64>
        fileprivate let mask: Int
        fileprivate let filterShift: UInt64

        /// The child of (node, token), or -1.
        @inline(__always)
        package func child(_ node: Int32, _ token: Int32) -> Int32 { step(node, token).node }

        /// The child of (node, token) and its `nodeKey` value, or (-1, -1).
        @inline(__always)
        package func step(_ node: Int32, _ token: Int32) -> (node: Int32, key: Int32) {
            let key = EdgeMap.edgeKey(node, token)
            let bit = EdgeMap.filterBit(key, filterShift)
            guard filter[bit >> 6] >> UInt64(bit & 63) & 1 != 0 else { return (-1, -1) }
            var i = EdgeMap.slot(key, mask)
            while true {
                let e = edges[i]
                if e.key == key { return (e.child, e.childKey) }
                if e.key == .max { return (-1, -1) }
                i = (i + 1) & mask
            }
        }

        /// Asks for the cache lines a ``child(_:_:)`` look-up of (node, token) will read.
        @inline(__always)
        package func prefetch(_ node: Int32, _ token: Int32) {
            let key = EdgeMap.edgeKey(node, token)
            let bit = EdgeMap.filterBit(key, filterShift)
            filter.prefetch(bit >> 6)
            edges.prefetch(EdgeMap.slot(key, mask))
        }
    }

    /// Calls `body` with a view of the table, valid during the call.
    package func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try edges.withUnsafeBufferPointer { e in
            try filter.words.withUnsafeBufferPointer { f in
                try body(View(edges: e, filter: f, mask: mask, filterShift: filterShift))
            }
        }
    }

    package mutating func insert(_ node: Int32, _ token: Int32, child: Int32) {
        let key = Self.edgeKey(node, token)
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

    /// Copies each child's `nodeKey` value into its edge (once the trie is complete).
    package mutating func setChildKeys(_ nodeKey: [Int32]) {
        for i in edges.indices where edges[i].key != .max { edges[i].childKey = nodeKey[Int(edges[i].child)] }
    }

    /// Backs the table with huge pages (see ``HugePages``).
    package func adviseHugePages() {
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

    /// A table's contents: what an archive stores (``init(validating:nodeKey:tokens:)`` takes it back).
    package struct Parts {
        package var edges: [Edge]
        package var count: Int
        package var filterWords: [UInt64]
    }

    package var parts: Parts { Parts(edges: edges, count: count, filterWords: filter.words) }

    /// A table from its parts (a cache file's), checking every edge as the walk relies on it:
    /// from a node of the trie (not the root, whose edges are implicit) by a token id below
    /// `tokens`, to a node whose key it carries; reached by probing from its hash without crossing
    /// a free slot; its filter bit set; and the count the number of edges, at most half the slots
    /// (so every probe meets a free slot and ends). Nil when any of that fails.
    /// - Parameter nodeKey: the trie's nodes' keys (every child must be a node, its key copied right).
    package init?(validating parts: Parts, nodeKey: [Int32], tokens: Int) {
        edges = parts.edges
        count = parts.count
        filter = BitSet(words: parts.filterWords)
        mask = edges.count - 1
        guard edges.count >= 16, edges.count & mask == 0, count >= 0, count * 2 <= edges.count, filter.count >= 64,
            filter.count & (filter.count - 1) == 0
        else { return nil }
        filterShift = UInt64(64 - filter.count.trailingZeroBitCount)
        // In slot order from a free slot, with the run of used slots ending at each (as ByteMap's).
        guard let free = edges.firstIndex(where: { $0.key == .max }) else { return nil }
        var used = 0, run = 0
        for step in 1...edges.count {
            let slot = (free + step) & mask, e = edges[slot]
            guard e.key != .max else { run = 0; continue }
            used += 1
            run += 1
            let node = Int32(bitPattern: UInt32(e.key >> 32)), token = Int32(bitPattern: UInt32(e.key & 0xFFFF_FFFF))
            guard node > 0, Int(node) < nodeKey.count, token >= 0, Int(token) < tokens, e.child > 0, Int(e.child) < nodeKey.count,
                e.childKey == nodeKey[Int(e.child)], filter.contains(Self.filterBit(e.key, filterShift)),
                (slot - Self.slot(e.key, mask)) & mask < run
            else { return nil }
        }
        guard used == count else { return nil }
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
/// report mentions, the rulebook's sets of keys).
///
/// Beside the bits, a summary of one bit per word of them, set when the word is not zero: a sparse
/// set — the rulebook's keys of outlets and of names that are no places, a few hundred of 856,143 —
/// is answered from the summary (1/64 of the size: 1.7 KiB for a GeoNames gazetteer's keys, which
/// stays in the processor's cache), where a read of its 107 KiB of bits at random, once per
/// candidate, missed the cache (BitSet.contains took 3 % of the scan's time, for 0.2 % of its
/// instructions).
package struct BitSet: Sendable {
    package private(set) var words: [UInt64]
    /// Bit `w` set when `words[w]` is not zero.
    private var summary: [UInt64]

    /// A set that can hold `0..<count`.
    package init(count: Int) {
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
        summary = [UInt64](repeating: 0, count: (words.count + 63) / 64)
    }

    package init(words: [UInt64]) {
        self.words = words
        var summary = [UInt64](repeating: 0, count: (words.count + 63) / 64)
        for (w, bits) in words.enumerated() where bits != 0 { summary[w >> 6] |= 1 << UInt64(w & 63) }
        self.summary = summary
    }

    /// How many values it can hold (a multiple of 64).
    package var count: Int { words.count * 64 }

    @inline(__always)
    package mutating func insert(_ i: Int) {
        words[i >> 6] |= 1 << UInt64(i & 63)
        summary[i >> 12] |= 1 << UInt64((i >> 6) & 63)
    }

    @inline(__always)
    package func contains(_ i: Int) -> Bool {
        guard summary[i >> 12] >> UInt64((i >> 6) & 63) & 1 != 0 else { return false }
        return words[i >> 6] >> UInt64(i & 63) & 1 != 0
    }

    /// How many values the set holds (`count` is how many it can hold).
    package var memberCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Adds the members of a set of the same capacity.
    package mutating func formUnion(_ other: BitSet) {
        precondition(other.words.count == words.count, "sets of different capacities")
        for i in words.indices { words[i] |= other.words[i] }
        for i in summary.indices { summary[i] |= other.summary[i] }
    }

    /// The values in the set, in increasing order.
    package var members: [Int] {
        var result: [Int] = []
        for (w, bits) in words.enumerated() where bits != 0 {
            for bit in 0..<64 where bits >> UInt64(bit) & 1 != 0 { result.append(w << 6 | bit) }
        }
        return result
    }
}
