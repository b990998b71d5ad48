import ConvoyGazetteer

/// A found name: words [first, last], bytes [start, end) in the block, the key it completes.
package struct Candidate: Sendable, BitwiseCopyable {
    package var first: Int
    package var last: Int
    package var start: Int32
    package var end: Int32
    package var key: Int32
    /// Whether a bundled place has the key.
    package var bundled: Bool

    package init(first: Int, last: Int, start: Int32, end: Int32, key: Int32, bundled: Bool) {
        (self.first, self.last, self.start, self.end, self.key, self.bundled) = (first, last, start, end, key, bundled)
    }
}

/// What the rulebook decides about the walk's matches: the engine walks the compiled names, the
/// rules judge what it found (ConvoyCheck's ``ReportChecker`` is one).
package protocol MatchRules: AnyObject {
    /// Whether a walk may start at word `s`, whose token (or possessive form) starts a name.
    func mayOpenName(at s: Int, _ words: Span<Word>) -> Bool
    /// Whether the longest match of the walk from `found.first` is taken.
    func accepts(_ found: Candidate, _ words: Span<Word>, _ source: Span<UInt8>) -> Bool
}

/// The scan engine's working state for one thread: a tokenizer and the buffers a block's words
/// and candidates reuse. Not Sendable: use one per thread (the ``NameIndex`` it reads is shared).
package final class TextScanner {
    package let index: NameIndex
    /// Whether a plain lower-case word starts a walk only when the next word continues a name from
    /// it (the rule that a name opening in lower case needs a capital in it, as a cheap test before
    /// the walk: most common words that GeoNames records as names end here).
    package let lowerWordsOpenOnlyLongerNames: Bool

    // The state below is exempt from Swift's run-time exclusivity checks, which cost ~500
    // instructions per mention in the scan (callgrind). The invariant they rest on: no two
    // accesses of one property overlap. A scanner is used by one thread at a time (it is not
    // Sendable), and its state is in two parts, each borrowed by one method at a time: the block's
    // (tokenizer, words, candidates, Abu joins), borrowed by `tokenize` and `findCandidates`; and
    // the fold scratch, borrowed by `isRecorded` and `withFolded`. The rules' callbacks during
    // `findCandidates` may fold (a different part) but not tokenize or scan; a `withFolded` body
    // may not fold again. `enter(_:)` checks both in debug builds (an assertion, not a cost in release).
    @exclusivity(unchecked) private var tokenizer: Tokenizer
    @exclusivity(unchecked) private var wordBuffer: [Word] = []
    @exclusivity(unchecked) private var candidateBuffer: [Candidate] = []
    @exclusivity(unchecked) private var joinCache: [String: Int32] = [:]
    @exclusivity(unchecked) private var foldScratch: [UInt8] = []
    /// The parts of the state borrowed at the moment (checked in debug builds).
    private var borrowed: Parts = []

    private struct Parts: OptionSet {
        var rawValue: UInt8
        static let block = Parts(rawValue: 1)
        static let fold = Parts(rawValue: 2)
    }

    package init(index: NameIndex, lowerWordsOpenOnlyLongerNames: Bool = true) {
        self.index = index
        self.lowerWordsOpenOnlyLongerNames = lowerWordsOpenOnlyLongerNames
        tokenizer = index.makeTokenizer()
    }

    @inline(__always) private func enter(_ part: Parts) {
        assert(!borrowed.contains(part), "a TextScanner's state is borrowed twice at once (re-entered, or used from two threads)")
        borrowed.insert(part)
    }

    @inline(__always) private func leave(_ part: Parts) { borrowed.remove(part) }

    /// The words of the last block tokenized.
    package var words: [Word] { wordBuffer }

    /// Byte offsets (in the last block) of its invalid UTF-8 sequences.
    package var invalidOffsets: [Int] { tokenizer.invalidOffsets }

    /// Splits a block of text (markup already blanked) into words, kept as ``words``.
    package func tokenize(_ masked: UnsafeBufferPointer<UInt8>) {
        enter(.block)
        defer { leave(.block) }
        tokenizer.tokenize(masked, into: &wordBuffer)
    }

    /// Calls `body` with the last block's words.
    package func withWords<R>(_ body: (UnsafeBufferPointer<Word>) throws -> R) rethrows -> R {
        try wordBuffer.withUnsafeBufferPointer(body)
    }

    /// Whether a text (UTF-8) is one of the recorded names with key `k`, ignoring case.
    package func isRecorded(_ text: UnsafeBufferPointer<UInt8>, key k: Int32) -> Bool {
        enter(.fold)
        defer { leave(.fold) }
        return index.isRecorded(text, key: k, scratch: &foldScratch)
    }

    /// The best of the names with key `k` for a text (UTF-8) of that key
    /// (``NameIndex/bestName(_:_:)`` on its folded form): for a key of one place.
    ///
    /// This and ``forEachPlace(_:key:_:)`` are what the rulebook calls, rather than a generic
    /// `withFolded`: a generic function called from another module runs unspecialised there (its
    /// result boxed, its metadata looked up at run time), which cost a tenth of the scan.
    package func bestName(_ text: UnsafeBufferPointer<UInt8>, key k: Int32) -> NameIndex.RankedPlace {
        enter(.fold)
        defer { leave(.fold) }
        return index.withFolded(text, key: k, scratch: &foldScratch) { index.bestName(index.entries(ofKey: k), $0) }
    }

    /// Calls `body` with each place a text (UTF-8) with key `k` can name, its best name and its
    /// rank (``NameIndex/forEachPlace(key:folded:_:)`` on the text's folded form).
    package func forEachPlace(_ text: UnsafeBufferPointer<UInt8>, key k: Int32, _ body: (NameIndex.RankedPlace, NameIndex.RankOrder) -> Void) {
        enter(.fold)
        defer { leave(.fold) }
        index.withFolded(text, key: k, scratch: &foldScratch) { index.forEachPlace(key: k, folded: $0, body) }
    }

    // MARK: - The automaton walk

    /// How many words ahead of the walk its first look-ups are asked for.
    package static let walkAhead = 8

    /// Every accepted name in the block, left to right, overlaps settled: the longest match at a
    /// word wins; a match that starts inside another, ends later and has more words (or as many, when the
    /// first starts with a lower-case word) replaces it: "the Golan Heights" is Golan Heights.
    /// The array returned holds the scanner's storage: hand it back with ``recycle(_:)`` when done.
    package func findCandidates(_ masked: UnsafeBufferPointer<UInt8>, _ source: UnsafeBufferPointer<UInt8>,
                                rules: any MatchRules) -> [Candidate] {
        enter(.block)
        defer { leave(.block) }
        var result = candidateBuffer
        candidateBuffer = []
        result.removeAll(keepingCapacity: true)
        wordBuffer.withUnsafeBufferPointer { words in
            index.withAutomaton { automaton in
                findCandidates(masked, source, words, automaton, rules, into: &result)
            }
        }
        return result
    }

    /// Hands back the storage of ``findCandidates(_:_:rules:)``'s array, for the next block.
    package func recycle(_ candidates: [Candidate]) { candidateBuffer = candidates }

    private func findCandidates(_ masked: UnsafeBufferPointer<UInt8>, _ source: UnsafeBufferPointer<UInt8>, _ words: UnsafeBufferPointer<Word>,
                                _ automaton: NameIndex.Automaton, _ rules: any MatchRules, into result: inout [Candidate]) {
        var pending: Candidate?
        let count = words.count
        // The rules read the block as spans (safe API), made once for the walk.
        let wordSpan = Span(_unsafeElements: words), sourceSpan = Span(_unsafeElements: source)
        var s = 0
        while s < count {
            // The first look-ups of the walk a few words ahead, so that their misses overlap this one's.
            if s + Self.walkAhead + 1 < count { automaton.prefetchWalk(words[s + Self.walkAhead].token, words[s + Self.walkAhead + 1].token) }
            if startsNoName(s, words, automaton) { s += 1; continue }
            guard rules.mayOpenName(at: s, wordSpan), let c = longestMatch(at: s, masked, words, automaton), rules.accepts(c, wordSpan, sourceSpan) else {
                s += 1
                continue
            }
            if let p = pending {
                if c.first > p.last {
                    result.append(p)
                    pending = c
                } else if c.last > p.last, c.last - c.first > p.last - p.first || (c.last - c.first == p.last - p.first && words[p.first].has(.lower)) {
                    pending = c
                }
            } else {
                pending = c
            }
            s += 1
        }
        if let p = pending { result.append(p) }
    }

    /// The cheap rejections, tried in the scan's loop before a walk (most words end here): a plain
    /// word whose token (and possessive form) starts no name; with ``lowerWordsOpenOnlyLongerNames``,
    /// a plain lower-case word when the next word cannot continue a name from it.
    @inline(__always)
    private func startsNoName(_ s: Int, _ words: UnsafeBufferPointer<Word>, _ automaton: NameIndex.Automaton) -> Bool {
        let w = words[s]
        guard w.isPlain else { return false }
        let root = automaton.child(0, w.token)
        if root < 0, automaton.child(0, w.altToken) < 0 { return true }
        guard lowerWordsOpenOnlyLongerNames, w.has(.lower), !w.has(.possessive) else { return false }
        guard s + 1 < words.count, words[s + 1].has(.spanJoin) else { return true }
        let next = words[s + 1]
        return next.isPlain && !next.has(.possessive) && automaton.child(root, next.token) < 0
    }

    /// The walk's longest match from word `s`, or nil.
    private func longestMatch(at s: Int, _ masked: UnsafeBufferPointer<UInt8>, _ words: UnsafeBufferPointer<Word>,
                              _ automaton: NameIndex.Automaton) -> Candidate? {
        var walk = Walk(automaton: automaton, start: s)
        // Unowned: the walk runs inside this call; a strong capture is a retain per step of the walk.
        walk.visit(s, 0, 0, words) { [unowned(unsafe) self] abu, next in self.joinedToken(abu, next, masked) }
        return walk.best
    }

    /// The automaton walk from one word: every way the words can spell a key (articles dropped or
    /// kept last, Abu forms joined, possessives), keeping the longest. A struct, so no allocation.
    package struct Walk {
        package let automaton: NameIndex.Automaton
        package let start: Int
        package var best: Candidate?

        package init(automaton: NameIndex.Automaton, start: Int) {
            self.automaton = automaton
            self.start = start
        }

        /// Keeps the match of words [start, last] ending at byte `end`, if it completes a key
        /// (`nodeKey`, as the step returned it) and is longer than the best so far.
        package mutating func record(_ last: Int, _ end: Int32, _ nodeKey: Int32, _ words: UnsafeBufferPointer<Word>) {
            let (key, bundled) = NameIndex.Automaton.key(nodeKey)
            guard key >= 0 else { return }
            if let b = best, b.last > last || (b.last == last && b.end >= end) { return }
            best = Candidate(first: start, last: last, start: words[start].start, end: end, key: key, bundled: bundled)
        }

        package mutating func visit(_ i: Int, _ node: Int32, _ depth: Int, _ words: UnsafeBufferPointer<Word>, _ join: (Word, Word) -> Int32) {
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
                // A possessive whose stem completes a key is that key's name, even when the whole
                // word folds to another key: "Beirut's" is Beirut, not the key of "Beiruts".
                var stemCompletesKey = false
                if w.has(Word.possessive) {
                    let c = automaton.step(node, w.altToken)
                    if c.node >= 0 {
                        record(i, w.altEnd, c.key, words)
                        stemCompletesKey = NameIndex.Automaton.key(c.key).key >= 0
                    }
                }
                let c = automaton.step(node, w.token)
                if c.node >= 0 {
                    if !stemCompletesKey { record(i, w.end, c.key, words) }
                    visit(i + 1, c.node, depth + 1, words, join)
                }
            }
        }
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

    // MARK: - Resolving, ahead

    /// Asks for what resolving candidate `i + 8`, `i + 16` and `i + 24` reads, in three stages
    /// (each stage's reads need the previous stage's lines), so that their misses overlap the
    /// resolution of candidate `i`: the key's record, its first entry, then the entry's bytes and
    /// the candidate's words and text (read by the rules, far behind the walk by now).
    @inline(__always)
    package func prefetchForResolving(_ candidates: [Candidate], at i: Int, _ words: UnsafeBufferPointer<Word>, _ source: UnsafeBufferPointer<UInt8>) {
        if i + 24 < candidates.count { index.prefetchKey(candidates[i + 24].key) }
        if i + 16 < candidates.count { index.prefetchEntries(ofKey: candidates[i + 16].key) }
        if i + 8 < candidates.count {
            let ahead = candidates[i + 8]
            index.prefetchNames(ofKey: ahead.key)
            words.prefetch(ahead.first - 1)
            words.prefetch(ahead.last + 1)
            source.prefetch(Int(ahead.start))
        }
    }
}
