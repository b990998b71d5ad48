import ConvoyGazetteer
import ConvoyScan

extension ReportChecker: MatchRules {
    // MARK: - The rules of a match

    /// An article opens a name when written as one: al/el/il/ul, hyphened ("as-Sukhnah"), or
    /// capitalised and then only if the whole text is a recorded name ("As Sukhnah", not "At Palmyra").
    private func articleWrittenAsOne(_ s: Int, _ words: Span<Word>) -> Bool {
        words[s].isAny(.alForm) || (s + 1 < words.count && words[s + 1].has(.hyphenBefore))
    }

    package func mayOpenName(at s: Int, _ words: Span<Word>) -> Bool {
        let w = words[s]
        guard w.isArticle else { return true }
        guard s + 1 < words.count else { return false }
        return articleWrittenAsOne(s, words) || w.has(.capital)
    }

    package func accepts(_ found: Candidate, _ words: Span<Word>, _ source: Span<UInt8>) -> Bool {
        let s = found.first
        let needsRecordedText = words[s].isArticle && !articleWrittenAsOne(s, words)
        // A name starting with a lower-case word is taken only when it contains a capital and is a
        // recorded name as written, apart from case ("western Qalamun", "barren hills of Falita"):
        // this keeps common words and URL slugs out. The capital first: it turns away at once the
        // common words that GeoNames records as names ("road", "water").
        let startsLower = words[s].has(.lower)
        if startsLower, !(found.first...found.last).contains(where: { words[$0].has(.capital) }) { return false }
        if !found.bundled, nonPlaceKeys.contains(Int(found.key)) { return false }
        // A name may not end on an article that is hyphened to the next word: the article is that
        // word's ("Tell al-Harra" is not GeoNames' "Tal El" and a stray "-Harra").
        let next = found.last + 1
        if found.last > s, words[found.last].isArticle, next < words.count, words[next].has(.hyphenBefore) { return false }
        // One word that only GeoNames records must be able to stand alone as a name (its spelling is
        // checked when it is resolved).
        if index.needsRecordedSpelling(oneWord: found.first == found.last, bundled: found.bundled), !standsAlone(words[s], source) { return false }
        // Trim a leading article that the walk skipped but the text does not need ("at Deir …").
        if needsRecordedText, !isRecordedText(found, source) { return false }
        if startsLower, !isRecordedText(found, source) { return false }
        if Self.tanweenAt(source, end: Int(found.end)) { return false }
        return true
    }

    /// Whether a tanween (ً ٌ ٍ) ends a match at byte `end`, follows it, or comes before the alef
    /// that ends it ("ًا"). It marks an indefinite noun or adjective, which no place name is: "وفداً سورياً"
    /// is a Syrian delegation, not Syria ("سوريا" once the mark is dropped).
    static func tanweenAt(_ source: Span<UInt8>, end: Int) -> Bool {
        func isTanween(at i: Int) -> Bool {
            i >= 0 && i + 2 <= source.count && source[i] == 0xD9 && (0x8B...0x8D).contains(source[i + 1])
        }
        if isTanween(at: end) || isTanween(at: end - 2) { return true }
        // The mark, then an alef (ا, D8 A7), ending at `end`.
        return end >= 4 && end <= source.count && source[end - 2] == 0xD8 && source[end - 1] == 0xA7 && isTanween(at: end - 4)
    }

    /// Whether a word on its own may be a place that only GeoNames records. GeoNames' alternate names
    /// include common words, numbers and letters ("The", "August", "Army", "17", "T"); alone, such a
    /// word is taken only for a bundled place. Not alone: a word of the phrase rules' classes
    /// (cues, months and days, demonyms, titles, pronouns, organisation words …) or a common English
    /// word, fewer than two letters, no letter at all, or an acronym of up to three capitals.
    private func standsAlone(_ w: Word, _ source: Span<UInt8>) -> Bool {
        if w.isAny(.notAloneName) { return false }
        // A word of letters and digits only carries its answer (the text is far behind by now).
        if w.has(Word.lettersAndDigits) { return w.has(Word.twoLetters) && !(w.has(Word.allCaps) && w.end - w.start <= 3) }
        var scalars = 0, letters = 0
        for i in Int(w.start)..<Int(w.end) {
            let b = source[i]
            guard b & 0xC0 != 0x80 else { continue }  // count scalars, not bytes
            scalars += 1
            if b >= 0x80 || ByteClass.isAlnum(b) && !(b >= 0x30 && b <= 0x39) { letters += 1 }
        }
        if letters < 2 { return false }
        if w.has(Word.allCaps), scalars <= 3 { return false }
        return true
    }

    /// True when the candidate's text is one of the recorded names with its key, ignoring case.
    private func isRecordedText(_ c: Candidate, _ source: Span<UInt8>) -> Bool {
        scanner.isRecorded(source.extracting(Int(c.start)..<Int(c.end)), key: c.key)
    }

    /// Whether the text at byte `start` (a word's or a match's first byte, inside `p`) follows an
    /// "@": a social-media handle ("@Raqqa24") names an account, not a place.
    static func followsHandleSign(_ p: Span<UInt8>, at start: Int32) -> Bool {
        start > 0 && Int(start) <= p.count && p[Int(start) - 1] == UInt8(ascii: "@")
    }

