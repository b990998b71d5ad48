import ConvoyScan

extension ReportChecker {
    /// Whether the name at words [first, last] is a sports team's by what stands around it
    /// (docs/check.md, "Teams"; the words are the rulebook's `sports-words`, `sports-links`,
    /// `sports-people`, `sports-verbs` and `team-words`): right after a link word that follows a
    /// fixture word, a team word, a team's person or a score ("a match against Al-Karamah", "drew
    /// 2-2 with Iran", "a midfielder of Al-Wahda"); beside a result verb ("Al-Ahed beat Nejmeh",
    /// "Al-Jazeera v Al-Wehdat") or a verb and a score ("Al-Wathba lost 1-0"); right before a team's
    /// person ("Al-Karamah coach"); beside a score ("Jordan 2-0 Syria"; not a name after "of"); an
    /// article name before "of" and a name ("Al-Wahda of Damascus"); or before an apposition headed
    /// by a team word ("Al-Taliya, the Hama football club,"); in a score sheet's line ("Nejmeh 1
    /// Al-Ahed 3"); as a word with a team suffix ("Trabzonspor", `team-suffixes`); right after an
    /// Arabic result verb or a link after one ("تعادل جبلة مع حطين"; `arabic-sports-verbs`,
    /// `arabic-sports-links`); or as a name of a pair whose other name is a team's by one of these
    /// ("against Al-Quwa Al-Jawiya and Al-Zawraa", "Al-Ittihad and Al-Horriya drew"), or after a
    /// name that ends in a team word ("Duhok SC and Zakho"). The caller
    /// applies it to names the curated and country layers do not have: a country's name stands for
    /// its team as a place name all the same ("Syria drew with Iran").
    func namesTeam(first: Int, last: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        if namesTeamByItsOwnContext(first: first, last: last, source, words) || firstOfAPairOfTeams(last: last, source, words) { return true }
        // The second name of a list whose first is a team's: "against Al-Quwa Al-Jawiya and Al-Zawraa".
        guard first >= 2, words[first].has(Word.phraseJoin), words[first - 1].has(Word.lower), words[first - 1].isAny(.listJoiner),
            words[first - 1].has(Word.phraseJoin), words[first - 2].has(Word.capital)
        else { return false }
        // The first ends in a team word written in capitals: "Duhok SC and Zakho" (not "the Emergency Team and Zakho").
        if words[first - 2].isAny(.team), words[first - 2].has(Word.allCaps) { return true }
        return namesTeamByItsOwnContext(first: Self.startOfName(endingAt: first - 2, words), last: first - 2, source, words)
    }

    /// How far from a name the signs of a sports story are sought, in words, and how many make one.
    static let sportsStoryReach = 60, sportsStorySigns = 3

    /// Whether the words around [first, last] (``sportsStoryReach`` before and after) hold
    /// ``sportsStorySigns`` distinct signs of a sports story, one of them strong: a lower-case word
    /// of `sports-story-words` or a score ("2-1"); the others may be fixture, team, people or result
    /// words ("team", "supporters", "final" alone are war news too).
    func inSportsStory(first: Int, last: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        var seen: Set<String> = []  // the signs as written (a score as ""): each counts once
        var strong = false
        let sportsClasses = WordClass.sports | WordClass.team | WordClass.sportsPerson | WordClass.sportsVerb | WordClass.sportsStory
        for k in max(0, first - Self.sportsStoryReach)..<min(words.count, last + 1 + Self.sportsStoryReach) where k < first || k > last {
            let w = words[k]
            let start = Int(w.start)
            if w.has(Word.lower), w.isAny(sportsClasses) {
                seen.insert(Self.string(source, w.start, w.end))
                if w.isAny(.sportsStory) { strong = true }
            } else if start > 0, Self.isDigit(source[start]), Self.scoreStarts(at: start - 1, source) != nil {
                seen.insert("")  // a score, "2-1" (one or two digits a side: "2011-2012" is none)
                strong = true
            }
            if strong, seen.count >= Self.sportsStorySigns { return true }
        }
        return false
    }

    /// Whether words [first, last] are an "Al-" name: a capitalised article hyphened to a capitalised word.
    static func isCapitalisedArticleName(first: Int, last: Int, _ words: Span<Word>) -> Bool {
        last == first + 1 && words[first].isArticle && words[first].has(Word.capital) && words[last].has(Word.hyphenBefore) && words[last].has(Word.capital)
    }

