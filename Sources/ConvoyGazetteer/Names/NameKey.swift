import Foundation

/// Normalised lookup keys for place names, so that the many spellings of one Arabic name meet.
///
/// `key(_:)` folds a name through the rules below; two spellings with the same key are taken to be
/// the same name, and an exact key match is what *resolves* a name. The looser `skeleton(ofKey:)`
/// and `editDistance(_:_:)` only ever *suggest*: short skeletons collide (Humaymah and Hama are
/// both "hm"), so they must never accept a name on their own.
///
/// The rules, in the order they apply (see REFERENCE.md; BGN/PCGN 1956 is the formal romanisation):
/// 1. Apostrophe-like marks are deleted: ASCII ' and `, ‘ ’ ´ ′, and the ayn/hamza letters ʿ ʾ ʼ ʻ
///    ("Ra's Ba'labakk" → "ras balabakk", "`Irsal" → "irsal").
/// 2. Unicode compatibility decomposition (NFKD), then every combining mark is dropped: Latin
///    diacritics ("Aarsâl" → "aarsal", "Ḩumaymah" → "humaymah") and Arabic harakat, shadda, sukun
///    and the hamza signs that NFKD splits off alef, waw and ya (أ إ آ → ا, ؤ → و, ئ → ي).
///    Letters with no decomposition are mapped by hand (ı ł ø đ ß æ œ).
/// 3. Lower case; hyphens, dashes, underscores, dots, commas, slashes and other punctuation become
///    spaces, so "Deir ez-Zor" has the tokens deir, ez, zor.
/// 4. The Arabic article is dropped in every romanised form — al, el, il, ul and the sun-letter
///    assimilations as/es, ad/ed, ar/er, az/ez, at/et, an/en, ash/esh, ath, adh — when it stands
///    before another token; and when fused with assimilation ("Ezzor" → "zor", "Assukhnah").
/// 5. Abu, Abou, Abul, Aboul, Abu'l, Albu, Bou, Bu and Abo before a word join it as "bu…", and the fused
///    forms too: Abu Kamal, Abul Kamal, Albu Kamal, Al-Bukamal, Boukamal and Abou Kemal all give "bukamal".
/// 6. Consonants fold: dj → j, kh → h, gh → g, ck → k, q → k, dh → d, th → t, ph → f.
/// 7. Vowels fold: ou, oo, aw, au → u; ee, ei, ey, ay, ai, ie → i; then e → a and o → u.
/// 8. Doubled letters collapse ("Qaarrah" → "karah").
/// 9. A final -ah (also -eh, folded in 7) or -a is dropped — ta marbuta — when the token keeps at least
///    two letters: "Raqqah", "Raqqa" → "rak"; "Sukhnah", "Soukhne" → "suhn".
/// Arabic-script tokens: alef forms ٱ → ا (the others by rule 2), ta marbuta ة → ه, alef maqsura ى → ي,
/// Persian yeh and keheh → ي ك, tatweel dropped; the article ال is dropped from a token that keeps at
/// least two letters; أبو, البو or بو before a word joins it as بو… (أبو كمال, البو كمال and البوكمال all give بوكمال).
public enum NameKey {
    /// Bumped whenever a rule changes: stored keys are recomputed when it differs.
    public static let version = 1

    /// The lookup key of a name: its normalised tokens joined by single spaces ("" when none remain).
    public static func key(_ name: String) -> String {
        tokens(name).joined(separator: " ")
    }

    /// The normalised tokens of a name (rules 1–9), in order.
    public static func tokens(_ name: String) -> [String] {
        tokens(ofWords: rawTokens(name))
    }

    /// Rules 1–3 on one token without the positional rules 4–5: used to key words of running text
    /// one by one. Returns nil when nothing of the word is left.
    public static func foldedWord(_ word: String) -> String? {
        let parts = rawTokens(word)
        guard !parts.isEmpty else { return nil }
        let folded = parts.map { isArabic($0) ? foldArabicToken($0) : foldLatinToken($0) }.joined(separator: " ")
        return folded.isEmpty ? nil : folded
    }

