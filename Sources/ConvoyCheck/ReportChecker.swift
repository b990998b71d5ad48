import ConvoyGazetteer
@_exported import ConvoyScan

/// Checks the place names in reports, like a compiler: finds every mention of a gazetteer place
/// (longest match, any recorded spelling or normalised variant, Latin or Arabic script) and reports
/// notes (variants), warnings (ambiguous names) and errors (misspellings, unknown places).
///
/// The text is read in blocks and scanned once: memory is bounded by the gazetteer index and one
/// block, not by the text. A checker keeps caches and per-report state, so use one per thread.
public final class ReportChecker {
    /// What to look for and report.
    public struct Options: Sendable {
        /// Report place-like phrases that are not in the gazetteer (needs `suggest` for suggestions).
        public var findUnknownPlaces = true
        /// Read size; a block is cut at its last blank line or line break.
        public var blockSize = 1 << 20
        /// At most this many invalid UTF-8 sequences are reported one by one per report.
        public var invalidUTF8Limit = 10
        /// With a fix: also write recorded variants as their place's canonical name (in their own
        /// script), not only misspellings (`convoy check --fix --fix-variants`).
        public var fixVariants = false

        public init(findUnknownPlaces: Bool = true, blockSize: Int = 1 << 20) {
            self.findUnknownPlaces = findUnknownPlaces
            self.blockSize = blockSize
        }
    }

    /// Counts for one report.
    public struct Summary: Sendable, Hashable {
        public var bytes = 0
        public var mentions = 0
        public var notes = 0
        public var warnings = 0
        public var errors = 0
        /// Names replaced in the text handed to `fix` (0: the fixed text equals the report).
        public var fixes = 0
        /// The places mentioned, one bit per place of the index (`placeIDs`): a long report
        /// mentions 100,000s, and their ids are hashed into a set only when asked for.
        var mentioned = BitSet(count: 0)
        var placeIDs: [String] = []

        public init() {}

        /// Distinct place ids mentioned.
        public var places: Set<String> { Set(mentioned.members.map { placeIDs[$0] }) }

        /// How many distinct places were mentioned.
        public var placeCount: Int { mentioned.memberCount }

        /// Counts a diagnostic by its severity.
        mutating func count(_ d: Diagnostic) {
            switch d.severity {
            case .note: notes += 1
            case .warning: warnings += 1
            case .error: errors += 1
            }
        }

        /// Adds another report's counts and places (both checked with the same index).
        public mutating func add(_ other: Summary) {
            bytes += other.bytes
            mentions += other.mentions
            notes += other.notes
            warnings += other.warnings
            errors += other.errors
            fixes += other.fixes
            if mentioned.count == 0 {
                (mentioned, placeIDs) = (other.mentioned, other.placeIDs)
            } else if other.mentioned.count > 0 {
                mentioned.formUnion(other.mentioned)
            }
        }

        public static func == (a: Summary, b: Summary) -> Bool {
            (a.bytes, a.mentions, a.notes, a.warnings, a.errors, a.fixes) == (b.bytes, b.mentions, b.notes, b.warnings, b.errors, b.fixes)
                && a.places == b.places
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(bytes)
            hasher.combine(mentions)
            hasher.combine(placeCount)
        }
    }

    public let index: NameIndex
    public let options: Options
    /// Keys (``NameKey/key(_:)``) of phrases the rules looked up lately: a key is made through
    /// String normalisation, tens of thousands of instructions for a short phrase, and the rules
    /// ask for the same few phrases over and over (an outlet's words after a name, a name behind
    /// a proclitic). Emptied when it holds ``recentKeyLimit``.
    private var recentKeys: [String: String] = [:]
    private static let recentKeyLimit = 4096

