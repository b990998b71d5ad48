/// Up to seven bytes to look for, sixteen text bytes at a time (vector compares): where the markup
/// mask's constructs may start (ConvoyCheck's `MarkupMask`). Here, not in the rulebook, for its
/// unaligned vector loads.
package struct ByteTriggers {
    /// The bytes, each repeated in a 16-byte vector (the first again where there are fewer than seven).
    let vectors: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>)
    /// Per byte value, whether it is one of them.
    let table: [Bool]
    /// Whether there are at most three distinct bytes (in the first three vectors): the search
    /// then compares with those only (plain text's mask looks for three).
    let fewBytes: Bool

    package init(_ bytes: [UInt8]) {
        precondition(!bytes.isEmpty && bytes.count <= 7)
        var distinct: [UInt8] = []
        for b in bytes where !distinct.contains(b) { distinct.append(b) }
        fewBytes = distinct.count <= 3
        let v = (0..<7).map { SIMD16<UInt8>(repeating: distinct[$0 < distinct.count ? $0 : 0]) }
        vectors = (v[0], v[1], v[2], v[3], v[4], v[5], v[6])
        var table = [Bool](repeating: false, count: 256)
        for b in bytes { table[Int(b)] = true }
        self.table = table
    }

    package func contains(_ b: UInt8) -> Bool { table[Int(b)] }

    /// The first index at or after `i` whose byte is one of them (or the end).
    package func next(in t: [UInt8], from i: Int) -> Int {
        t.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return i }
            let raw = UnsafeRawPointer(base)
            var k = i
            if fewBytes {
                while k + 16 <= p.count {
                    let v = raw.loadUnaligned(fromByteOffset: k, as: SIMD16<UInt8>.self)
                    if any((v .== vectors.0) .| (v .== vectors.1) .| (v .== vectors.2)) { break }
                    k += 16
                }
            }
            while k + 16 <= p.count {
                let v = raw.loadUnaligned(fromByteOffset: k, as: SIMD16<UInt8>.self)
                let found = (v .== vectors.0) .| (v .== vectors.1) .| (v .== vectors.2) .| (v .== vectors.3)
                    .| (v .== vectors.4) .| (v .== vectors.5) .| (v .== vectors.6)
                if any(found) { break }
                k += 16
            }
            while k < p.count, !table[Int(p[k])] { k += 1 }
            return k
        }
    }
}