    static func string(_ p: Span<UInt8>, _ start: Int32, _ end: Int32) -> String {
        p.string(Int(start), Int(end))
    }

    // MARK: - From a match to a mention

    typealias RankedPlace = NameIndex.RankedPlace
    typealias RankOrder = NameIndex.RankOrder

    /// What a candidate resolved to: the place taken, with the best of its names for the text, and
    /// how it was chosen. Plain values: the mention and diagnostic are made when they are handed
    /// over, and a name several places have lists its other places only when that list is read.
    struct Resolution {
        var place: RankedPlace
        var how: Mention.Resolution
    }

    /// The mention of a candidate, and how it was chosen; nil when the name is part of an
    /// organisation's name ("Yarmouk Martyrs Brigade", "Hayat Tahrir al-Sham").
    func resolve(_ c: Candidate, _ source: Span<UInt8>, _ words: Span<Word>, state: inout FileState) -> Resolution? {
        if insideOrganisationName(c, words) || beforeEnglishWordsOfAName(c, words) { return nil }
        if Self.followsHandleSign(source, at: c.start) { return nil }
        if outletHeadKeys.contains(Int(c.key)), insideOutletName(c, source, words) { return nil }
        if !c.bundled, c.first == c.last, isPersonOrCommonWord(c, source, words) { return nil }
        if rejectedByContext(c, source, words) { return nil }
        if !c.bundled, namesTeam(first: c.first, last: c.last, source, words), onlyGeoNamesHave(key: c.key) {
            state.senses.teamNames.insert(ReportSenses.remembered(Self.string(source, c.start, c.end)))
            return nil
        }
        // One word that only GeoNames records is taken as recorded (apart from case), not by its key
        // alone: "Bechaar" is not Béchar (the unknown-place search calls it a misspelling instead).
        let strict = index.needsRecordedSpelling(oneWord: c.first == c.last, bundled: c.bundled)
        let bytes = source.extracting(Int(c.start)..<Int(c.end))
        let single = index.keys[Int(c.key)].place
        if single >= 0 {
            let best = scanner.bestName(bytes, key: c.key)
            if strict, best.match == .normalized, !(takesPlainSpelling(c, words) && isRecordedApartFromMarks(bytes, key: c.key)) { return nil }
            if best.match == .normalized, Self.isArabicNisbaAdjective(source, c) || englishWordsOnlyGeoNamesHas(c, words) { return nil }
            tally(best.country, &state)
            return Resolution(place: best, how: .unique)
        }
        // Several places: the first in rank order, unless the report's most mentioned country
        // settles it (exactly one of the places is there). One pass over the key's entries, no
        // list: the places' order matters only when a mention's candidates are read.
        var first = RankedPlace(place: -1, country: -1, canonical: false), firstOrder = RankOrder(order: .max, idRank: .max)
        var settling: RankedPlace?
        var most = 0, tied = false, recorded = false
        scanner.forEachPlace(bytes, key: c.key) { place, order in
            if order < firstOrder { (first, firstOrder) = (place, order) }
            if place.match != .normalized { recorded = true }
            guard place.country >= 0 else { return }
            let tally = state.countryTally[Int(place.country)]
            if tally > most {
                (most, settling, tied) = (tally, place, false)
            } else if tally == most, tally > 0 {
                tied = true
            }
        }
        // A name several places have: taken when it is recorded for any of them, whichever is chosen.
        if strict || Self.isArabicNisbaAdjective(source, c) || englishWordsOnlyGeoNamesHas(c, words), !recorded,
            !(strict && takesPlainSpelling(c, words) && isRecordedApartFromMarks(bytes, key: c.key))
        {
            return nil
        }
        if let settling, !tied {
            tally(settling.country, &state)
            return Resolution(place: settling, how: .context)
        }
        return Resolution(place: first, how: .ranked)
    }

    /// Whether a text in ASCII is a recorded name of key `k` apart from case, accents,
    /// transliteration marks and a leading article the record has: "Qamishli" is GeoNames' "Al
    /// Qāmishlī", "Amuda" its "‘Āmūdā" (not "Bechaar" for "Béchar", a letter more). Such a spelling
    /// of a GeoNames-only name is a mention, not a probable misspelling.
    func isRecordedApartFromMarks(_ bytes: Span<UInt8>, key k: Int32) -> Bool {
        for i in bytes.indices where bytes[i] >= 0x80 { return false }
        return index.entries(ofKey: k).contains { j in
            let name = index.nameTexts[Int(index.keyEntries[j].name)]
            return plainlyEqual(bytes, name.unicodeScalars) || Self.leadingArticleLength(name).map { plainlyEqual(bytes, name.unicodeScalars.dropFirst($0)) } == true
        }
    }

    /// Whether a candidate of several words, none but English words, has a key that only GeoNames
    /// has: matched by that key alone, not as recorded and with no locative cue before it, it is
    /// those words ("the New Year festival" is not GeoNames' "Neweh Ya‘ar"; "went to Den Hag" is
    /// Den Haag).
    private func englishWordsOnlyGeoNamesHas(_ c: Candidate, _ words: Span<Word>) -> Bool {
        !c.bundled && c.first < c.last && !Self.followsLocativeCue(c, words)
            && (c.first...c.last).allSatisfy { words[$0].isArticle || words[$0].isAny(WordClass.english | WordClass.common | WordClass.connector) }
            && onlyGeoNamesHave(key: c.key)
    }