    /// ``NameKey/key(_:)`` of a phrase, through ``recentKeys``.
    func key(_ text: String) -> String {
        if let key = recentKeys[text] { return key }
        if recentKeys.count >= Self.recentKeyLimit { recentKeys.removeAll(keepingCapacity: true) }
        let key = NameKey.key(text)
        recentKeys[text] = key
        return key
    }
    /// The base letter of each accented letter met in a recorded name ("ā" → "a"; 0: none),
    /// folded by Foundation once: ``isRecordedApartFromMarks(_:key:)`` reads names a scalar at a time.
    var baseLetters: [UInt32: UInt8] = [:]
    /// Suggestions for a phrase and its key (``NameKey/key(_:)``, made once by the caller).
    let suggest: ((_ text: String, _ key: String) -> [NameSuggestion])?
    /// The scan engine's state for this checker: its tokenizer, and a block's words and candidates.
    let scanner: TextScanner
    /// The words of the block being checked (the scanner's, as an array: the rules read them).
    var words: [Word] = []
    /// Whether the block being checked opens a line (it does but where a line longer than a block was cut).
    var blockOpensLine = true
    // The rules' own state, reused across blocks and reports (a checker is used by one thread at a time).
    var suggestionCache: [String: [NameSuggestion]] = [:]
    var maskBuffer: [UInt8] = []
    var coveredBuffer: [Bool] = []
    /// A block's resolved candidates, kept across blocks.
    var foundBuffer: [Found] = []
    /// Keys of well-known groups, outlets and people (``knownNonPlaceNames``): not taken for a place
    /// only GeoNames records (its alternate names include "Al Qaeda").
    let nonPlaceKeys: BitSet
    /// Keys that open an outlet's name ("Syria" of "Syria Direct"): a mention of one is checked
    /// against the outlets of the rulebook.
    let outletHeadKeys: BitSet
    /// The key tokens (vocabulary ids) of the words of the rulebook's outlet names, and -1 (a token
    /// the vocabulary lacks, or none): a phrase with a plain word of another token is no outlet's
    /// name (``insideOutletName(_:_:_:)``).
    let outletNameTokens: Set<Int32>
    /// Keys of the rulebook's outlets ("SANA", "Al-Mayadeen"): a mention of one is checked for an
    /// outlet's context (``rejectedByContext(_:_:_:)``).
    let outletKeys: BitSet
    /// Misspelling diagnostics by place and text: their suggestions are costly to rank.
    var misspellingCache: [String: Diagnostic] = [:]

    /// - Parameter suggest: ranked gazetteer names resembling a phrase (e.g. from
    ///   ``Gazetteer/suggestions(for:limit:)``); without it, unknown names get no suggestions.
    public convenience init(index: NameIndex, options: Options = Options(), suggest: ((String) -> [NameSuggestion])? = nil) {
        self.init(index: index, options: options, suggestForKey: suggest.map { suggest in { text, _ in suggest(text) } })
    }

    /// A checker whose suggestions come from the gazetteer (see ``SuggestionSource``).
    public convenience init(index: NameIndex, gazetteer: Gazetteer, options: Options = Options()) {
        let source = SuggestionSource(index: index, gazetteer: gazetteer)
        self.init(index: index, options: options, suggestForKey: { source.suggestions(for: $0, key: $1) })
    }

    private init(index: NameIndex, options: Options, suggestForKey: ((_ text: String, _ key: String) -> [NameSuggestion])?) {
        self.index = index
        self.options = options
        suggest = suggestForKey
        scanner = TextScanner(index: index)
        var nonPlace = BitSet(count: index.keyCount)
        for key in Self.knownNonPlaceNames.compactMap({ index.keyIndex(of: $0) }) { nonPlace.insert(Int(key)) }
        nonPlaceKeys = nonPlace
        var heads = BitSet(count: index.keyCount)
        for name in Self.outletNames {
            let words = NameKey.key(name).split(separator: " ")
            guard words.count > 1, let k = index.keyIndex(ofKey: String(words[0])) else { continue }
            heads.insert(Int(k))
        }
        outletHeadKeys = heads
        var outletTokens: Set<Int32> = [-1]
        for name in Self.outletNames { for token in NameKey.tokens(name) { outletTokens.insert(index.tokenID(token)) } }
        outletNameTokens = outletTokens
        var outlets = BitSet(count: index.keyCount)
        for key in Self.outletNames.compactMap({ index.keyIndex(of: $0) }) { outlets.insert(Int(key)) }
        outletKeys = outlets
    }

    // MARK: - Entry points

    /// Checks a report held in memory, in blocks like a file (a block's word offsets are 32-bit,
    /// and a block's working memory stays bounded); an empty text or one holding NUL bytes is
    /// checked as it is, not reported or refused as a file would be.
    public func check(text: String, format: ReportFormat = .text) -> ReportResult {
        var result = ReportResult()
        let source = ReportSource.bytes(Array(text.utf8), displayName: "text")
        // An in-memory source never fails to read, so nothing is thrown here.
        let summary = try? checkBlocks(source, format: format, sniffing: false, fix: nil, onReplacement: nil,
                                       onMention: { result.mentions.append($0) }, onDiagnostic: { result.diagnostics.append($0) })
        result.bytes = summary?.bytes ?? 0
        return result
    }

