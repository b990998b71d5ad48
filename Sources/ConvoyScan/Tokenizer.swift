import ConvoyGazetteer

/// Splits a chunk of UTF-8 text into words with their key tokens. ASCII words — nearly all of
/// English text — are folded on bytes (``NameKey/foldASCIIWord(_:into:)``) and cached by their raw
/// bytes; other words are read scalar by scalar through what ``NameKey``'s rules make of each
/// scalar (asked of NameKey once per scalar), so word boundaries follow Unicode letters (accented
/// and Arabic words are whole words, never matched inside).
package struct Tokenizer {
    /// The gazetteer's normalised tokens → token id.
    package let vocabulary: ByteMap
    /// The non-ASCII segments of the gazetteer's own names, tokenized when the index was built.
    package let known: Segments?
    /// The classes words get (the rulebook's lists, as data).
    package let wordClasses: WordClassTable
    /// Raw lower-case ASCII word → (token id + 1) | role << 32 | class << 34. Bounded: cleared when it grows large.
    private var asciiCache = ByteMap(capacity: 1 << 14)
    private var unicodeCache: [String: WordLookup] = [:]
    /// What rules 1–3 make of each non-ASCII scalar seen (see ``ScalarFold``).
    private var scalarFolds: [UInt32: ScalarFold] = [:]
    /// Decoded scalars of the current non-ASCII segment: scalar, byte offset, byte length.
    private var scalars: [(Unicode.Scalar, Int, Int)] = []
    /// Non-ASCII segments seen in the text and not in `known`.
    private var segments = Segments()
    /// Caches are cleared past `cacheLimit` entries unless they are being collected for an index.
    private let bounded: Bool
    private var scratch = [UInt8](repeating: 0, count: 64)
    /// The last word seen at each of a few hundred hash positions, in front of the word tables.
    private var recent = RecentWords()
    private var folded: [UInt8] = []
    /// Word-table look-ups waiting for their slot (see ``QueuedLookup``); those before `settled` are done.
    private var queued: [QueuedLookup] = []
    private var settled = 0
    /// Whether look-ups are queued: with the gazetteer's tokenized names (large inputs) only.
    private let deferLookups: Bool
    /// The block's non-ASCII segments as a quick pass over its bytes finds them (see
    /// ``UpcomingSegment``); `nextSegment` is the first the tokenizer has not reached.
    private var upcoming: [UpcomingSegment] = []
    private var nextSegment = 0
    /// Raw words of the current chunk's non-ASCII words.
    package var rawWords: [String] = []
    /// Byte offsets (in the chunk) of invalid UTF-8 sequences found.
    package var invalidOffsets: [Int] = []

    package static let cacheLimit = 1 << 18

    /// Non-ASCII segments (runs of word material between separators) → their words, with offsets
    /// relative to the segment and `raw` indexing `raws`. Decoding, Unicode folding and keying a
    /// non-ASCII word is slow; a segment seen before costs one hash look-up.
    package struct Segments: Sendable {
        /// Segment bytes → the first word's index in `words` << 16 | the word count.
        package var map = ByteMap(capacity: 1 << 12)
        /// Lower-case ASCII words → as in `asciiCache` (filled for the index only).
        package var asciiWords = ByteMap(capacity: 16)
        package var words: [Word] = []
        package var raws: [String] = []

        package var count: Int { map.count }

        package init() {}

        package func archive(into writer: inout IndexArchiveWriter) {
            map.archive(into: &writer)
            asciiWords.archive(into: &writer)
            writer.write(words)
            writer.write(strings: raws)
        }

        /// Reads what ``archive(into:)`` wrote, checking every value the tokenizer uses: each
        /// segment's words lie in the table and within the segment's bytes, token ids are below
        /// `tokens` (or -1), roles are roles, raw words are in the table.
        package init(from reader: inout IndexArchiveReader, tokens: Int) throws {
            map = try ByteMap(from: &reader)
            asciiWords = try ByteMap(from: &reader)
            words = try reader.read(Word.self, valid: { IndexArchiveReader.isRawTag($0[Word.roleOffset], of: NameKey.WordRole.self) })
            raws = try reader.readStrings()
            func isToken(_ t: Int32) -> Bool { t >= -1 && Int(t) < tokens }
            guard raws.count < Tokenizer.knownRaw,
                words.allSatisfy({ $0.raw >= 0 && $0.raw < raws.count && isToken($0.token) && isToken($0.altToken) })
            else { throw IndexArchiveReader.Malformed(description: "a tokenized word's raw word or token is out of range") }
            // An ASCII word's answer: (token id + 1) | role << 32 | class << 34, as `pack` makes it.
            guard asciiWords.allValues({ WordLookup.isValid($0, tokens: tokens) })
            else { throw IndexArchiveReader.Malformed(description: "a known word's answer is out of range") }
            // (A segment without words — marks only, say — is cached too, with none.)
            var fits = true
            let words = self.words
            map.forEachEntry { length, entry in
                let first = Int(entry >> 16), count = Int(entry & 0xFFFF)
                guard entry >= 0, first + count <= words.count else { fits = false; return }
                for w in words[first..<(first + count)] {
                    let altFits = !w.has(.possessive) || (w.altEnd > w.start && w.altEnd <= w.end)
                    if w.start < 0 || w.start > w.end || Int(w.end) > length || !altFits { fits = false }
                }
            }
            guard fits else { throw IndexArchiveReader.Malformed(description: "a tokenized segment's words do not lie in it") }
        }
    }

    /// - Parameter queueLookups: whether word-table look-ups are queued (``QueuedLookup``); by
    ///   default when there are tokenized names (the tests compare both ways).
    package init(vocabulary: ByteMap, known: Segments?, wordClasses: WordClassTable, bounded: Bool, queueLookups: Bool? = nil) {
        self.vocabulary = vocabulary
        self.wordClasses = wordClasses
        self.known = known
        self.bounded = bounded
        deferLookups = known != nil && queueLookups ?? true
    }

    /// Every name's words and non-ASCII segments, tokenized, for ``NameIndex`` to keep: text that
    /// spells a name as the gazetteer records it then never takes the slow path.
    package static func segments(of names: [String], vocabulary: ByteMap, wordClasses: WordClassTable) -> Segments {
        var tokenizer = Tokenizer(vocabulary: vocabulary, known: nil, wordClasses: wordClasses, bounded: false)
        var words: [Word] = []
        for name in names {
            var bytes = Array(name.utf8)
            bytes.withUnsafeMutableBufferPointer { tokenizer.tokenize(UnsafeBufferPointer($0), into: &words) }
        }
        var known = tokenizer.segments
        known.asciiWords = tokenizer.asciiCache
        return known
    }

    /// Length of a separator at `i`: ASCII punctuation and space, and the common non-ASCII ones
    /// (no-break space, dashes, curly double quotes, « », bullet, ellipsis); 0 when `i` is word material.
    @inline(__always) static package func separatorLength(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = p[i]
        if b < 0x80 { return ByteClass.isWordMaterial(b) ? 0 : 1 }
        if b == 0xC2, i + 1 < p.count, p[i + 1] == 0xA0 || p[i + 1] == 0xAB || p[i + 1] == 0xBB { return 2 }
        if b == 0xE2, i + 2 < p.count, p[i + 1] == 0x80 {
            switch p[i + 2] {
            case 0x90...0x95, 0x9C, 0x9D, 0xA2, 0xA6: return 3
            default: return 0
            }
        }
        return 0
    }

    // MARK: - Words

    /// Appends the words of `text` (markup already blanked) to `words`.
    package mutating func tokenize(_ text: UnsafeBufferPointer<UInt8>, into words: inout [Word]) {
        words.removeAll(keepingCapacity: true)
        rawWords.removeAll(keepingCapacity: true)
        invalidOffsets.removeAll(keepingCapacity: true)
        if bounded, asciiCache.count > Self.cacheLimit { asciiCache.removeAll() }
        if bounded, unicodeCache.count > Self.cacheLimit { unicodeCache.removeAll(keepingCapacity: true) }
        if deferLookups { listUpcomingSegments(text) }
        let n = text.count
        // Words' offsets are Int32 (the plain-word path converts them without a check).
        precondition(n <= Int(Int32.max), "a block of text of 2 GiB or more")
        var i = 0
        var previousEnd = -1
        // (The queued look-ups are settled as they are queued, `lookAhead` behind: see
        // ``queueLookup(_:count:word:settlingIn:)``.)
        while i < n {
            let sep = Self.separatorLength(text, i)
            if sep > 0 { i += sep; continue }
            let before = words.count
            // How the word joins the one before, given to it as it is made.
            let join = Self.separatorFlags(text, previousEnd, i, sameSegment: false)
            if let end = plainASCIIRun(text, i, joining: join, into: &words) {
                previousEnd = end
                i = end
                continue
            }
            // A segment: word material up to the next separator.
            var j = i
            var ascii = true
            while j < n {
                let b = text[j]
                if b < 0x80 {
                    if ByteClass.isWordMaterial(b) { j += 1; continue }
                    break
                }
                if Self.separatorLength(text, j) > 0 { break }
                let ign = ByteClass.apostropheLength(text, j)
                if ign > 0 { j += ign; continue }
                ascii = false
                j += 1
            }
            if ascii {
                asciiWord(text, i, j, into: &words)
            } else {
                cachedUnicodeSegment(text, i, j, into: &words)
            }
            for w in before..<words.count {
                let start = Int(words[w].start)
                words[w].shape.formUnion(Self.separatorFlags(text, previousEnd, start, sameSegment: w > before && words[w - 1].end >= words[w].start))
                previousEnd = max(previousEnd, Int(words[w].end))
            }
            i = j
        }
        settleQueued(leaving: 0, in: &words)
    }

    /// How one space (or a tab) joins two words: in one span and one phrase.
    static let spaceJoin: WordShape = [.spanJoin, .phraseJoin]

    /// How the bytes between two words join them.
    /// One space or tab, or one hyphen (most separators), is answered at once, inline.
    @inline(__always)
    package static func separatorFlags(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, sameSegment: Bool) -> WordShape {
        if sameSegment { return spaceJoin }
        guard from >= 0 else { return [] }
        if to - from == 1 {
            switch p[from] {
            case 0x20, 0x09: return spaceJoin
            case 0x2D: return [.spanJoin, .phraseJoin, .hyphenBefore]
            default: break
            }
        }
        return scannedSeparatorFlags(p, from, to)
    }

    /// ``separatorFlags(_:_:_:sameSegment:)`` of a longer separator, byte by byte.
    private static func scannedSeparatorFlags(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> WordShape {
        var newlines = 0, onlySpaces = true, spanOK = true
        var i = from
        while i < to {
            let b = p[i]
            switch b {
            case 0x20, 0x09:
                i += 1
            case 0x0A:
                newlines += 1; onlySpaces = false; i += 1
            case 0x0D:
                onlySpaces = false; i += 1
            case 0x2D, 0x2C, 0x27, 0x60:  // hyphen, comma, apostrophes (ByteClass.isApostrophe)
                onlySpaces = false; i += 1
            default:
                onlySpaces = false
                if b == 0xC2, i + 1 < to, p[i + 1] == 0xA0 { i += 2; continue }
                if b == 0xE2, i + 2 < to, p[i + 1] == 0x80, (0x90...0x95).contains(p[i + 2]) || ByteClass.isCurlyApostrophe(p, i, before: to) { i += 3; continue }
                spanOK = false
                i = to
            }
        }
        var shape: WordShape = []
        if spanOK, newlines <= 1 { shape.insert(.spanJoin) }
        if onlySpaces, to > from { shape.insert(.phraseJoin) }
        return shape
    }

    /// A word's letters and digits as they are folded, one byte at a time: lower-cased into a
    /// buffer, capitals and letters counted.
    package struct ASCIIFold {
        package var upper = 0, letters = 0, count = 0

        /// Two letters or more, all capitals ("UN", "ISIS"; not "A" or "B52").
        package var allCaps: Bool { letters >= 2 && upper == letters }

        /// Adds a letter or digit.
        @inline(__always)
        package mutating func add(_ byte: UInt8, to out: UnsafeMutableBufferPointer<UInt8>) {
            var b = byte
            if b >= 0x41, b <= 0x5A {
                upper += 1; letters += 1; b |= 0x20
            } else if b >= 0x61 {
                letters += 1
            }
            out[count] = b
            count += 1
        }
    }

    private mutating func asciiWord(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, into words: inout [Word]) {
        // One pass: the letters and digits folded into `scratch` (apostrophes and backticks
        // dropped), the first and last of them.
        if scratch.count < to - from { scratch = [UInt8](repeating: 0, count: max(64, 2 * (to - from))) }
        var first = -1, last = -1
        var fold = ASCIIFold()
        scratch.withUnsafeMutableBufferPointer { out in
            var i = from
            while i < to {
                if ByteClass.isAlnum(p[i]) {
                    if first < 0 { first = i }
                    last = i
                    fold.add(p[i], to: out)
                    i += 1
                } else {
                    i += max(1, ByteClass.apostropheLength(p, i))
                }
            }
        }
        guard first >= 0 else { return }
        finishASCIIWord(p, first: first, last: last, count: fold.count, allCaps: fold.allCaps, hash: scratchHash(fold.count), into: &words)
    }

    /// ``byteHash(_:)`` of the first `count` bytes of `scratch`.
    private func scratchHash(_ count: Int) -> UInt64 {
        scratch.withUnsafeBufferPointer { byteHash(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Plain words (``plainASCIIWord(_:_:joining:into:)``) one space apart from `from` — most of
    /// prose: the end of the last one read, or nil (nothing appended) when the first is not plain.
    /// One loop with the word reader inlined into it: a call per word cost a tenth of the reader.
    private mutating func plainASCIIRun(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, joining first: WordShape, into words: inout [Word]) -> Int? {
        let n = p.count
        var at = from, join = first, end = -1
        while let next = plainASCIIWord(p, at, joining: join, into: &words) {
            end = next
            guard next + 1 < n, p[next] == 0x20, ByteClass.isAlnum(p[next + 1]) else { break }
            at = next + 1
            join = Self.spaceJoin
        }
        return end >= 0 ? end : nil
    }

    /// A word of ASCII letters and digits only, ended by an ASCII separator or the end of the text
    /// (most words of English prose), in one pass: its end, or nil (nothing appended) when the
    /// letters run into an apostrophe or a non-ASCII byte, which the general path handles.
    @inline(__always)
    private mutating func plainASCIIWord(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, joining join: WordShape, into words: inout [Word]) -> Int? {
        // Eight bytes at a time: the word's extent, capitals, letters and hash worked out on two
        // words of text, for words of up to 15 letters with 16 bytes of text from their start.
        guard from + 16 <= p.count, let base = p.baseAddress else { return plainASCIIWordByBytes(p, from, joining: join, into: &words) }
        let raw = UnsafeRawPointer(base + from)
        var low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)), high: UInt64 = 0
        // The digits are flagged with the stops (the same lane test, shared) and masked with the
        // word's bytes below: each lane is tested on its own, so masking the flags is flagging
        // the masked bytes.
        var digitsLow = ByteLanes.digits(low), digitsHigh: UInt64 = 0
        let length: Int
        let stopLow = ByteLanes.notAlnum(low)
        if stopLow != 0 {
            length = stopLow.trailingZeroBitCount >> 3
        } else {
            high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            digitsHigh = ByteLanes.digits(high)
            let stopHigh = ByteLanes.notAlnum(high)
            guard stopHigh != 0 else { return plainASCIIWordByBytes(p, from, joining: join, into: &words) }
            length = 8 + stopHigh.trailingZeroBitCount >> 3
        }
        guard length > 0 else { return nil }
        let next = p[from + length]
        if next >= 0x80 || ByteClass.isApostrophe(next) { return nil }
        // (The second lane's capitals only for a word past eight bytes: otherwise it is 0.)
        var upperHigh: UInt64 = 0
        if length < 8 {
            let mask: UInt64 = (1 << UInt64(8 * length)) - 1
            low &= mask
            digitsLow &= mask
        } else {
            let mask: UInt64 = (1 << UInt64(8 * (length - 8))) - 1
            high &= mask
            digitsHigh &= mask
            upperHigh = ByteLanes.upper(high)
        }
        let upperLow = ByteLanes.upper(low)
        let foldedLow = low | upperLow >> 2, foldedHigh = high | upperHigh >> 2
        // Two letters or more, and all capitals (two letters or more, each a capital) — by
        // comparing lanes, not counting them (a population count is a long sequence where the
        // processor has none). Most words need neither lane: every byte is a letter or a digit, so
        // without a digit the length tells the first, and a word that starts in lower case is not
        // all capitals.
        var allCaps = false, twoLetters = length >= 2
        if low & 0xFF < 0x61 || digitsLow | digitsHigh != 0 {
            let lettersLow = ByteLanes.lowerLetters(foldedLow), lettersHigh = ByteLanes.lowerLetters(foldedHigh)
            twoLetters = lettersLow & (lettersLow &- 1) != 0 || lettersHigh & (lettersHigh &- 1) != 0 || (lettersLow != 0 && lettersHigh != 0)
            allCaps = twoLetters && lettersLow == upperLow && lettersHigh == upperHigh
        }
        var shape = join.union(twoLetters ? [.lettersAndDigits, .twoLetters] : .lettersAndDigits)
        let f = UInt8(truncatingIfNeeded: low)
        if f >= 0x41, f <= 0x5A { shape.insert(.capital) } else if f >= 0x61 { shape.insert(.lower) }
        if allCaps { shape.insert(.allCaps) }
        // The folded bytes go to `scratch` only when a look-up needs them: most words are answered
        // by the cache of recent words from the packed form alone. (No possessive: a word of
        // letters and digits has no apostrophe before a final s.)
        let packed = RecentWords.pack(low: foldedLow, high: foldedHigh, count: length)
        let value: Int64
        if !deferLookups {
            fillScratch(packed)
            value = asciiLookup(count: length, hash: Self.hash(packed, count: length), packed: packed).packed
        } else if let known = recent.value(packed) {
            value = known
        } else {
            queueLookup(packed, count: length, word: words.count, settlingIn: &words)
            value = 0  // token -1, plain, no classes until the look-up is settled
        }
        // (Offsets fit in Int32: `tokenize` checks the text's length.)
        words.append(Word(start: Int32(truncatingIfNeeded: from), end: Int32(truncatingIfNeeded: from + length), lookup: WordLookup(packed: value), shape: shape))
        return from + length
    }

    /// Queues the look-up of word `word` (packed, `count` bytes) in the word tables, its slot asked
    /// for, and settles the one `lookAhead` before it (whose word is in `words`; `word` is not yet).
    /// Settled here, not tested for after every word: only a queued look-up makes one due.
    @inline(never)
    private mutating func queueLookup(_ packed: (low: UInt64, high: UInt64), count: Int, word: Int, settlingIn words: inout [Word]) {
        let hash = Self.hash(packed, count: count)
        known.unsafelyUnwrapped.asciiWords.prefetch(hash: hash)
        queued.append(QueuedLookup(word: Int32(truncatingIfNeeded: word), count: Int32(truncatingIfNeeded: count), hash: hash, packed: packed))
        if queued.count - settled > Self.lookAhead { settleQueued(leaving: Self.lookAhead, in: &words) }
    }

    /// ``plainASCIIWord(_:_:joining:into:)`` a byte at a time (near the end of the text, long words).
    private mutating func plainASCIIWordByBytes(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, joining join: WordShape, into words: inout [Word]) -> Int? {
        let n = p.count
        var fold = ASCIIFold()
        let end: Int? = scratch.withUnsafeMutableBufferPointer { out in
            var i = from
            while i < n, fold.count < out.count, ByteClass.isAlnum(p[i]) {
                fold.add(p[i], to: out)
                i += 1
            }
            if i < n, fold.count == out.count || p[i] >= 0x80 || ByteClass.isApostrophe(p[i]) { return nil }
            return i
        }
        guard let end, end > from else { return nil }
        finishASCIIWord(p, first: from, last: end - 1, count: fold.count, allCaps: fold.allCaps, hash: scratchHash(fold.count),
                        joining: join.union(fold.letters >= 2 ? [.lettersAndDigits, .twoLetters] : .lettersAndDigits), into: &words)
        return end
    }

    /// Appends the word of `count` lower-cased letters and digits (`allCaps`: written in
    /// capitals): its shape, its token and, for ’s or 's at its end, the possessive form. The
    /// bytes are in `scratch`, or when `packed` is given, packed as ``RecentWords/pack(_:count:)``
    /// packs them (and written to `scratch` only if a look-up needs them). `hash` is
    /// ``byteHash(_:)`` of those bytes (nil with `packed`: worked out from it when a look-up needs it); `join`, the shape to start from: how it joins the word
    /// before (none when the caller sets that afterwards) and what is known of its letters.
    private mutating func finishASCIIWord(_ p: UnsafeBufferPointer<UInt8>, first: Int, last: Int, count: Int, allCaps: Bool, hash: UInt64?,
                                          joining join: WordShape = [], packed: (low: UInt64, high: UInt64)? = nil, into words: inout [Word]) {
        var shape = join
        let f = p[first]
        if f >= 0x41, f <= 0x5A { shape.insert(.capital) } else if f >= 0x61 { shape.insert(.lower) }
        if allCaps { shape.insert(.allCaps) }
        let answer = wordLookup(count: count, hash: hash, packed: packed)
        var word = Word(start: Int32(first), end: Int32(last + 1), token: answer?.token ?? -1, role: answer?.role ?? .plain, shape: shape, classes: answer?.classes ?? [])
        if answer == nil { queued[queued.count - 1].word = Int32(words.count) }
        // Possessive: ’s or 's at the end.
        if count >= 3, p[last] | 0x20 == 0x73, last > first {
            let k = last - 1
            if var apostrophe = ByteClass.possessiveApostrophe(endingAt: k, p), apostrophe > first {
                if let packed { fillScratch(packed) }
                // The stem ends before the whole run of apostrophes (an entity the markup mask
                // wrote as apostrophes, "Arsaal&#39;s": a fix must not end inside it).
                while apostrophe - 1 > first, p[apostrophe - 1] == ByteClass.asciiApostrophe { apostrophe -= 1 }
                word.shape.insert(.possessive)
                word.altEnd = Int32(apostrophe)
                word.altToken = asciiLookup(count: count - 1, hash: scratchHash(count - 1)).token
            }
        }
        words.append(word)
        // A look-up queued for it may make the one `lookAhead` before it due (settled after the
        // possessive's, which reads `scratch`: settling writes it).
        if answer == nil, queued.count - settled > Self.lookAhead { settleQueued(leaving: Self.lookAhead, in: &words) }
    }

    /// A look-up of the gazetteer's word table waiting for its slot to reach the cache: the word,
    /// its bytes packed and their hash.
    package struct QueuedLookup {
        package var word: Int32
        package var count: Int32
        package var hash: UInt64
        package var packed: (low: UInt64, high: UInt64)
    }

    /// How many queued look-ups wait while the words after them are read. A word of a name is
    /// seldom in the CPU cache (the table is tens of MB) and a random read from memory takes
    /// ~200 ns here; looked up as they came, those waits came one after another. Queued with their
    /// slot asked for, they overlap the reading of the next words.
    package static let lookAhead = 8

    /// `asciiLookup` for a word of the text: from the cache of recent words at once; else, with the
    /// gazetteer's word table (large inputs), nil and the look-up queued with its slot asked for
    /// (the caller sets the queued entry's word; ``settleQueued(leaving:in:)`` fills the word in).
    @inline(__always)
    private mutating func wordLookup(count: Int, hash given: UInt64?, packed known: (low: UInt64, high: UInt64)?) -> WordLookup? {
        guard deferLookups, let packed = known ?? scratch.withUnsafeBufferPointer({ RecentWords.pack($0, count: count) }) else {
            if let known { fillScratch(known) }
            return asciiLookup(count: count, hash: given ?? Self.hash(known!, count: count), packed: known)
        }
        if let value = recent.value(packed) { return WordLookup(packed: value) }
        let hash = given ?? Self.hash(packed, count: count)
        self.known.unsafelyUnwrapped.asciiWords.prefetch(hash: hash)
        queued.append(QueuedLookup(word: -1, count: Int32(count), hash: hash, packed: packed))
        return nil
    }

    /// Writes a word packed as ``RecentWords/pack(_:count:)`` packs it (up to 15 bytes) to `scratch`.
    @inline(__always)
    private mutating func fillScratch(_ packed: (low: UInt64, high: UInt64)) {
        scratch.withUnsafeMutableBytes {
            $0.storeBytes(of: packed.low.littleEndian, toByteOffset: 0, as: UInt64.self)
            $0.storeBytes(of: (packed.high & 0x00FF_FFFF_FFFF_FFFF).littleEndian, toByteOffset: 8, as: UInt64.self)
        }
    }

    /// ``byteHash(_:)`` of a word packed as ``RecentWords/pack(_:count:)`` packs it.
    @inline(__always)
    private static func hash(_ packed: (low: UInt64, high: UInt64), count: Int) -> UInt64 {
        ByteHash.ofBlocks(head: packed.low, tail: packed.high & 0x00FF_FFFF_FFFF_FFFF, count: count)
    }

    /// Does the queued look-ups but the last `leaving`, in order, and fills in their words.
    private mutating func settleQueued(leaving: Int, in words: inout [Word]) {
        while queued.count - settled > leaving {
            let q = queued[settled]
            settled += 1
            fillScratch(q.packed)
            let answer = asciiLookup(count: Int(q.count), hash: q.hash, packed: q.packed)
            (words[Int(q.word)].token, words[Int(q.word)].role, words[Int(q.word)].classes) = (answer.token, answer.role, answer.classes)
        }
        if settled == queued.count {
            queued.removeAll(keepingCapacity: true)
            settled = 0
        }
    }

    /// Token id, role and class of the first `count` bytes of `scratch` (whose ``byteHash(_:)`` is
    /// `hash`), through the cache.
    private mutating func asciiLookup(count: Int, hash: UInt64, packed known: (low: UInt64, high: UInt64)? = nil) -> WordLookup {
        let packed = known ?? scratch.withUnsafeBufferPointer { RecentWords.pack($0, count: count) }
        if let packed, let value = recent.value(packed) { return WordLookup(packed: value) }
        let result = tableLookup(count: count, hash: hash)
        if let packed { recent.set(packed, value: result.packed) }
        return result
    }

    /// `asciiLookup` through the gazetteer's word table and the text's own cache.
    private mutating func tableLookup(count: Int, hash: UInt64) -> WordLookup {
        let hit: Int64? = scratch.withUnsafeBufferPointer { s in
            let key = UnsafeBufferPointer(rebasing: s[0..<count])
            // The gazetteer's words first (most words of the text, and every word of a name, are
            // there), then the text's own others; the two tables hold different words.
            return known?.asciiWords.value(for: key, hash: hash) ?? asciiCache.value(for: key, hash: hash)
        }
        if let hit { return WordLookup(packed: hit) }
        var role = NameKey.WordRole.plain
        let token: Int32 = scratch.withUnsafeBufferPointer { s in
            let key = UnsafeBufferPointer(rebasing: s[0..<count])
            let isAbu = NameKey.foldASCIIWord(key, into: &folded)
            if NameKey.isArticleASCII(key) { role = .article } else if isAbu { role = .abu }
            return folded.withUnsafeBufferPointer { vocabulary.tokenID($0) }
        }
        let classes = wordClasses.of(String(decoding: scratch[0..<count], as: UTF8.self))
        scratch.withUnsafeBufferPointer { s in
            let key = UnsafeBufferPointer(rebasing: s[0..<count])
            asciiCache.set(key, hash: hash, value: WordLookup(token: token, role: role, classes: classes).packed)
        }
        return WordLookup(token: token, role: role, classes: classes)
    }

    /// The raw word a word's `raw` refers to (non-negative): in the gazetteer's tokenized names
    /// when it has ``knownRaw`` set, else in the chunk's `rawWords`.
    private func rawString(_ raw: Int32) -> String {
        raw & Self.knownRaw != 0 ? known!.raws[Int(raw & ~Self.knownRaw)] : rawWords[Int(raw)]
    }

    /// The raw word of word `w` (for joining an Abu form with the next word).
    package func rawWord(_ w: Word, in p: UnsafeBufferPointer<UInt8>) -> String {
        if w.raw >= 0 { return rawString(w.raw) }
        var bytes: [UInt8] = []
        for i in Int(w.start)..<Int(w.end) where ByteClass.isAlnum(p[i]) { bytes.append(p[i] >= 0x41 && p[i] <= 0x5A ? p[i] | 0x20 : p[i]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Non-ASCII words

    private static let ignorable: UInt8 = 0, breaker: UInt8 = 1, letter: UInt8 = 2

    /// What NameKey's rules 1–3 make of one scalar, found by asking NameKey about it between two
    /// letters ("a\(s)b"): the letters it adds to the word being read, and where it ends words.
    /// The rules work scalar by scalar — NFKD decomposes each scalar on its own and only reorders
    /// combining marks, which rule 2 drops — so the raw words of a run of scalars are its scalars'
    /// folds put together (``rawWords(ofScalars:_:)``), without Foundation's pass over the run.
    package struct ScalarFold {
        /// Letters to append; each further part starts a new word after ending the current one.
        /// `nil` when NameKey's answer did not have the expected shape (never seen): the run
        /// is then read by NameKey itself.
        package let parts: [String]?
        package let cls: UInt8
    }

    /// The fold of a non-ASCII scalar, asked for once per scalar.
    private mutating func fold(_ s: Unicode.Scalar) -> ScalarFold {
        if let known = scalarFolds[s.value] { return known }
        let words = NameKey.words("a\(Character(s))b")
        var parts: [String]?
        if let first = words.first, let last = words.last, first.unicodeScalars.first == "a", last.unicodeScalars.last == "b" {
            let ends = words.count == 1
                ? [String(first.unicodeScalars.dropFirst().dropLast())]
                : [String(first.unicodeScalars.dropFirst())] + words.dropFirst().dropLast() + [String(last.unicodeScalars.dropLast())]
            parts = ends
        }
        let cls = words == ["ab"] ? Self.ignorable : words == ["a", "b"] ? Self.breaker : Self.letter
        let fold = ScalarFold(parts: parts, cls: cls)
        scalarFolds[s.value] = fold
        return fold
    }

    /// How a scalar behaves in a word under NameKey's rules 1–3.
    private mutating func classify(_ s: Unicode.Scalar) -> UInt8 {
        if s.isASCII {
            switch ByteClass.of(UInt8(s.value)) {
            case .alnum: return Self.letter
            case .apostrophe: return Self.ignorable
            default: return Self.breaker
            }
        }
        return fold(s).cls
    }

    /// ``NameKey/words(_:)`` of the scalars `range` of `scalars`, from the scalars' folds (the
    /// same words: a test compares the two on names in many scripts and on random scalars).
    private mutating func rawWords(ofScalars range: Range<Int>, _ p: UnsafeBufferPointer<UInt8>) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for k in range {
            let s = scalars[k].0
            if s.isASCII {
                let b = UInt8(s.value)
                if ByteClass.isAlnum(b) {
                    current.append(Unicode.Scalar(b >= 0x41 && b <= 0x5A ? b | 0x20 : b))
                } else if !ByteClass.isApostrophe(b), !current.isEmpty {
                    words.append(String(current))
                    current = String.UnicodeScalarView()
                }
                continue
            }
            guard let parts = fold(s).parts else {
                let start = scalars[range.lowerBound].1, end = scalars[range.upperBound - 1].1 + scalars[range.upperBound - 1].2
                return NameKey.words(String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self))
            }
            current.append(contentsOf: parts[0].unicodeScalars)
            for part in parts.dropFirst() {
                if !current.isEmpty { words.append(String(current)) }
                current = String.UnicodeScalarView(part.unicodeScalars)
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// `unicodeSegment` through the segment tables: the gazetteer's own, then those seen in the text.
    /// Segments with invalid UTF-8 are not cached (each is reported).
    private mutating func cachedUnicodeSegment(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, into words: inout [Word]) {
        let bytes = UnsafeBufferPointer(rebasing: p[from..<to])
        var listed: UpcomingSegment?
        if deferLookups {
            while nextSegment < upcoming.count, upcoming[nextSegment].start < from { nextSegment += 1 }
            lookAhead(p)
            if nextSegment < upcoming.count, upcoming[nextSegment].start == from, upcoming[nextSegment].end == to { listed = upcoming[nextSegment] }
        }
        // The tokenized names' entry: as looked up ahead (-1: not there), else looked up now.
        let hash = listed?.hash ?? byteHash(bytes)
        let entry = listed.map { $0.entry } ?? UpcomingSegment.notLookedUp
        if let known, let hit = entry == UpcomingSegment.notLookedUp ? known.map.value(for: bytes, hash: hash) : entry >= 0 ? entry : nil {
            append(known, hit, at: from, known: true, into: &words)
            return
        }
        if let hit = segments.map.value(for: bytes, hash: hash) {
            append(segments, hit, at: from, known: false, into: &words)
            return
        }
        let before = words.count, invalid = invalidOffsets.count
        if !possessiveOfKnownStem(p, from, to, into: &words) { unicodeSegment(p, from, to, into: &words) }
        guard invalidOffsets.count == invalid, words.count - before < 0xFFFF else { return }
        if bounded, segments.words.count > Self.cacheLimit { segments = Segments() }
        let shift = Int32(from)
        segments.map.set(bytes, hash: hash, value: Int64(segments.words.count) << 16 | Int64(words.count - before))
        for w in words[before...] {
            var word = w
            word.start -= shift
            word.end -= shift
            if word.has(.possessive) { word.altEnd -= shift }
            segments.raws.append(rawString(w.raw))
            word.raw = Int32(segments.raws.count - 1)
            segments.words.append(word)
        }
    }

    /// A non-ASCII segment ahead of the tokenizer: where it is, its hash, and once looked up
    /// ahead, its entry in the tokenized names' table (-1: not there).
    package struct UpcomingSegment {
        package var start: Int32
        package var end: Int32
        package var hash: UInt64
        package var entry: Int64 = UpcomingSegment.notLookedUp
        package static let notLookedUp = Int64.min
    }

    /// Lists the block's non-ASCII segments: runs of letters, digits, apostrophes and non-ASCII
    /// bytes around each non-ASCII byte, found 32 or 8 bytes at a time. A run that is not exactly
    /// a segment of the tokenizer (a non-ASCII separator inside it) is only asked for in vain.
    private mutating func listUpcomingSegments(_ p: UnsafeBufferPointer<UInt8>) {
        upcoming.removeAll(keepingCapacity: true)
        nextSegment = 0
        guard let base = p.baseAddress else { return }
        let raw = UnsafeRawPointer(base), n = p.count
        @inline(__always) func material(_ b: UInt8) -> Bool { ByteClass.isWordMaterial(b) }
        @inline(__always) func word(_ at: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
        var i = 0
        while i < n {
            // 32 bytes at a time while they are all ASCII (most of a text), then 8.
            if i + 32 <= n, (word(i) | word(i + 8) | word(i + 16) | word(i + 24)) & ByteLanes.highBits == 0 {
                i += 32
                continue
            }
            if i + 8 <= n, word(i) & ByteLanes.highBits == 0 {
                i += 8
                continue
            }
            guard p[i] >= 0x80 else { i += 1; continue }
            var start = i, end = i + 1
            while start > 0, material(p[start - 1]) { start -= 1 }
            while end < n, material(p[end]) { end += 1 }
            upcoming.append(UpcomingSegment(start: Int32(start), end: Int32(end), hash: byteHash(UnsafeBufferPointer(rebasing: p[start..<end]))))
            i = end
        }
        for k in 0..<min(upcoming.count, 2 * Self.lookAhead) { known.unsafelyUnwrapped.map.prefetch(hash: upcoming[k].hash) }
    }

    /// Works ahead of the tokenizer on the listed segments, in two stages whose reads each wait
    /// for memory: sixteen segments ahead, asks for the table slot; eight ahead (the slot in
    /// cache by now), looks the segment up and asks for its words.
    private mutating func lookAhead(_ p: UnsafeBufferPointer<UInt8>) {
        let table = known.unsafelyUnwrapped
        if nextSegment + 2 * Self.lookAhead < upcoming.count { table.map.prefetch(hash: upcoming[nextSegment + 2 * Self.lookAhead].hash) }
        let k = nextSegment + Self.lookAhead
        guard k < upcoming.count, upcoming[k].entry == UpcomingSegment.notLookedUp else { return }
        let u = upcoming[k]
        let entry = table.map.value(for: UnsafeBufferPointer(rebasing: p[Int(u.start)..<Int(u.end)]), hash: u.hash) ?? -1
        upcoming[k].entry = entry
        if entry >= 0 { table.words.withUnsafeBufferPointer { $0.prefetch(Int(entry >> 16)) } }
    }

    /// A segment the gazetteer's tokenized names hold followed by ’s or 's ("Милерово’s", which
    /// they do not hold): the stem's words from the table, its last run's words stretched over the
    /// s, and the last one made the possessive form — what ``unicodeSegment(_:_:_:into:)`` makes of
    /// it (a test compares the two on names in many scripts), without decoding and folding the whole
    /// segment again: one word is looked up instead. False (nothing appended) when the segment is
    /// not of that shape.
    private mutating func possessiveOfKnownStem(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, into words: inout [Word]) -> Bool {
        guard let known, to - from >= 3, p[to - 1] | 0x20 == 0x73 else { return false }
        guard let stemEnd = ByteClass.possessiveApostrophe(endingAt: to - 2, p), stemEnd > from else { return false }
        let stem = UnsafeBufferPointer(rebasing: p[from..<stemEnd])
        guard let entry = known.map.value(for: stem, hash: byteHash(stem)), entry & 0xFFFF > 0 else { return false }
        let count = Int(entry & 0xFFFF), last = known.words[Int(entry >> 16) + count - 1]
        // The stem's last run of word material must reach its end: after its last letter, only
        // scalars that are dropped inside a word (a breaker would start a run of its own).
        var i = from + Int(last.end)
        while i < stemEnd {
            guard let (scalar, length) = Self.decode(p, i, stemEnd), classify(scalar) == Self.ignorable else { return false }
            i += length
        }
        let raw = known.raws[Int(last.raw)] + "s"
        guard raw.count >= 3 else { return false }  // not a possessive for the slow path either
        append(known, entry, at: from, known: true, into: &words)
        // The words of the last run share its first and last letter: they now end after the s.
        let runStart = words[words.count - 1].start, runEnd = words[words.count - 1].end
        var k = words.count - 1
        while k >= words.count - count, words[k].start == runStart, words[k].end == runEnd {
            words[k].end = Int32(to)
            k -= 1
        }
        let answer = unicodeLookup(raw)
        var word = words[words.count - 1]
        (word.token, word.role, word.classes) = (answer.token, answer.role, answer.classes)
        word.shape.insert(.possessive)
        word.altEnd = Int32(stemEnd)
        word.altToken = last.token  // the stem's last word: the raw without the s, looked up
        rawWords.append(raw)
        word.raw = Int32(rawWords.count - 1)
        words[words.count - 1] = word
        return true
    }

    /// Set in a word's `raw` when it indexes the gazetteer's tokenized names (`known.raws`): those
    /// are kept as they are, where the text's own are copied per chunk (their table may be reset).
    package static let knownRaw: Int32 = 1 << 30

    /// Appends a cached segment's words, placed at byte `from`; `known` when `table` is the gazetteer's.
    private mutating func append(_ table: Segments, _ entry: Int64, at from: Int, known: Bool, into words: inout [Word]) {
        let shift = Int32(from), first = Int(entry >> 16)
        for k in first..<(first + Int(entry & 0xFFFF)) {
            var word = table.words[k]
            word.start += shift
            word.end += shift
            if word.has(.possessive) { word.altEnd += shift }
            if known {
                word.raw |= Self.knownRaw
            } else {
                rawWords.append(table.raws[Int(word.raw)])
                word.raw = Int32(rawWords.count - 1)
            }
            words.append(word)
        }
    }

    private mutating func unicodeSegment(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, into words: inout [Word]) {
        decodeScalars(p, from, to)
        var k = 0
        while k < scalars.count {
            while k < scalars.count, classify(scalars[k].0) == Self.breaker { k += 1 }
            var m = k
            while m < scalars.count, classify(scalars[m].0) != Self.breaker { m += 1 }
            if m > k { subword(p, k..<m, into: &words) }
            k = m
        }
    }

    /// Decodes bytes `from..<to` into `scalars`, validating: an invalid sequence is reported and
    /// read as a space (a separator).
    private mutating func decodeScalars(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) {
        scalars.removeAll(keepingCapacity: true)
        var i = from
        while i < to {
            if let (s, len) = Self.decode(p, i, to) {
                scalars.append((s, i, len))
                i += len
            } else {
                invalidOffsets.append(i)
                scalars.append((" ", i, 1))
                i += 1
            }
        }
    }

    /// The words of the scalars `range` of `scalars` (one run without breakers).
    private mutating func subword(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into words: inout [Word]) {
        var firstLetter = -1, lastLetter = -1
        for k in range where classify(scalars[k].0) == Self.letter {
            if firstLetter < 0 { firstLetter = k }
            lastLetter = k
        }
        guard firstLetter >= 0 else { return }
        let start = scalars[firstLetter].1
        let end = scalars[lastLetter].1 + scalars[lastLetter].2
        let raws = rawWords(ofScalars: range.lowerBound..<(lastLetter + 1), p)
        let head = scalars[firstLetter].0.properties
        var shape: WordShape = .nonASCII
        if head.isUppercase { shape.insert(.capital) } else if head.isLowercase { shape.insert(.lower) }
        var possessive = false
        if lastLetter >= range.lowerBound + 2, scalars[lastLetter].0 == "s" || scalars[lastLetter].0 == "S",
            ByteClass.possessiveScalars.contains(scalars[lastLetter - 1].0)
        {
            possessive = true
        }
        for (n, raw) in raws.enumerated() {
            let answer = unicodeLookup(raw)
            var word = Word(start: Int32(start), end: Int32(end), token: answer.token, role: answer.role, shape: shape, classes: answer.classes)
            word.raw = Int32(rawWords.count)
            rawWords.append(raw)
            if possessive, n == raws.count - 1, raw.count >= 3, raw.hasSuffix("s") {
                word.shape.insert(.possessive)
                var stemEnd = lastLetter - 1  // before the whole run of apostrophes, as for ASCII words
                while stemEnd - 1 > range.lowerBound, scalars[stemEnd - 1].0 == "'" { stemEnd -= 1 }
                word.altEnd = Int32(scalars[stemEnd].1)
                word.altToken = unicodeLookup(String(raw.dropLast())).token
            }
            words.append(word)
        }
    }

    private mutating func unicodeLookup(_ raw: String) -> WordLookup {
        if let ascii = asciiRawLookup(raw) { return ascii }
        if let hit = unicodeCache[raw] { return hit }
        let value = WordLookup(token: vocabulary.tokenID(NameKey.standaloneToken(ofWord: raw)), role: NameKey.role(ofWord: raw), classes: wordClasses.of(raw))
        unicodeCache[raw] = value
        return value
    }

    /// ``rawWords(ofScalars:_:)`` of a whole text (for the tests that compare it with NameKey).
    package mutating func rawWordsByFolds(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { p in
            decodeScalars(p, 0, p.count)
            return rawWords(ofScalars: 0..<scalars.count, p)
        }
    }

    /// A raw word that is all ASCII (a Latin word once its marks are dropped: "Ḩumaymah" gives
    /// "humaymah") looked up as the ASCII words of the text are: the same token, role and class
    /// (``NameKey/foldASCIIWord(_:into:)`` is the standalone token on bytes), from the same
    /// tables. Nil when the word is not ASCII.
    private mutating func asciiRawLookup(_ raw: String) -> WordLookup? {
        var raw = raw
        let count: Int? = raw.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            if scratch.count < bytes.count { scratch = [UInt8](repeating: 0, count: max(64, 2 * bytes.count)) }
            scratch.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
            return bytes.count
        }
        guard let count else { return nil }
        return asciiLookup(count: count, hash: scratchHash(count))
    }

    /// Decodes one UTF-8 scalar at `i` (strictly: no overlongs, surrogates or values past U+10FFFF).
    package static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (Unicode.Scalar, Int)? {
        let b0 = p[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let len: Int, minValue: UInt32
        var v: UInt32
        switch b0 {
        case 0xC2...0xDF: len = 2; v = UInt32(b0 & 0x1F); minValue = 0x80
        case 0xE0...0xEF: len = 3; v = UInt32(b0 & 0x0F); minValue = 0x800
        case 0xF0...0xF4: len = 4; v = UInt32(b0 & 0x07); minValue = 0x10000
        default: return nil
        }
        guard i + len <= end else { return nil }
        for k in 1..<len {
            let b = p[i + k]
            guard b & 0xC0 == 0x80 else { return nil }
            v = v << 6 | UInt32(b & 0x3F)
        }
        guard v >= minValue, v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v), let s = Unicode.Scalar(v) else { return nil }
        return (s, len)
    }
}

/// A small direct-mapped cache of words of up to 15 bytes in front of the word tables: the few
/// thousand words that make up most of a text ("the", "convoy", "near") are answered from 96 KiB
/// that stay in the CPU's second-level cache, one compare each, instead of three reads of a table
/// of a million. (4096 slots: 1024 missed a word in nine, each miss a queued look-up of ~480
/// instructions; 16384 slots saved 4 M instructions per 5 MB more, from a table past that cache.)
/// A word is packed into two integers (its bytes, and its length + 1 in the top byte), which is
/// the whole word: the slot compares those, and an empty slot (all zero) matches none.
package struct RecentWords {
    private struct Slot {
        package var low: UInt64 = 0
        package var high: UInt64 = 0
        package var value: Int64 = 0
    }

    private static let slotBits = 12
    private static let size = 1 << slotBits
    private var slots = [Slot](repeating: Slot(), count: RecentWords.size)

    /// The first `count` bytes of `bytes` packed, or nil when there are more than 15 (`bytes` must
    /// hold at least 16 bytes: the bytes past `count` are masked off).
    @inline(__always)
    package static func pack(_ bytes: UnsafeBufferPointer<UInt8>, count: Int) -> (low: UInt64, high: UInt64)? {
        guard count <= 15, bytes.count >= 16, let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let lowBytes = min(count, 8), highBytes = count - lowBytes
        let lowMask: UInt64 = lowBytes == 8 ? .max : (1 << UInt64(lowBytes * 8)) - 1
        let highMask: UInt64 = (1 << UInt64(highBytes * 8)) - 1
        return pack(low: UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & lowMask,
                    high: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & highMask, count: count)
    }

    /// A word of `count` bytes (at most 15) whose bytes 0–7 and 8–14, zero past its end, are
    /// `low` and `high`, packed.
    @inline(__always)
    package static func pack(low: UInt64, high: UInt64, count: Int) -> (low: UInt64, high: UInt64) {
        (low, high | UInt64(count + 1) << 56)
    }

    /// The slot of a packed word: a multiply of its two halves, the top 12 bits (for 4096 slots) —
    /// a few instructions, where the word tables' ``byteHash(_:)`` is a dozen more and is needed
    /// only when the word is not here.
    @inline(__always)
    private static func slot(_ packed: (low: UInt64, high: UInt64)) -> Int {
        Int(truncatingIfNeeded: ((packed.low ^ packed.high) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slotBits))
    }

    @inline(__always)
    package func value(_ packed: (low: UInt64, high: UInt64)) -> Int64? {
        slots.withUnsafeBufferPointer { slots in
            let slot = slots[Self.slot(packed)]
            return slot.high == packed.high && slot.low == packed.low ? slot.value : nil
        }
    }

    @inline(__always)
    package mutating func set(_ packed: (low: UInt64, high: UInt64), value: Int64) {
        slots[Self.slot(packed)] = Slot(low: packed.low, high: packed.high, value: value)
    }
}