    /// The first word of the name of up to five words that ends at word `last`: each word before
    /// joined by spaces and capitalised, or an article hyphened to the word after it ("Al-Quwa Al-Jawiya").
    private static func startOfName(endingAt last: Int, _ words: Span<Word>) -> Int {
        var start = last
        while start > 0, last - start < 4, words[start].has(Word.phraseJoin),
            words[start - 1].has(Word.capital) || (words[start - 1].isArticle && words[start].has(Word.hyphenBefore))
        {
            start -= 1
        }
        return start
    }

    /// The last word of the name of up to five words that opens at word `first`: each word after
    /// joined by spaces and capitalised, or hyphened to the word before ("Al-Quwa Al-Jawiya").
    private static func endOfName(from first: Int, _ words: Span<Word>) -> Int {
        var end = first
        while end + 1 < words.count, end - first < 4, words[end + 1].has(Word.phraseJoin), words[end + 1].has(Word.capital) || words[end + 1].has(Word.hyphenBefore) {
            end += 1
        }
        return end
    }

    /// The first name of a pair whose second is a team's by its own context: "Al-Ittihad and
    /// Al-Horriya drew 0-0", "Trabzonspor and Gaziantepspor were …".
    private func firstOfAPairOfTeams(last: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        let n = words.count
        guard last + 2 < n, words[last + 1].has(Word.phraseJoin), words[last + 1].has(Word.lower), words[last + 1].isAny(.listJoiner),
            words[last + 2].has(Word.phraseJoin), words[last + 2].has(Word.capital)
        else { return false }
        return namesTeamByItsOwnContext(first: last + 2, last: Self.endOfName(from: last + 2, words), source, words)
    }

    private func namesTeamByItsOwnContext(first: Int, last: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        let n = words.count
        let before = first > 0 && words[first].has(Word.phraseJoin) && words[first - 1].has(Word.lower) ? first - 1 : -1
        let after = last + 1 < n && words[last + 1].has(Word.phraseJoin) && words[last + 1].has(Word.lower) ? last + 1 : -1
        if before >= 0, words[before].isAny(.sportsLink) {
            if before > 0, words[before].has(Word.phraseJoin), words[before - 1].isAny(WordClass.sports | WordClass.team | WordClass.sportsPerson) { return true }
            if Self.scoreEnds(before: Int(words[before].start), source) { return true }
        }
        if before >= 0, words[before].isAny(.sportsVerb) { return true }
        // A name after a locative cue or "of" is where the verb's subject is, not the subject:
        // "Police in Mosul beat his brother", "Residents of Rastan drew in water".
        let afterCueOrOf = before >= 0 && words[before].isAny(WordClass.cue | WordClass.of)
        if after >= 0, !afterCueOrOf, words[after].isAny(.sportsVerb), !undoneByTheWordAfter(after, source, words), continuesAResult(after, source, words) { return true }
        if after >= 0, words[after].isAny(.sportsPerson), !undoneByTheWordAfter(after, source, words) { return true }
        // A verb and a score after the name: "Al-Wathba lost 1-0 to Al-Karamah".
        if after >= 0, let end = Self.scoreStarts(at: Int(words[after].end), source), scoreEndsAClause(end, from: after, source, words) { return true }
        if Self.scoreEnds(before: Int(words[first].start), source) { return true }
        // "Al-Wahda of Damascus": a name opening with an article, then "of" and a capitalised name.
        if words[first].isArticle, last + 2 < n, words[last + 1].has(Word.phraseJoin), words[last + 1].has(Word.lower), words[last + 1].isAny(.of),
            words[last + 2].has(Word.phraseJoin), words[last + 2].has(Word.capital)
        {
            return true
        }
        let afterOf = before >= 0 && words[before].isAny(.of)
        if !afterOf, let end = Self.scoreStarts(at: Int(words[last].end), source), scoreEndsAClause(end, from: last, source, words) { return true }
        if inAScoreLine(first: first, last: last, source, words) { return true }
        if (first...last).contains(where: { hasTeamSuffix($0, source, words) }) { return true }
        if namesTeamInArabic(first: first, source, words) { return true }
        return appositionHeadedByTeamWord(after: last, source, words)
    }

