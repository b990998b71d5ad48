@testable import ConvoyScan
import ConvoyTestSupport
import Foundation
import Testing

@Suite("the scanner's hash tables")
struct ByteTableTests {
    /// What `write` put in an archive, read back.
    static func roundTrip(_ write: (inout IndexArchiveWriter) -> Void) throws -> IndexArchiveReader {
        let url = ScratchSpace.path("archive")
        try #require(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        var writer = IndexArchiveWriter(handle: handle)
        write(&writer)
        _ = try writer.finish()
        try handle.close()
        return IndexArchiveReader(data: try Data(contentsOf: url))
    }

    /// Random keys of 0–40 bytes (short ones often, with zero bytes and shared prefixes, so that
    /// zero-filled slots and keys that differ only past byte 8 or 16 are tried).
    static func randomKey(_ generator: inout SeededGenerator) -> [UInt8] {
        let length = Int.random(in: 0..<10, using: &generator) < 8 ? Int.random(in: 0...17, using: &generator) : Int.random(in: 18...40, using: &generator)
        let alphabet: [UInt8] = Int.random(in: 0..<4, using: &generator) == 0 ? [0, 1, 0x61] : Array(0x61...0x66)
        return (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
    }

    /// A ByteMap answers as a Dictionary does, through growth, replaced values, copies changed
    /// after copying (their storage may sit differently against cache lines), clearing and an
    /// archive round trip.
    @Test func byteMapAnswersAsADictionary() throws {
        var generator = SeededGenerator(seed: 7)
        var map = ByteMap(capacity: 4)
        var reference: [[UInt8]: Int64] = [:]
        var probes: [[UInt8]] = []
        for step in 0..<20_000 {
            let key = Self.randomKey(&generator)
            let value = Int64.random(in: .min ... .max, using: &generator)
            map.set(key, value: value)
            reference[key] = value
            probes.append(Self.randomKey(&generator))
            if step % 997 == 0 {
                // A copy changed on its own: the original keeps its answers, the copy gets the new one.
                var copy = map
                let extra = Self.randomKey(&generator) + [0x7A]
                copy.set(extra, value: -1)
                #expect(copy.value(for: extra) == -1)
                #expect(map.value(for: extra) == reference[extra])
                for k in reference.keys.prefix(50) { #expect(copy.value(for: k) == reference[k]) }
            }
        }
        #expect(map.count == reference.count)
        for (key, value) in reference { #expect(map.value(for: key) == value) }
        for key in probes { #expect(map.value(for: key) == reference[key]) }

        var reader = try Self.roundTrip { map.archive(into: &$0) }
        let read = try ByteMap(from: &reader)
        #expect(read.count == reference.count)
        for (key, value) in reference { #expect(read.value(for: key) == value) }
        for key in probes { #expect(read.value(for: key) == reference[key]) }

        map.removeAll()
        #expect(map.count == 0)
        for key in reference.keys.prefix(200) { #expect(map.value(for: key) == nil) }
    }

    /// The key blocks read a key's bytes and nothing past them, zero-filled: checked on keys cut
    /// from a longer buffer (bytes after the key are 0xFF, so reading them would show); and the
    /// hash made from the blocks is the key's.
    @Test func keyBlocksStopAtTheKeysEnd() {
        let buffer = [UInt8](0x41...0x60) + [UInt8](repeating: 0xFF, count: 16)
        buffer.withUnsafeBufferPointer { all in
            for length in 0...16 {
                let key = UnsafeBufferPointer(rebasing: all[0..<length])
                let (head, tail) = ByteMap.blocks(key)
                var expected = [UInt8](repeating: 0, count: 16)
                for i in 0..<length { expected[i] = all[i] }
                let expectedHead = (0..<8).reduce(UInt64(0)) { $0 | UInt64(expected[$1]) << UInt64(8 * $1) }
                let expectedTail = (8..<16).reduce(UInt64(0)) { $0 | UInt64(expected[$1]) << UInt64(8 * ($1 - 8)) }
                #expect(head == expectedHead, "length \(length)")
                #expect(tail == expectedTail, "length \(length)")
                // The hash of a key from its blocks (how a growing table rehashes short keys).
                #expect(ByteHash.ofBlocks(head: head, tail: tail, count: length) == byteHash(key), "length \(length)")
            }
        }
    }

    /// A damaged archive is refused rather than trusted: a 30-byte key whose bytes would lie past
    /// the end of a 10-byte arena (the slot layout written out by hand: meta, value, first 8 bytes,
    /// arena offset), a slot whose tag is not its key's hash, and a slot count that is not a power
    /// of two.
    @Test func damagedWordTableIsRefused() throws {
        var slots = [UInt64](repeating: 0, count: 16 * 4 + 8)
        (slots[0], slots[1], slots[2], slots[3]) = (1 << 63 | 30, 1, 0x6161_6161_6161_6161, 0)
        var reader = try Self.roundTrip { writer in
            writer.write(slots)
            writer.write(1)
            writer.write([UInt8](repeating: 0x61, count: 10))
        }
        #expect(throws: IndexArchiveReader.Malformed.self) { try ByteMap(from: &reader) }
        // The same slot with its key's bytes in the arena: still refused, its tag is not its key's hash.
        var untagged = try Self.roundTrip { writer in
            writer.write(slots)
            writer.write(1)
            writer.write([UInt8](repeating: 0x61, count: 30))
        }
        #expect(throws: IndexArchiveReader.Malformed.self) { try ByteMap(from: &untagged) }
        // Written by the table itself, the 30-byte key is read back and found.
        var map = ByteMap(capacity: 4)
        map.set([UInt8](repeating: 0x61, count: 30), value: 1)
        var fits = try Self.roundTrip { map.archive(into: &$0) }
        let read = try ByteMap(from: &fits)
        #expect(read.count == 1 && read.value(for: [UInt8](repeating: 0x61, count: 30)) == 1)
        var oddSize = try Self.roundTrip { writer in
            writer.write([UInt64](repeating: 0, count: 24 * 4 + 8))
            writer.write(0)
            writer.write([UInt8]())
        }
        #expect(throws: IndexArchiveReader.Malformed.self) { try ByteMap(from: &oddSize) }
    }

    /// `firstIndex(of:from:)` reads eight bytes at a time: on random buffers (every length up to 40,
    /// the byte at any place, in runs, absent, and bytes above 0x7F around it), from every start —
    /// negative and past the end too — it must answer as the plain search does.
    @Test func firstIndexOfAByteAnswersAsThePlainSearch() {
        var generator = SeededGenerator(seed: 20171003)
        let alphabet: [UInt8] = [0x0A, 0x0A, 0x20, 0x41, 0x80, 0x8A, 0xBF, 0xD9, 0xFF, 0x00]
        for length in 0...40 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                bytes.withUnsafeBufferPointer { p in
                    for byte: UInt8 in [0x0A, 0x0B, 0xFF] {
                        for start in -2...(length + 2) {
                            let plain = bytes.indices.first { $0 >= start && bytes[$0] == byte }
                            #expect(p.firstIndex(of: byte, from: start) == plain, "length \(length), start \(start), byte \(byte)")
                        }
                    }
                }
            }
        }
        // An empty buffer with no base address.
        #expect(UnsafeBufferPointer<UInt8>(start: nil, count: 0).firstIndex(of: 0x0A, from: 0) == nil)
    }
}
