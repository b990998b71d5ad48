/// 64-bit FNV-1a over bytes: the hash of the word tables (fast for short words, not cryptographic).
@inline(__always)
func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
        h ^= UInt64(b)
        h &*= 0x0000_0100_0000_01B3
    }
    return h
}

/// An open-addressing hash map from byte strings to Int64 values, with the keys kept in one arena.
/// Used for the vocabulary of name tokens (immutable once built) and for a scanner's word cache.
struct ByteMap: Sendable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var offsets: [Int32] = []
    private var lengths: [Int32] = []
    private(set) var values: [Int64] = []
    private var arena: [UInt8] = []
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { values.count }

    /// The value stored for `key` (with its precomputed hash), or nil.
    @inline(__always)
    func value(for key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int64? {
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = slots[i]
            if e < 0 { return nil }
            let entry = Int(e)
            if hashes[entry] == hash, Int(lengths[entry]) == key.count, equal(entry, key) { return values[entry] }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func equal(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offsets[entry])
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<key.count where a[start + k] != key[k] { return false }
            return true
        }
    }

    /// Stores `value` for `key`, replacing an earlier value; grows when half full.
    mutating func set(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int64) {
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = slots[i]
            if e < 0 { break }
            let entry = Int(e)
            if hashes[entry] == hash, Int(lengths[entry]) == key.count, equal(entry, key) {
                values[entry] = value
                return
            }
            i = (i + 1) & mask
        }
        slots[i] = Int32(values.count)
        hashes.append(hash)
        offsets.append(Int32(arena.count))
        lengths.append(Int32(key.count))
        values.append(value)
        arena.append(contentsOf: key)
        if values.count * 2 > slots.count { grow() }
    }

    mutating func set(_ key: [UInt8], value: Int64) {
        key.withUnsafeBufferPointer { set($0, hash: fnv1a($0), value: value) }
    }

    func value(for key: [UInt8]) -> Int64? {
        key.withUnsafeBufferPointer { value(for: $0, hash: fnv1a($0)) }
    }

    /// Forgets every entry (keeps the table's size).
    mutating func removeAll() {
        for i in slots.indices { slots[i] = -1 }
        hashes.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for entry in 0..<values.count {
            var i = Int(truncatingIfNeeded: hashes[entry]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(entry)
        }
    }
}

/// An open-addressing map from (trie node, token id) to the child node: the automaton's edges.
struct EdgeMap: Sendable {
    private var keys: [UInt64]
    private var children: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: .max, count: size)
        children = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    @inline(__always)
    func child(_ node: Int32, _ token: Int32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
        var i = Self.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { return children[i] }
            if k == .max { return -1 }
            i = (i + 1) & mask
        }
    }

    mutating func insert(_ node: Int32, _ token: Int32, child: Int32) {
        let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
        var i = Self.slot(key, mask)
        while keys[i] != .max {
            if keys[i] == key { children[i] = child; return }
            i = (i + 1) & mask
        }
        keys[i] = key
        children[i] = child
        count += 1
        if count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldChildren = children
        let size = keys.count * 2
        keys = [UInt64](repeating: .max, count: size)
        children = [Int32](repeating: -1, count: size)
        mask = size - 1
        count = 0
        for (k, c) in zip(oldKeys, oldChildren) where k != .max {
            insert(Int32(bitPattern: UInt32(k >> 32)), Int32(bitPattern: UInt32(k & 0xFFFF_FFFF)), child: c)
        }
    }
}