    /// Whether a one-word candidate may be taken by its plain spelling (``isRecordedApartFromMarks(_:key:)``):
    /// no English word ("Main" is not Mā‘īn) and no name whose hyphened article the match left out
    /// ("al-Hol" is flagged whole, with the recorded spelling suggested).
    private func takesPlainSpelling(_ c: Candidate, _ words: Span<Word>) -> Bool {
        if words[c.first].isAny(WordClass.english | WordClass.common | WordClass.firstName) { return false }
        return !(c.first > 0 && words[c.first].has(Word.hyphenBefore) && words[c.first - 1].isArticle)
    }

    /// Whether ASCII `text` is `name` apart from case, accents and transliteration marks, read a
    /// scalar at a time (each accented letter folded once, ``baseLetters``).
    private func plainlyEqual<Name: Sequence<Unicode.Scalar>>(_ text: Span<UInt8>, _ name: Name) -> Bool {
        var i = 0
        for scalar in name {
            if Self.transliterationMarks.contains(scalar) { continue }
            var letter: UInt8
            if scalar.isASCII {
                letter = UInt8(scalar.value)
            } else if let known = baseLetters[scalar.value] {
                letter = known
            } else {
                let base = String(Character(scalar)).folding(options: [.diacriticInsensitive], locale: nil).unicodeScalars
                if let only = base.first, base.count == 1, only.isASCII { letter = UInt8(only.value) } else { letter = 0 }
                baseLetters[scalar.value] = letter
            }
            guard letter != 0, i < text.count, Self.lowercasedASCII(letter) == Self.lowercasedASCII(text[i]) else { return false }
            i += 1
        }
        return i == text.count
    }

