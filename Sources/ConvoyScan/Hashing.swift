import Foundation

/// The hash of the word tables: the bytes taken eight at a time (little-endian, the last block
/// zero-filled), each block mixed in with one multiply, then a final scramble — a word of up to
/// eight bytes costs three multiplies, not one per byte. Not cryptographic. The tokenizer computes
/// the same value from the words of text it has already loaded (``ByteHash``).
@inline(__always)
package func byteHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
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
package enum ByteHash {
    @inline(__always)
    package static func start(count: Int) -> UInt64 { UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15 }

    /// Mixes in a block of eight bytes (the last one zero-filled past the end).
    @inline(__always)
    package static func mix(_ h: UInt64, _ block: UInt64) -> UInt64 {
        let x = (h ^ block) &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 31)
    }

    /// ``byteHash(_:)`` of a key of up to 16 bytes held as two little-endian words, zero-filled
    /// past its end (bytes 0–7 and 8–15): the blocks the hash would read, without the bytes.
    @inline(__always)
    package static func ofBlocks(head: UInt64, tail: UInt64, count: Int) -> UInt64 {
        // (An empty key's start and head are 0, which mixing leaves 0: the first block need not wait on the count.)
        let h = mix(start(count: count), head)
        return finish(count > 8 ? mix(h, tail) : h)
    }

    @inline(__always)
    package static func finish(_ h: UInt64) -> UInt64 {
        let x = (h ^ (h >> 29)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 32)
    }
}

/// A fast 64-bit checksum of a cache file's contents, ``byteHash(_:)``'s mixing over a stream
/// (8 bytes at a time; not cryptographic): it tells a damaged file from a good one.
package struct ArchiveChecksum {
    private var value = ByteHash.start(count: 0)
    private var tail: [UInt8] = []

    package init() {}

    package mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        if !tail.isEmpty {
            while tail.count < 8, i < bytes.count { tail.append(bytes[i]); i += 1 }
            guard tail.count == 8 else { return }
            value = ByteHash.mix(value, tail.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
            tail.removeAll(keepingCapacity: true)
        }
        while i + 8 <= bytes.count {
            value = ByteHash.mix(value, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        tail.append(contentsOf: bytes[i...])
    }

    /// The checksum, with the bytes that did not fill a word and their count.
    package var final: UInt64 {
        var last: UInt64 = UInt64(tail.count) << 56
        for (k, b) in tail.enumerated() { last |= UInt64(b) << UInt64(8 * k) }
        return ByteHash.finish(ByteHash.mix(value, last))
    }

    package static func of(_ data: Data) -> UInt64 {
        var sum = ArchiveChecksum()
        data.withUnsafeBytes { sum.add($0) }
        return sum.final
    }
}
