import ConvoyGazetteer
import ConvoyScan

extension ReportChecker {
    /// The rulebook's lists (``CheckRules``, Gazetteer/rules/check-rules.txt), by the names the rules use.
    static let rules = CheckRules.bundled
    /// Words after which a capitalised name is a place ("in", "near", "towards" …).
    static let locativeCues = rules.words(.locativeCues)
    /// Heads of two-word cues ending in "of": "outskirts of", "east of", "towns of" …
    static let ofCueHeads = rules.words(.ofCueHeads)
    /// Words before "to" that make it no place cue ("according to", "due to").
    static let nonLocativeTo = rules.words(.nonLocativeTo)
    /// Capitalised words that open no place name: months, days, demonyms, titles, pronouns.
    static let notPlaceWords = rules.words(.notPlaceWords)
    /// Common English words that, alone, are never taken as a place only GeoNames records: see `standsAlone`.
    static let commonWords = rules.words(.commonWords)
    /// Verbs of saying: an "Al-X" right before one is a speaker (an outlet, a person), not a place.
    static let speechVerbs = rules.words(.speechVerbs)
    /// Well-known groups and people written like place names, which are never places.
    static let knownNonPlaceNames = rules.names[.nonPlaceNames] ?? []
    static let knownNonPlaces = rules.words(.nonPlaceNames)
    /// Outlets: not places, unless after a locative cue or in a list with places.
    static let outletNames = rules.names[.outlets] ?? []
    static let outlets = rules.words(.outlets)
    static let listJoiners = rules.words(.listJoiners)
    static let departureCues = rules.words(.departureCues)
    static let arabicCues = rules.words(.arabicCues)
    static let arabicProclitics = rules.words(.arabicProclitics)
    static let arabicWords = rules.words(.arabicWords)
    /// The most common of ``arabicWords`` (`arabic-common-words`): no town's name even after a cue.
    static let arabicCommonWords = rules.words(.arabicCommonWords)
    /// ``arabicWords``, asked about a word by its bytes (see ``WrittenWordSet``).
    static let arabicWordSet = WrittenWordSet(arabicWords)
    static let abbreviations = rules.abbreviations
    static let englishWords = rules.words(.englishWords)
    static let arabicSuffixes = rules.words(.arabicSuffixes).sorted { $0.count > $1.count }
    /// Pronouns of an owner (`arabic-owner-pronouns`): ``endsInPronoun(_:)``.
    static let arabicOwnerPronouns = rules.words(.arabicOwnerPronouns)
    /// Endings that count as ``arabicSuffixes`` only on a word without the article (`arabic-nisba-suffixes`).
    static let arabicNisbaSuffixes = rules.words(.arabicNisbaSuffixes).sorted { $0.count > $1.count }
    /// Arabic words that open an organisation's or outlet's name: a name right after one is part of it ("مجلس منبج العسكري").
    static let arabicOrganisationWords = rules.words(.arabicOrganisationWords)
    /// Forms of organisation words behind a proclitic that make a phrase of their own ("بقيادة", led by).
    static let arabicOrganisationIdioms = rules.words(.arabicOrganisationIdioms)
    /// Organisations named for the place they serve, with في before it (`arabic-place-organisation-words`).
    static let arabicPlaceOrganisationWords = rules.words(.arabicPlaceOrganisationWords)
    /// Arabic verbs of saying (`arabic-speech-verbs`: قال، أعلنت …), before the organisation that speaks.
    static let arabicSpeechVerbs = rules.words(.arabicSpeechVerbs)
    /// Words that open a line before a dash as a byline, not a dateline (`arabic-byline-words`: عاجل، وكالات).
    static let arabicBylineWords = rules.words(.arabicBylineWords)
    /// Place nouns an organisation's name goes on through (`arabic-administrative-nouns`: "مجلس محافظة درعا").
    static let arabicAdministrativeNouns = rules.words(.arabicAdministrativeNouns)
    /// Whether Arabic word k is في closing the name of an organisation named for its place
    /// (`arabic-place-organisation-words`) that a verb of saying opens (`arabic-speech-verbs`),
    /// definite words between: "قالت مديرية التربية في درعا" (the Daraa Education Directorate said),
    /// "قالت غرفة التجارة والصناعة في طرابلس". The name after it is then the organisation's.
    static func closesPlaceOrganisationName(at k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        // في is four bytes: the length first, so that no string is made for other words.
        guard k > 1, words[k].end - words[k].start == 4, words[k].has(Word.phraseJoin),
            string(source, words[k].start, words[k].end) == "\u{0641}\u{064A}"
        else { return false }
        var m = k - 1
        while m >= 0, k - m <= 5, isArabicWord(source, words, m) {
            let word = string(source, words[m].start, words[m].end)
            // The organisation speaks: a verb of saying right before it (`arabic-speech-verbs`). Not
            // a building, a member or a room of it: "مبنى المجلس المحلي في درعا", "عنصران من مديرية
            // الأمن في درعا", "غرفة العمليات في حميميم" are in Daraa and at Hmeimim.
            if m < k - 1, arabicPlaceOrganisationWords.contains(word.hasPrefix(arabicArticle) ? String(word.dropFirst(2)) : word) {
                guard m > 0, words[m].has(Word.phraseJoin), isArabicWord(source, words, m - 1) else { return false }
                let verb = string(source, words[m - 1].start, words[m - 1].end)
                return arabicSpeechVerbs.contains(verb) || withoutProclitic(verb).map { arabicSpeechVerbs.contains($0.rest) } == true
            }
            // A definite word of the name: "التجارة", "والصناعة", "للجمارك".
            guard m > 0, words[m].has(Word.phraseJoin), definiteArticlePrefixes.contains(where: { word.hasPrefix($0) }) else { return false }
            m -= 1
        }
        return false
    }
    /// How a definite word opens: the article, or the article behind و or ل ("والصناعة", "للجمارك").
    private static let definiteArticlePrefixes = ["\u{0627}\u{0644}", "\u{0648}\u{0627}\u{0644}", "\u{0644}\u{0644}"]
    /// Whether an Arabic word opens an organisation's name (`arabic-organisation-words`), also behind
    /// a proclitic: "لتلفزيون لبنان" (to Lebanon's television), "ومصرف الرافدين"; not a form of
    /// `arabic-organisation-idioms` ("التحالف بقيادة واشنطن", the coalition led by Washington).
    static func opensOrganisationName(_ word: String) -> Bool {
        if arabicOrganisationWords.contains(word) { return true }
        guard !arabicOrganisationIdioms.contains(word), let rest = withoutProclitic(word) else { return false }
        return arabicOrganisationWords.contains(rest.rest)
    }
    /// ``opensOrganisationName(_:)``, or an organisation word with the article: "المصرف", "الهيئة".
    static func isOrganisationWord(_ word: String) -> Bool {
        opensOrganisationName(word) || (word.hasPrefix(arabicArticle) && opensOrganisationName(String(word.dropFirst(2))))
    }
    /// Arabic nouns that open a place's name ("تل ملح", "حوش الضواهرة"): the word after one is the
    /// name's second word, not a place of its own.
    static let arabicNameHeads = rules.words(.arabicNameHeads).union(rules.words(.arabicStrongNameHeads))
    /// Name heads that are hardly ever anything else ("تل", "كفر"): a frequent word with the article
    /// after one is still the name's second word ("تل الأحمر").
    static let arabicStrongNameHeads = rules.words(.arabicStrongNameHeads)
    /// Titles that open a place's name after an Arabic cue ("في الشيخ مقصود").
    static let arabicTitleHeads = rules.words(.arabicTitleHeads)
    /// Cues that also stand before people, after which a title opens a person's name ("إلى الشيخ أحمد").
    static let arabicPersonCues = rules.words(.arabicPersonCues)
    /// Place nouns whose next word names the place even where it is a frequent word ("معبر جابر").
    static let arabicConstructNouns = rules.words(.arabicConstructNouns)
    /// Plural nouns of places, after which an indefinite word in ية is an adjective ("مناطق صحراوية").
    static let arabicPluralPlaceNouns = rules.words(.arabicPluralPlaceNouns)
    /// Prefixes written as one word with the rest of a place's name ("كفرنبودة").
    static let arabicNamePrefixes = rules.words(.arabicNamePrefixes)

    /// Whether an Arabic word after a construct noun (`arabic-construct-nouns`) is the place's name
    /// though a frequent word: one of `arabic-words` as written, not of the 3,000 most common, without
    /// the article, and not shaped like an adjective agreeing with the noun (ending in ة، ى، ي or a
    /// plural ending, opening with م: "مخيم مؤقت", "بلدة مجاورة").
    static func namesPlaceAfterConstructNoun(_ word: String) -> Bool {
        guard arabicWords.contains(word), !arabicCommonWords.contains(word), !word.hasPrefix(arabicArticle) else { return false }
        let scalars = Array(word.unicodeScalars)
        guard scalars.count >= 3, scalars.first != "\u{0645}" else { return false }  // م
        if ["\u{0629}", "\u{0649}", "\u{064A}"].contains(scalars[scalars.count - 1]) { return false }  // ة ى ي
        return !["\u{064A}\u{0646}", "\u{0648}\u{0646}", "\u{0627}\u{062A}"].contains { word.hasSuffix($0) }  // ين ون ات
    }

