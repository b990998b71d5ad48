import ConvoyGazetteer

/// What the tokenizer sees of a word's letters and of the separator before it: facts of the
/// text, no rule's judgement.
public struct WordShape: OptionSet, Sendable, Hashable, BitwiseCopyable {
    public var rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Its first letter is a capital.
    @inlinable public static var capital: WordShape { WordShape(rawValue: 1) }
    /// Its first letter is a small letter.
    @inlinable public static var lower: WordShape { WordShape(rawValue: 2) }
    /// Two letters or more, all capitals ("UN", "ISIS").
    @inlinable public static var allCaps: WordShape { WordShape(rawValue: 4) }
    /// It ends in ’s or 's: `altToken` and `altEnd` are the form without it.
    @inlinable public static var possessive: WordShape { WordShape(rawValue: 8) }
    /// The separator before this word lets a name continue across it (spaces, one newline, hyphens, dashes, commas).
    @inlinable public static var spanJoin: WordShape { WordShape(rawValue: 16) }
    /// The separator before this word is only spaces, or a single hyphen: same phrase.
    @inlinable public static var phraseJoin: WordShape { WordShape(rawValue: 32) }
    /// The separator before this word is exactly "-".
    @inlinable public static var hyphenBefore: WordShape { WordShape(rawValue: 64) }
    /// It has a byte that is not ASCII.
    @inlinable public static var nonASCII: WordShape { WordShape(rawValue: 128) }
    /// The word is ASCII letters and digits only (its bytes are exactly the word): with
    /// ``twoLetters``, what the rules ask of a one-word name is known without reading the text.
    @inlinable public static var lettersAndDigits: WordShape { WordShape(rawValue: 256) }
    /// At least two of its bytes are letters (set with ``lettersAndDigits`` only).
    @inlinable public static var twoLetters: WordShape { WordShape(rawValue: 512) }

    /// How a word joins the one before it (the shapes a word's place in running text gives it).
    @inlinable public static var joins: WordShape { [.spanJoin, .phraseJoin, .hyphenBefore] }
}

/// What a word is to the rules that read the scan's words — bits whose meaning the rulebook gives
/// (ConvoyCheck names them: cue, organisation word, …). The engine only carries them: it looks a
/// word's classes up once per distinct word in the ``WordClassTable`` it was given, so the rules
/// test bits instead of building strings for every word of the text.
public struct WordClasses: OptionSet, Sendable, Hashable, BitwiseCopyable {
    public var rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// How many bits a class may use: the word tables pack a word's classes with its token id and
    /// role into 63 bits (token id + 1: 32, role: 2, classes: 29).
    package static let storableBits = 29

    /// Classes of either: `a | b` reads as the rules write a set of classes.
    @inlinable public static func | (a: WordClasses, b: WordClasses) -> WordClasses { a.union(b) }
}

/// Word → its classes, as the rulebook lists them: the data the tokenizer classes words with.
/// Its digest names the lists (the index cache's fingerprint holds it, since the tokenized names
/// carry their words' classes).
package struct WordClassTable: Sendable {
    /// Lower-case raw words (``NameKey/words(_:)``) → classes.
    private let table: [String: WordClasses]
    /// What the table was made from; the cache's fingerprint compares it.
    package let digest: String

    /// - Precondition: no class uses a bit past ``WordClasses/storableBits``.
    package init(_ table: [String: WordClasses], digest: String) {
        let all = table.values.reduce(WordClasses()) { $0.union($1) }
        precondition(all.rawValue >> UInt32(WordClasses.storableBits) == 0, "a word class past bit \(WordClasses.storableBits)")
        self.table = table
        self.digest = digest
    }

    /// No word has a class.
    package static let empty = WordClassTable([:], digest: "none")

    /// The classes of a raw word (lower case, as ``NameKey/words(_:)`` gives it).
    package func of(_ raw: String) -> WordClasses { table[raw] ?? [] }

    /// The same table under another digest (tests, as an edited list would).
    package func withDigest(_ digest: String) -> WordClassTable { WordClassTable(table, digest: digest) }
}

