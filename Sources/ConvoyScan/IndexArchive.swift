import ConvoyGazetteer
import Foundation

/// The binary form of a compiled ``NameIndex``: its tables as raw little-endian arrays, each
/// preceded by its element size and count, and its strings as one UTF-8 arena with offsets.
///
/// It is a cache, not an exchange format: it is read only by the build that wrote it (the header
/// holds ``NameIndex/archiveVersion`` and the layout of the stored records), so the raw copies of
/// Swift structs are safe, and anything unexpected makes the reader throw and the index be rebuilt.
package struct IndexArchiveWriter {
    private let handle: FileHandle
    private var pending: [UInt8] = []
    private var checksum = ArchiveChecksum()
    /// The first write that failed (reported by ``finish()``).
    private var failure: (any Error)?

    package init(handle: FileHandle) { self.handle = handle }

    package mutating func write(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { pending.append(contentsOf: $0) }
    }

    package mutating func write(_ text: String) { write(Array(text.utf8)) }

    package mutating func write<T: BitwiseCopyable>(_ array: [T]) {
        write(MemoryLayout<T>.stride)
        write(array.count)
        array.withUnsafeBytes { pending.append(contentsOf: $0) }
        if pending.count > 1 << 24, failure == nil {
            do { try flushPending() } catch { failure = error }
        }
    }

    /// Strings as offsets into one UTF-8 arena.
    package mutating func write(strings: [String]) {
        var arena: [UInt8] = []
        var offsets: [Int64] = [0]
        offsets.reserveCapacity(strings.count + 1)
        for s in strings {
            arena.append(contentsOf: s.utf8)
            offsets.append(Int64(arena.count))
        }
        write(offsets)
        write(arena)
    }

    /// Strings that may be missing: which are, then the strings (a missing one as "").
    package mutating func write(strings: [String?]) {
        write(strings.map { $0 == nil })
        write(strings: strings.map { $0 ?? "" })
    }

    private mutating func flushPending() throws {
        pending.withUnsafeBytes { checksum.add($0) }
        try handle.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes what is still buffered; returns the checksum of all that was written.
    package mutating func finish() throws -> UInt64 {
        try flushPending()
        if let failure { throw failure }
        return checksum.final
    }
}

/// Reads what ``IndexArchiveWriter`` wrote, checking every size against the data.
package struct IndexArchiveReader {
    package struct Malformed: Error, CustomStringConvertible {
        package let description: String

        package init(description: String) { self.description = description }
    }

    /// Where a table was read: its record type, first byte and record count (for tests that
    /// damage one table of a good file).
    package struct TableRecord {
        package let type: String
        package let offset: Int
        package let count: Int
        package let stride: Int
    }

    private let data: Data
    private var position = 0
    package private(set) var tables: [TableRecord] = []

    package init(data: Data) { self.data = data }

    package var isAtEnd: Bool { position == data.count }

    package mutating func readInt() throws -> Int {
        guard position + 8 <= data.count else { throw Malformed(description: "truncated at byte \(position)") }
        let value = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: Int64.self) }
        position += 8
        return Int(Int64(littleEndian: value))
    }

    package mutating func readString() throws -> String {
        String(decoding: try read(UInt8.self), as: UTF8.self)
    }

    /// A table of records copied as they are stored. A record type with fields that not every bit
    /// pattern is a value of (a `Bool`, an enum) must pass `valid`, which sees each record's bytes
    /// before any is taken for a `T`: a byte 2 is no `Bool`, and reading it as one is undefined.
    package mutating func read<T: BitwiseCopyable>(_: T.Type, valid: ((UnsafeRawBufferPointer) -> Bool)? = nil) throws -> [T] {
        let stride = try readInt(), count = try readInt()
        guard stride == MemoryLayout<T>.stride else {
            throw Malformed(description: "a table of \(T.self) has records of \(stride) bytes, not \(MemoryLayout<T>.stride)")
        }
        guard count >= 0, count <= (data.count - position) / max(stride, 1) else {
            throw Malformed(description: "a table of \(T.self) runs past the end (byte \(position))")
        }
        let start = position
        tables.append(TableRecord(type: "\(T.self)", offset: start, count: count, stride: stride))
        if let valid {
            let ok = data.withUnsafeBytes { raw in
                (0..<count).allSatisfy { valid(UnsafeRawBufferPointer(rebasing: raw[(start + $0 * stride)..<(start + ($0 + 1) * stride)])) }
            }
            guard ok else { throw Malformed(description: "a table of \(T.self) holds a value that is none (byte \(start))") }
        }
        position += count * stride
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<(start + count * stride)]))
            }
            initialized = count
        }
    }

    package mutating func readStrings() throws -> [String] {
        let offsets = try read(Int64.self), arena = try read(UInt8.self)
        guard offsets.first == 0, Int(offsets.last!) == arena.count, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw Malformed(description: "a string table does not add up")
        }
        return arena.withUnsafeBufferPointer { bytes in
            zip(offsets, offsets.dropFirst()).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[Int($0)..<Int($1)]), as: UTF8.self) }
        }
    }

    /// Booleans, each stored as a byte that must be 0 or 1.
    package mutating func readBools() throws -> [Bool] {
        try read(Bool.self, valid: { Self.isBool($0[0]) })
    }

    package static func isBool(_ byte: UInt8) -> Bool { byte <= 1 }

    /// Whether `byte` is the in-memory tag of a name kind: below ``nameKindTags``.
    @inline(__always)
    package static func isNameKind(_ byte: UInt8) -> Bool { byte < nameKindTags }

    /// How many tags name kinds have — their cases, stored as their positions (as Swift lays out
    /// such enums; checked once, see ``EnumTags``) — or 0 if they are not stored so (then no stored
    /// kind is taken).
    package static let nameKindTags: UInt8 = EnumTags.areIndices(NameKind.self) ? UInt8(NameKind.allCases.count) : 0

    /// Whether `byte` is the stored form of a case of `E`, a one-byte enum whose cases are stored as
    /// their raw values (checked on the case itself).
    package static func isRawTag<E: RawRepresentable & BitwiseCopyable>(_ byte: UInt8, of _: E.Type) -> Bool where E.RawValue == UInt8 {
        guard MemoryLayout<E>.size == 1, let value = E(rawValue: byte) else { return false }
        return withUnsafeBytes(of: value) { $0[0] } == byte
    }

    package mutating func readOptionalStrings() throws -> [String?] {
        let missing = try readBools(), strings = try readStrings()
        guard missing.count == strings.count else { throw Malformed(description: "a string table does not add up") }
        return zip(missing, strings).map { $0 ? nil : $1 }
    }
}