    /// Checks a report read from `source` block by block, handing each mention and diagnostic over
    /// as it is found (in text order). With `fix`, the text is handed over too, with each resolved
    /// name replaced by its canonical name (see docs/check.md). With `onReplacement`, each
    /// replacement `fix` would make is handed over too (before the diagnostics of its block), whether
    /// or not the text is; `not-fixed` notes come only with `fix`. Throws when reading fails.
    @discardableResult
    public func check(
        _ source: ReportSource, format: ReportFormat, fix: ((_ bytes: [UInt8]) -> Void)? = nil,
        onReplacement: ((FixReplacement) -> Void)? = nil,
        onMention: (Mention) -> Void, onDiagnostic: (Diagnostic) -> Void
    ) throws(FileAccessError) -> Summary {
        try checkBlocks(source, format: format, sniffing: true, fix: fix, onReplacement: onReplacement,
                        onMention: onMention, onDiagnostic: onDiagnostic)
    }

    /// The block loop of both entry points. `sniffing`: a file's first block is looked at first (an
    /// empty file is reported, a binary one refused, a byte-order mark skipped).
    private func checkBlocks(
        _ source: ReportSource, format: ReportFormat, sniffing: Bool, fix: ((_ bytes: [UInt8]) -> Void)?,
        onReplacement: ((FixReplacement) -> Void)?,
        onMention: (Mention) -> Void, onDiagnostic: (Diagnostic) -> Void
    ) throws(FileAccessError) -> Summary {
        var state = FileState(format: format, countries: index.countryCount)
        // The counts are changed only in closures written where they are handed over (not in local
        // functions passed as values): those do not escape, so their accesses are checked when
        // compiling, not at run time on every change (two per mention, one per diagnostic).
        var summary = Summary()
        var places = BitSet(count: index.placeCount)
        // Bytes read and not yet checked, and the block being checked: both reuse their storage
        // (a fresh megabyte per block costs page faults).
        var carry: [UInt8] = [], chunk: [UInt8] = []
        var base = 0, wanted = options.blockSize
        var first = sniffing
        while true {
            let read = try source.read(upTo: options.blockSize, appendingTo: &carry)
            if first {
                first = false
                if read == 0 {
                    let empty = Diagnostic(position: TextPosition(line: 1, column: 1, offset: 0, length: 0), severity: .warning, code: .emptyFile, message: "empty file: no text to check", text: "", suggestions: [])
                    summary.count(empty)
                    onDiagnostic(empty)
                    return summary
                }
                if carry.prefix(8192).contains(0) {
                    throw FileAccessError(path: source.displayName, reason: "binary file (it contains NUL bytes); not checked")
                }
                if carry.starts(with: [0xEF, 0xBB, 0xBF]) { state.skipBOM = true }
            }
            let final = read == 0
            if !final, carry.count < wanted { continue }
            // A block grows past its size only to hold a construct that opens at its start.
            guard let cut = final ? carry.count : Self.cutPoint(carry, &state, mayGrow: carry.count < options.blockSize + MarkupMask.constructReach) else {
                wanted = carry.count + MarkupMask.constructReach
                continue
            }
            wanted = options.blockSize
            chunk.removeAll(keepingCapacity: true)
            chunk.append(contentsOf: carry[0..<cut])
            carry.removeSubrange(0..<cut)
            process(chunk, base: base, state: &state, fix: fix, onReplacement: onReplacement,
                    onMention: { summary.mentions += 1; places.insert(Int($0.place)); onMention($0) },
                    onDiagnostic: { summary.count($0); onDiagnostic($0) })
            base += chunk.count
            if final { break }
        }
        finish(&state, onDiagnostic: { summary.count($0); onDiagnostic($0) })
        summary.bytes = base
        summary.fixes = state.fixes
        (summary.mentioned, summary.placeIDs) = (places, index.placeIDs)
        return summary
    }