    private static func lowercasedASCII(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    /// The marks a key drops (``NameKey/deletedMarks``: ʿ, ’ …), which a plain spelling leaves out too.
    private static let transliterationMarks = NameKey.deletedMarks

    /// The length in scalars of a name's leading article word (``NameKey/articles``) and its space
    /// or hyphen ("Al " of "Al Qāmishlī", "Ash-" of "Ash-Shaddadah"), or nil.
    static func leadingArticleLength(_ name: String) -> Int? {
        let scalars = Array(name.unicodeScalars.prefix(5))
        for length in 2...3 where scalars.count > length && (scalars[length] == " " || scalars[length] == "-") {
            let word = String(String.UnicodeScalarView(scalars[0..<length])).lowercased()
            if NameKey.articles.contains(word) { return length + 1 }
        }
        return nil
    }

    /// Whether a locative cue stands right before the candidate ("in Al-Karamah", "went to Den Hag").
    static func followsLocativeCue(_ c: Candidate, _ words: Span<Word>) -> Bool {
        c.first > 0 && words[c.first].has(Word.phraseJoin) && words[c.first - 1].isAny(.cue)
    }

    /// Whether an Arabic word is an adjective of origin with the article: ال …ية or ال …ي ("الأردنية").
    static func isDefiniteNisba(_ word: String) -> Bool {
        word.hasPrefix(Self.arabicArticle) && word.count >= 5 && (word.hasSuffix("\u{064A}\u{0629}") || word.hasSuffix("\u{064A}"))
    }

    /// Whether an Arabic candidate is written with the article and the nisba ending ية ("السورية", "the
    /// Syrian", of "الليرة السورية"): matched only by its key to a name without the article ("سورية",
    /// Syria), it is the adjective, not the place. (A place recorded so, "اللاذقية", matches as written.)
    static func isArabicNisbaAdjective(_ source: Span<UInt8>, _ c: Candidate) -> Bool {
        let start = Int(c.start), end = Int(c.end)
        guard end - start >= arabicArticleBytes.count + nisbaEnding.count else { return false }
        return source.bytes(at: start, equal: arabicArticleBytes) && source.bytes(at: end - nisbaEnding.count, equal: nisbaEnding)
    }

    /// The Arabic article ال, which Arabic writes joined to its noun ("الرقة").
    static let arabicArticle = "\u{0627}\u{0644}"
    /// ``arabicArticle`` and the feminine nisba ending ية, as UTF-8 (named, not written as byte values).
    private static let arabicArticleBytes = Array(arabicArticle.utf8), nisbaEnding = Array("\u{064A}\u{0629}".utf8)

    /// A settled mention adds its place's country (index, -1: none) to the report's tally (the
    /// context for ambiguous names).
    private func tally(_ country: Int32, _ state: inout FileState) {
        if country >= 0 { state.countryTally[Int(country)] += 1 }
    }

    /// Hands over the mention and diagnostic of a resolved candidate at `position`, made where they
    /// are handed over (no intermediate copies). The text is decoded from the report's bytes rather
    /// than shared with the recorded name: most names fit a string held inline.
    func emit(_ resolution: Resolution, _ c: Candidate, _ source: Span<UInt8>, at position: TextPosition,
              _ onMention: (Mention) -> Void, _ onDiagnostic: (Diagnostic) -> Void) {
        let best = resolution.place, how = resolution.how
        let text = Self.string(source, c.start, c.end)
        onMention(Mention(text: text, position: position, index: index, place: best.place, matchedName: best.name,
                          match: best.match, nameKind: best.kind, key: c.key, resolution: how))
        if best.kind == .misspelling {
            var d = misspellingDiagnostic(text, place: Int(best.place))
            d.position = position
            onDiagnostic(d)
            return
        }
        guard how != .unique else {
            guard best.match != .exact else { return }
            onDiagnostic(Diagnostic(variantAt: position, text: text, index: index, place: best.place, viaName: best.match == .variant ? -1 : best.name))
            return
        }
        onDiagnostic(Diagnostic(sharedAt: position, text: text, severity: how == .ranked ? .warning : .note,
                                code: how == .ranked ? .ambiguous : .disambiguated,
                                detail: .shared(index, key: c.key, chosen: best.place, settled: how == .context)))
    }

    static let unplaced = TextPosition(line: 0, column: 0, offset: 0, length: 0)

    func misspellingDiagnostic(_ text: String, place p: Int) -> Diagnostic {
        let cacheKey = "\(p) \(text)"
        if let known = misspellingCache[cacheKey] { return known }
        if misspellingCache.count > 10_000 { misspellingCache.removeAll() }
        let diagnostic = makeMisspellingDiagnostic(text, place: p)
        misspellingCache[cacheKey] = diagnostic
        return diagnostic
    }

    private func makeMisspellingDiagnostic(_ text: String, place p: Int) -> Diagnostic {
        let better = correctSpellings(of: p, for: text)
        let offer = better.first.map { "; did you mean '\($0.matchedName)'?" } ?? ""
        return Diagnostic(position: Self.unplaced, severity: .error, code: .recordedMisspelling,
                          message: "probable misspelling: '\(text)' is recorded as a misspelling of \(index.describe(p))\(offer)",
                          text: text, suggestions: better)
    }

    /// The place's own good spellings nearest to a misspelt text (by key edit distance).
    private func correctSpellings(of p: Int, for text: String) -> [NameSuggestion] {
        let key = NameKey.key(text)
        let first = Int(index.placeFirstName[p]), count = Int(index.placeNameCount[p])
        var scored: [(Int, Int, String)] = []
        for n in first..<(first + count) where index.nameKinds[n] != .misspelling {
            let name = index.nameTexts[n]
            guard !NameKey.isArabicText(name) == !NameKey.isArabicText(text) else { continue }
            scored.append((NameKey.editDistance(key, NameKey.key(name)), n, name))
        }
        scored.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return scored.prefix(3).map { NameSuggestion(placeID: index.placeIDs[p], name: index.placeNames[p], matchedName: $0.2, editDistance: $0.0) }
    }

    // MARK: - Organisations

    /// Words that make a capitalised phrase the name of a group, force, party or outlet (the rulebook's `organisation-words`).
    static let organisationWords = CheckRules.bundled.words(.organisationWords)
    /// Lower-case words that may sit inside a proper name ("Islamic State of Iraq", "Khalid ibn al-Walid").
    static let nameConnectors = CheckRules.bundled.words(.nameConnectors)

    /// True when the match opens an outlet's name of the rulebook ("Syria" of "Syria Direct").
    private func insideOutletName(_ c: Candidate, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        var k = c.last
        var text = Self.string(source, c.start, c.end)
        while k + 1 < words.count, k - c.last < 3, words[k + 1].has(Word.phraseJoin) {
            k += 1
            // Keying a phrase costs tens of thousands of instructions, and most words after a
            // country's name are no outlet's. A plain word that does not follow an Abu form keeps its
            // own key token (`token`: the tokenizer keys words as NameKey does) in the key of this
            // phrase and of every longer one: when no outlet's name has that token, none of them is
            // an outlet's name.
            if words[k].role == .plain, !Self.mayJoinAbuForm(k, after: c.first, words), !outletNameTokens.contains(words[k].token) { return false }
            text += " " + Self.string(source, words[k].start, words[k].end)
            if Self.outlets.contains(key(text)) { return true }
        }
        return false
    }

    /// Whether word k may be joined to an Abu form before it in a key (rule 5: "Abu Kamal" is
    /// "bukamal"): the nearest word before it, articles aside (rule 4 drops them), down to word
    /// `first`, is an Abu form — or a possessive, whose stem may be one.
    private static func mayJoinAbuForm(_ k: Int, after first: Int, _ words: Span<Word>) -> Bool {
        var j = k - 1
        while j >= first, words[j].role == .article { j -= 1 }
        return j >= first && (words[j].role == .abu || words[j].has(Word.possessive))
    }

    /// Whether word `i` is the other end of a pair joined by a dash (spaced or not) to a name the
    /// gazetteer has: "طريق دمشق - درعا" (the Damascus–Daraa road; درعا is also a frequent word).
    private func dashedToAPlace(_ i: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard i > 0, Self.joinedByDash(source, words[i - 1].end, words[i].start, spaced: true), Self.isArabicWord(source, words, i - 1) else { return false }
        return index.keyIndex(of: Self.string(source, words[i - 1].start, words[i - 1].end)) != nil
    }

    /// True when a one-word match only GeoNames records is a given name before a surname
    /// ("Rami Abdulrahman"), or a frequent Arabic word ("حربية").
    private func isPersonOrCommonWord(_ c: Candidate, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        let w = words[c.first]
        if w.isAny(.firstName), c.last + 1 < words.count, words[c.last + 1].has(Word.phraseJoin), words[c.last + 1].has(Word.capital) { return true }
        if w.has(Word.nonASCII), !Self.arabicWords.isEmpty, Self.isArabicWord(source, words, c.first) {
            // A frequent word names a place all the same in a list, before و and another name ("دوما
            // وحرستا"), after a place noun, in a construct ("مدينة درعا", "مدينة الطبقة"), and after a
            // cue unless it is one of the most common words ("من درعا"; not "في المدينة").
            guard Self.arabicWordSet.contains(source.extracting(Int(w.start)..<Int(w.end))) else { return false }
            if afterArabicCue(c.first, source, words) || dashedToAPlace(c.first, source, words) || opensArabicDateline(c, source, words),
                !Self.arabicCommonWords.contains(Self.string(source, w.start, w.end))
            {
                return false
            }
            return !andNameAfter(c.last, source, words) && !afterArabicPlaceNoun(c.first, source, words)
        }
        return false
    }

    /// Whether a candidate opens its line and a spaced dash follows it: a dateline, "درعا - بدأت
    /// امتحانات…" (DARAA - Exams began…; درعا is also a frequent word).
    func opensArabicDateline(_ c: Candidate, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard c.last + 1 < words.count, Self.joinedByDash(source, words[c.last].end, words[c.last + 1].start, spaced: true) else { return false }
        return opensLine(at: Int(words[c.first].start), source)
    }

    /// Whether word k follows an Arabic cue (`arabic-cues`: "في", "من", "قرب" …), also with a
    /// proclitic ("ومن").
    private func afterArabicCue(_ k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard k > 0, words[k].has(Word.phraseJoin), Self.isArabicWord(source, words, k - 1) else { return false }
        return Self.isArabicCue(at: k - 1, source, words)
    }

    /// Whether word k follows an Arabic place noun (`arabic-place-nouns`: "مدينة", "معبر"), also
    /// with a proclitic ("وبلدة"), spaces between.
    private func afterArabicPlaceNoun(_ k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard k > 0, words[k].has(Word.phraseJoin), Self.isArabicWord(source, words, k - 1), !Self.arabicPlaceNouns.isEmpty else { return false }
        guard Self.isArabicPlaceNoun(Self.string(source, words[k - 1].start, words[k - 1].end)) else { return false }
        let name = Self.string(source, words[k].start, words[k].end)
        // Not a place noun itself ("ريف المدينة", the city's countryside), not an adjective agreeing
        // with the noun: an indefinite frequent word with the feminine ending ("مدينة جديدة", a new
        // city: جديد is a frequent word too).
        if name.hasPrefix("ال"), Self.arabicPlaceNouns.contains(String(name.dropFirst(2))) { return false }
        if !name.hasPrefix("ال"), name.hasSuffix("ة"), name.count > 3, Self.arabicWords.contains(String(name.dropLast())) { return false }
        return true
    }

    /// Whether word k is followed by و joined to a name the gazetteer has that is no frequent word
    /// ("حرستا" of "دوما وحرستا").
    private func andNameAfter(_ k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard k + 1 < words.count, words[k + 1].has(Word.phraseJoin), Self.isArabicWord(source, words, k + 1) else { return false }
        let next = Self.string(source, words[k + 1].start, words[k + 1].end)
        guard next.unicodeScalars.first == "\u{0648}", let rest = Self.withoutProclitic(next)?.rest, !Self.arabicWords.contains(rest) else { return false }
        return index.keyIndex(ofKey: key(rest)) != nil
    }

    /// True when what stands around a match says it is no place (docs/check.md, "What is a
    /// mention", context): a name before an outlet's tail ("Deir ez-Zor 24"); an outlet that
    /// speaks, is spoken to or is named as an outlet ("SANA said", "told Rudaw", "Rudaw's
    /// correspondent", "agency SANA"); a GeoNames-only word after a given name or a title, or after a capitalised word that
    /// follows a title (a surname: "Prime Minister Binali Yildirim"); a GeoNames-only name whose
    /// name goes on with a hyphened article, or that is the hyphened tail of a capitalised word
    /// ("Bab al-Salama": neither Bab nor Salama); an Arabic name right after an Arabic organisation
    /// word ("قناة الميادين", "مجلس منبج العسكري"), or after one and a frequent word that is no cue
    /// ("شركة نفط البصرة"); a one-word Arabic name only GeoNames has, right after a name head ("ملح"
    /// of "تل ملح"), or that is a name head before an Arabic word; a GeoNames-only name before an
    /// apposition headed by a title (``appositionHeadedByTitle(after:_:_:)``). (A GeoNames-only name that
    /// is a sports team's is turned down by ``resolve(_:_:_:state:)``, which records it.)
    func rejectedByContext(_ c: Candidate, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        let s = c.first, n = words.count
        let after = c.last + 1 < n && words[c.last + 1].has(Word.phraseJoin) ? c.last + 1 : -1
        let before = s > 0 && words[s].has(Word.phraseJoin) ? s - 1 : -1
        if after >= 0, words[after].isAny(.outletTail), outletTailNamesOutlet(after, after: s, words) { return true }
        if outletKeys.contains(Int(c.key)) {
            if after >= 0, words[after].isAny(WordClass.speech | (words[c.last].has(Word.possessive) ? WordClass.title : [])) { return true }
            if before >= 0, words[before].has(Word.lower), words[before].isAny(WordClass.organisation | WordClass.speech) { return true }
            // A source: "according to Al-Mayadeen", "reported by Al-Mayadeen".
            if before > 0, words[before].has(Word.lower), words[before].has(Word.phraseJoin) {
                let word = Self.string(source, words[before].start, words[before].end)
                if word == "to", words[before - 1].isAny(.nonLocativeTo) { return true }
                if word == "by", words[before - 1].isAny(.speech) { return true }
            }
        }
        // The second word of a name that a capitalised name head opens: "Ain Dara" (not Daraa), "Ras
        // Baalbek"; and the head itself before a capitalised word: "Khan" of "Khan Eshieh".
        if c.first == c.last, before >= 0, words[before].has(Word.capital), !words[before].has(Word.possessive),
            Self.nameHeads.contains(Self.string(source, words[before].start, words[before].end).lowercased())
        {
            return true
        }
        if c.first == c.last, !c.bundled, after >= 0, words[after].has(Word.capital), !words[c.last].has(Word.possessive),
            Self.nameHeads.contains(Self.string(source, c.start, c.end).lowercased())
        {
            return true
        }
        if !c.bundled {
            // A kunya: "Abu Jasim", "Umm Ahmad" (an "Abu X" that names a place is recorded whole).
            if c.first == c.last, before >= 0, words[before].role == .abu, words[before].has(Word.capital) { return true }
            // (A given name that is also a cue or a common word is neither: "In Latakia".)
            if c.first == c.last, before >= 0, words[before].has(Word.capital), !words[before].has(Word.possessive), !words[before].isAny(.notAloneName) {
                if words[before].isAny(WordClass.firstName | WordClass.title) { return true }
                if before > 0, words[before].has(Word.phraseJoin), words[before - 1].isAny(.title) { return true }
            }
            if after >= 0, words[after].isArticle, after + 1 < n, words[after + 1].has(Word.hyphenBefore), words[after + 1].has(Word.capital) { return true }
            let article = words[s].isArticle ? s : (s > 0 && words[s].has(Word.hyphenBefore) && words[s - 1].isArticle ? s - 1 : -1)
            if article > 0, words[article].has(Word.phraseJoin), words[article - 1].has(Word.capital), !words[article - 1].has(Word.possessive) { return true }
        }
        // A name head alone, before an Arabic word, opens that word's name: "وتل ملح" is not the village تل.
        if c.first == c.last, c.last + 1 < words.count, words[c.last + 1].has(Word.phraseJoin), Self.isArabicWord(source, words, c.last + 1),
            Self.isArabicWord(source, words, s), Self.arabicNameHeads.contains(Self.string(source, c.start, c.end)), onlyGeoNamesHave(key: c.key)
        {
            return true
        }
        if before >= 0, Self.isArabicWord(source, words, s), Self.isArabicWord(source, words, before) {
            let word = Self.string(source, words[before].start, words[before].end)
            // The second word of a name that a name head opens ("تل ملح"), where only GeoNames has the word alone.
            if c.first == c.last, Self.nameHeadProclitic(word) != nil, onlyGeoNamesHave(key: c.key) { return true }
            if Self.opensOrganisationName(word) || Self.closesPlaceOrganisationName(at: before, source, words) { return true }
            // After definite nisba adjectives that follow one: "الهيئة الخيرية الأردنية الهاشمية" (the
            // Jordan Hashemite Charity Organisation), not the town of Hashimiyah.
            if c.first == c.last, Self.isDefiniteNisba(word) {
                var k = before - 1
                while k >= 0, k >= before - 3, words[k + 1].has(Word.phraseJoin), Self.isArabicWord(source, words, k) {
                    let earlier = Self.string(source, words[k].start, words[k].end)
                    // The noun takes the article before its adjectives: "الهيئة".
                    if Self.isOrganisationWord(earlier) { return true }
                    guard Self.isDefiniteNisba(earlier) else { break }
                    k -= 1
                }
            }
            // One frequent word between, no cue and without the article, so that the construct goes on
            // through it: "شركة نفط البصرة" (the Basra Oil Company); not "قوات النظام حلب" (the
            // regime's forces … Aleppo), where the definite word ends the construct. A place noun
            // between goes on too: "مجلس محافظة درعا" (the Daraa Governorate Council).
            if before > 0, words[before].has(Word.phraseJoin), Self.isArabicWord(source, words, before - 1),
                (!Self.arabicCues.contains(word) && Self.arabicWords.contains(word) && !Self.arabicPlaceNouns.contains(word)) || Self.arabicAdministrativeNouns.contains(word),
                !word.hasPrefix(Self.arabicArticle),
                Self.opensOrganisationName(Self.string(source, words[before - 1].start, words[before - 1].end))
            {
                return true
            }
        }
        // A person by the apposition after the name, unless a locative cue stands before it ("In Hermel, a spokesman for …").
        if !c.bundled, !(before >= 0 && words[before].isAny(.cue)), appositionHeadedByTitle(after: c.last, source, words), onlyGeoNamesHave(key: c.key) {
            return true
        }
        return false
    }

    /// Drops the mentions of names that the report has shown to be a team's or a person's elsewhere
    /// (``ReportSenses``): one sense per report; and of an "Al-" name only GeoNames has in a sports
    /// story (``inSportsStory(first:last:_:_:)``). Kept: a curated place's or a country's name ("Jordan
    /// 2-0 Syria"), a name right after a locative cue, one in a list after a place ("named for Erbil,
    /// Duhok and Zakho"), and a surname only as one word.
    func dropOtherSenses(_ mentions: inout [Found], _ source: Span<UInt8>, _ words: Span<Word>, _ senses: ReportSenses) {
        func articleName(_ c: Candidate) -> Bool { !c.bundled && Self.isCapitalisedArticleName(first: c.first, last: c.last, words) }
        guard !senses.isEmpty || mentions.contains(where: { articleName($0.candidate) }) else { return }
        var lastPlace = -10  // the last word of the last mention kept
        mentions.removeAll { found in
            let c = found.candidate
            var other = false
            // (The cheap tests first: most blocks have no senses, and few mentions are Al- names.)
            if !c.bundled, !senses.isEmpty || articleName(c), !Self.followsLocativeCue(c, words),
                !listedAfter(lastPlace, c.first, source, words), !residentsAfter(c.last, source, words)
            {
                if !senses.isEmpty {
                    let name = ReportSenses.remembered(Self.string(source, c.start, c.end))
                    other = (senses.teamNames.contains(name) || (c.first == c.last && senses.surnames.contains(name))) && onlyGeoNamesHave(key: c.key)
                }
                // An "Al-" name only GeoNames has, in a sports story, is a club's: "Al-Jaish were due to kick off".
                if !other, articleName(c), onlyGeoNamesHave(key: c.key), inSportsStory(first: c.first, last: c.last, source, words) { other = true }
            }
            if !other { lastPlace = c.last }
            return other
        }
    }

    /// Designators after which two places joined by a hyphen are one name (`pair-name-designators`).
    static let pairNameDesignators = rules.words(.pairNameDesignators)

    /// Drops the mentions of two places joined by a hyphen, no spaces, before a designator of
    /// `pair-name-designators` (also capitalised): "the Baalbek-Hermel
    /// governorate" names one area, not Baalbek and Hermel: the pair's diagnostic, an unknown place
    /// (the gazetteer has no such name, or the matcher would have matched it whole).
    func dropPairNamedAsOne(_ mentions: inout [Found], _ source: Span<UInt8>, _ words: Span<Word>, base: Int) -> [(Diagnostic, FixProposal?)] {
        guard mentions.count >= 2 else { return [] }
        var drop: [Int] = []
        var flagged: [(Diagnostic, FixProposal?)] = []
        for i in 1..<mentions.count {
            let a = mentions[i - 1].candidate, b = mentions[i].candidate
            guard b.first == a.last + 1, Self.joinedByDash(source, words[a.last].end, words[b.first].start), b.last + 1 < words.count,
                words[b.last + 1].has(Word.phraseJoin),
                Self.pairNameDesignators.contains(Self.string(source, words[b.last + 1].start, words[b.last + 1].end).lowercased())
            else { continue }
            drop += [i - 1, i]
            let text = Self.string(source, a.start, b.end)
            flagged.append(unknownDiagnostic(text, key: NameKey.key(text), start: a.start, end: b.end, base: base))
        }
        guard !drop.isEmpty else { return [] }
        let dropped = Set(drop)
        mentions = mentions.indices.filter { !dropped.contains($0) }.map { mentions[$0] }
        return flagged
    }

    /// Whether a lower-case noun of `resident-nouns` follows word k: "Al-Karamah residents fled".
    private func residentsAfter(_ k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard k + 1 < words.count, words[k + 1].has(Word.phraseJoin), words[k + 1].has(Word.lower) else { return false }
        return Self.residentNouns.contains(Self.string(source, words[k + 1].start, words[k + 1].end).lowercased())
    }

    /// Whether word `first` follows word `last` in a list: a comma or a list joiner between them
    /// ("Erbil, Duhok and Zakho").
    private func listedAfter(_ last: Int, _ first: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        if first == last + 2 { return words[last + 1].has(Word.lower) && words[last + 1].isAny(.listJoiner) }
        guard first == last + 1 else { return false }
        return (Self.commas(between: words[last].end, and: words[first].start, source) ?? 0) >= 1
    }

    /// How many commas the bytes between two words hold, when they hold nothing but commas (Latin
    /// or the Arabic ، U+060C) and spaces (nil otherwise): the separators of a list ("Erbil, Duhok",
    /// "حاس، كفرنبل").
    static func commas(between end: Int32, and start: Int32, _ source: Span<UInt8>) -> Int? {
        var commas = 0
        let gap = source.gap(from: end, to: start)
        var b = gap.lowerBound
        while b < gap.upperBound {
            if source[b] == 0x2C {
                commas += 1
            } else if source[b] == 0xD8, b + 1 < gap.upperBound, source[b + 1] == 0x8C {
                commas += 1
                b += 1
            } else if source[b] != 0x20 {
                return nil
            }
            b += 1
        }
        return commas
    }

    /// Whether only GeoNames places (``Place/geoNamesIDPrefix``) have key `k`: no curated, user or
    /// country place does. (The index records only whether a curated place has a key, so the
    /// country layer is told apart by the ids of the key's few places.)
    func onlyGeoNamesHave(key k: Int32) -> Bool {
        !index.keys[Int(k)].bundled
            && index.entries(ofKey: k).allSatisfy { index.placeIDs[Int(index.keyEntries[$0].place)].hasPrefix(Place.geoNamesIDPrefix) }
    }

    /// Whether an outlet's tail at `k`, after a name that starts at word `first`, makes the name an
    /// outlet's: the tail ends its phrase, a verb of saying follows it, or one stands right before
    /// the name ("Deir ez-Zor 24 said", "… reported by Deir ez-Zor 24.", "told Raqqa 24 that"),
    /// not "in Raqqa 24 fighters died".
    func outletTailNamesOutlet(_ k: Int, after first: Int, _ words: Span<Word>) -> Bool {
        if first > 0, words[first].has(Word.phraseJoin), words[first - 1].has(Word.lower), words[first - 1].isAny(.speech) { return true }
        guard k + 1 < words.count, words[k + 1].has(Word.phraseJoin) else { return true }
        if words[k + 1].has(Word.lower), words[k + 1].isAny(.listJoiner) {
            // A list of outlets that speaks: "Aleppo 24 and Halab Today report …" (up to four capitalised words between).
            var j = k + 2
            while j < words.count, j <= k + 5, words[j].has(Word.phraseJoin), !words[j].has(Word.lower) { j += 1 }
            return j > k + 2 && j < words.count && words[j].has(Word.phraseJoin) && words[j].has(Word.lower) && words[j].isAny(.speech)
        }
        return !words[k + 1].has(Word.lower) || words[k + 1].isAny(.speech)
    }

    /// Whether two capitalised English words or more follow the name, none a designator or a word
    /// of place names: the place opens another thing's name ("Iraq Body Count", a group; not
    /// "Baghdad International Airport", "Homs Old City"). Headlines in title case are read with
    /// their English words in lower case first.
    /// Whether a word is a capitalised English word that is no designator nor word of place names:
    /// two of them after a place make another thing's name ("Iraq Body Count"), as two ending a
    /// phrase do in the unknown-place search.
    static func isEnglishWordOfAName(_ w: Word) -> Bool {
        w.has(Word.capital) && w.isAny(WordClass.english) && !w.isAny(WordClass.designator | WordClass.nameWord)
    }

    private func beforeEnglishWordsOfAName(_ c: Candidate, _ words: Span<Word>) -> Bool {
        guard !words[c.last].has(Word.possessive) else { return false }
        var english = 0
        var k = c.last + 1
        while k < words.count, english < 2, words[k].has(Word.phraseJoin), Self.isEnglishWordOfAName(words[k]) {
            english += 1
            if words[k].has(Word.possessive) { break }
            k += 1
        }
        return english >= 2
    }

    /// True when the match sits in a capitalised phrase that names an organisation: up to six words
    /// before it and twelve in all are looked at.
    private func insideOrganisationName(_ c: Candidate, _ words: Span<Word>) -> Bool {
        /// Word k continues a capitalised phrase: capitalised, or a lower-case connector or article —
        /// but an English-looking article ("as", "at", "an") only when hyphened to the next word
        /// ("as-Sukhnah"): "Rawa as Islamic State fighters fled" holds no organisation's name.
        func continues(_ k: Int) -> Bool {
            let w = words[k]
            if w.has(Word.capital) { return true }
            guard w.has(Word.lower), w.isAny(.connector) || w.isArticle else { return false }
            guard w.isArticle, !w.isAny(.alForm) else { return true }
            return k + 1 < words.count && words[k + 1].has(Word.hyphenBefore)
        }
        var looked = 0
        var k = c.first
        while k > 0, looked < 6, words[k].has(Word.phraseJoin) {
            let prev = words[k - 1]
            // Before the name, "for" between capitalised words links it too: "the General Company
            // for Ports of Iraq", "the Syrian Observatory for Human Rights" (not after it: "left Tabqa for Raqqa").
            // (The word before "for" is the organisation word: not "the NRC Director for Iraq", "Convoys for Aleppo".)
            let linkingFor = k >= 2 && prev.has(Word.lower) && prev.isAny(WordClass.for) && words[k - 2].has(Word.capital) && words[k - 2].isAny(.organisation)
            guard continues(k - 1) || linkingFor, !prev.has(Word.possessive) else { break }
            if prev.isAny(.organisation) { return true }
            looked += 1
            k -= 1
        }
        k = c.last
        if !words[k].has(Word.possessive) {
            while k + 1 < words.count, looked < 12, words[k + 1].has(Word.phraseJoin) {
                let next = words[k + 1]
                guard continues(k + 1) else { break }
                if next.isAny(.organisation) { return true }
                looked += 1
                k += 1
                if next.has(Word.possessive) { break }
            }
        }
        return false
    }
}

extension NameKey {
    /// True when a text has Arabic letters.
    static func isArabicText(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value) }
    }
}