/// Checks, once per enum type, that a one-byte enum's cases are stored as their positions 0, 1, 2 …:
/// then a stored byte is a case exactly when it is below the number of cases.
package enum EnumTags {
    package static func areIndices<E: CaseIterable & BitwiseCopyable>(_: E.Type) -> Bool {
        guard MemoryLayout<E>.size == 1 else { return false }
        return E.allCases.enumerated().allSatisfy { i, value in withUnsafeBytes(of: value) { $0[0] } == UInt8(i) }
    }
}

// MARK: - The tables, archived

extension ByteMap {
    package func archive(into writer: inout IndexArchiveWriter) {
        let parts = self.parts
        writer.write(parts.slotWords)
        writer.write(parts.count)
        writer.write(parts.arena)
    }

    /// Reads a table written by ``archive(into:)``, checked as ``init(validating:)`` checks it.
    package init(from reader: inout IndexArchiveReader) throws {
        let parts = Parts(slotWords: try reader.read(UInt64.self), count: try reader.readInt(), arena: try reader.read(UInt8.self))
        guard let map = ByteMap(validating: parts) else { throw IndexArchiveReader.Malformed(description: "a word table does not add up") }
        self = map
    }
}

extension EdgeMap {
    package func archive(into writer: inout IndexArchiveWriter) {
        let parts = self.parts
        writer.write(parts.edges)
        writer.write(parts.count)
        writer.write(parts.filterWords)
    }

    /// Reads a table written by ``archive(into:)``, checked as ``init(validating:nodeKey:tokens:)`` checks it.
    package init(from reader: inout IndexArchiveReader, nodeKey: [Int32], tokens: Int) throws {
        let parts = Parts(edges: try reader.read(Edge.self), count: try reader.readInt(), filterWords: try reader.read(UInt64.self))
        guard let map = EdgeMap(validating: parts, nodeKey: nodeKey, tokens: tokens) else {
            throw IndexArchiveReader.Malformed(description: "the automaton's edges do not add up")
        }
        self = map
    }
}
