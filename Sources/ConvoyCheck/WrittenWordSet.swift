import ConvoyScan

/// A list of the rulebook's words as written (the Arabic lists: ``CheckRules/Kind/holdsArabic``),
/// asked about a word of the text by its bytes. It answers as `Set<String>.contains` on the word's
/// text does, without making that String: hashing an Arabic String hashes its normal form (NFC),
/// thousands of instructions a word, where most words are looked up by their bytes.
///
/// Why bytes decide, and when they do not: two Strings are equal when their NFC forms are. A text
/// of ASCII and Arabic-script letters without marks (U+0620–U+064A, U+066E–U+066F, U+0671–U+06D3,
/// U+06D5) is in NFC already — those letters compose with no letter, only with marks (a hamza or
/// madda above or below, U+0653–U+0655) — so such a text is
/// in the set exactly when an entry's NFC form is its bytes. An entry of the same letters is its own
/// NFC form and is kept by its bytes. Any other text (marks, other scripts), or any text at all
/// when some entry is not of those letters, is asked of the `Set<String>`.
struct WrittenWordSet: Sendable {
    let words: Set<String>
    /// The entries of ASCII and Arabic letters without marks, by their UTF-8 (the value is unused).
    private let plainEntries: ByteMap
    /// Whether every entry is of ASCII and Arabic letters without marks (else bytes do not decide).
    private let allEntriesPlain: Bool

    init(_ words: Set<String>) {
        self.words = words
        var allPlain = true
        var plain = ByteMap(capacity: words.count)
        for word in words {
            let bytes = Array(word.utf8)
            if Self.isPlain(bytes.span) { plain.set(bytes, value: 1) } else { allPlain = false }
        }
        plainEntries = plain
        allEntriesPlain = allPlain
    }

    var isEmpty: Bool { words.isEmpty }

    /// Whether `text` (UTF-8) is one of the words, as `words.contains` says of its String.
    func contains(_ text: Span<UInt8>) -> Bool {
        if allEntriesPlain, Self.isPlain(text) { return plainEntries.value(for: text) != nil }
        return words.contains(text.string(0, text.count))
    }

    /// Whether the bytes are ASCII and the UTF-8 of the Arabic letters above only: D8 A0–BF
    /// (U+0620–U+063F); D9 80–8A, AE–AF, B1–BF (U+0640–U+064A, U+066E–U+066F, U+0671–U+067F); DA
    /// 80–BF (U+0680–U+06BF); DB 80–93, 95 (U+06C0–U+06D3, U+06D5).
    private static func isPlain(_ bytes: Span<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { return false }
            let next = bytes[i + 1]
            switch b {
            case 0xD8: guard (0xA0...0xBF).contains(next) else { return false }
            case 0xD9: guard (0x80...0x8A).contains(next) || (0xAE...0xAF).contains(next) || (0xB1...0xBF).contains(next) else { return false }
            case 0xDA: guard (0x80...0xBF).contains(next) else { return false }
            case 0xDB: guard (0x80...0x93).contains(next) || next == 0x95 else { return false }
            default: return false
            }
            i += 2
        }
        return true
    }
}