/// One word of running text, as the scanner sees it (offsets are within the current chunk).
public struct Word: Sendable, BitwiseCopyable {
    /// First and one-past-last byte of the word's letters (edge apostrophes excluded).
    public var start: Int32
    public var end: Int32
    /// Id of the word's standalone key token (-1: no gazetteer name has it).
    public var token: Int32
    /// Possessive ("Syria’s"): id of the token without the final s, and where that form ends.
    public var altToken: Int32 = -1
    public var altEnd: Int32 = 0
    /// Where the raw word of a non-ASCII word is: its index in the chunk's `rawWords`, or with
    /// ``Tokenizer/knownRaw`` set in the gazetteer's tokenized names; -1 for ASCII words.
    public var raw: Int32 = -1
    public var role: NameKey.WordRole
    public var shape: WordShape
    /// What the word is to the rules, looked up once per distinct word.
    public var classes: WordClasses = []

    package init(start: Int32, end: Int32, token: Int32, role: NameKey.WordRole, shape: WordShape, classes: WordClasses = []) {
        self.start = start
        self.end = end
        self.token = token
        self.role = role
        self.shape = shape
        self.classes = classes
    }

    /// A word whose token, role and classes are a look-up's answer.
    @inline(__always)
    package init(start: Int32, end: Int32, lookup: WordLookup, shape: WordShape) {
        self.init(start: start, end: end, token: lookup.token, role: lookup.role, shape: shape, classes: lookup.classes)
    }

    @inlinable @inline(__always) public func has(_ shape: WordShape) -> Bool { !self.shape.isDisjoint(with: shape) }

    /// Whether the word has any of `classes`.
    @inlinable @inline(__always) public func isAny(_ classes: WordClasses) -> Bool { !self.classes.isDisjoint(with: classes) }

    // The shapes under the names the rules have used (`words[i].has(Word.capital)`).
    @inlinable public static var capital: WordShape { .capital }
    @inlinable public static var lower: WordShape { .lower }
    @inlinable public static var allCaps: WordShape { .allCaps }
    @inlinable public static var possessive: WordShape { .possessive }
    @inlinable public static var spanJoin: WordShape { .spanJoin }
    @inlinable public static var phraseJoin: WordShape { .phraseJoin }
    @inlinable public static var hyphenBefore: WordShape { .hyphenBefore }
    @inlinable public static var nonASCII: WordShape { .nonASCII }
    @inlinable public static var lettersAndDigits: WordShape { .lettersAndDigits }
    @inlinable public static var twoLetters: WordShape { .twoLetters }

    /// Where `role` sits in a stored word (checked to be a role when a cache file is read).
    package static let roleOffset = MemoryLayout<Word>.offset(of: \Word.role)!

    /// The role tests, by pattern (`==` on the role, an enum of another module, is a generic call).
    @inlinable public var isArticle: Bool {
        if case .article = role { return true }
        return false
    }
    @inlinable public var isPlain: Bool {
        if case .plain = role { return true }
        return false
    }
}

/// What the word tables answer for a word: its token id (-1: no name has it), its role in a key
/// and its classes.
package struct WordLookup {
    package var token: Int32
    package var role: NameKey.WordRole
    package var classes: WordClasses

    /// As the word tables store it: (token id + 1) | role << 32 | classes << 34 (63 bits).
    @inline(__always) package var packed: Int64 {
        Int64(token + 1) | Int64(role.rawValue) << 32 | Int64(classes.rawValue) << 34
    }

    /// The answer `packed` stored. The role is its raw value (0 plain, 1 article, 2 abu) read as
    /// the role, two instructions once per word (`WordRole(rawValue:)` belongs to another module
    /// and is a call; a switch is nine): every value read here is one `packed` made from a role or
    /// one `isValid` let through from a cache file, whose role bits are never 3 (EngineTests pin
    /// both, and that the raw values are 0, 1, 2).
    @inline(__always) package init(packed value: Int64) {
        role = unsafeBitCast(UInt8(truncatingIfNeeded: value >> 32) & 3, to: NameKey.WordRole.self)
        token = Int32(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1
        classes = WordClasses(rawValue: UInt32(truncatingIfNeeded: value >> 34))
    }

    package init(token: Int32, role: NameKey.WordRole, classes: WordClasses) {
        self.token = token
        self.role = role
        self.classes = classes
    }

    /// Whether a stored value is one `packed` can make for a vocabulary of `tokens` token ids.
    package static func isValid(_ v: Int64, tokens: Int) -> Bool {
        let t = v & 0xFFFF_FFFF
        return v >= 0 && t <= Int64(tokens) && (v >> 32) & 3 != 3 && v >> (34 + WordClasses.storableBits) == 0
    }
}
