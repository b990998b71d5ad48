import ConvoyGazetteer

extension ReportChecker {
    // MARK: - The automaton walk

    /// Every accepted name in the block, left to right, overlaps settled: the longest match at a
    /// word wins; a match that starts inside another, ends later and has more words (or as many, when the
    /// first starts with a lower-case word) replaces it: "the Golan Heights" is Golan Heights.
    func findCandidates(_ masked: UnsafeBufferPointer<UInt8>, _ source: UnsafeBufferPointer<UInt8>) -> [Candidate] {
        var result: [Candidate] = []
        var pending: Candidate?
        let count = words.count
        var s = 0
        while s < count {
            guard let c = longestMatch(at: s, masked, source) else { s += 1; continue }
            if let p = pending {
                if c.first > p.last {
                    result.append(p)
                    pending = c
                } else if c.last > p.last, c.last - c.first > p.last - p.first || (c.last - c.first == p.last - p.first && words[p.first].has(Word.lower)) {
                    pending = c
                }
            } else {
                pending = c
            }
            s += 1
        }
        if let p = pending { result.append(p) }
        return result
    }

    private func longestMatch(at s: Int, _ masked: UnsafeBufferPointer<UInt8>, _ source: UnsafeBufferPointer<UInt8>) -> Candidate? {
        let count = words.count
        let w = words[s]
        // Cheap rejection: a plain word whose token (and possessive form) starts no name.
        if w.role == .plain, index.child(0, w.token) < 0, index.child(0, w.altToken) < 0 { return nil }
        var needsRecordedText = false
        if w.role == .article {
            // An article opens a name when written as one: al/el/il/ul, hyphened ("as-Sukhnah"), or capitalised
            // and then only if the whole text is a recorded name ("As Sukhnah", not "At Palmyra").
            guard s + 1 < count else { return nil }
            let articleLike = w.cls & WordClass.alForm != 0 || words[s + 1].has(Word.hyphenBefore)
            if !articleLike {
                guard w.has(Word.capital) else { return nil }
                needsRecordedText = true
            }
        }
        var walk = Walk(index: index, start: s)
        words.withUnsafeBufferPointer { w in
            walk.visit(s, 0, 0, w) { abu, next in joinedToken(abu, next, masked) }
        }
        guard var found = walk.best else { return nil }
        // Trim a leading article that the walk skipped but the text does not need ("at Deir …").
        if words[s].role == .article, needsRecordedText, !isRecordedText(found, source) { return nil }
        // A name starting with a lower-case word is taken only when it is a recorded name as written,
        // apart from case, and contains a capital ("western Qalamun", "barren hills of Falita"):
        // this keeps common words and URL slugs out.
        if words[s].has(Word.lower) {
            let hasCapital = (found.first...found.last).contains { words[$0].has(Word.capital) }
            guard hasCapital, isRecordedText(found, source) else { return nil }
        }
        found.start = words[s].start
        return found
    }

    /// The automaton walk from one word: every way the words can spell a key (articles dropped or
    /// kept last, Abu forms joined, possessives), keeping the longest. A struct, so no allocation.
    struct Walk {
        let index: NameIndex
        let start: Int
        var best: Candidate?

        init(index: NameIndex, start: Int) {
            self.index = index
            self.start = start
        }

        mutating func record(_ last: Int, _ end: Int32, _ node: Int32, _ words: UnsafeBufferPointer<Word>) {
            let key = index.key(at: node)
            guard key >= 0 else { return }
            if let b = best, b.last > last || (b.last == last && b.end >= end) { return }
            best = Candidate(first: start, last: last, start: words[start].start, end: end, key: key)
        }