    /// Where to end a block: after its last blank line in the second half, else after its last line
    /// feed, else at its last space, else at a UTF-8 boundary (a line longer than a block). Nil when
    /// the block must grow (`mayGrow`) to hold a link target or code span that opens at its start.
    static func cutPoint(_ bytes: [UInt8], _ state: inout FileState, mayGrow: Bool = false) -> Int? {
        let n = bytes.count
        let (blankLineEnd, lastFeed) = lineFeedsInSecondHalf(bytes)
        if let blankLineEnd { return blankLineEnd }
        if let lastFeed { return lastFeed + 1 }
        if let feed = bytes.lastIndex(of: 0x0A) { return feed + 1 }
        state.longLine = true
        // A line longer than a block: cut at its last space, else at a UTF-8 boundary — but not
        // inside what the mask reads within one block (it reads one block at a time): a link
        // target "](…)" not closed before the cut, or a '<' or '&' just before it, which open a
        // tag or an entity with what follows. The cut then falls before them.
        var k = n
        if let space = bytes.lastIndex(where: { $0 == 0x20 || $0 == 0x09 }), space > 0 {
            k = space + 1
        } else {
            while k > 0, bytes[k - 1] & 0xC0 == 0x80 { k -= 1 }
            if k > 0, bytes[k - 1] >= 0xC0 { k -= 1 }
            if k > 0, let opener = bytes[max(0, k - 64)..<k].lastIndex(where: { $0 == 0x3C || $0 == 0x26 }), opener > 0 { k = opener }
        }
        // Nor inside a link target or (Markdown) a code span open at the cut: the next block starts
        // with it. One open from the block's first byte needs a longer block (while it may grow).
        var safe = k
        while safe > 0, let opener = openConstruct(bytes, before: safe, format: state.format), opener < safe { safe = opener }
        if safe > 0 { return safe }
        if mayGrow { return nil }
        return k > 0 ? k : n
    }

    /// The first byte of the earliest link target or code span that is open at `end` on its line.
    private static func openConstruct(_ bytes: [UInt8], before end: Int, format: ReportFormat) -> Int? {
        let link = MarkupMask.lastOpenLinkTarget(bytes, before: end)
        let span = format == .markdown ? MarkupMask.lastOpenCodeSpan(bytes, before: end) : nil
        switch (link, span) {
        case let (l?, s?): return min(l, s)
        case let (l, s): return l ?? s
        }
    }

    /// In the block's second half: the end of its last blank line ("\n\n"), and its last line feed.
    /// Read backward eight bytes at a time while they hold no line feed (most do not).
    private static func lineFeedsInSecondHalf(_ bytes: [UInt8]) -> (blankLineEnd: Int?, lastFeed: Int?) {
        let n = bytes.count
        let p = bytes.span, feeds = ByteLanes.repeated(0x0A)
        var lastFeed: Int?
        var i = n - 1
        while i > n / 2 {
            if i - 7 > n / 2, ByteLanes.equal(p.lane(at: i - 7), feeds) == 0 {
                i -= 8
                continue
            }
            if p[i] == 0x0A {
                if lastFeed == nil { lastFeed = i }
                if p[i - 1] == 0x0A { return (i + 1, lastFeed) }
            }
            i -= 1
        }
        return (nil, lastFeed)
    }

    // MARK: - Per-report state

    struct FileState {
        let format: ReportFormat
        var mask: MarkupMask
        /// Countries of the places mentioned so far: context for ambiguous names.
        var countryTally: [Int]
        /// Line and column of the last position handed out.
        var cursor = Cursor()
        var invalidCount = 0
        var firstInvalid: TextPosition?
        var longLine = false
        /// Whether the last block checked ended a line (the next one then opens one).
        var lastBlockEndedLine = true
        var longLineReported = false
        var skipBOM = false
        /// Replacements made in the fixed text so far.
        var fixes = 0
        /// Names the report has shown to be a team's or a person's (one sense per report).
        var senses = ReportSenses()

        init(format: ReportFormat, countries: Int) {
            self.format = format
            countryTally = Array(repeating: 0, count: countries)
            mask = MarkupMask(format: format)
        }
    }

    /// Names a report has shown to be something other than a place, as it writes them (case aside):
    /// one sense per report, so the same name elsewhere in it, with no locative cue before it, is
    /// that too.
    struct ReportSenses {
        /// Names a team rule has read as a sports team's ("a match against Al-Jaish"): "Al-Jaish were
        /// due to kick off" is the club too.
        var teamNames: Set<String> = []
        /// Surnames of people named with a given name or a title ("Rami Khoury", "Dr Khoury"):
        /// "Khoury added" is the person.
        var surnames: Set<String> = []

