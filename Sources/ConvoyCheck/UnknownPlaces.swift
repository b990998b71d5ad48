import ConvoyGazetteer

extension ReportChecker {
    /// Words after which a capitalised name is a place ("in", "near", "towards" …).
    static let locativeCues: Set<String> = [
        "in", "near", "toward", "towards", "from", "to", "at", "into", "via", "outside", "between", "through",
        "across", "reached", "entered", "around", "beyond", "inside", "past",
    ]
    /// Heads of two-word cues ending in "of": "outskirts of", "east of", "towns of" …
    static let ofCueHeads: Set<String> = [
        "outskirts", "east", "west", "north", "south", "northeast", "northwest", "southeast", "southwest",
        "town", "towns", "village", "villages", "city", "cities", "suburbs", "countryside", "vicinity",
        "province", "governorate", "district", "region", "environs", "area",
    ]
    /// Words before "to" that make it no place cue ("according to", "due to").
    static let nonLocativeTo: Set<String> = [
        "according", "due", "prior", "up", "close", "addition", "compared", "similar", "thanks", "owing", "next",
        "relative", "regard", "respect", "related", "subject", "contrary", "pursuant", "opposed", "referring",
    ]
    /// Capitalised words that open no place name: months, days, demonyms, titles, pronouns.
    static let notPlaceWords: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "syrian", "syrians", "lebanese", "iraqi", "iraqis", "jordanian", "jordanians", "israeli", "israelis",
        "turkish", "turk", "turks", "iranian", "iranians", "russian", "russians", "american", "americans",
        "kurdish", "kurd", "kurds", "palestinian", "palestinians", "arab", "arabs", "arabic", "british", "french",
        "german", "european", "western", "eastern", "northern", "southern", "central", "islamic", "sunni", "shia",
        "shiite", "christian", "muslim", "president", "general", "colonel", "minister", "prime", "king", "prince",
        "mr", "ms", "mrs", "dr", "lt", "gen", "col", "sgt", "capt", "the", "a", "an", "this", "that", "these",
        "those", "his", "her", "their", "our", "its", "i", "we", "they", "he", "she", "it", "you", "god", "allah",
        "twitter", "facebook", "youtube", "telegram", "reuters", "coalition", "regime", "government", "hezbollah",
        "congress", "parliament", "operation", "update", "today", "yesterday", "tomorrow", "christmas", "ramadan",
        "eid", "ashura", "easter", "and", "or", "but", "if", "when", "while", "after", "before", "during",
    ]
    /// Common English words (function words and newsroom words) that, alone, are never taken as a
    /// place only GeoNames records ("So", "Over", "Press"): see `standsAlone`.
    static let commonWords: Set<String> = [
        "in", "on", "at", "by", "for", "with", "from", "of", "to", "up", "down", "out", "off", "over", "under",
        "so", "as", "is", "was", "were", "are", "be", "been", "being", "am", "has", "had", "have", "do", "did",
        "does", "done", "not", "no", "yes", "all", "any", "some", "more", "most", "many", "much", "few", "one",
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "new", "old", "now", "then",
        "there", "here", "who", "whom", "whose", "what", "which", "where", "why", "how", "also", "just", "only",
        "very", "well", "still", "even", "back", "first", "last", "next", "other", "such", "same", "can",
        "could", "will", "would", "shall", "should", "may", "might", "must", "me", "my", "him", "them", "us",
        "your", "weve", "ive", "im", "its", "dont", "didnt", "photo", "photos", "video", "picture",
        "news", "press", "war", "peace", "update", "breaking", "live", "report", "reports", "source", "sources",
        "read", "home", "world", "politics", "business", "opinion", "day", "week", "month", "year",
        "today", "yesterday", "tonight", "morning", "evening", "night", "time", "people", "man", "men",
        "woman", "women", "child", "children", "family", "families", "fighters", "civilians", "buses", "bus",
        "convoy", "convoys", "deal", "agreement", "ceasefire", "border", "desert", "road", "highway", "bridge",
    ]
    /// Verbs of saying: an "Al-X" right before one is a speaker (an outlet, a person), not a place.
    static let speechVerbs: Set<String> = [
        "said", "says", "say", "reported", "reports", "announced", "claimed", "claims", "added", "wrote", "stated",
        "told", "quoted", "published", "aired", "broadcast", "tweeted", "confirmed", "denied", "tv",
    ]
    /// Well-known groups, outlets and people written with an Arabic article, which are not places.
    static let knownNonPlaceNames = [
        "Al-Qaeda", "Al-Qaida", "Al-Nusra", "Al-Ikhbariya", "Al-Jazeera", "Al-Arabiya", "Al-Manar", "Al-Mayadeen",
        "Al-Watan", "Al-Akhbar", "Al-Hayat", "Al-Ahram", "Al-Masdar", "Al-Monitor", "Al-Assad", "Al-Baghdadi",
        "Al-Julani", "Al-Jolani", "Al-Sharaa", "Al-Shabaab", "Al-Qassam", "Al-Quds Force", "Al-Sadr", "Al-Abadi",
    ]
    static let knownNonPlaces: Set<String> = Set(knownNonPlaceNames.map { NameKey.key($0) })

    /// Place-like phrases the gazetteer does not know: a capitalised name after a locative cue, or
    /// an Arabic-article shape ("Al-X", "As-X"). Close to a gazetteer name → probable misspelling;
    /// otherwise an unknown place. Each comes with the nearest gazetteer names.
    /// Each comes with what `--fix` would write over it (a misspelling with one best suggestion).
    func unknownPlaces(_ masked: UnsafeBufferPointer<UInt8>, _ source: UnsafeBufferPointer<UInt8>, covered: [Bool], base: Int)
        -> [(Diagnostic, FixProposal?)]
    {
        var out: [(Diagnostic, FixProposal?)] = []
        let count = words.count
        func has(_ i: Int, _ c: UInt16) -> Bool { i < count && words[i].cls & c != 0 }
        func joined(_ i: Int) -> Bool { i < count && words[i].has(Word.phraseJoin) }
        var i = 0
        var lastEnd = -1
        while i < count {
            defer { i += 1 }
            guard i > lastEnd, !covered[i] else { continue }
            var start = -1
            var viaArticle = false
            if has(i, WordClass.cue), !(has(i, WordClass.to) && i > 0 && has(i - 1, WordClass.nonLocativeTo)) {
                start = i + 1
            } else if has(i, WordClass.ofHead), has(i + 1, WordClass.of), joined(i + 1) {
                start = i + 2
            } else if words[i].isArticle, i + 1 < count, words[i + 1].has(Word.hyphenBefore), words[i + 1].has(Word.capital),
                !(i > 0 && joined(i) && (words[i - 1].has(Word.capital) || has(i - 1, WordClass.connector)))
            {
                start = i
                viaArticle = true
            }
            guard start >= 0, start < count, viaArticle || joined(start) else { continue }
            if !viaArticle, has(start, WordClass.the), !words[start].has(Word.capital), joined(start + 1) { start += 1 }
            guard start < count, !covered[start], words[start].has(Word.capital) || viaArticle else { continue }
            // The phrase: capitalised words (with name connectors inside), at most five.
            var k = start + (viaArticle ? 1 : 0)
            var last = k
            while k + 1 < count, last - start < 5, joined(k + 1), !covered[k + 1], !words[k].has(Word.possessive) {
                let next = words[k + 1]
                if next.has(Word.capital) {
                    k += 1; last = k
                } else if next.has(Word.lower), next.isArticle || next.cls & WordClass.connector != 0, k + 2 < count, joined(k + 2), words[k + 2].has(Word.capital), !covered[k + 2] {
                    k += 2; last = k
                } else {
                    break
                }
            }
            if has(viaArticle ? min(start + 1, last) : start, WordClass.notPlace) { continue }
            if (start...last).allSatisfy({ words[$0].has(Word.allCaps) || words[$0].end - words[$0].start == 1 || words[$0].isArticle }) { continue }
            if (start...last).contains(where: { has($0, WordClass.organisation) }) { continue }
            if joined(last + 1), has(last + 1, WordClass.organisation) { continue }
            if viaArticle, has(last + 1, WordClass.speech) { continue }
            if viaArticle, joined(last + 1), last + 1 < count, words[last + 1].has(Word.capital) { continue }  // "Al-Qaeda Central …"
            let endByte = words[last].has(Word.possessive) ? words[last].altEnd : words[last].end
            let text = Self.string(source, words[start].start, endByte)
            let key = NameKey.key(text)
            if key.isEmpty || Self.knownNonPlaces.contains(key) { continue }
            // A phrase with a gazetteer key is a mention, unless the matcher wants it spelled as recorded.
            if let k = index.keyIndex(ofKey: key) {
                let bytes = UnsafeBufferPointer(rebasing: source[Int(words[start].start)..<Int(endByte)])
                if !index.needsRecordedSpelling(oneWord: start == last, key: k) || index.isRecorded(bytes, key: k, scratch: &foldScratch) { continue }
            }
            lastEnd = last
            let suggestions = suggestionsFor(text, key: key)
            let keyLength = key.unicodeScalars.count
            let close = suggestions.first.map { $0.editDistance <= (keyLength >= 8 ? 2 : 1) && keyLength >= 4 } ?? false
            let position = TextPosition(line: 0, column: 0, offset: base + Int(words[start].start), length: Int(endByte - words[start].start))
            if close, let best = suggestions.first {
                let unique = suggestions.dropFirst().first.map { $0.editDistance > best.editDistance } ?? true
                out.append((Diagnostic(position: position, severity: .error, code: .misspelling,
                    message: "probable misspelling: '\(text)' is not in the gazetteer; did you mean \(Self.list(suggestions))?",
                    text: text, suggestions: suggestions), unique ? fixProposal(phrase: text, start: words[start].start, end: endByte, best: best) : nil))
            } else {
                let nearest = suggestions.isEmpty ? "nothing similar in the gazetteer" : "nearest: \(Self.list(suggestions))"
                out.append((Diagnostic(position: position, severity: .error, code: .unknownPlace,
                    message: "unknown place '\(text)': not in the gazetteer (\(nearest))",
                    text: text, suggestions: suggestions), nil))
            }
        }
        return out
    }

    static func list(_ suggestions: [NameSuggestion]) -> String {
        suggestions.prefix(3).map { s in
            s.matchedName == s.name ? "'\(s.name)' [\(s.placeID)]" : "'\(s.matchedName)' (\(s.name)) [\(s.placeID)]"
        }.joined(separator: ", ")
    }

    /// Suggestions for a phrase, cached by its key.
    private func suggestionsFor(_ text: String, key: String) -> [NameSuggestion] {
        if let hit = suggestionCache[key] { return hit }
        let found = suggest?(text, key) ?? []
        if suggestionCache.count > 50_000 { suggestionCache.removeAll() }
        suggestionCache[key] = found
        return found
    }
}
