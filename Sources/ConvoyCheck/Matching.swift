import ConvoyGazetteer

extension ReportChecker {
    // MARK: - The automaton walk

    /// Every accepted name in the block, left to right, overlaps settled: the longest match at a
    /// word wins; a match that starts inside another, ends later and has more words (or as many, when the
    /// first starts with a lower-case word) replaces it: "the Golan Heights" is Golan Heights.
    /// The array returned holds `candidateBuffer`'s storage: hand it back when done.
    func findCandidates(_ masked: UnsafeBufferPointer<UInt8>, _ source: UnsafeBufferPointer<UInt8>, _ words: UnsafeBufferPointer<Word>) -> [Candidate] {
        index.withAutomaton { automaton in
            findCandidates(masked, source, words, automaton)
        }
    }

    /// How many words ahead of the walk its first look-ups are asked for.
    static let walkAhead = 8

    private func findCandidates(_ masked: UnsafeBufferPointer<UInt8>, _ source: UnsafeBufferPointer<UInt8>, _ words: UnsafeBufferPointer<Word>,
                                _ automaton: NameIndex.Automaton) -> [Candidate] {
        var result = candidateBuffer
        candidateBuffer = []
        result.removeAll(keepingCapacity: true)
        var pending: Candidate?
        let count = words.count
        var s = 0
        while s < count {
            // The first look-ups of the walk a few words ahead, so that their misses overlap this one's.
            if s + Self.walkAhead + 1 < count { automaton.prefetchWalk(words[s + Self.walkAhead].token, words[s + Self.walkAhead + 1].token) }
            if Self.startsNoName(s, words, automaton) { s += 1; continue }
            guard let c = longestMatch(at: s, masked, source, words, automaton) else { s += 1; continue }
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

    /// The cheap rejections, tried in the scan's loop before a walk (most words end here): a plain
    /// word whose token (and possessive form) starts no name; a plain lower-case word, which is
    /// taken only in a longer name with a capital in it ("western Qalamun", see `longestMatch`),
    /// when the next word cannot continue a name from it (most common words that GeoNames records
    /// as names end here).
    @inline(__always)
    private static func startsNoName(_ s: Int, _ words: UnsafeBufferPointer<Word>, _ automaton: NameIndex.Automaton) -> Bool {
        let w = words[s]
        guard w.isPlain else { return false }
        let root = automaton.child(0, w.token)
        if root < 0, automaton.child(0, w.altToken) < 0 { return true }
        guard w.has(Word.lower), !w.has(Word.possessive) else { return false }
        guard s + 1 < words.count, words[s + 1].has(Word.spanJoin) else { return true }
        let next = words[s + 1]
        return next.isPlain && !next.has(Word.possessive) && automaton.child(root, next.token) < 0
    }

    private func longestMatch(at s: Int, _ masked: UnsafeBufferPointer<UInt8>, _ source: UnsafeBufferPointer<UInt8>, _ words: UnsafeBufferPointer<Word>,
                              _ automaton: NameIndex.Automaton) -> Candidate? {
        let count = words.count
        let w = words[s]
        var needsRecordedText = false
        if w.isArticle {
            // An article opens a name when written as one: al/el/il/ul, hyphened ("as-Sukhnah"), or capitalised
            // and then only if the whole text is a recorded name ("As Sukhnah", not "At Palmyra").
            guard s + 1 < count else { return nil }
            let articleLike = w.cls & WordClass.alForm != 0 || words[s + 1].has(Word.hyphenBefore)
            if !articleLike {
                guard w.has(Word.capital) else { return nil }
                needsRecordedText = true
            }
        }
        var walk = Walk(automaton: automaton, start: s)
        // Unowned: the walk runs inside this call; a strong capture is a retain per step of the walk.
        walk.visit(s, 0, 0, words) { [unowned(unsafe) self] abu, next in self.joinedToken(abu, next, masked) }
        guard let found = walk.best else { return nil }
        // A name starting with a lower-case word is taken only when it contains a capital and is a
        // recorded name as written, apart from case ("western Qalamun", "barren hills of Falita"):
        // this keeps common words and URL slugs out. The capital first: it turns away at once the
        // common words that GeoNames records as names ("road", "water").
        let startsLower = words[s].has(Word.lower)
        if startsLower, !(found.first...found.last).contains(where: { words[$0].has(Word.capital) }) { return nil }
        if !found.bundled, nonPlaceKeys.contains(Int(found.key)) { return nil }
        // One word that only GeoNames records must be able to stand alone as a name (its spelling is
        // checked when it is resolved).
        if index.needsRecordedSpelling(oneWord: found.first == found.last, bundled: found.bundled), !standsAlone(words[s], source) { return nil }
        // Trim a leading article that the walk skipped but the text does not need ("at Deir …").
        if words[s].isArticle, needsRecordedText, !isRecordedText(found, source) { return nil }
        if startsLower, !isRecordedText(found, source) { return nil }
        return found
    }

    /// Whether a word on its own may be a place that only GeoNames records. GeoNames' alternate names
    /// include common words, numbers and letters ("The", "August", "Army", "17", "T"); alone, such a
    /// word is taken only for a bundled place. Not alone: a word of the phrase rules' classes
    /// (cues, months and days, demonyms, titles, pronouns, organisation words …) or a common English
    /// word, fewer than two letters, no letter at all, or an acronym of up to three capitals.
    private func standsAlone(_ w: Word, _ source: UnsafeBufferPointer<UInt8>) -> Bool {
        if w.cls & WordClass.notAloneName != 0 { return false }
        // A word of letters and digits only carries its answer (the text is far behind by now).
        if w.has(Word.lettersAndDigits) { return w.has(Word.twoLetters) && !(w.has(Word.allCaps) && w.end - w.start <= 3) }
        var scalars = 0, letters = 0
        for i in Int(w.start)..<Int(w.end) {
            let b = source[i]
            guard b & 0xC0 != 0x80 else { continue }  // count scalars, not bytes
            scalars += 1
            if b >= 0x80 || Tokenizer.isAlnum(b) && !(b >= 0x30 && b <= 0x39) { letters += 1 }
        }
        if letters < 2 { return false }
        if w.has(Word.allCaps), scalars <= 3 { return false }
        return true
    }

    /// The automaton walk from one word: every way the words can spell a key (articles dropped or
    /// kept last, Abu forms joined, possessives), keeping the longest. A struct, so no allocation.
    struct Walk {
        let automaton: NameIndex.Automaton
        let start: Int
        var best: Candidate?

        init(automaton: NameIndex.Automaton, start: Int) {
            self.automaton = automaton
            self.start = start
        }

        /// Keeps the match of words [start, last] ending at byte `end`, if it completes a key
        /// (`nodeKey`, as the step returned it) and is longer than the best so far.
        mutating func record(_ last: Int, _ end: Int32, _ nodeKey: Int32, _ words: UnsafeBufferPointer<Word>) {
            let (key, bundled) = NameIndex.Automaton.key(nodeKey)
            guard key >= 0 else { return }
            if let b = best, b.last > last || (b.last == last && b.end >= end) { return }
            best = Candidate(first: start, last: last, start: words[start].start, end: end, key: key, bundled: bundled)
        }

        mutating func visit(_ i: Int, _ node: Int32, _ depth: Int, _ words: UnsafeBufferPointer<Word>, _ join: (Word, Word) -> Int32) {
            let count = words.count
            guard i < count, depth < 24, i == start || words[i].has(Word.spanJoin) else { return }
            let w = words[i]
            switch w.role {
            case .article:
                let c = automaton.step(node, w.token)
                if c.node >= 0 { record(i, w.end, c.key, words) }
                visit(i + 1, node, depth + 1, words, join)
            case .abu:
                let c = automaton.step(node, w.token)
                if c.node >= 0 { record(i, w.end, c.key, words) }
                var j = i + 1
                while j < count, words[j].has(Word.spanJoin) {
                    let next = words[j]
                    let joined = automaton.step(node, join(w, next))
                    if next.isArticle {
                        if joined.node >= 0 { record(j, next.end, joined.key, words) }
                        j += 1
                        continue
                    }
                    if joined.node >= 0 {
                        record(j, next.end, joined.key, words)
                        visit(j + 1, joined.node, depth + 2, words, join)
                    }
                    break
                }
            case .plain:
                if w.has(Word.possessive) {
                    let c = automaton.step(node, w.altToken)
                    if c.node >= 0 { record(i, w.altEnd, c.key, words) }
                }
                let c = automaton.step(node, w.token)
                if c.node >= 0 {
                    record(i, w.end, c.key, words)
                    visit(i + 1, c.node, depth + 1, words, join)
                }
            }
        }
    }

    /// True when the candidate's text is one of the recorded names with its key, ignoring case.
    private func isRecordedText(_ c: Candidate, _ source: UnsafeBufferPointer<UInt8>) -> Bool {
        index.isRecorded(UnsafeBufferPointer(rebasing: source[Int(c.start)..<Int(c.end)]), key: c.key, scratch: &foldScratch)
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

    /// The mention and diagnostic of a name several places have, for one choice of place, as they
    /// read wherever the text stands (positions are filled in per mention), and what `--fix` writes
    /// over the text. A class: it is cached in ``Resolved`` and handed from the resolver to the
    /// emitter, and copying a reference is one retain where copying its fields is many.
    final class Outcome {
        let mention: Mention
        let diagnostic: Diagnostic?
        /// The place whose canonical name `--fix` writes over the candidate's bytes, or -1.
        let replacement: Int32

        init(mention: Mention, diagnostic: Diagnostic?, replacement: Int32) {
            self.mention = mention
            self.diagnostic = diagnostic
            self.replacement = replacement
        }
    }

    /// What a candidate's text resolves to, with the outcomes built so far. Cached per (key, bytes),
    /// so a name that recurs costs a hash look-up: the text, the ranking and the messages are made once.
    final class Resolved {
        let text: String
        /// The places the text can name, in the resolver's order.
        let places: [RankedPlace]
        /// Outcomes by choice: [0] unsettled (ranked), [1 + i] places[i] chosen.
        @exclusivity(unchecked) var outcomes: [Outcome?]

        init(text: String, places: [RankedPlace]) {
            self.text = text
            self.places = places
            outcomes = Array(repeating: nil, count: places.count + 1)
        }
    }

    /// One of the places a name several places have can name, with the best of its names for the text.
    struct RankedPlace {
        var place: Int32
        /// Its country's index (-1: none): the context rule's tally key.
        var country: Int32
        /// Its best recorded name with the key: exact (canonical) < variant (recorded) < normalized, then name kind.
        var name: Int32 = -1
        var match = MatchKind.normalized
        var kind = NameKind.misspelling
        /// Whether the text is its canonical name (ignoring case).
        var canonical: Bool
    }

    /// The mention of a candidate, its diagnostic and replacement; nil when the name is part of an
    /// organisation's name ("Yarmouk Martyrs Brigade", "Hayat Tahrir al-Sham").
    func resolve(_ c: Candidate, _ source: UnsafeBufferPointer<UInt8>, _ words: UnsafeBufferPointer<Word>, state: inout FileState) -> Resolution? {
        if insideOrganisationName(c, words) { return nil }
        // One word that only GeoNames records is taken as recorded (apart from case), not by its key
        // alone: "Bechaar" is not Béchar (the unknown-place search calls it a misspelling instead).
        let strict = index.needsRecordedSpelling(oneWord: c.first == c.last, bundled: c.bundled)
        let single = index.keys[Int(c.key)].place
        if single >= 0 {
            let best = uniqueName(c, source, place: single)
            if strict, best.match == .normalized { return nil }
            tally(best.country, &state)
            return .unique(best)
        }
        let resolved = self.resolved(c, source)
        // Several places: the report's most mentioned country settles it when exactly one candidate is there.
        var choice = 0
        var top = 0, tied = false
        for (i, candidate) in resolved.places.enumerated() where candidate.country >= 0 {
            let tally = state.countryTally[Int(candidate.country)]
            if tally > top {
                top = tally; choice = 1 + i; tied = false
            } else if tally == top, tally > 0 {
                tied = true
            }
        }
        if tied { choice = 0 }
        let outcome: Outcome
        if let built = resolved.outcomes[choice] {
            outcome = built
        } else {
            outcome = self.outcome(resolved, chosen: choice - 1)
            resolved.outcomes[choice] = outcome
        }
        // A name several places have: taken when it is recorded for any of them, whichever is chosen.
        if strict, resolved.places.allSatisfy({ $0.match == .normalized }) { return nil }
        if choice > 0 { tally(resolved.places[choice - 1].country, &state) }
        return .shared(outcome)
    }

    /// What a candidate resolved to: a name one place has (most names) as plain values, its mention
    /// and diagnostic made when they are handed over (no object per mention); or the cached outcome
    /// of a name several places have.
    enum Resolution {
        case unique(RankedPlace)
        case shared(Outcome)
    }

    /// A settled mention adds its place's country (index, -1: none) to the report's tally (the
    /// context for ambiguous names).
    private func tally(_ country: Int32, _ state: inout FileState) {
        if country >= 0 { state.countryTally[Int(country)] += 1 }
    }

    /// The best of the names with the candidate's key of the one place that has them, judged by
    /// the text folded on bytes.
    private func uniqueName(_ c: Candidate, _ source: UnsafeBufferPointer<UInt8>, place p: Int32) -> RankedPlace {
        let bytes = UnsafeBufferPointer(rebasing: source[Int(c.start)..<Int(c.end)])
        return index.withFolded(bytes, key: c.key, scratch: &foldScratch) { bestName(index.entries(ofKey: c.key), $0) }
    }

    /// Hands over the mention and diagnostic of a name one place has, at `position`, made where
    /// they are handed over (no intermediate copies); returns the place `--fix` writes over it
    /// (-1: none). The text is decoded from the report's bytes rather than shared with the
    /// recorded name: most names fit a string held inline (no allocation).
    func emitUnique(_ best: RankedPlace, _ c: Candidate, _ source: UnsafeBufferPointer<UInt8>, at position: TextPosition,
                    _ onMention: (Mention) -> Void, _ onDiagnostic: (Diagnostic) -> Void) -> Int32 {
        let text = Self.string(source, c.start, c.end)
        onMention(Mention(text: text, position: position, index: index, place: best.place, matchedName: best.name,
                          match: best.match, nameKind: best.kind, ranked: [], resolution: .unique))
        let replacement: Int32 = best.canonical ? -1 : best.place
        if best.kind == .misspelling {
            var d = misspellingDiagnostic(text, place: Int(best.place))
            d.position = position
            onDiagnostic(d)
            return replacement
        }
        guard best.match != .exact else { return -1 }
        onDiagnostic(Diagnostic(variantAt: position, text: text, index: index, place: best.place, viaName: best.match == .variant ? -1 : best.name))
        return replacement
    }

    static let unplaced = TextPosition(line: 0, column: 0, offset: 0, length: 0)

    private func misspellingDiagnostic(_ text: String, place p: Int) -> Diagnostic {
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

    /// The cached resolution of a candidate's text.
    private func resolved(_ c: Candidate, _ source: UnsafeBufferPointer<UInt8>) -> Resolved {
        resolveKey.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: c.key.littleEndian) { resolveKey.append(contentsOf: $0) }
        resolveKey.append(contentsOf: UnsafeBufferPointer(rebasing: source[Int(c.start)..<Int(c.end)]))
        let hit = resolveKey.withUnsafeBufferPointer { resolvedIndex.value(for: $0, hash: byteHash($0)) }
        if let hit { return resolvedList[Int(hit)] }
        let bytes = UnsafeBufferPointer(rebasing: source[Int(c.start)..<Int(c.end)])
        let resolved = Resolved(text: Self.string(source, c.start, c.end), places: rankedPlaces(bytes, key: c.key))
        if resolvedList.count >= 200_000 {
            resolvedIndex.removeAll()
            resolvedList.removeAll(keepingCapacity: true)
        }
        resolveKey.withUnsafeBufferPointer { resolvedIndex.set($0, hash: byteHash($0), value: Int64(resolvedList.count)) }
        resolvedList.append(resolved)
        return resolved
    }

    /// Builds the mention and diagnostic of a name several places have, for one choice: `chosen` is
    /// an index in the ranked places, or -1 when the report does not settle which.
    private func outcome(_ resolved: Resolved, chosen: Int) -> Outcome {
        let places = resolved.places, text = resolved.text
        let resolution: Mention.Resolution = chosen >= 0 ? .context : .ranked
        // The chosen place first, the others in rank order.
        let top = max(chosen, 0), best = places[top], p = Int(best.place)
        var ranked: [Int32] = [best.place], matched: [Int32] = [best.name]
        ranked.reserveCapacity(places.count)
        matched.reserveCapacity(places.count)
        for (i, other) in places.enumerated() where i != top {
            ranked.append(other.place)
            matched.append(other.name)
        }
        let mention = Mention(text: text, position: Self.unplaced, index: index, place: best.place, matchedName: best.name,
                              match: best.match, nameKind: best.kind, ranked: ranked, resolution: resolution)
        let replacement: Int32 = best.canonical ? -1 : Int32(p)
        if best.kind == .misspelling {
            return Outcome(mention: mention, diagnostic: misspellingDiagnostic(text, place: p), replacement: resolution == .ranked ? -1 : replacement)
        }
        let d = Diagnostic(sharedAt: Self.unplaced, text: text, severity: resolution == .ranked ? .warning : .note,
                           code: resolution == .ranked ? .ambiguous : .disambiguated,
                           detail: .shared(index, ranked: ranked, matched: matched, settled: resolution != .ranked))
        return Outcome(mention: mention, diagnostic: d, replacement: resolution == .ranked ? -1 : replacement)
    }

    /// The best of one place's names with a key (`run`, positions in `keyEntries`) for a folded
    /// text: exact (the text is the canonical name) < variant (a recorded name) < normalized (the
    /// key only), then by name kind; the first of equals.
    private func bestName(_ run: Range<Int>, _ folded: UnsafeBufferPointer<UInt8>) -> RankedPlace {
        let p = index.keyEntries[run.lowerBound].place
        // The text is the canonical name when, folded, it is a name that folds to the canonical one.
        let canonical = run.contains { index.keyEntries[$0].canonical && index.entryFolded($0, equals: folded) }
        var best = RankedPlace(place: p, country: index.keyEntries[run.lowerBound].country, canonical: canonical)
        for j in run {
            let e = index.keyEntries[j]
            let match: MatchKind = index.entryFolded(j, equals: folded) ? (canonical ? .exact : .variant) : .normalized
            if best.name >= 0, (best.match, best.kind) <= (match, e.kind) { continue }
            (best.name, best.match, best.kind) = (e.name, match, e.kind)
        }
        return best
    }

    /// The places a text (UTF-8) with key `key` can name, in the resolver's order: matched as
    /// written, then the denser country, a good name, bundled, and the id.
    func rankedPlaces(_ bytes: UnsafeBufferPointer<UInt8>, key: Int32) -> [RankedPlace] {
        let range = index.entries(ofKey: key)
        var unsorted = rankScratch
        rankScratch = []
        defer { rankScratch = unsorted }
        unsorted.removeAll(keepingCapacity: true)
        var order = rankOrderScratch
        rankOrderScratch = []
        defer { rankOrderScratch = order }
        order.removeAll(keepingCapacity: true)
        index.withFolded(bytes, key: key, scratch: &foldScratch) { folded in
            // A key's names are grouped by place: each place is a run of entries.
            var j = range.lowerBound
            while j < range.upperBound {
                let p = index.keyEntries[j].place
                var end = j + 1
                while end < range.upperBound, index.keyEntries[end].place == p { end += 1 }
                // Each place's sort key made once, from what its entries hold.
                let best = bestName(j..<end, folded), e = index.keyEntries[j]
                order.append(rankKey(best, bundled: e.bundled, idRank: e.idRank, position: unsorted.count))
                unsorted.append(best)
                j = end
            }
        }
        RankOrder.sort(&order)
        var places: [RankedPlace] = []
        places.reserveCapacity(unsorted.count)
        for o in order { places.append(unsorted[Int(o.position)]) }
        return places
    }

    /// A place's place in ``rankedPlaces(_:key:)``: matched as written, the denser country, a good
    /// name, bundled (one integer, each field in bits of its own), then the id's rank, which no two
    /// places share (so the order is total and stability does not matter).
    struct RankOrder {
        var order: UInt64
        var idRank: Int32
        /// The place's position in the unsorted list.
        var position: Int32

        @inline(__always)
        static func < (a: RankOrder, b: RankOrder) -> Bool { a.order < b.order || (a.order == b.order && a.idRank < b.idRank) }

        /// Sorts by insertion up to 16 places (most names have a handful), by the library above.
        static func sort(_ list: inout [RankOrder]) {
            guard list.count > 16 else {
                list.withUnsafeMutableBufferPointer { a in
                    for i in a.indices.dropFirst() {
                        let x = a[i]
                        var j = i
                        while j > 0, x < a[j - 1] {
                            a[j] = a[j - 1]
                            j -= 1
                        }
                        a[j] = x
                    }
                }
                return
            }
            list.sort { $0 < $1 }
        }
    }

    @inline(__always)
    private func rankKey(_ x: RankedPlace, bundled: Bool, idRank: Int32, position: Int) -> RankOrder {
        let density = x.country >= 0 ? index.countryDensity[Int(x.country)] : 0
        let order = (x.match == .normalized ? 1 << 62 : 0) | UInt64((1 << 41) - 1 - min(density, (1 << 41) - 1)) << 2
            | (x.kind < .misspelling ? 0 : 2) | (bundled ? 0 : 1)
        return RankOrder(order: order, idRank: idRank, position: Int32(position))
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

    /// True when the match sits in a capitalised phrase that names an organisation: up to six words
    /// before it and twelve in all are looked at.
    private func insideOrganisationName(_ c: Candidate, _ words: UnsafeBufferPointer<Word>) -> Bool {
        func continues(_ w: Word) -> Bool {
            w.has(Word.capital) || (w.has(Word.lower) && (w.cls & WordClass.connector != 0 || w.isArticle))
        }
        var looked = 0
        var k = c.first
        while k > 0, looked < 6, words[k].has(Word.phraseJoin) {
            let prev = words[k - 1]
            guard continues(prev), !prev.has(Word.possessive) else { break }
            if prev.cls & WordClass.organisation != 0 { return true }
            looked += 1
            k -= 1
        }
        k = c.last
        if !words[k].has(Word.possessive) {
            while k + 1 < words.count, looked < 12, words[k + 1].has(Word.phraseJoin) {
                let next = words[k + 1]
                guard continues(next) else { break }
                if next.cls & WordClass.organisation != 0 { return true }
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