    /// Consonant skeleton of a key: vowels (a i u y, and Arabic ا و ي) and spaces removed, doubled
    /// letters collapsed. Only for suggestions — short skeletons collide.
    public static func skeleton(ofKey key: String) -> String {
        var result = ""
        var last: Character?
        for ch in key where !skeletonDrops.contains(ch) {
            if ch != last { result.append(ch) }
            last = ch
        }
        return result
    }

    /// Optimal-string-alignment edit distance (insert, delete, substitute, swap adjacent) between keys.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var previous2 = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    best = min(best, previous2[j - 2] + 1)
                }
                current[j] = best
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[t.count]
    }

    // MARK: - Rules 1–3: characters

    /// Marks a key drops: apostrophes, the half rings and primes of transliterations, the tatweel.
    package static let deletedMarks: Set<Unicode.Scalar> = [
        "'", "`", "\u{2018}", "\u{2019}", "\u{201B}", "\u{00B4}", "\u{2032}",
        "\u{02BF}", "\u{02BE}", "\u{02BC}", "\u{02BB}", "\u{02B9}", "\u{0640}",  // ʿ ʾ ʼ ʻ ʹ, Arabic tatweel
    ]

    private static let handMapped: [Unicode.Scalar: String] = [
        "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ħ": "h",
        "\u{0671}": "\u{0627}",  // ٱ alef wasla → ا
        "\u{0629}": "\u{0647}",  // ة ta marbuta → ه
        "\u{0649}": "\u{064A}",  // ى alef maqsura → ي
        "\u{06CC}": "\u{064A}",  // ی Persian yeh → ي
        "\u{06A9}": "\u{0643}",  // ک keheh → ك
    ]

    static func rawTokens(_ name: String) -> [String] {
        var cleaned = String.UnicodeScalarView()
        var ascii = true
        for scalar in name.unicodeScalars where !deletedMarks.contains(scalar) {
            cleaned.append(scalar)
            ascii = ascii && scalar.isASCII
        }
        // NFKD leaves ASCII unchanged; skip Foundation's pass for the common case.
        let decomposed = ascii ? String(cleaned) : String(cleaned).decomposedStringWithCompatibilityMapping
        var tokens: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { tokens.append(current) }
            current = ""
        }
        for scalar in decomposed.unicodeScalars {
            let properties = scalar.properties
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format:
                continue
            default:
                break
            }
            if deletedMarks.contains(scalar) { continue }
            if let mapped = handMapped[scalar] {
                current += mapped
            } else if properties.isAlphabetic || properties.numericType != nil {
                current += properties.lowercaseMapping
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    static func isArabic(_ token: String) -> Bool {
        token.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value) }
    }

    // MARK: - Rules 4–5: tokens in context (applied word by word in NameKeyWords.swift, `tokens(ofWords:)`)

    /// The Arabic article as transliterations write it (and ال).
    package static let articles: Set<String> = [
        "al", "el", "il", "ul", "as", "es", "ad", "ed", "ar", "er", "az", "ez", "at", "et", "an", "en",
        "ash", "esh", "ath", "eth", "adh", "edh", "\u{0627}\u{0644}",  // ال
    ]
    static let sunLetters: [String] = ["sh", "th", "dh", "t", "d", "r", "z", "s", "n", "l"]
    static let abuForms: Set<String> = [
        "abu", "abou", "abul", "aboul", "albu", "bou", "bu", "abo",
        "\u{0627}\u{0628}\u{0648}", "\u{0627}\u{0644}\u{0628}\u{0648}", "\u{0628}\u{0648}",  // ابو البو بو
    ]
    static let fusedAbuPrefixes = ["aboul", "abul", "albu", "abou", "abu"]

    /// "ezzor" → "zor", "assukhnah" → "sukhnah", "ashsham" → "sham": a vowel, a doubled sun letter, ≥ 2 more letters.
    static func assimilatedArticleRemoved(_ token: String) -> String {
        // The first byte first: a token that does not start with a e i u (most) is left at once,
        // without finding its first Character.
        guard let byte = token.utf8.first, byte == 0x61 || byte == 0x65 || byte == 0x69 || byte == 0x75 else { return token }
        guard let first = token.first, "aeiu".contains(first) else { return token }
        let rest = token.dropFirst()
        for letter in sunLetters where rest.hasPrefix(letter + letter) {
            let remainder = rest.dropFirst(letter.count * 2)
            if remainder.count >= 2 { return letter + remainder }
        }
        return token
    }

    // MARK: - Rules 6–9: letters within a token

    static let consonantFolds: [(String, String)] = [
        ("dj", "j"), ("kh", "h"), ("gh", "g"), ("ck", "k"), ("q", "k"), ("dh", "d"), ("th", "t"), ("ph", "f"),
    ]
    static let vowelFolds: [(String, String)] = [
        ("ou", "u"), ("oo", "u"), ("aw", "u"), ("au", "u"),
        ("ee", "i"), ("ei", "i"), ("ey", "i"), ("ay", "i"), ("ai", "i"), ("ie", "i"),
        ("e", "a"), ("o", "u"),
    ]

    static func foldLatinToken(_ token: String) -> String {
        // Works on scalars: Foundation's String search would dominate an import of 200,000 names.
        var t = Array(token.unicodeScalars)
        for (from, to) in consonantFoldScalars { replaceAll(&t, from, to) }
        for (from, to) in vowelFoldScalars { replaceAll(&t, from, to) }
        // Rule 8: doubled letters collapse (digits stay as written).
        var collapsed: [Unicode.Scalar] = []
        collapsed.reserveCapacity(t.count)
        for c in t where c != collapsed.last || c.properties.numericType != nil { collapsed.append(c) }
        t = collapsed
        // Rule 9: final -ah (-eh was folded to -ah) or -a.
        if t.count >= 4, t[t.count - 2] == "a", t[t.count - 1] == "h" {
            t.removeLast(2)
        } else if t.count >= 3, t[t.count - 1] == "a" {
            t.removeLast()
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: t)
        return String(out)
    }

    private static let consonantFoldScalars = consonantFolds.map { (Array($0.0.unicodeScalars), Array($0.1.unicodeScalars)) }
    private static let vowelFoldScalars = vowelFolds.map { (Array($0.0.unicodeScalars), Array($0.1.unicodeScalars)) }

    /// Replaces every non-overlapping occurrence of `from` (one or two elements), left to right (as
    /// `replacingOccurrences`), by `to`, which is no longer: in place, from the first occurrence on.
    static func replaceAll<T: Equatable>(_ t: inout [T], _ from: [T], _ to: [T]) {
        let m = from.count, n = t.count
        precondition((1...2).contains(m) && to.count <= m, "a fold replaces one or two letters by no more")
        guard n >= m else { return }
        let first = from[0], second = from[m - 1]
        let kept = t.withUnsafeMutableBufferPointer { p in
            @inline(__always) func matches(_ i: Int) -> Bool { p[i] == first && (m == 1 || p[i + 1] == second) }
            var i = 0
            while i + m <= n, !matches(i) { i += 1 }
            guard i + m <= n else { return n }
            // Writing never overtakes reading: each replacement is at most as long as what it replaces.
            var w = i
            while i < n {
                if i + m <= n, matches(i) {
                    for x in to {
                        p[w] = x
                        w += 1
                    }
                    i += m
                } else {
                    p[w] = p[i]
                    w += 1
                    i += 1
                }
            }
            return w
        }
        t.removeLast(n - kept)
    }

    static func foldArabicToken(_ token: String) -> String {
        let alLam = "\u{0627}\u{0644}"
        if token.hasPrefix(alLam), token.unicodeScalars.count >= 4 {
            return String(token.unicodeScalars.dropFirst(2))
        }
        return token
    }

    private static let skeletonDrops: Set<Character> = [
        "a", "i", "u", "y", "w", " ", "\u{0627}", "\u{0648}", "\u{064A}",
    ]
}
