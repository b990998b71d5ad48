import ConvoyGazetteer

/// What a byte of UTF-8 text is to the tokenizer, in one place: letters and digits (word material
/// that ``NameKey`` keeps), apostrophes (marks NameKey deletes inside a word, so "Qa'im" is one
/// word), and separators (which end a word). NameKey's rules 1–3 decide it; ``table`` is generated
/// from them (NameKey is asked about each ASCII byte between two letters), and the inline tests
/// below — which the scan's inner loops use, since they cost no memory read — are checked against
/// that table byte for byte (ConvoyScanTests), so the two cannot drift apart.
package enum ByteClass: UInt8, Sendable {
    /// A letter or digit NameKey keeps.
    case alnum
    /// A mark NameKey deletes inside a word (' and `; in UTF-8 also ‘ and ’, see ``apostropheLength(_:_:)``).
    case apostrophe
    /// Anything else of ASCII: ends a word.
    case separator
    /// A byte of a multi-byte UTF-8 sequence: classed by the scalar it is part of.
    case nonASCII

    /// Every byte's class, from NameKey's rules: an ASCII byte between two letters gives one word
    /// (it is deleted: an apostrophe), two words (a separator), or one word with it (a letter or digit).
    package static let table: [ByteClass] = (0...255).map { (b: Int) -> ByteClass in
        guard b < 0x80 else { return .nonASCII }
        let words = NameKey.words("a" + String(Character(Unicode.Scalar(UInt8(b)))) + "b")
        if words == ["ab"] { return .apostrophe }
        if words == ["a", "b"] || words.count != 1 { return .separator }
        return .alnum
    }

    /// The class of `b`, by the inline tests (equal to ``table``, as a test checks).
    @inline(__always) package static func of(_ b: UInt8) -> ByteClass {
        if b >= 0x80 { return .nonASCII }
        if isAlnum(b) { return .alnum }
        return isApostrophe(b) ? .apostrophe : .separator
    }

    /// An ASCII letter or digit.
    @inline(__always) package static func isAlnum(_ b: UInt8) -> Bool {
        (b &- 0x30) < 10 || ((b | 0x20) &- 0x61) < 26
    }

    /// The ASCII apostrophe (').
    package static let asciiApostrophe: UInt8 = 0x27

    /// An ASCII mark deleted inside a word: ' or `.
    @inline(__always) package static func isApostrophe(_ b: UInt8) -> Bool { b == 0x27 || b == 0x60 }

    /// Word material: a letter, a digit, an apostrophe, or any non-ASCII byte (whose scalar the
    /// tokenizer classes on the slow path).
    @inline(__always) package static func isWordMaterial(_ b: UInt8) -> Bool { b >= 0x80 || isAlnum(b) || isApostrophe(b) }

    /// The curly quotation marks NameKey deletes inside a word as it does ': ‘ (U+2018) and
    /// ’ (U+2019), both E2 80 xx in UTF-8 (checked against NameKey by a test).
    package static let curlyApostropheLastBytes: (UInt8, UInt8) = (0x98, 0x99)

    /// Whether bytes `i...i+2` of `p` (before `end`) are ‘ or ’.
    @inline(__always) static func isCurlyApostrophe(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, before end: Int) -> Bool {
        p[i] == 0xE2 && i + 2 < end && p[i + 1] == 0x80 && (p[i + 2] == 0x98 || p[i + 2] == 0x99)
    }

    /// Length of an apostrophe at `i` that is deleted inside a word (' ` ‘ ’), else 0.
    @inline(__always) package static func apostropheLength(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        if isApostrophe(p[i]) { return 1 }
        return isCurlyApostrophe(p, i, before: p.count) ? 3 : 0
    }

    /// Where the apostrophe of a possessive ends at byte `k` starts: `k` for ', `k - 2` for ‘ or ’
    /// (whose last byte is `k`), else nil. (The backtick is no possessive's.)
    @inline(__always) static func possessiveApostrophe(endingAt k: Int, _ p: UnsafeBufferPointer<UInt8>) -> Int? {
        if p[k] == asciiApostrophe { return k }
        if k >= 2, isCurlyApostrophe(p, k - 2, before: k + 1) { return k - 2 }
        return nil
    }

    /// The scalars that mark a possessive before a final s: ' ’ ‘ and ʼ (U+02BC).
    static let possessiveScalars: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{2018}", "\u{02BC}"]
}