        mutating func visit(_ i: Int, _ node: Int32, _ depth: Int, _ words: UnsafeBufferPointer<Word>, _ join: (Word, Word) -> Int32) {
            let count = words.count
            guard i < count, depth < 24, i == start || words[i].has(Word.spanJoin) else { return }
            let w = words[i]
            switch w.role {
            case .article:
                let c = index.child(node, w.token)
                if c >= 0 { record(i, w.end, c, words) }
                visit(i + 1, node, depth + 1, words, join)
            case .abu:
                let c = index.child(node, w.token)
                if c >= 0 { record(i, w.end, c, words) }
                var j = i + 1
                while j < count, words[j].has(Word.spanJoin) {
                    let next = words[j]
                    let joined = index.child(node, join(w, next))
                    if next.role == .article {
                        if joined >= 0 { record(j, next.end, joined, words) }
                        j += 1
                        continue
                    }
                    if joined >= 0 {
                        record(j, next.end, joined, words)
                        visit(j + 1, joined, depth + 2, words, join)
                    }
                    break
                }
            case .plain:
                if w.has(Word.possessive) {
                    let c = index.child(node, w.altToken)
                    if c >= 0 { record(i, w.altEnd, c, words) }
                }
                let c = index.child(node, w.token)
                if c >= 0 {
                    record(i, w.end, c, words)
                    visit(i + 1, c, depth + 1, words, join)
                }
            }
        }
    }

    /// True when the candidate's text is one of the recorded names with its key, ignoring case.
    private func isRecordedText(_ c: Candidate, _ source: UnsafeBufferPointer<UInt8>) -> Bool {
        let text = NameIndex.folded(Self.string(source, c.start, c.end))
        return index.keyNames[Int(c.key)].contains { index.nameFolded[Int($0)] == text }
    }

    private func joinedToken(_ abu: Word, _ next: Word, _ masked: UnsafeBufferPointer<UInt8>) -> Int32 {
        let a = tokenizer.rawWord(abu, in: masked), b = tokenizer.rawWord(next, in: masked)
        let cacheKey = a + " " + b
        if let hit = joinCache[cacheKey] { return hit }
        let id = index.tokenID(NameKey.joinedAbuToken(abu: a, next: b))
        if joinCache.count > 100_000 { joinCache.removeAll() }
        joinCache[cacheKey] = id
        return id
    }