        var isEmpty: Bool { teamNames.isEmpty && surnames.isEmpty }

        /// How a name is remembered: as written, apart from case ("Al-Ramtha" the club, not "Ramtha"
        /// the town).
        static func remembered(_ text: String) -> String { text.lowercased() }
    }

    private func finish(_ state: inout FileState, onDiagnostic: (Diagnostic) -> Void) {
        if state.invalidCount > options.invalidUTF8Limit, let first = state.firstInvalid {
            onDiagnostic(Diagnostic(position: first, severity: .error, code: .invalidUTF8, message: "\(state.invalidCount) invalid UTF-8 sequences in all; only the first \(options.invalidUTF8Limit) are shown (is the file in another encoding?)", text: "", suggestions: []))
        }
    }

    // MARK: - One block

    /// A candidate that resolved, and what it resolved to.
    struct Found {
        let candidate: Candidate
        let resolution: Resolution
    }

    private func process(
        _ original: [UInt8], base: Int, state: inout FileState, fix: (([UInt8]) -> Void)?,
        onReplacement: ((FixReplacement) -> Void)?,
        onMention: (Mention) -> Void, onDiagnostic: (Diagnostic) -> Void
    ) {
        let proposing = fix != nil || onReplacement != nil
        blockOpensLine = state.lastBlockEndedLine
        state.lastBlockEndedLine = original.last == 0x0A
        // The masked copy reuses one buffer across blocks (large allocations are costly amid many small ones).
        var text = maskBuffer
        maskBuffer = []
        defer { maskBuffer = text }
        text.removeAll(keepingCapacity: true)
        text.append(contentsOf: original)
        if state.skipBOM, base == 0, text.count >= 3 { text[0] = 0x20; text[1] = 0x20; text[2] = 0x20 }
        state.mask.apply(&text)
        // Diagnostics not tied to a mention, in text order; mentions are merged in as they are resolved.
        var others: [Diagnostic] = []
        var proposals: [FixProposal] = []
        var applied: [FixProposal] = []
        var cursor = state.cursor
        func emit(_ diagnostic: Diagnostic) {
            var d = diagnostic
            let (line, column) = cursor.advance(to: d.position.offset, in: original, base: base)
            d.position = d.position.at(line: line, column: column)
            onDiagnostic(d)
        }
        // The block's masked text and bytes, as the rules read them.
        do {
            let masked = text.span, source = original.span
            scanner.tokenize(masked)
            words = scanner.words
            Self.lowerEnglishWordsOfTitleCaseLines(&words, masked)
            // Resolved first, in text order (each settles the context of the next): a candidate the
            // resolver turns down — part of an organisation's name, a GeoNames-only word not spelled
            // as recorded — leaves its words to the unknown-place search.
            var mentions = foundBuffer
            foundBuffer = []
            defer { foundBuffer = mentions }
            mentions.removeAll(keepingCapacity: true)
            do {
                let blockWords = words, words = blockWords.span  // a local: no exclusivity check per read
                let candidates = scanner.findCandidates(masked, source, rules: self)
                mentions.reserveCapacity(candidates.count)
                for i in candidates.indices {
                    // What resolving reads, asked for ahead so that the misses overlap.
                    scanner.prefetchForResolving(candidates, at: i, words, source)
                    let c = candidates[i]
                    if let resolution = resolve(c, source, words, state: &state) { mentions.append(Found(candidate: c, resolution: resolution)) }
                }
                scanner.recycle(candidates)  // its storage, for the next block
                // Arabic names behind a proclitic ("وحماة"), which the matcher does not see.
                var added = false
                for c in procliticCandidates(source, words, taken: mentions) {
                    if let resolution = resolve(c, source, words, state: &state) { mentions.append(Found(candidate: c, resolution: resolution)); added = true }
                }
                if added {
                    mentions.sort { $0.candidate.start < $1.candidate.start }
                    // A name of two words behind a proclitic holds the match of its second word:
                    // "بريف دمشق" is Rif Dimashq, not also Damascus.
                    var lastWord = -1
                    mentions.removeAll { found in
                        if found.candidate.last <= lastWord { return true }
                        lastWord = found.candidate.last
                        return false
                    }
                }
            }
            if options.findUnknownPlaces {
                var covered = coveredBuffer
                coveredBuffer = []
                defer { coveredBuffer = covered }
                covered.removeAll(keepingCapacity: true)
                covered.append(contentsOf: repeatElement(false, count: words.count))
                for found in mentions { for w in found.candidate.first...found.candidate.last { covered[w] = true } }
                for (diagnostic, proposal) in unknownPlaces(masked, source, covered: covered, base: base, senses: &state.senses) {
                    others.append(diagnostic)
                    if proposing, let proposal { proposals.append(proposal) }
                }
            }
            // A name read as a team's anywhere in the report so far, the block's later words too, is
            // the team's here (its words stay covered: it is no unknown place either).
            do {
                let blockWords = words
                dropOtherSenses(&mentions, source, blockWords.span, state.senses)
                // Two places hyphened before "governorate" are one area: flagged (its words stay covered).
                for (diagnostic, _) in dropPairNamedAsOne(&mentions, source, blockWords.span, base: base) where options.findUnknownPlaces {
                    others.append(diagnostic)
                }
            }
            for offset in scanner.invalidOffsets {
                state.invalidCount += 1
                let d = Diagnostic(position: TextPosition(line: 0, column: 0, offset: base + offset, length: 1), severity: .error, code: .invalidUTF8, message: "invalid UTF-8 byte 0x\(String(source[offset], radix: 16, uppercase: true)) at byte offset \(base + offset); read as a separator", text: "", suggestions: [])
                if state.invalidCount <= options.invalidUTF8Limit { others.append(d) }
                if state.invalidCount == 1 {
                    let (line, column) = cursor.peek(d.position.offset, in: original, base: base)
                    state.firstInvalid = d.position.at(line: line, column: column)
                }
            }
            if state.longLine, !state.longLineReported {
                state.longLineReported = true
                others.append(Diagnostic(position: TextPosition(line: 0, column: 0, offset: base + max(0, original.count - 1), length: 0), severity: .note, code: .longLine, message: "a line longer than \(options.blockSize) bytes: it is read in pieces cut at spaces, and a name spanning a cut would be missed", text: "", suggestions: []))
            }
            if proposing {
                // What --fix writes: proposals vetted for markup and glosses, the others said in notes.
                proposals += mentions.compactMap { fixProposal($0, source) }
                let names = mentions.map { NamedSpan(start: $0.candidate.start, end: $0.candidate.end, placeID: index.placeIDs[Int($0.resolution.place.place)],
                                                     text: Self.string(source, $0.candidate.start, $0.candidate.end)) }
                let vetted = vet(proposals, names: names, masked: masked, source: source, base: base)
                applied = Self.nonOverlapping(vetted.applied)
                if let onReplacement { for proposal in applied { onReplacement(proposal.replacement(base: base)) } }
                if fix != nil { others += vetted.notes }
            }
            others.sort { $0.position.offset < $1.position.offset }  // stable
            var next = 0
            for found in mentions {
                let c = found.candidate
                let offset = base + Int(c.start)
                while next < others.count, others[next].position.offset < offset {
                    emit(others[next])
                    next += 1
                }
                let (line, column) = cursor.advance(to: offset, in: original, base: base)
                let position = TextPosition(line: line, column: column, offset: offset, length: Int(c.end - c.start))
                self.emit(found.resolution, c, source, at: position, onMention, onDiagnostic)
            }
            while next < others.count {
                emit(others[next])
                next += 1
            }
        }
        _ = cursor.advance(to: base + original.count, in: original, base: base)
        state.cursor = cursor
        // Let go of the block's words, so that the scanner's buffer is its own again (else the next
        // block's words would be written to a copy).
        words = []
        if let fix {
            var out: [UInt8] = []
            out.reserveCapacity(original.count)
            var at = 0
            for proposal in applied {
                state.fixes += 1
                out.append(contentsOf: original[at..<Int(proposal.start)])
                out.append(contentsOf: Array(proposal.replacement.utf8))
                at = Int(proposal.end)
            }
            out.append(contentsOf: original[at...])
            fix(out)
        }
    }

