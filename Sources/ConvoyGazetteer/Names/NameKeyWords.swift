// Word-level access to the NameKey rules, for scanning running text (ConvoyCheck).
//
// `NameKey.key(_:)` works on a whole name: rules 4–5 depend on a token's neighbours (an article is
// dropped unless it is the last token; an Abu form joins the next token). A text scanner sees one
// word at a time, so it needs the rules split at those seams: what a word is on its own (its role and
// its standalone token) and what an Abu form makes of the word after it. These functions are those
// seams, and `tokens(ofWords:)` — which `key(_:)` itself runs — is built from them, so the scanner and
// the keys share one implementation of rules 4–5. The ASCII byte path `foldASCIIWord` is a second
// implementation of the standalone token for speed; it is checked against the String path on every
// gazetteer word (ConvoyCheckTests).

extension NameKey {
    /// How a raw word takes part in rules 4–5.
    public enum WordRole: UInt8, Sendable, BitwiseCopyable {
        /// A plain word: contributes its standalone token.
        case plain
        /// An Arabic article (al, el, as, ال …): dropped unless it is the last word of the name.
        case article
        /// Abu, Abou, Albu, Bu, أبو …: joins the next word ("bu…") unless it is the last word.
        case abu
    }

    /// Rules 1–3: the raw, lower-cased words of a text, before the positional rules 4–5.
    package static func words(_ text: String) -> [String] { rawTokens(text) }

    /// The role of a raw word (one element of ``words(_:)``).
    package static func role(ofWord word: String) -> WordRole {
        if articles.contains(word) { return .article }
        if abuForms.contains(assimilatedArticleRemoved(word)) { return .abu }
        return .plain
    }

    /// The key token a raw word gives when it stands on its own (not joined to a preceding Abu form):
    /// rule 4's fused article removed, rule 5's fused Abu prefix, rules 6–9. Empty when nothing is left.
    package static func standaloneToken(ofWord word: String) -> String {
        let token = assimilatedArticleRemoved(word)
        var joined = token
        // Every fused prefix starts with "a": the first byte turns most tokens away before the
        // Character-wise prefix tests.
        if token.utf8.first == 0x61, let prefix = fusedAbuPrefixes.first(where: { token.hasPrefix($0) }), token.count - prefix.count >= 3 {
            joined = "bu" + token.dropFirst(prefix.count)
        }
        return isArabic(joined) ? foldArabicToken(joined) : foldLatinToken(joined)
    }

    /// The key token of an Abu form (`abu`, a raw word) joined with the raw word after it (rule 5).
    package static func joinedAbuToken(abu: String, next: String) -> String {
        let joined = (isArabic(abu) ? "\u{0628}\u{0648}" : "bu") + assimilatedArticleRemoved(next)
        return isArabic(joined) ? foldArabicToken(joined) : foldLatinToken(joined)
    }

    /// Rules 4–9 on raw words (as ``words(_:)`` returns them): the key tokens of the name they spell.
    package static func tokens(ofWords words: [String]) -> [String] {
        var kept: [String] = []
        for (index, word) in words.enumerated() {
            if articles.contains(word), index + 1 < words.count { continue }
            kept.append(word)
        }
        var result: [String] = []
        var index = 0
        while index < kept.count {
            let word = kept[index]
            if abuForms.contains(assimilatedArticleRemoved(word)), index + 1 < kept.count {
                result.append(joinedAbuToken(abu: assimilatedArticleRemoved(word), next: kept[index + 1]))
                index += 2
            } else {
                result.append(standaloneToken(ofWord: word))
                index += 1
            }
        }
        return result.filter { !$0.isEmpty }
    }