    /// Whether the word after word k (a result verb or a team's people word after a name) gives it
    /// another sense (`not-sports-objects`: "Zakho plays host to", "Rastan plays a key role").
    private func undoneByTheWordAfter(_ k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard k + 1 < words.count, words[k + 1].has(Word.phraseJoin), words[k + 1].has(Word.lower), !Self.notSportsObjects.isEmpty else { return false }
        return Self.notSportsObjects.contains(Self.string(source, words[k + 1].start, words[k + 1].end).lowercased())
    }

    /// Whether what follows the result verb at word k reads as a result: the text's end or
    /// punctuation, a number, a capitalised name (no demonym or other `not-place-words`), or a
    /// lower-case word of `sports-verb-objects` ("beat Nejmeh", "drew 0-0", "drew with", "play
    /// again"); not "drew builders", "drew Turkish builders", "beat the heat".
    private func continuesAResult(_ k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard k + 1 < words.count, words[k + 1].has(Word.phraseJoin) else { return true }
        guard words[k + 1].has(Word.lower) else { return !words[k + 1].isAny(.notPlace) }
        return Self.sportsVerbObjects.contains(Self.string(source, words[k + 1].start, words[k + 1].end).lowercased())
    }

    /// A line of a score sheet: each team's name followed by its goals, "Nejmeh 1 Al-Ahed 3",
    /// "Al-Zawraa 0 Al-Quwa Al-Jawiya 1" — the name between a number and a number, with a
    /// capitalised name before the first; or before a number, a capitalised name and a number.
    private func inAScoreLine(first: Int, last: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        let n = words.count
        // A word of one or two digits, joined by spaces to the word before.
        func goals(_ k: Int) -> Bool {
            guard k >= 0, k < n, words[k].has(Word.phraseJoin) else { return false }
            return Self.digitsForward(from: Int(words[k].start), source) == Int(words[k].end)
        }
        // A word after the last number, spaces between: the line goes on, a tally or a count rather
        // than a score ("Deaths by town: Rastan 3 Talbiseh 5 Kafr Nabudah 2", "On August 12 Rastan 3
        // civilians were killed", "Route 5 Talbiseh 2 times").
        func goesOn(after k: Int) -> Bool { k + 1 < n && words[k + 1].has(Word.phraseJoin) }
        guard goals(last + 1) else { return false }
        // The second team: a number, a capitalised name and this name's number, no name after it and
        // no number before the first team's name.
        if first >= 2, words[first].has(Word.phraseJoin), goals(first - 1), words[first - 2].has(Word.capital) {
            return !goesOn(after: last + 1) && !goals(Self.startOfName(endingAt: first - 2, words) - 1)
        }
        // The first team: this name's number, then a capitalised name of up to five words and its number.
        let other = last + 2
        guard other < n, words[other].has(Word.phraseJoin), words[other].has(Word.capital) else { return false }
        let end = Self.endOfName(from: other, words)
        return goals(end + 1) && !goesOn(after: end + 1) && !(first > 0 && words[first].has(Word.phraseJoin) && goals(first - 1))
    }

    /// Whether word k is a capitalised word that ends in a team suffix (`team-suffixes`: "Trabzonspor").
    private func hasTeamSuffix(_ k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard words[k].has(Word.capital), !Self.teamSuffixes.isEmpty else { return false }
        let start = Int(words[k].start), end = Int(words[k].has(Word.possessive) ? words[k].altEnd : words[k].end)
        // Bytes, not a String: this runs for every GeoNames-only candidate. The entries are lower
        // case; a capital ASCII letter of the text is folded (other bytes must be equal). The bytes
        // read lie in the word, start..<end, inside `source` (the guard keeps end - count ≥ start;
        // RulebookTests.theClubRulesAtTheTextsEdges).
        return Self.teamSuffixes.contains { suffix in
            guard end - start >= suffix.count + 3 else { return false }
            return suffix.indices.allSatisfy { i in
                let b = source[end - suffix.count + i]
                return b == suffix[i] || (b >= 0x41 && b <= 0x5A && b | 0x20 == suffix[i])
            }
        }
    }