    /// Whether an Arabic word is a nisba adjective with the article made from a frequent word:
    /// "الحدودي" (of the border, حدود) in "معبر جابر الحدودي", the Jaber border crossing.
    static func isAdjectiveOfAFrequentNoun(_ word: String) -> Bool {
        guard isDefiniteNisba(word) else { return false }
        let stem = word.unicodeScalars.dropFirst(2).dropLast(word.hasSuffix("\u{064A}\u{0629}") ? 2 : 1)
        return arabicWords.contains(String(String.UnicodeScalarView(stem)))
    }

    /// Whether an Arabic word opens with a name prefix (`arabic-name-prefixes`: كفر) and has three
    /// letters or more after it: "كفرنبودة". (The caller checks it is no frequent word nor a name.)
    static func opensWithNamePrefix(_ word: String) -> Bool {
        arabicNamePrefixes.contains { word.hasPrefix($0) && word.unicodeScalars.count >= $0.unicodeScalars.count + 3 }
    }
    /// Whether an Arabic word is a place noun or a name head (`arabic-place-nouns`,
    /// `arabic-name-heads`): a noun that opens a place's name, never a name alone ("ومرفأ
    /// اللاذقية", and the port of Latakia).
    static func isArabicPlaceWord(_ word: String) -> Bool { arabicPlaceNouns.contains(word) || arabicNameHeads.contains(word) }
    /// Whether an Arabic word is a place noun (`arabic-place-nouns`), also behind a proclitic ("ومعبر").
    static func isArabicPlaceNoun(_ word: String) -> Bool {
        arabicPlaceNouns.contains(word) || withoutProclitic(word).map { arabicPlaceNouns.contains($0.rest) } == true
    }

    /// Prepositions that are cues only after a word of attack or control ("غارات على").
    static let arabicContingentCues = rules.words(.arabicContingentCues)
    static let arabicAttackWords = rules.words(.arabicAttackWords)
    /// Prepositions that are cues only after a word of cutting off ("انقطعت الكهرباء عن"), and those words.
    static let arabicCutOffCues = rules.words(.arabicCutOffCues)
    static let arabicCutOffWords = rules.words(.arabicCutOffWords)