    /// True when `word` (lower-case raw word bytes, ASCII letters and digits) is an Arabic article form.
    package static func isArticleASCII(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        switch word.count {
        case 2:
            let a = word[0], b = word[1]
            guard a == 0x61 || a == 0x65 || a == 0x69 || a == 0x75 else { return false }  // a e i u
            if b == 0x6C { return true }  // al el il ul
            guard a == 0x61 || a == 0x65 else { return false }
            return b == 0x73 || b == 0x64 || b == 0x72 || b == 0x7A || b == 0x74 || b == 0x6E  // s d r z t n
        case 3:
            guard word[0] == 0x61 || word[0] == 0x65, word[2] == 0x68 else { return false }
            return word[1] == 0x73 || word[1] == 0x74 || word[1] == 0x64  // ash esh ath eth adh edh
        default:
            return false
        }
    }

    /// The standalone token of an ASCII raw word, on bytes: exactly ``standaloneToken(ofWord:)`` for
    /// words of ASCII letters and digits (lower case, apostrophes already deleted), written to `out`.
    /// Returns true when the word is an Abu form (its role is then `.abu` unless it is an article).
    package static func foldASCIIWord(_ word: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        // Rule 4, fused article: a vowel (a e i u), a doubled sun letter, at least two more letters.
        var start = 0
        var prefix: [UInt8] = []
        let n = word.count
        if n >= 1, word[0] == 0x61 || word[0] == 0x65 || word[0] == 0x69 || word[0] == 0x75 {
            for letter in sunLetterBytes {
                let l = letter.count
                guard n >= 1 + 2 * l else { continue }
                var matches = true
                for k in 0..<l where word[1 + k] != letter[k] || word[1 + l + k] != letter[k] { matches = false; break }
                if matches, n - 1 - 2 * l >= 2 {
                    prefix = letter
                    start = 1 + 2 * l
                    break
                }
            }
        }
        // The token (prefix + word[start...]) is built in `out` and folded there.
        out.append(contentsOf: prefix)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: word[start...]))
        let isAbu = abuFormBytes.contains { $0.elementsEqual(out) }
        // Rule 5, fused Abu prefix (the first listed prefix the token starts with decides).
        for p in fusedAbuPrefixBytes where out.count >= p.count && out.starts(with: p) {
            if out.count - p.count >= 3 {
                out.replaceSubrange(0..<p.count, with: [0x62, 0x75])  // "bu"
            }
            break
        }
        foldLatinBytes(&out)
        return isAbu
    }

    /// Rules 6–9 on the bytes of an ASCII token, in place; the same replacements, in the same
    /// order, as `foldLatinToken`.
    package static func foldLatinBytes(_ t: inout [UInt8]) {
        for (from, to) in consonantFoldBytes { replaceAll(&t, from, to) }
        for (from, to) in vowelFoldBytes { replaceAll(&t, from, to) }
        // Rule 8: collapse doubled letters (digits stay).
        if t.count > 1 {
            var w = 1
            for i in 1..<t.count {
                let c = t[i]
                if c != t[i - 1] || (c >= 0x30 && c <= 0x39) {
                    t[w] = c
                    w += 1
                }
            }
            t.removeLast(t.count - w)
        }
        if t.count >= 4, t[t.count - 2] == 0x61, t[t.count - 1] == 0x68 {
            t.removeLast(2)
        } else if t.count >= 3, t[t.count - 1] == 0x61 {
            t.removeLast()
        }
    }

    private static let sunLetterBytes: [[UInt8]] = sunLetters.map { Array($0.utf8) }
    private static let fusedAbuPrefixBytes: [[UInt8]] = fusedAbuPrefixes.map { Array($0.utf8) }
    private static let abuFormBytes: [[UInt8]] = abuForms.filter { $0.allSatisfy(\.isASCII) }.map { Array($0.utf8) }
    private static let consonantFoldBytes: [([UInt8], [UInt8])] = consonantFolds.map { (Array($0.0.utf8), Array($0.1.utf8)) }
    private static let vowelFoldBytes: [([UInt8], [UInt8])] = vowelFolds.map { (Array($0.0.utf8), Array($0.1.utf8)) }
}