    /// An Arabic name right after a result verb with a link after it ("تعادل جبلة مع", "وفاز زاخو
    /// على"), or after a link that follows one within four words ("تعادل نفط الوسط مع أربيل").
    private func namesTeamInArabic(first: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard first > 0, words[first].has(Word.phraseJoin), Self.isArabicWord(source, words, first), Self.isArabicWord(source, words, first - 1), !Self.arabicSportsVerbs.isEmpty else { return false }
        func text(_ k: Int) -> String { Self.string(source, words[k].start, words[k].end) }
        func isVerb(_ word: String) -> Bool {
            Self.arabicSportsVerbs.contains(word) || Self.withoutProclitic(word).map { Self.arabicSportsVerbs.contains($0.rest) } == true
        }
        // Right after the verb, a link must follow within four words: "تعادل جبلة مع حطين"; not
        // "فازت جبلة بالمرتبة الأولى" (Jableh won first place).
        let wordBefore = text(first - 1)
        if isVerb(wordBefore) {
            var k = first + 1
            while k < words.count, k <= first + 4, words[k].has(Word.phraseJoin), Self.isArabicWord(source, words, k) {
                if Self.arabicSportsLinks.contains(text(k)) { return true }
                k += 1
            }
            return false
        }
        guard Self.arabicSportsLinks.contains(wordBefore) else { return false }
        // Back to the verb over the first team's name: no other link, cue or word opening with و
        // between ("تغلب السكان على الحصار المفروض على الرستن", "هزمت القوات المسلحين في هجوم على
        // تلبيسة", "هزم الجيش التنظيم وسيطر على الرستن" name places).
        var k = first - 2
        while k >= 0, k >= first - 6, words[k + 1].has(Word.phraseJoin), Self.isArabicWord(source, words, k) {
            let word = text(k)
            if isVerb(word) { return true }
            if Self.arabicSportsLinks.contains(word) || Self.arabicCues.contains(word) || word.unicodeScalars.first == "\u{0648}" { return false }
            k -= 1
        }
        return false
    }

    /// "X, the|a|an … W" with W a team word within four words of the article, followed by
    /// punctuation, the text's end or a lower-case word that is no list joiner; a comma and spaces
    /// are all that stand between X and the article.
    private func appositionHeadedByTeamWord(after last: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard let article = appositionArticle(after: last, source, words) else { return false }
        let n = words.count
        var k = article + 1
        while k < n, k <= article + 4, words[k].has(Word.phraseJoin), !words[k].isAny(.of) {
            if words[k].isAny(.team), !words[k].has(Word.possessive) {
                guard k + 1 < n, words[k + 1].has(Word.phraseJoin) else { return true }
                return words[k + 1].has(Word.lower) && !words[k + 1].isAny(WordClass.listJoiner | WordClass.connector)
            }
            k += 1
        }
        return false
    }

    /// Whether the name ending at word `last` is a person's by the apposition after it: "X, the|a|an
    /// … T" with T a title of the rulebook (`titles`) within three words of the article, no
    /// designator before it ("Gwer, a town whose mayor"), and after T punctuation, the text's end or
    /// "of", "for", "from", "at", "in", "to", "with", "who" and then punctuation within six words,
    /// before any verb of saying ("Hoshyar Zebari, a former minister from Duhok,", "Ali Hussein, the
    /// governor of Kirkuk,"; not "in Gwer, the mayor said", nor "Kafr Zita, the governor of Hama said").
    func appositionHeadedByTitle(after last: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard let article = appositionArticle(after: last, source, words) else { return false }
        let n = words.count
        var k = article + 1
        while k < n, k <= article + 3, words[k].has(Word.phraseJoin), !words[k].isAny(WordClass.designator | WordClass.of) {
            if words[k].isAny(.title), words[k].has(Word.lower), !words[k].has(Word.possessive) {
                guard k + 1 < n, words[k + 1].has(Word.phraseJoin) else { return true }
                let next = Self.string(source, words[k + 1].start, words[k + 1].end).lowercased()
                guard Self.wordsAfterAPersonsRole.contains(next) else { return false }
                // Closed by punctuation within six words, before any verb of saying: "X, the governor of
                // Nineveh, agreed" is a person; "Kafr Zita, the governor of Hama said" is a place.
                var j = k + 2
                while j < n, j <= k + 7 {
                    if !words[j].has(Word.phraseJoin) { return true }
                    if words[j].isAny(.speech) { return false }
                    j += 1
                }
                return j >= n
            }
            k += 1
        }
        return false
    }

    /// The words that may follow a title heading an apposition ("a former minister from Duhok").
    private static let wordsAfterAPersonsRole: Set<String> = ["of", "for", "from", "at", "in", "to", "with", "who"]