    /// Line and column (Unicode scalars) of global byte offsets, counted forward through the text.
    struct Cursor {
        var offset = 0
        var line = 1
        var column = 1

        /// Moves to `target` (offsets must come in order) and returns its line and column.
        mutating func advance(to target: Int, in block: [UInt8], base: Int) -> (Int, Int) {
            var i = offset - base
            let end = min(target - base, block.count)
            let p = block.span
            let lineFeeds = ByteLanes.repeated(0x0A)
            /// The bytes of `word` that continue a UTF-8 sequence (10xxxxxx), flagged.
            @inline(__always) func continuations(_ word: UInt64) -> UInt64 { word & ~(word << 1) & ByteLanes.highBits }
            while i < end {
                // Sixteen bytes at a time while they hold no line feed (most of a text): each
                // byte that does not continue a UTF-8 sequence is a column. The two words' flags
                // are counted in one sum (a lane holds at most 2, the total at most 16).
                while i + 16 <= end {
                    let first = p.lane(at: i)
                    let second = p.lane(at: i + 8)
                    guard ByteLanes.equal(first, lineFeeds) | ByteLanes.equal(second, lineFeeds) == 0 else { break }
                    column += 16 - Int((((continuations(first) >> 7) &+ (continuations(second) >> 7)) &* ByteLanes.ones) >> 56)
                    i += 16
                }
                // Then eight at a time, the same way.
                while i + 8 <= end {
                    let word = p.lane(at: i)
                    guard ByteLanes.equal(word, lineFeeds) == 0 else { break }
                    column += 8 - ByteLanes.count(continuations(word))
                    i += 8
                }
                // Then byte by byte, up to eight.
                let stop = min(end, i + 8)
                while i < stop {
                    let b = p[i]
                    if b == 0x0A {
                        line += 1
                        column = 1
                    } else if b & 0xC0 != 0x80 {
                        column += 1
                    }
                    i += 1
                }
            }
            offset = max(offset, target)
            return (line, column)
        }