    static func string(_ p: UnsafeBufferPointer<UInt8>, _ start: Int32, _ end: Int32) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[Int(start)..<Int(end)]), as: UTF8.self)
    }

    // MARK: - From a match to a mention

    /// Builds the mention of a candidate and its diagnostic; nil when the name is part of an
    /// organisation's name ("Yarmouk Martyrs Brigade", "Hayat Tahrir al-Sham"). The replacement is
    /// what `--fix` writes over the candidate's bytes (end offset, canonical name).
    func resolve(_ c: Candidate, _ source: UnsafeBufferPointer<UInt8>, base: Int, state: inout FileState)
        -> (Mention, Diagnostic?, (Int32, String)?)?
    {
        if insideOrganisationName(c, source) { return nil }
        let text = Self.string(source, c.start, c.end)
        let analysis: Analysis
        if index.keyPlaces[Int(c.key)] >= 0 {
            analysis = analyse(text, key: c.key)
        } else if let hit = analysisCache[text], hit.key == c.key {
            analysis = hit
        } else {
            analysis = analyse(text, key: c.key)
            if analysisCache.count > 100_000 { analysisCache.removeAll(keepingCapacity: true) }
            analysisCache[text] = analysis
        }
        let perPlace = analysis.perPlace
        var ranked = analysis.ranked
        var resolution = Mention.Resolution.unique
        var contextCountry: String?
        if ranked.count > 1 {
            // Context: the country most mentioned so far in this report, if exactly one candidate is there.
            let tallies = ranked.map { state.countryTally[index.placeCountries[$0] ?? ""] ?? 0 }
            let top = tallies.max() ?? 0
            if top > 0, tallies.filter({ $0 == top }).count == 1, let winner = tallies.firstIndex(of: top) {
                let chosen = ranked.remove(at: winner)
                ranked.insert(chosen, at: 0)
                resolution = .context
                contextCountry = index.placeCountries[chosen]
            } else {
                resolution = .ranked
            }
        }
        let p = ranked[0]
        let (match, nameKind, n) = perPlace[p]!
        if resolution != .ranked, let country = index.placeCountries[p] { state.countryTally[country, default: 0] += 1 }
        let mention = Mention(
            text: text, position: TextPosition(line: 0, column: 0, offset: base + Int(c.start), length: Int(c.end - c.start)),
            placeID: index.placeIDs[p], name: index.placeNames[p], match: match, matchedName: index.nameTexts[n],
            nameKind: nameKind, candidates: ranked.map { index.placeIDs[$0] }, resolution: resolution)
        let position = mention.position
        let replacement: (Int32, String)? = analysis.canonicalFolded[p] == true ? nil : (c.end, index.placeNames[p])
        if nameKind == .misspelling {
            let better = correctSpellings(of: p, for: text)
            let offer = better.first.map { "; did you mean '\($0.matchedName)'?" } ?? ""
            let d = Diagnostic(position: position, severity: .error, code: .recordedMisspelling,
                               message: "probable misspelling: '\(text)' is recorded as a misspelling of \(describe(p))\(offer)",
                               text: text, suggestions: better)
            return (mention, d, resolution == .ranked ? nil : replacement)
        }
        switch resolution {
        case .ranked:
            let list = ranked.prefix(5).map { describe($0) }.joined(separator: ", ") + (ranked.count > 5 ? " and \(ranked.count - 5) more" : "")
            let d = Diagnostic(position: position, severity: .warning, code: .ambiguous,
                               message: "ambiguous name '\(text)' fits \(ranked.count) places: \(list); the report does not settle which (give a qualified name)",
                               text: text, suggestions: analysis.suggestions(Array(ranked.prefix(10)), index))
            return (mention, d, nil)
        case .context:
            let others = ranked.dropFirst().prefix(5).map { describe($0) }.joined(separator: ", ") + (ranked.count > 6 ? " and \(ranked.count - 6) more" : "")
            let d = Diagnostic(position: position, severity: .note, code: .disambiguated,
                               message: "'\(text)' is \(describe(p)), taken from the report's other places in \(contextCountry ?? "?"); it also names \(others)",
                               text: text, suggestions: analysis.suggestions(Array(ranked.prefix(10)), index))
            return (mention, d, replacement)
        case .unique:
            guard let note = analysis.note else { return (mention, nil, nil) }
            return (mention, Diagnostic(position: position, severity: .note, code: .variant, message: note, text: text, suggestions: []), replacement)
        }
    }

    /// What a name's text resolves to, independent of where it stands: cached per text.
    struct Analysis {
        let key: Int32
        /// Best recorded name per place: (match, name kind, name index).
        let perPlace: [Int: (MatchKind, NameKind, Int)]
        /// Places in the resolver's order.
        let ranked: [Int]
        /// Per place: is the text its canonical name (ignoring case)?
        let canonicalFolded: [Int: Bool]
        /// The variant note when the name is unambiguous and not canonical.
        let note: String?

        func suggestions(_ order: [Int], _ index: NameIndex) -> [NameSuggestion] {
            order.map { NameSuggestion(placeID: index.placeIDs[$0], name: index.placeNames[$0], matchedName: index.nameTexts[perPlace[$0]!.2], editDistance: 0) }
        }
    }

    func analyse(_ text: String, key: Int32) -> Analysis {
        let folded = NameIndex.folded(text)
        let single = Int(index.keyPlaces[Int(key)])
        if single >= 0 {
            // One place has this key (the usual case): pick its best name without building tables.
            let isCanonical = index.placeFolded[single] == folded
            var best = (MatchKind.normalized, NameKind.misspelling, -1)
            for n32 in index.keyNames[Int(key)] {
                let n = Int(n32)
                let kind: MatchKind = index.nameFolded[n] == folded ? (isCanonical ? .exact : .variant) : .normalized
                if best.2 < 0 || (kind, index.nameKinds[n]) < (best.0, best.1) { best = (kind, index.nameKinds[n], n) }
            }
            var note: String?
            if best.0 != .exact {
                let how = best.0 == .variant ? "" : " (another spelling of '\(index.nameTexts[best.2])')"
                note = "'\(text)' is \(describe(single))\(how)"
            }
            return Analysis(key: key, perPlace: [single: best], ranked: [single], canonicalFolded: [single: isCanonical], note: note)
        }
        // Best recorded name per place: exact (canonical) < variant (recorded) < normalized; then name kind.
        var perPlace: [Int: (MatchKind, NameKind, Int)] = [:]
        var canonical: [Int: Bool] = [:]
        for n32 in index.keyNames[Int(key)] {
            let n = Int(n32), p = Int(index.namePlace[n])
            if canonical[p] == nil { canonical[p] = index.placeFolded[p] == folded }
            let kind: MatchKind = index.nameFolded[n] == folded ? (canonical[p]! ? .exact : .variant) : .normalized
            let entry = (kind, index.nameKinds[n], n)
            if let current = perPlace[p], (current.0, current.1) <= (entry.0, entry.1) { continue }
            perPlace[p] = entry
        }
        let ranked = perPlace.keys.sorted { a, b in
            func rank(_ p: Int) -> (Int, Int, Int, Int, String) {
                let e = perPlace[p]!
                return (e.0 == .normalized ? 1 : 0, -(index.countryDensity[index.placeCountries[p] ?? ""] ?? 0),
                        e.1 < .misspelling ? 0 : 1, index.placeBundled[p] ? 0 : 1, index.placeIDs[p])
            }
            return rank(a) < rank(b)
        }
        var note: String?
        if ranked.count == 1, let (match, _, n) = perPlace[ranked[0]], match != .exact {
            let how = match == .variant ? "" : " (another spelling of '\(index.nameTexts[n])')"
            note = "'\(text)' is \(describe(ranked[0]))\(how)"
        }
        return Analysis(key: key, perPlace: perPlace, ranked: ranked, canonicalFolded: canonical, note: note)
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

    /// Words that make a capitalised phrase the name of a group, force, party or outlet.
    static let organisationWords: Set<String> = [
        "brigade", "brigades", "battalion", "battalions", "regiment", "division", "corps", "army", "forces", "force",
        "front", "movement", "martyrs", "shield", "party", "council", "committee", "faction", "group", "legion",
        "liberation", "tahrir", "jabhat", "ahl", "jaysh", "jaish", "liwa", "saraya", "harakat", "ahrar", "hayat",
        "hayaat", "haiat", "hayet", "state", "islamic", "observatory", "organization", "organisation",
        "agency", "news", "tv", "television", "channel", "radio", "media", "ministry", "university", "airlines",
        "company", "affiliate", "bank", "club", "times", "post", "daily", "gazette", "network", "union", "league",
    ]
    /// Lower-case words that may sit inside a proper name ("Islamic State of Iraq", "Khalid ibn al-Walid").
    static let nameConnectors: Set<String> = [
        "of", "al", "el", "ad", "as", "ash", "ar", "az", "at", "an", "ibn", "bin", "bint", "abu", "ul", "il",
    ]

    /// True when the match sits in a capitalised phrase that names an organisation.
    private func insideOrganisationName(_ c: Candidate, _ source: UnsafeBufferPointer<UInt8>) -> Bool {
        var outside: [Int] = []
        var k = c.first
        while k > 0, outside.count < 6, words[k].has(Word.phraseJoin) {
            let prev = words[k - 1]
            guard prev.has(Word.capital) || (prev.has(Word.lower) && (prev.cls & WordClass.connector != 0 || prev.role == .article)) else { break }
            if prev.has(Word.possessive) { break }
            outside.append(k - 1)
            k -= 1
        }
        k = c.last
        if !words[k].has(Word.possessive) {
            while k + 1 < words.count, outside.count < 12, words[k + 1].has(Word.phraseJoin) {
                let next = words[k + 1]
                guard next.has(Word.capital) || (next.has(Word.lower) && (next.cls & WordClass.connector != 0 || next.role == .article)) else { break }
                outside.append(k + 1)
                k += 1
                if next.has(Word.possessive) { break }
            }
        }
        return outside.contains { words[$0].cls & WordClass.organisation != 0 }
    }
}

extension NameKey {
    /// True when a text has Arabic letters.
    static func isArabicText(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value) }
    }
}

extension ReportChecker {
    /// `NameIndex.describe`, cached per place.
    func describe(_ p: Int) -> String {
        if let hit = descriptionCache[p] { return hit }
        let text = index.describe(p)
        if descriptionCache.count > 100_000 { descriptionCache.removeAll(keepingCapacity: true) }
        descriptionCache[p] = text
        return text
    }
}