    /// Whether Arabic word `k` is a cue (`arabic-cues`, also behind a proclitic: "وفي"), or a
    /// contingent cue with a word of attack or control at most three words before it, spaces
    /// between: "شنت الطائرات غارات على اللطامنة" (air raids on al-Lataminah), "سيطرت القوات على".
    static func isArabicCue(at k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool { arabicCue(at: k, source, words) != nil }

    /// The cue that Arabic word `k` is (``isArabicCue(at:_:_:)``), without its proclitic ("في" of
    /// "وفي"), or nil.
    static func arabicCue(at k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> String? {
        guard k >= 0, k < words.count else { return nil }
        let word = string(source, words[k].start, words[k].end)
        let bare = withoutProclitic(word)?.rest
        if arabicCues.contains(word) { return word }
        if let bare, arabicCues.contains(bare) { return bare }
        // على after a word of attack or control, عن after a word of cutting off.
        for (cues, triggers) in [(arabicContingentCues, arabicAttackWords), (arabicCutOffCues, arabicCutOffWords)] {
            guard let cue = cues.contains(word) ? word : bare.flatMap({ cues.contains($0) ? $0 : nil }) else { continue }
            var j = k
            while j > 0, k - j < 3, words[j].has(Word.phraseJoin) {
                j -= 1
                let before = string(source, words[j].start, words[j].end)
                if triggers.contains(before) || withoutProclitic(before).map({ triggers.contains($0.rest) }) == true { return cue }
            }
        }
        return nil
    }
    /// Endings that make a word a club's name ("Trabzonspor"), and the Arabic result verbs and their
    /// links ("تعادل جبلة مع حطين"): see ``namesTeam(first:last:_:_:)``.
    static let teamSuffixes = rules.words(.teamSuffixes).sorted().map { Array($0.utf8) }
    static let arabicSportsVerbs = rules.words(.arabicSportsVerbs)
    static let arabicSportsLinks = rules.words(.arabicSportsLinks)
    /// Words that, right after a result verb or a team's people word, make it none ("Zakho plays
    /// host to", "Rastan plays a key role", "Talbiseh fans fears"): see ``namesTeam(first:last:_:_:)``.
    static let notSportsObjects = rules.words(.notSportsObjects)
    /// Organisation words that make the name before them an organisation's only when capitalised
    /// ("the Beirut Stock Exchange"; not "rebels in Sarmada exchange fire").
    static let capitalisedOrganisationWords = rules.words(.capitalisedOrganisationWords)
    /// Words that, capitalised and opening a name of several words, make it a place's ("Wadi Rum",
    /// "Mount Hermon"): see ``unknownPlaces``.
    static let placeHeads = rules.words(.placeHeads)
    /// Latin spellings of Arabic name heads (`name-heads`: "Ain", "Tal", "Kafr"): a mention right after a
    /// capitalised one is the second word of the head's name ("Ain Dara" is not Daraa).
    static let nameHeads = rules.words(.nameHeads)
    /// Words whose "of" makes the name after it an organisation's (`organisation-of-heads`: "Shares of
    /// Zain", "a branch of Fransabank").
    static let organisationOfHeads = rules.words(.organisationOfHeads)
    /// Words that, after a possessive, make the name before them a person's (`person-possessions`:
    /// "Mikati's list").
    static let personPossessions = rules.words(.personPossessions)
    /// Lower-case nouns that make the name before them a place's whatever else the report has read it as
    /// (`resident-nouns`: "Al-Karamah residents", "Khoury villagers"): see ``ReportSenses``.
    static let residentNouns = rules.words(.residentNouns)
    /// Words that, capitalised and closing a name of several words, make it a place's ("Black Sea",
    /// "Indian Ocean"): see ``unknownPlaces``.
    static let placeTails = rules.words(.placeTails)
    /// Arabic nouns whose next word is a place's name in a construct ("مدينة درعا", the city of
    /// Daraa; "معبر نصيب"): see ``isPersonOrCommonWord``.
    static let arabicPlaceNouns = rules.words(.arabicPlaceNouns)
    /// The lower-case words that may follow a result verb after a team's name ("Al-Ittihad play
    /// again", "drew with"): any other makes the verb another verb ("the fair in Karrada drew
    /// builders"); see ``namesTeam(first:last:_:_:)``.
    static let sportsVerbObjects = rules.words(.sportsVerbObjects)

    /// Whether an Arabic word is a name head (`arabic-name-heads`), also behind a proclitic ("وتل"):
    /// the proclitic's length in bytes (0 without one), or nil.
    static func nameHeadProclitic(_ word: String) -> Int? {
        if arabicNameHeads.contains(word) { return 0 }
        if let rest = withoutProclitic(word), arabicNameHeads.contains(rest.rest) { return rest.bytes }
        return nil
    }
    /// Demonyms and nisbas no ending derives ("Persian", "Maslawi"), and the endings that make one of
    /// a place name ("Tikriti", "Hamawi", "Aleppan", "Damascene").
    static let demonyms = rules.words(.demonyms)
    static let demonymEndings = rules.demonymEndings

    /// Whether a word (as written, without a possessive) is a demonym or a nisba: on the rulebook's
    /// `demonyms`, or a name the gazetteer records, so spelt (apart from case and marks), with an
    /// ending of `demonym-endings` (the name's stem of four letters or more); a plural "s" may
    /// follow ("Tikritis"). Recorded, not only of the same key: "Kabani" is not "Kobane" + i.
    /// With `derived` false, only the rulebook's list counts.
    func isDemonym(_ text: String, derived: Bool = true) -> Bool {
        let word = text.lowercased()
        var forms = [word]
        if word.hasSuffix("s"), word.count > 4 { forms.append(String(word.dropLast())) }
        for form in forms {
            if Self.demonyms.contains(form) { return true }
            guard derived else { continue }
            for (ending, replaces) in Self.demonymEndings where form.hasSuffix(ending) {
                let stem = form.dropLast(ending.count)
                guard stem.count >= 4 else { continue }
                let name = Array((stem + replaces).utf8)
                guard let k = index.keyIndex(ofKey: NameKey.key(String(decoding: name, as: UTF8.self))) else { continue }
                if scanner.isRecorded(name.span, key: k) { return true }
            }
        }
        return false
    }

    /// Place-like phrases the gazetteer does not know, found by what they are (docs/check.md,
    /// "Unknown places"): a capitalised name after a locative cue ("in", "near", "left … for"), before
    /// a designator ("X countryside", "the X crossing"), in a list with a place ("Talbiseh and
    /// Rastan"), or in an Arabic-article shape ("Al-X", "al-Qaim"); and any other capitalised name
    /// that is not English words, not a person (a title or a given name before it, a verb of saying
    /// after it), not an organisation and not an outlet. Arabic script: an unknown word after a
    /// locative preposition (في، قرب …). Close to a gazetteer name → probable misspelling;
    /// otherwise an unknown place. Each comes with the nearest gazetteer names, and with what
    /// `--fix` would write over it (a misspelling with one best suggestion).
    ///
    /// A phrase a team rule reads as a team's, and the surname of a person named with a given name
    /// or a title, go into `senses`; a phrase that no cue introduces is then no unknown place
    /// wherever the report writes it so (one sense per report).
    func unknownPlaces(_ masked: Span<UInt8>, _ source: Span<UInt8>, covered: [Bool], base: Int,
                       senses: inout ReportSenses) -> [(Diagnostic, FixProposal?)]
    {
        var out: [(Diagnostic, FixProposal?)] = []
        var weak: [(name: String, oneWord: Bool)?] = []  // per output: how it is written, when no cue or list made it strong
        let words = self.words  // a local: reading it needs no exclusivity check per word
        let count = words.count
        /// Whether word i has one of the classes; a possessive has its stem's ("Sunday's" is a day's
        /// name, "the Fifth Corps's" an organisation's).
        func has(_ i: Int, _ c: WordClasses) -> Bool {
            guard i >= 0, i < count else { return false }
            if words[i].isAny(c) { return true }
            guard words[i].has(Word.possessive), words[i].altEnd > words[i].start else { return false }
            return !WordClassTable.bundled.of(Self.string(source, words[i].start, words[i].altEnd).lowercased()).isDisjoint(with: c)
        }
        func joined(_ i: Int) -> Bool { i < count && words[i].has(Word.phraseJoin) }
        var lastEnd = -1, lastStart = -1
        var lastDeparture = -10
        // The second name of a hyphened pair before a designator ("the Jaber-Nasib crossing"): a
        // phrase of its own, as strong as the pair.
        var pairTail = -1
        func lower(_ i: Int) -> String { Self.string(source, words[i].start, words[i].end).lowercased() }
        /// Whether a verb of saying comes before word `cue` in its clause (words joined by spaces or
        /// commas, no full stop or quote between), at most 20 words back: the "to" at `cue` then
        /// names whom it was said to.
        func spokenTo(before cue: Int) -> Bool {
            var j = cue
            while j > 0, cue - j < 20, words[j].has(Word.spanJoin) {
                j -= 1
                if has(j, WordClass.speech) { return true }
            }
            return false
        }
        /// Whether only a comma (and spaces) separates word i-1 from word i.
        func commaBefore(_ i: Int) -> Bool {
            guard i > 0, i < count else { return false }
            return Self.commas(between: words[i - 1].end, and: words[i].start, source) == 1
        }
        /// Whether word i opens the text or a line (only spaces before it on its line) in `text`
        /// (the report, or with `masked` the report with its markup blanked: a line's opening tags count as spaces).
        func lineStart(_ i: Int, in text: Span<UInt8>) -> Bool { opensLine(at: Int(words[i].start), text) }
        /// Whether word i opens a sentence: the text or a line, or after a full stop, question or
        /// exclamation mark, colon, or a dash (spaces, quotes and brackets between).
        func sentenceStart(_ i: Int) -> Bool {
            var b = Int(words[i].start) - 1
            while b >= 0, [0x20, 0x09, 0x22, 0x27, 0x28, 0x2A].contains(source[b]) { b -= 1 }
            if b < 0 || [0x0A, 0x2E, 0x21, 0x3F, 0x3A].contains(source[b]) { return true }
            // An en or em dash, E2 80 93|94; a curly opening quote, E2 80 9C.
            return b >= 2 && source[b - 2] == 0xE2 && source[b - 1] == 0x80 && [0x93, 0x94, 0x9C].contains(source[b])
        }
        /// Capitals only, a possessive of capitals ("UN's") or a plural of them ("ATMs", "NGOs"): an acronym.
        func acronym(_ k: Int) -> Bool {
            let w = words[k]
            if w.has(Word.allCaps) { return true }
            let capitals: Range<Int>
            if w.has(Word.possessive) {
                capitals = Int(w.start)..<Int(w.altEnd)
            } else if w.end - w.start >= 3, source[Int(w.end) - 1] == 0x73 {  // "s"
                capitals = Int(w.start)..<Int(w.end) - 1
            } else {
                return false
            }
            return capitals.count >= 2 && capitals.allSatisfy { source[$0] >= 0x41 && source[$0] <= 0x5A }
        }
        /// Remembers word k as a person's surname, as written (a possessive's stem), and with the
        /// article joined to it ("al-Amili").
        func rememberSurname(_ k: Int) {
            let end = words[k].has(Word.possessive) ? words[k].altEnd : words[k].end
            senses.surnames.insert(ReportSenses.remembered(Self.string(source, words[k].start, end)))
            if k > 0, words[k].has(Word.hyphenBefore), words[k - 1].isArticle {
                senses.surnames.insert(ReportSenses.remembered(Self.string(source, words[k - 1].start, end)))
            }
        }
        /// Whether word i is a contingent cue in lower case (`contingent-cues`: "on") with a word of
        /// attack (`attack-words`) at most three words before it: "six strikes on al-Ankawi".
        func afterAttackWord(_ i: Int) -> Bool {
            guard words[i].has(Word.lower), has(i, WordClass.contingentCue) else { return false }
            return (max(0, i - 3)..<i).contains { has($0, WordClass.attack) }
        }
        func isJoiner(_ i: Int) -> Bool { i >= 0 && i < count && words[i].has(Word.lower) && has(i, WordClass.listJoiner) }
        /// A place (a mention) or a flagged phrase next to the phrase [a, b] in a list.
        func listedWithPlace(_ a: Int, _ b: Int) -> Bool {
            func place(_ k: Int) -> Bool { k >= 0 && k < count && (covered[k] || (k <= lastEnd && k >= lastStart)) }
            if commaBefore(a), place(a - 1) { return true }
            if isJoiner(a - 1), place(a - 2) { return true }
            if b + 1 < count, commaBefore(b + 1), place(b + 1), isJoiner(b + 2) || commaBefore(b + 2) || isJoiner(b + 3) { return true }
            if isJoiner(b + 1), place(b + 2) { return true }
            return false
        }
        /// A plural of an English word ("Airstrikes" of "airstrike" is not; "Shells" is).
        func pluralOfEnglish(_ k: Int) -> Bool {
            let w = lower(k)
            guard w.hasSuffix("s"), w.count > 3 else { return false }
            return Self.englishWords.contains(String(w.dropLast())) || (w.hasSuffix("es") && Self.englishWords.contains(String(w.dropLast(2))))
        }
        /// Whether a capitalised chain before word `start` (across "of", "and", "the") holds an
        /// organisation word: "Islamic State of Iraq and the Levant".
        func insideOrganisationChain(_ start: Int) -> Bool {
            var k = start - 1
            var steps = 0
            while k >= 0, steps < 7, joined(k + 1) {
                let w = words[k]
                if has(k, WordClass.organisation) { return true }
                guard w.has(Word.capital) || (w.has(Word.lower) && (has(k, WordClass.of | WordClass.the | WordClass.connector) || isJoiner(k))) else { return false }
                k -= 1; steps += 1
            }
            return false
        }
        /// Whether word k is a name connector inside a capitalised name ("Jaish ibn al-Walid"), not
        /// an English "of" or "as" between lower-case words ("east of al-Shuhayl", "known as al-Kasrah").
        func connectorInsideAName(_ k: Int) -> Bool {
            has(k, WordClass.connector) && k > 0 && joined(k) && words[k - 1].has(Word.capital)
        }
        /// An English-like word: an English, common, demonym, title, given-name or organisation word.
        func englishLike(_ k: Int) -> Bool {
            has(k, WordClass.english | WordClass.common | WordClass.notPlace | WordClass.organisation | WordClass.title | WordClass.cue | WordClass.connector | WordClass.the | WordClass.of | WordClass.speech)
        }
        var i = 0
        while i < count {
            defer { i += 1 }
            guard i > lastEnd, !covered[i] else { continue }
            if words[i].has(Word.nonASCII), words[i].has(Word.lower) == false, words[i].has(Word.capital) == false {
                if let found = arabicUnknown(at: i, source, covered: covered, lastFlagged: lastEnd, base: base) {
                    out.append(found.0)
                    weak.append(nil)  // after a preposition
                    lastStart = found.1; lastEnd = found.1
                }
                continue
            }
            var start = -1
            var viaArticle = false
            var strong = false
            var dateline = false
            var departed = false
            var cueIsTo = false
            var contingent = false  // strong by a contingent cue ("strikes on"), which people and groups follow too
            if i == pairTail {
                start = i; strong = true
            } else if has(i, WordClass.cue) || afterAttackWord(i), !(has(i, WordClass.to) && i > 0 && has(i - 1, WordClass.nonLocativeTo)) {
                start = i + 1; strong = true
                contingent = !has(i, WordClass.cue)
                cueIsTo = has(i, WordClass.to)
                // A lower-case article name after the cue: "from al-Shuhayl".
                if i + 2 < count, words[i + 1].isArticle, words[i + 2].has(Word.hyphenBefore), words[i + 2].has(Word.capital) { viaArticle = true }
            } else if has(i, WordClass.ofHead), has(i + 1, WordClass.of), joined(i + 1) {
                start = i + 2; strong = true
                // "the people of al-Shuhayl".
                if i + 3 < count, words[i + 2].isArticle, words[i + 3].has(Word.hyphenBefore), words[i + 3].has(Word.capital) { viaArticle = true }
            } else if words[i].has(Word.lower), i - lastDeparture <= 7, has(i, WordClass.for), joined(i + 1) {
                start = i + 1; strong = true
            } else if words[i].has(Word.lower), has(i, WordClass.departureCue) {
                // "left Tabqa": strong, but English words after it are no places ("evacuated Rebels").
                lastDeparture = i
                start = i + 1; strong = true; departed = true
            } else if words[i].isArticle, i + 1 < count, words[i + 1].has(Word.hyphenBefore), words[i + 1].has(Word.capital),
                !(i > 0 && joined(i) && ((words[i - 1].has(Word.capital) && !words[i - 1].has(Word.possessive)) || connectorInsideAName(i - 1)))
            {
                start = i
                viaArticle = true
            } else if words[i].has(Word.capital),
                !(i > 0 && joined(i) && ((words[i - 1].has(Word.capital) && !words[i - 1].has(Word.possessive)) || (words[i - 1].isArticle && words[i].has(Word.hyphenBefore))))
            {
                start = i
                // A dateline: a name in capitals opening a line, before a comma ("TEHRAN, Oct 3").
                if words[i].has(Word.allCaps), words[i].end - words[i].start >= 4, lineStart(i, in: source) { dateline = true; strong = true }
            }
            guard start >= 0, start < count, viaArticle || dateline || !strong || joined(start) else { continue }
            if strong, has(start, WordClass.the), !words[start].has(Word.capital), joined(start + 1) {
                start += 1
                // "in the al-Zaqqum Industrial Estate": a lower-case article name after the cue and "the".
                if start + 1 < count, words[start].isArticle, words[start + 1].has(Word.hyphenBefore), words[start + 1].has(Word.capital) { viaArticle = true }
            }
            guard start < count, !covered[start], words[start].has(Word.capital) || viaArticle else { continue }
            if Self.followsHandleSign(source, at: words[start].start) { continue }  // "@DeirEzzor24"
            // The phrase: capitalised words (with name connectors inside), at most five.
            var k = start + (viaArticle ? 1 : 0)
            if covered[k] { continue }
            var last = k
            while k + 1 < count, last - start < 5, joined(k + 1), !covered[k + 1], !words[k].has(Word.possessive) {
                let next = words[k + 1]
                if next.has(Word.capital) {
                    k += 1; last = k
                } else if next.has(Word.lower), next.isArticle || next.isAny(WordClass.connector), k + 2 < count, joined(k + 2), words[k + 2].has(Word.capital), !covered[k + 2] {
                    k += 2; last = k
                } else {
                    break
                }
            }
            // A capitalised "The" opening a phrase (a sentence's first word, or after a capitalised word:
            // "In The Sochi memorandum") opens no name; the name is what follows it ("The Sochi memorandum").
            if !viaArticle, start < last, has(start, WordClass.the), words[start].has(Word.capital) { start += 1 }
            // A title opening a name that a capitalised designator ends names a site after a person:
            // "King Talal Dam", "Prince Hashim Stadium" (kept for the site rules below).
            // (Not a person beside a verb of saying: "Ambassador Stephen Castle said".)
            let titleOpensASite = !viaArticle && last > start && has(start, WordClass.title) && words[last].has(Word.capital)
                && has(last, WordClass.designator) && !has(last, WordClass.organisation)
                && !(joined(last + 1) && has(last + 1, WordClass.speech)) && !(start > 0 && joined(start) && has(start - 1, WordClass.speech))
            if has(viaArticle ? min(start + 1, last) : start, WordClass.notPlace), !titleOpensASite {
                if !viaArticle, last > start, has(start, WordClass.title) { rememberSurname(last) }  // "Dr Haddad"
                continue
            }
            // After a contingent cue, people and groups are attacked too: "the attack on Ahmad Jarba",
            // "on Charlie Hebdo", "on Amnesty staff" (a given name or a title first, or English words only).
            if contingent, !viaArticle,
                has(start, WordClass.firstName | WordClass.title) || (start...last).allSatisfy({ englishLike($0) || words[$0].has(Word.allCaps) })
            {
                continue
            }
            // A company's: "a branch of Fransabank", "Shares of Zain" (the name after "of" is the company's).
            if start >= 2, joined(start), words[start - 1].has(Word.lower), has(start - 1, WordClass.of), joined(start - 1),
                Self.organisationOfHeads.contains(lower(start - 2))
            {
                continue
            }
            if start < last, Self.organisationOfHeads.contains(lower(start)), words[start + 1].has(Word.lower), has(start + 1, WordClass.of) { continue }
            // A name that ends in a capitalised designator names a site, whatever words come before
            // it: "Tahrir Square", "Rashid Street", "Riad al-Solh Square" (not "the Nusra Front": a
            // designator that is an organisation word too; not English words alone, "Police Station").
            // So does one that a capitalised place head opens or a place tail closes, English words or
            // not (`place-heads`: "Wadi Rum", "Wadi Khaled", "Mount Everest"; `place-tails`: "Black Sea").
            // (A place head does not excuse an organisation word: "the Jabal al-Zawiya Brigade", "Lake
            // Forest College" are a group's and a college's.)
            let opensWithPlaceHead = last > start && !viaArticle && words[start].has(Word.capital)
                && (Self.placeHeads.contains(lower(start)) || (words[last].has(Word.capital) && Self.placeTails.contains(lower(last))))
            let siteDesignated = last > start && words[last].has(Word.capital) && has(last, WordClass.designator) && !has(last, WordClass.organisation)
            let endsInDesignator = opensWithPlaceHead || siteDesignated
            // English words and a connector before a site's name are no part of it: "Residents of
            // Omar Mukhtar Street", "Officials at Hamra Police Station".
            if siteDesignated, !viaArticle,
                let j = (start + 1..<last).first(where: { words[$0].has(Word.lower) && has($0, WordClass.connector) && words[$0 + 1].has(Word.capital) }),
                (start..<j).allSatisfy({ englishLike($0) && !has($0, WordClass.nameWord) })
            {
                start = j + 1
            }
            // English words right before a mention are its modifiers, even after a cue: "in East Aleppo".
            if !viaArticle, joined(last + 1), covered[last + 1], (start...last).allSatisfy({ englishLike($0) }) { continue }
            // A common word alone is no place even after a cue: "Who Talks to Whom".
            if start == last, !viaArticle, has(start, WordClass.common) { continue }
            if !dateline, (start...last).allSatisfy({ acronym($0) || words[$0].end - words[$0].start == 1 || words[$0].isArticle }) { continue }
            if dateline, !(last + 1 < count && commaBefore(last + 1)) { continue }
            if !siteDesignated, (start...last).contains(where: { has($0, WordClass.organisation) }) { continue }
            // An organisation word after the name makes it an organisation's, unless written in lower
            // case and a designator too, or one that counts only capitalised: "the Nusra Front", but
            // "the Qalamoun front", "rebels in Sarmada exchange fire" (`capitalised-organisation-words`).
            if joined(last + 1), has(last + 1, WordClass.organisation),
                !(words[last + 1].has(Word.lower) && (has(last + 1, WordClass.designator) || Self.capitalisedOrganisationWords.contains(lower(last + 1))))
            {
                continue
            }
            if joined(last + 1), has(last + 1, WordClass.outletTail), outletTailNamesOutlet(last + 1, after: start, words.span) { continue }  // "Deir ez-Zor 24"
            if viaArticle, !strong, has(last + 1, WordClass.speech) { continue }  // "Al-Ikhbariya said"; not "a leader from al-Shuhayl told"
            if viaArticle, joined(last + 1), last + 1 < count, words[last + 1].has(Word.capital) { continue }  // "Al-Qaeda Central …"
            // A person: a title or a given name before, or a given name opening a name of several
            // words. Its surname is the person's wherever the report names it alone ("Khoury added").
            if start > 0, joined(start), has(start - 1, WordClass.title) { rememberSurname(last); continue }
            // (Not a given name that a designator in lower case follows: "the Jaber crossing", "Tamim district".)
            let designatedInLowerCase = joined(last + 1) && words[last + 1].has(Word.lower) && has(last + 1, WordClass.designator) && !words[last].has(Word.possessive)
            if !strong, !endsInDesignator, !designatedInLowerCase, has(start, WordClass.firstName), !viaArticle {
                if last > start { rememberSurname(last) }
                continue
            }
            // A title inside the name, a name after it: "Maronite Patriarch Bechara al-Rai", "Kurdish
            // Commander Mazloum Abdi" (not a title that opens place names too: "Sheikh Maqsoud").
            if !strong, !endsInDesignator, last > start + 1, (start + 1..<last).contains(where: { has($0, WordClass.title) && !has($0, WordClass.nameWord) }) {
                rememberSurname(last)
                continue
            }
            // A given name and a designator-shaped surname next to a speech verb is a person's:
            // "said Kenneth Church", "Stephen Castle reported" (not "Rashid Street", a site).
            if endsInDesignator, has(start, WordClass.firstName), !viaArticle,
                (joined(last + 1) && has(last + 1, WordClass.speech)) || (start > 0 && joined(start) && has(start - 1, WordClass.speech))
            {
                continue
            }
            // (A title that also opens place names, in a list with places, is the place's: "Azaz and Sheikh Maqsoud".)
            // (Not a site named after a person: "King Talal Dam", "Prince Hashim Stadium".)
            if !strong, !endsInDesignator, last > start, has(start, WordClass.title), !(has(start, WordClass.nameWord) && listedWithPlace(start, last)) {
                if !has(start, WordClass.nameWord) { rememberSurname(last) }
                continue
            }
            // What the context says: a designator after, a list with a place.
            if departed, (start...last).allSatisfy({ englishLike($0) || pluralOfEnglish($0) || words[$0].has(Word.allCaps) }) { continue }
            let designated = joined(last + 1) && has(last + 1, WordClass.designator) && !words[last].has(Word.possessive)
            if designated, !viaArticle, last == start + 1, words[last].has(Word.hyphenBefore), !words[start].isArticle, !words[last].isArticle {
                pairTail = last; last = start
            }
            // English words opening a sentence before a designator in lower case are no name: "Boat
            // crossings resumed", "Border checkpoints closed" (but "Tabqa dam", "Hatay province").
            if designated, !strong, !viaArticle, words[last + 1].has(Word.lower), sentenceStart(start),
                (start...last).allSatisfy({ englishLike($0) || pluralOfEnglish($0) })
            {
                continue
            }
            let listed = !designated && listedWithPlace(start, last)
            let strongByCue = strong
            if !strong, designated || listed {
                strong = true
                // In a list, still no English words alone ("Iraq and Rebels").
                let core = viaArticle ? (start + 1)...last : start...last
                if listed, !viaArticle, !opensWithPlaceHead, core.allSatisfy({ englishLike($0) || words[$0].isArticle || words[$0].has(Word.allCaps) || words[$0].end - words[$0].start == 1 }) { continue }
            }
            let endByte = words[last].has(Word.possessive) ? words[last].altEnd : words[last].end
            if !strong {
                // A bare capitalised name: not English words (acronyms and initials count as such),
                // not a person's name after an initial ("Stephen J. Townsend"), not a name after an
                // organisation word ("operation \"Fajr al-Joroud\""), not inside an organisation's name.
                let core = viaArticle ? (start + 1)...last : start...last
                func english(_ k: Int) -> Bool { endsInDesignator ? englishLike(k) && !has(k, WordClass.organisation) || has(k, WordClass.english) : englishLike(k) }
                if !viaArticle, !opensWithPlaceHead, core.allSatisfy({ english($0) || words[$0].isArticle || words[$0].has(Word.allCaps) || words[$0].end - words[$0].start == 1 || pluralOfEnglish($0) }) { continue }
                if start > 0, words[start - 1].end - words[start - 1].start == 1, words[start - 1].has(Word.capital) { continue }
                // Two English words end it, neither a designator nor a word of place names: a
                // title, a group's or a publication's name ("Iraq Body Count", "Raqqa Is Being
                // Slaughtered Silently"; not "Sheikh Said", "Homs Old City").
                // (The words' classes as ``isEnglishWordOfAName(_:)`` reads them, a possessive's from its stem.)
                if last >= start + 2, (last - 1...last).allSatisfy({ has($0, WordClass.english) && !has($0, WordClass.designator | WordClass.nameWord) }) { continue }
                // A person's possession: "Mikati's list won", "Haddad's lawyer" (the surname is remembered).
                if words[last].has(Word.possessive), joined(last + 1), words[last + 1].has(Word.lower), Self.personPossessions.contains(lower(last + 1)) {
                    rememberSurname(last)
                    continue
                }
                // A speaker, a name no layer has and no "the" opens: "Sabbagh told reporters" (not
                // "the Kremlin said", nor in a list with places: "fled to Qabasin and Bza'a said"; nor a
                // name a place head or a name head opens: "Wadi Khaled said", "Kafr Nabudah reported").
                if joined(last + 1), has(last + 1, WordClass.speech), !endsInDesignator, !(last > start && Self.nameHeads.contains(lower(start))),
                    !(start > 0 && joined(start) && words[start - 1].has(Word.lower) && has(start - 1, WordClass.the))
                {
                    continue
                }
                if start > 0, words[start - 1].has(Word.lower), has(start - 1, WordClass.organisation | WordClass.title) { continue }
                if insideOrganisationChain(start) { continue }
                if !endsInDesignator, let given = core.first(where: { has($0, WordClass.firstName) }) {
                    if given < last { rememberSurname(last) }
                    continue
                }
                // A byline: "By" opening a line, then a name ("By Rania Abouzeid").
                if last > start, words[start].has(Word.capital), lower(start) == "by", lineStart(start, in: masked) { continue }
                // A demonym or a nisba: alone, an origin ("Tikriti", "Damascene traders"); ending a name
                // of several words, a person's ("Abu Hafs al-Deiri", "Bassam Halabi", "By Karim Shami").
                if isDemonym(Self.string(source, words[last].start, endByte)) { continue }
            }
            // A demonym before a lower-case word is an adjective, even in a list or after a cue: "In
            // Sinjar, Yazidi residents said", "the Turkmen town of Amirli", "Ramadi, and Saad
            // al-Hadithi speaks" (not before a designator that no "of" follows: "X district"; after a
            // cue, only a demonym of the rulebook's list, not a nisba-shaped name that an ending
            // makes: "in Bustani killed" is Bustani).
            if strong, !dateline, joined(last + 1), words[last + 1].has(Word.lower),
                !has(last + 1, WordClass.designator) || (joined(last + 2) && has(last + 2, WordClass.of)),
                isDemonym(Self.string(source, words[last].start, endByte), derived: listed)
            {
                continue
            }
            // A given name and a nisba is a person's, even after a cue: "came from Omar al-Jablawi".
            // So is a kunya, Abu and a given name, with a nisba: "from Sukhnah, Abu Ahmad al-Homsi, told".
            let kunya = last > start + 1 && words[start].role == .abu && has(start + 1, WordClass.firstName)
            if strong, last > start, has(start, WordClass.firstName) || kunya, isDemonym(Self.string(source, words[last].start, endByte)) {
                rememberSurname(last)
                continue
            }
            // A person by the apposition after the name: "Hoshyar Zebari, a former minister from Duhok".
            if !strong, appositionHeadedByTitle(after: last, source, words.span) { continue }
            // A team: "a match against Al-Karamah", "Al-Taliya, the Hama football club", "joined from Al-Wahda of Damascus".
            let text = Self.string(source, words[start].start, endByte)
            let key = NameKey.key(text)
            if namesTeam(first: start, last: last, source, words.span)
                || (!strong && Self.isCapitalisedArticleName(first: start, last: last, words.span) && inSportsStory(first: start, last: last, source, words.span))
            {
                senses.teamNames.insert(ReportSenses.remembered(text))
                continue
            }
            if key.isEmpty || Self.knownNonPlaces.contains(key) { continue }
            // An outlet after a cue is flagged (a town may share its name: "in Mayadeen"), but not
            // the outlet spoken to: "said Anas al-Idlibi, a doctor in Dana, to Enab Baladi".
            // Nor an outlet that a list made strong before a verb of saying: "in Kirkuk, Rudaw reported".
            if Self.outlets.contains(key), !strong || (cueIsTo && spokenTo(before: start - 1)) || (!strongByCue && joined(last + 1) && has(last + 1, WordClass.speech)) { continue }
            // The head of an outlet's name: "Kurdistan 24".
            if !strong, joined(last + 1), Self.outlets.contains(NameKey.key(text + " " + Self.string(source, words[last + 1].start, words[last + 1].end))) { continue }
            // A phrase with a gazetteer key is a mention, unless the matcher wants it spelled as recorded.
            if let k = index.keyIndex(ofKey: key) {
                let bytes = source.extracting(Int(words[start].start)..<Int(endByte))
                let oneWord = (start...last).filter { !words[$0].isArticle }.count == 1
                if !index.needsRecordedSpelling(oneWord: oneWord, key: k) || scanner.isRecorded(bytes, key: k) { continue }
            }
            lastStart = start; lastEnd = last
            out.append(unknownDiagnostic(text, key: key, start: words[start].start, end: endByte, base: base))
            let oneWord = start == last || (viaArticle && start + 1 == last)
            let residents = joined(last + 1) && words[last + 1].has(Word.lower) && Self.residentNouns.contains(lower(last + 1))
            weak.append(strong || residents ? nil : (name: ReportSenses.remembered(text), oneWord: oneWord))
        }
        guard !senses.isEmpty else { return out }
        return zip(out, weak).compactMap { found, weak in
            if let weak, senses.teamNames.contains(weak.name) || (weak.oneWord && senses.surnames.contains(weak.name)) { return nil }
            return found
        }
    }

    /// The diagnostic of an unknown place-like phrase: a probable misspelling when a gazetteer
    /// name is close, else an unknown place, with the nearest names.
    func unknownDiagnostic(_ text: String, key: String, start: Int32, end endByte: Int32, base: Int) -> (Diagnostic, FixProposal?) {
        do {
            let suggestions = suggestionsFor(text, key: key)
            let keyLength = key.unicodeScalars.count
            let close = suggestions.first.map { $0.editDistance <= (keyLength >= 8 ? 2 : 1) && keyLength >= 4 } ?? false
            let position = TextPosition(line: 0, column: 0, offset: base + Int(start), length: Int(endByte - start))
            if close, let best = suggestions.first {
                let unique = suggestions.dropFirst().first.map { $0.editDistance > best.editDistance } ?? true
                // The same key: recorded, but spelt otherwise (a name only GeoNames has matches as recorded).
                let what = best.editDistance == 0 ? "is not in the gazetteer as spelt here" : "is not in the gazetteer"
                return (Diagnostic(position: position, severity: .error, code: .misspelling,
                    message: "probable misspelling: '\(text)' \(what); did you mean \(Self.list(suggestions))?",
                    text: text, suggestions: suggestions), unique ? fixProposal(phrase: text, start: start, end: endByte, best: best) : nil)
            } else {
                let nearest = suggestions.isEmpty ? "nothing similar in the gazetteer" : "nearest: \(Self.list(suggestions))"
                return (Diagnostic(position: position, severity: .error, code: .unknownPlace,
                    message: "unknown place '\(text)': not in the gazetteer (\(nearest))",
                    text: text, suggestions: suggestions), nil)
            }
        }
    }

    /// Whether word `i` of the block is in Arabic script (its first byte leads a scalar of U+0600–U+06FF).
    func isArabicWord(_ source: Span<UInt8>, _ i: Int) -> Bool {
        let words = self.words
        return Self.isArabicWord(source, words.span, i)
    }

    /// Whether word `i` of `words` is in Arabic script. The rules that hold the block's words as a
    /// span call this one: reading the checker's own array costs an exclusivity check a call.
    static func isArabicWord(_ source: Span<UInt8>, _ words: Span<Word>, _ i: Int) -> Bool {
        guard i >= 0, i < words.count, words[i].has(Word.nonASCII) else { return false }
        let lead = source[Int(words[i].start)]
        return lead >= 0xD8 && lead <= 0xDB
    }

    /// The UTF-8 bytes of the proclitic letters (`arabic-proclitics`), two each: what
    /// ``opensWithProclitic(_:at:)`` compares a word's first two bytes with.
    static let procliticLeads: [UInt16] = arabicProclitics.compactMap { letter in
        let bytes = Array(letter.utf8)
        return bytes.count == 2 ? UInt16(bytes[0]) << 8 | UInt16(bytes[1]) : nil
    }

    /// Whether the word at byte `start` opens with a proclitic letter: read on bytes, so that most
    /// Arabic words (which open otherwise, with the article) make no String. `start` is a word's
    /// start in `source`, which a word of two bytes or more follows.
    static func opensWithProclitic(_ source: Span<UInt8>, at start: Int) -> Bool {
        guard start >= 0, start + 1 < source.count else { return false }
        let lead = UInt16(source[start]) << 8 | UInt16(source[start + 1])
        return procliticLeads.contains(lead)
    }

    /// An Arabic word without its proclitic letter (و ف ب ل ك), or nil when it has none.
    /// A letter voweled with a damma, a sukun, a shadda or a tanween opens the word itself: "وُلد" is
    /// "was born", not و and Lod (a proclitic takes a fatha or a kasra, or no mark).
    static func withoutProclitic(_ text: String) -> (rest: String, bytes: Int)? {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, arabicProclitics.contains(String(first)), scalars.count >= 3 else { return nil }
        if let mark = scalars.dropFirst().first, (0x064B...0x064D).contains(mark.value) || [0x064F, 0x0651, 0x0652].contains(mark.value) { return nil }
        return (String(String.UnicodeScalarView(text.unicodeScalars.dropFirst())), String(first).utf8.count)
    }

    /// Whether an Arabic word is a frequent word or a cue (the rulebook's `arabic-words`,
    /// `arabic-cues`), also with a proclitic ("وقوات") or a pronoun suffix.
    static func isFrequentArabicWord(_ t: String) -> Bool {
        if arabicWords.contains(t) || arabicCues.contains(t) { return true }
        if let rest = withoutProclitic(t), arabicWords.contains(rest.rest) || arabicCues.contains(rest.rest) { return true }
        return isFrequentArabicWordWithSuffix(t)
    }

    /// Whether an Arabic word without the article, five letters or more, ends in a pronoun of its
    /// owner (`arabic-owner-pronouns`: هم، ها، كم …): a noun with its owner, no place, frequent or not
    /// ("ودائعهم", their deposits). (The article and a pronoun exclude each other: "الرها" is a name.)
    static func endsInPronoun(_ word: String) -> Bool {
        guard !word.hasPrefix(Self.arabicArticle), word.count >= 5 else { return false }
        return arabicOwnerPronouns.contains { word.hasSuffix($0) }
    }

    /// Whether an Arabic word is a frequent word with a pronoun suffix (`arabic-suffixes`):
    /// "مواقعها" is "its positions", "فرقه" "its teams".
    static func isFrequentArabicWordWithSuffix(_ t: String) -> Bool {
        // A feminine noun writes its ة as ت before the suffix: "قريته" is قرية, "his village".
        func frequent(with suffix: String) -> Bool {
            guard t.hasSuffix(suffix), t.count > suffix.count + 2 else { return false }
            let stem = String(t.dropLast(suffix.count))
            if arabicWords.contains(stem) { return true }
            guard stem.hasSuffix("\u{062A}") else { return false }
            let feminine = String(stem.dropLast()) + "\u{0629}"
            return arabicWords.contains(feminine) || arabicCues.contains(feminine) || arabicPlaceNouns.contains(feminine)
        }
        if arabicSuffixes.contains(where: frequent(with:)) { return true }
        // "أمسية" is an evening; "الأعظمية" is Adhamiyah.
        return !t.hasPrefix(Self.arabicArticle) && arabicNisbaSuffixes.contains(where: frequent(with:))
    }

    /// Whether the bytes [end, start) are one hyphen or dash (‐ ‑ – —) and nothing else; with
    /// `spaced`, also one between two spaces ("دمشق - درعا").
    static func joinedByDash(_ source: Span<UInt8>, _ end: Int32, _ start: Int32, spaced: Bool = false) -> Bool {
        var between = source.extracting(source.gap(from: end, to: start))
        if spaced, between.count >= 3, between[0] == 0x20, between[between.count - 1] == 0x20 { between = between.extracting(1..<(between.count - 1)) }
        let e = 0
        // U+2010, U+2011, U+2013, U+2014 are E2 80 90|91|93|94.
        return (between.count == 1 && between[e] == 0x2D)
            || (between.count == 3 && between[e] == 0xE2 && between[e + 1] == 0x80 && [0x90, 0x91, 0x93, 0x94].contains(between[e + 2]))
    }

    /// Whether an Arabic phrase (its key, and the bytes [start, end) as written) is no name the
    /// gazetteer has as so written: no key matches, or only a name the matcher wants spelt as
    /// recorded matches, spelt otherwise ("الدبس" where GeoNames records Dibis as "دبس"; it is then
    /// flagged with that name as a suggestion, not passed in silence). Not a known non-place.
    private func isUnknownArabicName(_ key: String, _ source: Span<UInt8>, _ start: Int32, _ end: Int32, oneWord: Bool) -> Bool {
        guard !key.isEmpty, !Self.knownNonPlaces.contains(key) else { return false }
        guard let k = index.keyIndex(ofKey: key) else { return true }
        return index.needsRecordedSpelling(oneWord: oneWord, key: k) && !scanner.isRecorded(source.extracting(source.gap(from: start, to: end)), key: k)
    }

    /// The last word of an Arabic dateline that opens at word k: one or two Arabic words, spaces
    /// between, opening their line (spaces before at most) and followed by a spaced dash.
    private func datelineEnd(from k: Int, _ source: Span<UInt8>) -> Int? {
        guard k + 1 < words.count, opensLine(at: Int(words[k].start), source) else { return nil }
        for last in k...min(k + 1, words.count - 2) {
            guard isArabicWord(source, last), last == k || words[last].has(Word.phraseJoin) else { return nil }
            if Self.joinedByDash(source, words[last].end, words[last + 1].start, spaced: true) { return last }
        }
        return nil
    }

    /// Whether byte `start` opens its line: only spaces, tabs and Markdown's markers (* # >) before
    /// it, back to a line feed, or back to the block's start when the block opens a line
    /// (``blockOpensLine``: not where a line longer than a block was cut).
    func opensLine(at start: Int, _ text: Span<UInt8>) -> Bool {
        var b = start - 1
        while b >= 0, text[b] == 0x20 || text[b] == 0x09 || text[b] == 0x2A || text[b] == 0x23 || text[b] == 0x3E { b -= 1 }
        return b < 0 ? blockOpensLine : text[b] == 0x0A
    }

    /// Whether Arabic word k follows word k - 1 as the next name of a list: joined by spaces and
    /// opening with و ("هجين والشعفة"), or after one comma, Arabic or Latin ("كفرنبل، الهبيط").
    private func listedAfterPrevious(_ k: Int, _ word: String, _ source: Span<UInt8>) -> Bool {
        guard k > 0, k < words.count else { return false }
        if words[k].has(Word.phraseJoin) { return word.unicodeScalars.first == "\u{0648}" }
        return Self.commas(between: words[k - 1].end, and: words[k].start, source) == 1
    }

    /// Whether the word after word k is the next name of a list (``listedAfterPrevious(_:_:_:)``):
    /// after a comma, a list goes on only then ("الطيانة، ذيبان، الشحيل"; not "X، افتتحت المدرسة").
    private func listGoesOn(after k: Int, _ source: Span<UInt8>) -> Bool {
        k + 1 < words.count && listedAfterPrevious(k + 1, Self.string(source, words[k + 1].start, words[k + 1].end), source)
    }

    /// Whether Arabic word k, a frequent word but not one of the most common, is followed by و joined
    /// to a mention: the first name of a pair after a cue, "بين الدبس وداقوق" (between Dibis and
    /// Daquq; الدبس is also "molasses").
    private func beforeAListedPlace(_ k: Int, _ word: String, _ source: Span<UInt8>, covered: [Bool]) -> Bool {
        guard k + 1 < words.count, covered[k + 1], words[k + 1].has(Word.phraseJoin), isArabicWord(source, k + 1),
            Self.arabicWords.contains(word), !Self.arabicCommonWords.contains(word)
        else { return false }
        return Self.string(source, words[k + 1].start, words[k + 1].end).unicodeScalars.first == "\u{0648}"
    }

    /// Whether Arabic word k follows a word that opens an organisation's name, spaces between: "شبكة
    /// عين الفرات" is the Ain al-Furat network, an outlet.
    private func afterOrganisationWord(_ k: Int, _ source: Span<UInt8>) -> Bool {
        guard k > 0, words[k].has(Word.phraseJoin), isArabicWord(source, k - 1) else { return false }
        return Self.opensOrganisationName(Self.string(source, words[k - 1].start, words[k - 1].end))
    }

    /// An unknown Arabic name after a locative preposition ("في", "قرب", "باتجاه" …, also with a
    /// proclitic: "وفي"): the diagnostic and the phrase's last word.
    func arabicUnknown(at i: Int, _ source: Span<UInt8>, covered: [Bool], lastFlagged: Int, base: Int) -> ((Diagnostic, FixProposal?), Int)? {
        guard !Self.arabicCues.isEmpty, isArabicWord(source, i) else { return nil }
        let cue = Self.string(source, words[i].start, words[i].end)
        let common = Self.isFrequentArabicWord
        // A dateline: one or two words opening a line before a spaced dash ("سرمدا - وصلت قافلة").
        // (Not a frequent word, nor a byline: "وكالات - ", "عاجل - ", "مراسلنا - " open no town's name.)
        if !covered[i], let last = datelineEnd(from: i, source),
            (i...last).allSatisfy({ k in
                let word = Self.string(source, words[k].start, words[k].end)
                return !covered[k] && !common(word) && !Self.arabicBylineWords.contains(word) && !Self.endsInPronoun(word)
            })
        {
            let text = Self.string(source, words[i].start, words[last].end)
            let key = NameKey.key(text)
            if text.unicodeScalars.count >= 3, isUnknownArabicName(key, source, words[i].start, words[last].end, oneWord: last == i) {
                return (unknownDiagnostic(text, key: key, start: words[i].start, end: words[last].end, base: base), last)
            }
        }
        // In a list: "هجين والشعفة" — a name joined by و to a place before it, or after a comma
        // ("كفرنبل، الهبيط، وكفرسجنة").
        // (After a comma, the list must go on after the word: "X، افتتحت المدرسة" is a new clause.)
        let waw = cue.unicodeScalars.first == "\u{0648}"
        if i > 0, covered[i - 1] || lastFlagged == i - 1, listedAfterPrevious(i, cue, source),
            words[i].has(Word.phraseJoin) || listGoesOn(after: i, source),
            let rest = waw ? Self.withoutProclitic(cue) : (rest: cue, bytes: 0), rest.rest.unicodeScalars.count >= 3, !common(rest.rest), !common(cue),
            !Self.isArabicPlaceWord(rest.rest), !Self.rules.hasShape(rest.rest, of: .arabicNonNameShapes)
        {
            let key = NameKey.key(rest.rest)
            if isUnknownArabicName(key, source, words[i].start + Int32(rest.bytes), words[i].end, oneWord: true) {
                return (unknownDiagnostic(rest.rest, key: key, start: words[i].start + Int32(rest.bytes), end: words[i].end, base: base), i)
            }
        }
        // The first names of a list that ends in a place: "اللطامنة وكفرزيتا ومورك" (al-Lataminah,
        // Kafr Zita and Morek), where each word after the first opens with و and the last is a
        // mention. (The forward rule above then flags the others.)
        if !covered[i], cue.unicodeScalars.count >= 3, !common(cue), !Self.endsInPronoun(cue), cue.unicodeScalars.first != "\u{0648}",
            !Self.rules.hasShape(cue, of: .arabicNonNameShapes)
        {
            var j = i + 1
            while j < words.count, j - i <= 4, isArabicWord(source, j) {
                let next = Self.string(source, words[j].start, words[j].end)
                guard listedAfterPrevious(j, next, source), !common(next) else { break }
                // A place after a comma ends a list only when the list goes on after it ("الطيانة، ذيبان،
                // الشحيل"; not "بعد القصف العنيف، دوما تحت الحصار").
                if covered[j], !words[j].has(Word.phraseJoin), !listGoesOn(after: j, source) { break }
                if covered[j] {
                    let key = NameKey.key(cue)
                    if isUnknownArabicName(key, source, words[i].start, words[i].end, oneWord: true) {
                        return (unknownDiagnostic(cue, key: key, start: words[i].start, end: words[i].end, base: base), i)
                    }
                    break
                }
                j += 1
            }
        }
        // The other end of a pair joined by a dash to a place: "طريق الحسكة–الشدادي" (the Hasakah–Shaddadi road).
        if i > 0, covered[i - 1] || lastFlagged == i - 1, Self.joinedByDash(source, words[i - 1].end, words[i].start), isArabicWord(source, i - 1),
            cue.unicodeScalars.count >= 3, !common(cue)
        {
            let key = NameKey.key(cue)
            if isUnknownArabicName(key, source, words[i].start, words[i].end, oneWord: true) {
                return (unknownDiagnostic(cue, key: key, start: words[i].start, end: words[i].end, base: base), i)
            }
        }
        // A word that opens with a name prefix, wherever it stands, a proclitic allowed: "شهدت
        // كفرنبودة قصفاً", "وكفرسجنة".
        if !covered[i], !common(cue), !Self.endsInPronoun(cue),
            let name = Self.opensWithNamePrefix(cue) ? (rest: cue, bytes: 0) : Self.withoutProclitic(cue).flatMap({ Self.opensWithNamePrefix($0.rest) ? $0 : nil }),
            !common(name.rest)
        {
            let key = NameKey.key(name.rest)
            let start = words[i].start + Int32(name.bytes)
            if isUnknownArabicName(key, source, start, words[i].end, oneWord: true) {
                return (unknownDiagnostic(name.rest, key: key, start: start, end: words[i].end, base: base), i)
            }
        }
        // A name head and the word after it: "استعادت تل ملح" flags تل ملح (not a mention of ملح).
        if !covered[i], let proclitic = Self.nameHeadProclitic(cue), i + 1 < words.count, !covered[i + 1], words[i + 1].has(Word.phraseJoin),
            isArabicWord(source, i + 1), !afterOrganisationWord(i, source)
        {
            let second = Self.string(source, words[i + 1].start, words[i + 1].end)
            let start = words[i].start + Int32(proclitic)
            let text = Self.string(source, start, words[i + 1].end)
            let key = NameKey.key(text)
            let head = String(String.UnicodeScalarView(cue.unicodeScalars.dropFirst(proclitic > 0 ? 1 : 0)))
            // After a strong head, or any head right after a place noun ("معبر باب السلامة", the Bab
            // al-Salama crossing), a frequent word with the article is the name's second word.
            let afterPlaceNoun = proclitic == 0 && i > 0 && words[i].has(Word.phraseJoin) && isArabicWord(source, i - 1)
                && Self.isArabicPlaceNoun(Self.string(source, words[i - 1].start, words[i - 1].end))
            let definiteAfterStrongHead = (Self.arabicStrongNameHeads.contains(head) || afterPlaceNoun) && second.hasPrefix(Self.arabicArticle) && !Self.arabicCues.contains(second)
            // So is a frequent word after a strong head in a list of places ("باب التبانة وجبل محسن"; not
            // after another head: "حلب وباب المدرسة" is Aleppo and the school's door).
            let listedAfterStrongHead = Self.arabicStrongNameHeads.contains(head) && !Self.arabicCues.contains(second)
                && i > 0 && (covered[i - 1] || lastFlagged == i - 1) && listedAfterPrevious(i, cue, source)
            if second.unicodeScalars.count >= 3, !common(second) || definiteAfterStrongHead || listedAfterStrongHead,
                isUnknownArabicName(key, source, start, words[i + 1].end, oneWord: false)
            {
                return (unknownDiagnostic(text, key: key, start: start, end: words[i + 1].end, base: base), i + 1)
            }
        }
        guard let bareCue = Self.arabicCue(at: i, source, words.span), !Self.closesPlaceOrganisationName(at: i, source, words.span) else { return nil }
        let j = i + 1
        guard j < words.count, !covered[j], words[j].has(Word.phraseJoin), isArabicWord(source, j) else { return nil }
        let word = Self.string(source, words[j].start, words[j].end)
        // A title and the word after it: "وفي الشيخ مقصود" (and in Sheikh Maqsoud), whatever the words.
        if Self.arabicTitleHeads.contains(word), !Self.arabicPersonCues.contains(bareCue), j + 1 < words.count, !covered[j + 1], words[j + 1].has(Word.phraseJoin), isArabicWord(source, j + 1),
            words[j + 1].end - words[j + 1].start >= 6
        {
            let text = Self.string(source, words[j].start, words[j + 1].end)
            let key = NameKey.key(text)
            guard isUnknownArabicName(key, source, words[j].start, words[j + 1].end, oneWord: false) else { return nil }
            return (unknownDiagnostic(text, key: key, start: words[j].start, end: words[j + 1].end, base: base), j + 1)
        }
        // (A name head or place noun alone is a noun: "على تلة استراتيجية", on a strategic hill.)
        let constructName = Self.arabicConstructNouns.contains(bareCue) && Self.namesPlaceAfterConstructNoun(word)
            || beforeAListedPlace(j, word, source, covered: covered)
        // An indefinite nisba after a place noun agrees with it: "مخيم عشوائي" (a makeshift camp). (Not
        // the feminine ية, which many names end in: "معبر جوسية".) So does a word of an adjective's
        // shape ("بلدة مجاورة"); and a verbal noun is an action after any cue ("في إطفاء الحرائق").
        if Self.arabicPlaceNouns.contains(bareCue), !word.hasPrefix(Self.arabicArticle),
            (word.unicodeScalars.count >= 4 && word.hasSuffix("\u{064A}")) || Self.rules.hasShape(word, of: .arabicAdjectiveShapes)
        {
            return nil
        }
        // After a plural of places, an indefinite word in ية is the plural's adjective: "مناطق صحراوية".
        if Self.arabicPluralPlaceNouns.contains(bareCue), !word.hasPrefix(Self.arabicArticle), word.hasSuffix("\u{064A}\u{0629}") {
            return nil
        }
        if Self.rules.hasShape(word, of: .arabicNonNameShapes) {
            return nil
        }
        // (Nor does a cue make a place of an organisation's name: "من عشيرة العكيدات", of the Aqidat tribe.)
        guard word.unicodeScalars.count >= 3, !common(word) || constructName, !Self.endsInPronoun(word), !Self.isArabicPlaceWord(word),
            !Self.isOrganisationWord(word)
        else { return nil }
        var last = j
        if j + 1 < words.count, !covered[j + 1], words[j + 1].has(Word.phraseJoin), isArabicWord(source, j + 1), !word.hasPrefix(Self.arabicArticle) {
            let next = Self.string(source, words[j + 1].start, words[j + 1].end)
            if next.hasPrefix(Self.arabicArticle), next.unicodeScalars.count >= 4, !common(next), !Self.isAdjectiveOfAFrequentNoun(next) { last = j + 1 }
        }
        let text = Self.string(source, words[j].start, words[last].end)
        let key = NameKey.key(text)
        guard isUnknownArabicName(key, source, words[j].start, words[last].end, oneWord: last == j) else { return nil }
        return (unknownDiagnostic(text, key: key, start: words[j].start, end: words[last].end, base: base), last)
    }

    /// The shapes of the words ``procliticCandidates(_:_:taken:)`` looks at.
    private static let procliticOrAbbreviationShapes: WordShape = [Word.allCaps, Word.nonASCII]

    /// Candidates the matcher cannot see: an Arabic name with an attached proclitic ("وحماة" is
    /// "and Hama", "بحمص" "in Homs"), as the name without it (one or two words), where no
    /// mention already covers the word. `taken` is in text order.
    func procliticCandidates(_ source: Span<UInt8>, _ words: Span<Word>, taken: [Found]) -> [Candidate] {
        guard !Self.arabicProclitics.isEmpty else { return [] }
        var out: [Candidate] = []
        var t = 0
        var w = 0
        func free(_ k: Int) -> Bool {
            while t < taken.count, taken[t].candidate.last < k { t += 1 }
            return !(t < taken.count && taken[t].candidate.first <= k)
        }
        while w < words.count {
            // Most words are neither in capitals nor non-ASCII: passed over at once.
            guard words[w].has(Self.procliticOrAbbreviationShapes) else {
                w += 1
                continue
            }
            defer { w += 1 }
            let word = words[w]
            // An abbreviation in capitals ("US", "UAE") of a name the gazetteer has.
            if word.has(Word.allCaps), word.end - word.start <= 4, !Self.abbreviations.isEmpty, free(w),
                let name = Self.abbreviations[Self.string(source, word.start, word.end)], let k = index.keyIndex(of: name)
            {
                // Taken as written, like a curated name (`bundled`): the rulebook vouches for it.
                out.append(Candidate(first: w, last: w, start: word.start, end: word.end, key: k, bundled: true))
                continue
            }
            guard word.has(Word.nonASCII), word.end - word.start >= 6, Self.opensWithProclitic(source, at: Int(word.start)), free(w) else { continue }
            let whole = Self.string(source, word.start, word.end)
            var rest = whole
            var prefix = 0
            for _ in 0..<2 {
                guard let stripped = Self.withoutProclitic(rest) else { break }
                rest = stripped.rest
                prefix += stripped.bytes
                let start = word.start + Int32(prefix)
                if w + 1 < words.count, words[w + 1].has(Word.phraseJoin), Self.isArabicWord(source, words, w + 1) {
                    let two = rest + " " + Self.string(source, words[w + 1].start, words[w + 1].end)
                    if let k = index.keyIndex(ofKey: key(two)) {
                        out.append(Candidate(first: w, last: w + 1, start: start, end: words[w + 1].end, key: k, bundled: index.keys[Int(k)].bundled))
                        w += 1
                        break
                    }
                }
                if let k = index.keyIndex(ofKey: key(rest)) {
                    // A frequent word, also with a pronoun suffix, is that word, not a proclitic and a
                    // name: "فرقه" is "its teams", not "ف" and "رقه"; "بصدد" is "regarding", not "ب"
                    // and Sadad. (The list leaves out countries behind a proclitic: "ولبنان" is "and
                    // Lebanon"; make_word_lists.py.)
                    if Self.arabicWords.contains(whole) || Self.isFrequentArabicWordWithSuffix(whole) { break }
                    out.append(Candidate(first: w, last: w, start: start, end: word.end, key: k, bundled: index.keys[Int(k)].bundled))
                    break
                }
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