        /// Line and column of `target` without moving.
        func peek(_ target: Int, in block: [UInt8], base: Int) -> (Int, Int) {
            var copy = self
            return copy.advance(to: target, in: block, base: base)
        }
    }
}

/// Where a checker's suggestions come from: the store's skeleton and trigram indexes for the first
/// ``storeQueries`` phrases, then a ``SuggestionIndex`` in memory, which answers in well under a
/// millisecond instead of about 50 ms on a GeoNames-sized store. Eight store queries cost about
/// what reading that index back from its file beside the store does (0.3–0.5 s for 1.2 M names);
/// building it (a few seconds) happens once per change of the names. The switch does not depend on
/// whether the file exists, so a report gets the same suggestions on every run.
/// A gazetteer of at most ``smallGazetteerKeys`` keys gets the in-memory index at once (it builds
/// in milliseconds). Both follow ``SuggestionRule``.
final class SuggestionSource {
    static let limit = 5

    let index: NameIndex
    let gazetteer: Gazetteer
    let storeQueries: Int
    let smallGazetteerKeys: Int
    private(set) var storeQueriesMade = 0
    private(set) var inMemory: SuggestionIndex?

    init(index: NameIndex, gazetteer: Gazetteer, storeQueries: Int = 8, smallGazetteerKeys: Int = 50_000) {
        self.index = index
        self.gazetteer = gazetteer
        self.storeQueries = storeQueries
        self.smallGazetteerKeys = smallGazetteerKeys
    }

    /// Suggestions for a phrase whose key (``NameKey/key(_:)``) is `key`.
    func suggestions(for text: String, key: String) -> [NameSuggestion] {
        if inMemory == nil, index.keyCount <= smallGazetteerKeys || storeQueriesMade >= storeQueries {
            inMemory = SuggestionIndex.cached(index: index, gazetteer: gazetteer)
        }
        if let inMemory { return inMemory.suggestions(forKey: key, limit: Self.limit) }
        storeQueriesMade += 1
        return Self.fromStore(gazetteer, text)
    }

    /// The store's suggestions as the checker reports them.
    static func fromStore(_ gazetteer: Gazetteer, _ text: String) -> [NameSuggestion] {
        ((try? gazetteer.suggestions(for: text, limit: limit)) ?? []).map {
            NameSuggestion(placeID: $0.place.id, name: $0.place.name, spelling: $0.name.text, editDistance: $0.distance)
        }
    }
}

