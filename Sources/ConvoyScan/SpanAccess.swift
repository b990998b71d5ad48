// The engine's safe face for the rulebook: ConvoyCheck reads text and words as `Span`s (bounds
// checked, non-escaping) and asks this file for what needs a pointer (lane loads, decoding, hashing,
// prefetches, the scanner's calls), and SystemFiles.swift for file calls: the pointer code stays in
// this module (scripts/check-memory-safety.sh holds ConvoyCheck to it).

extension Span where Element == UInt8 {
    /// The eight bytes from `i` as one UInt64, first byte lowest (the lanes of ``ByteLanes``).
    /// Traps unless all eight are inside the span.
    @inlinable @inline(__always)
    public func lane(at i: Int) -> UInt64 {
        precondition(i >= 0 && i <= count &- 8, "a lane of eight bytes out of the span")
        return withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: i, as: UInt64.self)) }
    }

    /// The first position at or after `start` that holds `byte`, or nil (read eight bytes at a time,
    /// as ``Swift/UnsafeBufferPointer/firstIndex(of:from:)``).
    package func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        withUnsafeBufferPointer { $0.firstIndex(of: byte, from: start) }
    }

    /// The scalar of the UTF-8 sequence at `i` that ends by `end`, and its length in bytes; nil
    /// for an invalid or cut sequence (``Tokenizer/decode(_:_:_:)``). `i` must be in the span.
    package func scalar(at i: Int, before end: Int) -> (Unicode.Scalar, Int)? {
        precondition(i >= 0 && i < count && end <= count, "a scalar read out of the span")
        return withUnsafeBufferPointer { Tokenizer.decode($0, i, end) }
    }

    /// Asks the CPU for the cache line of byte `i` (a hint; nothing when out of range).
    @inline(__always)
    package func prefetch(_ i: Int) { withUnsafeBufferPointer { $0.prefetch(i) } }

    /// The bytes from `start` to `end` decoded as UTF-8 (invalid sequences repaired).
    @inlinable
    public func string(_ start: Int, _ end: Int) -> String {
        let part = extracting(start..<end)
        return part.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Where the bytes between two words lie, from the first's `end` to the next one's `start`;
    /// an empty range when nothing lies between (words of one segment may share bytes: `end >
    /// start`) or the bounds are not in the span. Every rule that reads a gap between words reads
    /// it through this.
    @inlinable
    public func gap(from end: Int32, to start: Int32) -> Range<Int> {
        guard 0 <= end, end <= start, Int(start) <= count else { return 0..<0 }
        return Int(end)..<Int(start)
    }

    /// Whether the bytes from `start` equal `other`.
    @inlinable
    public func bytes(at start: Int, equal other: [UInt8]) -> Bool {
        guard start >= 0, start <= count - other.count else { return false }
        for k in other.indices where self[start + k] != other[k] { return false }
        return true
    }
}

extension TextScanner {
    /// ``tokenize(_:)`` of a span.
    package func tokenize(_ masked: Span<UInt8>) { masked.withUnsafeBufferPointer { tokenize($0) } }

    /// ``isRecorded(_:key:)`` of a span.
    package func isRecorded(_ text: Span<UInt8>, key k: Int32) -> Bool {
        text.withUnsafeBufferPointer { isRecorded($0, key: k) }
    }

    /// ``bestName(_:key:)`` of a span.
    package func bestName(_ text: Span<UInt8>, key k: Int32) -> NameIndex.RankedPlace {
        text.withUnsafeBufferPointer { bestName($0, key: k) }
    }

    /// ``forEachPlace(_:key:_:)`` of a span.
    package func forEachPlace(_ text: Span<UInt8>, key k: Int32, _ body: (NameIndex.RankedPlace, NameIndex.RankOrder) -> Void) {
        text.withUnsafeBufferPointer { forEachPlace($0, key: k, body) }
    }

    /// ``findCandidates(_:_:rules:)`` of spans.
    package func findCandidates(_ masked: Span<UInt8>, _ source: Span<UInt8>, rules: any MatchRules) -> [Candidate] {
        masked.withUnsafeBufferPointer { m in source.withUnsafeBufferPointer { s in findCandidates(m, s, rules: rules) } }
    }

    /// ``prefetchForResolving(_:at:_:_:)`` of spans.
    @inline(__always)
    package func prefetchForResolving(_ candidates: [Candidate], at i: Int, _ words: Span<Word>, _ source: Span<UInt8>) {
        words.withUnsafeBufferPointer { w in source.withUnsafeBufferPointer { s in prefetchForResolving(candidates, at: i, w, s) } }
    }
}

extension ByteMap {
    /// ``value(for:hash:)`` of a span, hashed with ``byteHash(_:)``.
    @inline(__always)
    package func value(for key: Span<UInt8>) -> Int64? {
        key.withUnsafeBufferPointer { value(for: $0, hash: byteHash($0)) }
    }
}

extension ArchiveChecksum {
    /// ``add(_:)-(UnsafeRawBufferPointer)`` of an array's bytes.
    package mutating func add(_ bytes: [UInt8]) { bytes.withUnsafeBytes { add($0) } }
}

extension Span where Element == String {
    /// Asks the CPU for the cache line of element `i` (a hint; nothing when out of range).
    @inline(__always)
    package func prefetch(_ i: Int) { withUnsafeBufferPointer { $0.prefetch(i) } }
}

extension IndexArchiveReader {
    /// The next array of the archive (``read(_:valid:)`` with no check of its bytes).
    package mutating func readValues<T: BitwiseCopyable>(_ type: T.Type) throws -> [T] { try read(type, valid: nil) }
}