    /// The article opening an apposition after word `last` ("X, the …", "X, a …"): a comma and
    /// spaces are all that stand between them.
    private func appositionArticle(after last: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Int? {
        let article = last + 1
        guard article < words.count, !words[article].has(Word.phraseJoin), words[article].has(Word.lower) else { return nil }
        var commas = 0
        for i in source.gap(from: words[last].end, to: words[article].start) {
            switch source[i] {
            case UInt8(ascii: ","): commas += 1
            case 0x20, 0x09: continue
            default: return nil
            }
        }
        guard commas == 1, words[article].isAny(.the) || Self.isIndefiniteArticle(source, words[article]) else { return nil }
        return article
    }

    private static func isIndefiniteArticle(_ source: Span<UInt8>, _ w: Word) -> Bool {
        let length = Int(w.end) - Int(w.start), s = Int(w.start)
        if length == 1 { return source[s] | 0x20 == UInt8(ascii: "a") }
        return length == 2 && source[s] | 0x20 == UInt8(ascii: "a") && source[s + 1] | 0x20 == UInt8(ascii: "n")
    }

    // MARK: - Scores

    /// Whether a score — one or two digits, a hyphen or an en dash, one or two digits ("2-1",
    /// "0–0") — ends right before byte `i`, with only spaces between.
    static func scoreEnds(before i: Int, _ s: Span<UInt8>) -> Bool {
        var k = i
        while k > 0, s[k - 1] == 0x20 { k -= 1 }
        guard let dash = digitsBackward(from: k, s), let start = dashBackward(from: dash, s).flatMap({ digitsBackward(from: $0, s) }) else { return false }
        return start == 0 || !ByteClass.isAlnum(s[start - 1])
    }

    /// Where a score that starts at byte `i` (after spaces) ends, or nil when none does.
    static func scoreStarts(at i: Int, _ s: Span<UInt8>) -> Int? {
        var k = i
        while k < s.count, s[k] == 0x20 { k += 1 }
        guard k > i, let dash = digitsForward(from: k, s), let end = dashForward(from: dash, s).flatMap({ digitsForward(from: $0, s) }) else { return nil }
        return end == s.count || !ByteClass.isAlnum(s[end]) ? end : nil
    }

    /// Whether what follows a score that ends at byte `end` (after word `k`) lets it be one: no
    /// lower-case word, or a link or a locative cue ("lost 1-0 to", "won 2-1 in"; "had 10-15 km" is
    /// no score).
    private func scoreEndsAClause(_ end: Int, from k: Int, _ source: Span<UInt8>, _ words: Span<Word>) -> Bool {
        guard Self.lowerCaseWordAt(end, source) else { return true }
        var next = k + 1
        while next < words.count, Int(words[next].start) < end { next += 1 }
        return next < words.count && words[next].isAny(WordClass.sportsLink | WordClass.cue)
    }

    /// Whether a lower-case ASCII word follows byte `i` after spaces ("10-15 km" is no score).
    private static func lowerCaseWordAt(_ i: Int, _ s: Span<UInt8>) -> Bool {
        var k = i
        while k < s.count, s[k] == 0x20 { k += 1 }
        return k > i && k < s.count && s[k] >= UInt8(ascii: "a") && s[k] <= UInt8(ascii: "z")
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The start of one or two digits ending at `end`, or nil.
    private static func digitsBackward(from end: Int, _ s: Span<UInt8>) -> Int? {
        var k = end
        while k > 0, end - k < 3, isDigit(s[k - 1]) { k -= 1 }
        return (1...2).contains(end - k) && !(k > 0 && isDigit(s[k - 1])) ? k : nil
    }

    private static func digitsForward(from start: Int, _ s: Span<UInt8>) -> Int? {
        var k = start
        while k < s.count, k - start < 3, isDigit(s[k]) { k += 1 }
        return (1...2).contains(k - start) && !(k < s.count && isDigit(s[k])) ? k : nil
    }

    /// The start of a hyphen or an en dash (U+2013) ending at `end`, or nil.
    private static func dashBackward(from end: Int, _ s: Span<UInt8>) -> Int? {
        if end >= 1, s[end - 1] == 0x2D { return end - 1 }
        if end >= 3, s[end - 3] == 0xE2, s[end - 2] == 0x80, s[end - 1] == 0x93 { return end - 3 }
        return nil
    }

    private static func dashForward(from start: Int, _ s: Span<UInt8>) -> Int? {
        if start < s.count, s[start] == 0x2D { return start + 1 }
        if start + 2 < s.count, s[start] == 0xE2, s[start + 1] == 0x80, s[start + 2] == 0x93 { return start + 3 }
        return nil
    }
}
