import ConvoyScan

extension ReportFormat {
    /// The runs of bytes the markup mask changes in a whole text read as one block — its markup,
    /// URLs and link targets, as written — for the fuzzer's check that `--fix` never changes them.
    @_spi(Fuzzing) public func markupRuns(_ text: [UInt8]) -> [[UInt8]] {
        var masked = text, mask = MarkupMask(format: self)
        mask.apply(&masked)
        var runs: [[UInt8]] = [], i = 0
        while i < text.count {
            guard masked[i] != text[i] else { i += 1; continue }
            var j = i
            while j < text.count, masked[j] != text[j] { j += 1 }
            runs.append(Array(text[i..<j]))
            i = j
        }
        return runs
    }
}

/// Blanks what is not prose — markup, URLs, link targets — with spaces, byte for byte, so offsets,
/// lines and columns still point into the original file. Line feeds are kept. Apostrophe entities
/// (&rsquo; &#39; …) become apostrophes, which words absorb ("Shab&rsquo;a" stays one word).
struct MarkupMask {
    let format: ReportFormat
    private var inTag = false
    private var inComment = false
    private var rawTextEnd: [UInt8]? = nil  // "</script" or "</style" while inside one
    private var inFence = false
    /// Markdown, line by line: inside an indented code block; whether the last line was blank (or
    /// ended a block: a heading, a closing fence — the text's start counts as one); whether the
    /// text is in a list (an indented line there continues an item, it is not code).
    private var inIndentedCode = false
    private var afterBlank = true
    private var inList = false
    /// The previous block ended inside a line (a long line cut at a space): this block's first byte
    /// does not start a line.
    private var continuesLine = false

    init(format: ReportFormat) {
        self.format = format
    }

    private static let commentEnd = Array("-->".utf8), fence1 = Array("```".utf8), fence2 = Array("~~~".utf8)
    private static let commentStart = Array("<!--".utf8), scriptOpen = Array("<script".utf8), styleOpen = Array("<style".utf8)
    private static let scriptClose = Array("</script".utf8), styleClose = Array("</style".utf8)
    private static let http = Array("http://".utf8), https = Array("https://".utf8), www = Array("www.".utf8)
    private static let apostropheEntities: Set<String> = ["rsquo", "lsquo", "apos", "#39", "#x27", "#8217", "#8216", "#x2019", "#x2018", "#700", "#x2bc"]
    /// Named entities that stand for white space or punctuation: a name may be fixed beside them.
    private static let separatorEntities: Set<String> = [
        "amp", "nbsp", "lt", "gt", "quot", "mdash", "ndash", "hellip", "laquo", "raquo", "ldquo", "rdquo", "bdquo", "sbquo",
        "lsaquo", "rsaquo", "middot", "bull", "ensp", "emsp", "thinsp", "copy", "reg", "deg", "sect", "para", "dagger", "minus",
    ]

    /// What an entity stands for, as `--fix` needs to know beside a name: an apostrophe, white space
    /// or punctuation, or something that may be part of a word (a letter, a digit, a soft hyphen, an
    /// entity this list does not know).
    enum EntityKind { case apostrophe, separator, letter }

    /// The kind of the entity at `i` (`&name;`, `&#NNN;`, `&#xHH;`), read as ``apply(_:)`` reads
    /// entities; nil when the bytes at `i` are not one.
    static func entityKind(_ t: Span<UInt8>, at i: Int) -> EntityKind? {
        guard i < t.count, t[i] == 0x26 else { return nil }
        var k = i + 1
        while k < t.count, k - i <= 10, t[k] != 0x3B, t[k] != 0x20, t[k] != 0x0A { k += 1 }
        guard k < t.count, t[k] == 0x3B, k > i + 1 else { return nil }
        let name = t.string(i + 1, k).lowercased()
        if apostropheEntities.contains(name) { return .apostrophe }
        if separatorEntities.contains(name) { return .separator }
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, let scalar = Unicode.Scalar(value) else { return .letter }
            let p = scalar.properties
            return p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark || p.isDefaultIgnorableCodePoint ? .letter : .separator
        }
        return .letter
    }

    /// Bytes where something to blank may start, per format: "](" and bare URLs (found at the ':'
    /// of "http://" and the '.' of "www.", which are rarer in prose than their letters) in every
    /// format; tags and entities in markup; line feeds in Markdown (fences open at line starts).
    private static let textTriggers = ByteTriggers(Array("]:.".utf8))
    private static let markdownTriggers = ByteTriggers(Array("]:.<&\n`".utf8))
    /// How far a Markdown code span's closing backticks are looked for (its paragraph, at most this).
    static let codeSpanReach = 8192
    private static let htmlTriggers = ByteTriggers(Array("]:.<&".utf8))

    mutating func apply(_ t: inout [UInt8]) {
        let n = t.count
        var i = 0
        @inline(__always) func blank(_ a: Int, _ b: Int) {
            var k = a
            while k < b { if t[k] != 0x0A { t[k] = 0x20 }; k += 1 }
        }
        func starts(_ s: [UInt8], at i: Int, caseInsensitive: Bool = true) -> Bool {
            guard i + s.count <= n else { return false }
            for k in 0..<s.count {
                let a = t[i + k], b = s[k]
                if caseInsensitive ? (a | 0x20) != (b | 0x20) : a != b { return false }
            }
            return true
        }
        let markup = format != .text
        let triggers = format == .text ? Self.textTriggers : format == .markdown ? Self.markdownTriggers : Self.htmlTriggers
        while i < n {
            // States that continue from the previous chunk.
            if inIndentedCode, i == 0, continuesLine {  // the rest of a long code line cut at a space
                while i < n, t[i] != 0x0A { i += 1 }
                blank(0, i)
                if i < n { i += 1 }
                continue
            }
            if inComment {
                let start = i
                while i < n, !starts(Self.commentEnd, at: i) { i += 1 }
                if i < n { i += 3; inComment = false }
                blank(start, i)
                continue
            }
            if inTag {
                let start = i
                while i < n, t[i] != 0x3E { i += 1 }
                if i < n { i += 1; inTag = false }
                blank(start, i)
                continue
            }
            if let end = rawTextEnd {
                let start = i
                while i < n, !starts(end, at: i) { i += 1 }
                if i < n { rawTextEnd = nil }
                blank(start, i)
                continue
            }
            if inFence {
                let lineStart = i
                while i < n, t[i] != 0x0A { i += 1 }
                var k = lineStart
                while k < i, t[k] == 0x20 { k += 1 }
                let closes = !(lineStart == 0 && continuesLine) && (starts(Self.fence1, at: k) || starts(Self.fence2, at: k))
                blank(lineStart, i)
                if closes { inFence = false; afterBlank = true }
                if i < n { i += 1 }  // past the line feed
                continue
            }
            let b = t[i]
            let atLineStart = i == 0 ? !continuesLine : t[i - 1] == 0x0A
            // Most bytes start nothing: skip to the next that may (a line start is one in Markdown).
            if !triggers.contains(b), !(format == .markdown && atLineStart) {
                i = triggers.next(in: t, from: i + 1)
                continue
            }
            if format == .markdown, atLineStart {
                // Indented code: lines indented 4 columns or more, opened after a blank line (not in
                // a list), going on through blank lines until a line indented less.
                var e = i, indent = 0, k = i
                while e < n, t[e] != 0x0A { e += 1 }
                while k < e, t[k] == 0x20 || t[k] == 0x09 { indent = t[k] == 0x09 ? (indent / 4 + 1) * 4 : indent + 1; k += 1 }
                let isBlank = k == e
                if inIndentedCode, !isBlank, indent < 4 { inIndentedCode = false }
                if !inIndentedCode, !isBlank, indent >= 4, afterBlank, !inList { inIndentedCode = true }
                if inIndentedCode {
                    blank(i, e)
                    afterBlank = isBlank
                    i = e < n ? e + 1 : e
                    continue
                }
                if !isBlank {
                    if Self.isListItem(t, from: k, to: e) { inList = true } else if afterBlank, indent < 2 { inList = false }
                }
                let heading = !isBlank && indent < 4 && t[k] == 0x23  // '#'
                afterBlank = isBlank || heading
            }
            if format == .markdown, atLineStart {
                var k = i
                while k < n, k - i < 4, t[k] == 0x20 { k += 1 }
                if starts(Self.fence1, at: k) || starts(Self.fence2, at: k) {
                    while i < n, t[i] != 0x0A { i += 1 }
                    blank(k, i)
                    inFence = true
                    if i < n { i += 1 }  // past the line feed
                    continue
                }
            }
            // Markdown code spans: a run of backticks up to the next run of as many, on the line
            // (after the fence test: a fence is backticks too).
            if format == .markdown, b == 0x60, i == 0 || t[i - 1] != 0x5C {
                var r = i
                while r < n, t[r] == 0x60 { r += 1 }
                if let close = Self.codeSpanEnd(t, opening: i, count: r - i) {
                    blank(i, close)
                    i = close
                } else {
                    i = r  // literal backticks
                }
                continue
            }
            if markup, b == 0x3C, i + 1 < n {  // <
                let c = t[i + 1]
                if starts(Self.commentStart, at: i) {
                    blank(i, i + 4); i += 4; inComment = true; continue
                }
                let isLetter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A
                if isLetter || c == 0x2F || c == 0x21 || c == 0x3F {
                    if format == .html {
                        if starts(Self.scriptOpen, at: i) { rawTextEnd = Self.scriptClose }
                        if starts(Self.styleOpen, at: i) { rawTextEnd = Self.styleClose }
                    }
                    let start = i
                    while i < n, t[i] != 0x3E { i += 1 }
                    if i < n { i += 1 } else { inTag = true }
                    blank(start, i)
                    continue
                }
            }
            if markup, b == 0x26 {  // &entity;
                var k = i + 1
                while k < n, k - i <= 10, t[k] != 0x3B, t[k] != 0x20, t[k] != 0x0A { k += 1 }
                if k < n, t[k] == 0x3B, k > i + 1 {
                    let name = String(decoding: t[(i + 1)..<k], as: UTF8.self).lowercased()
                    if Self.apostropheEntities.contains(name) {
                        for m in i...k { t[m] = 0x27 }
                    } else {
                        blank(i, k + 1)
                    }
                    i = k + 1
                    continue
                }
            }
            // Markdown link target "](…)" — in every format: reports pasted from the web carry them.
            if b == 0x5D, i + 1 < n, t[i + 1] == 0x28, case .closes(let close) = Self.linkTargetEnd(t, opening: i, end: n) {
                blank(i + 1, close)
                i = close
                continue
            }
            // Bare URLs, starting a word: "http://" or "https://" seen from its ':', "www." from its '.'.
            if b == 0x3A || b == 0x2E {
                func urlStart(_ k: Int, _ prefix: [UInt8]) -> Bool {
                    k >= 0 && starts(prefix, at: k) && (k == 0 || !ByteClass.isAlnum(t[k - 1]))
                }
                let start = b == 0x2E ? (urlStart(i - 3, Self.www) ? i - 3 : -1)
                    : urlStart(i - 4, Self.http) ? i - 4 : urlStart(i - 5, Self.https) ? i - 5 : -1
                if start >= 0 {
                    i = start
                    while i < n, t[i] > 0x20, t[i] != 0x3C, t[i] != 0x3E, t[i] != 0x22, t[i] != 0x29, t[i] != 0x5D { i += 1 }
                    blank(start, i)
                    continue
                }
            }
            i += 1
        }
        if n > 0 { continuesLine = t[n - 1] != 0x0A }
    }

    /// Whether the line [k, e) (past its indentation) opens a list item: `-`, `*` or `+`, or up to
    /// nine digits and `.` or `)`, then a space, a tab or the line's end.
    static func isListItem(_ t: [UInt8], from k: Int, to e: Int) -> Bool {
        guard k < e else { return false }
        var m = k
        if t[m] == 0x2D || t[m] == 0x2A || t[m] == 0x2B {
            m += 1
        } else {
            while m < e, m - k < 9, t[m] >= 0x30, t[m] <= 0x39 { m += 1 }
            guard m > k, m < e, t[m] == 0x2E || t[m] == 0x29 else { return false }
            m += 1
        }
        return m == e || t[m] == 0x20 || t[m] == 0x09
    }

    /// The end of the code span opened by `count` backticks at `opening`: just past the next run of
    /// exactly `count` backticks on the same line, within ``codeSpanReach`` bytes; nil when there is
    /// none (the backticks are then literal). A span never crosses a line feed, so a block cut at a
    /// line feed never cuts one (and a long line is not cut inside one: ``lastOpenCodeSpan(_:before:)``).
    static func codeSpanEnd(_ t: [UInt8], opening: Int, count: Int, end: Int? = nil) -> Int? {
        let limit = min(end ?? t.count, opening + count + codeSpanReach)
        var k = opening + count
        while k < limit {
            let b = t[k]
            if b == 0x0A { return nil }
            guard b == 0x60 else { k += 1; continue }
            var r = k
            while r < limit, t[r] == 0x60 { r += 1 }
            if r - k == count, r == t.count || t[r] != 0x60 { return r }
            k = r
        }
        return nil
    }

    /// How far a link target's closing parenthesis is looked for: a "](" that nothing closes on its
    /// line within this many bytes is text. (A bound, so that a block cut inside a long line can
    /// hold every target open at the cut.)
    static let linkTargetReach = 4096
    /// The most bytes any construct the mask reads within a line takes from its first byte (a code
    /// span's or a link target's reach, and its delimiters).
    static let constructReach = max(codeSpanReach, linkTargetReach) + 16

    /// How a link target ends, as the mask reads it.
    enum LinkTargetEnd: Equatable {
        /// Just past the ')' that closes it.
        case closes(Int)
        /// A line feed or the reach comes first: the "](" is text.
        case isText
        /// The bytes run out first: the text after them decides.
        case unknown
    }

    /// How the link target "](…)" whose ']' is at `opening` ends within t[..<end]: closed by the
    /// ')' that brings its parentheses back to none ("](a (b) c)"), on its line, within
    /// ``linkTargetReach``.
    static func linkTargetEnd(_ t: [UInt8], opening: Int, end: Int) -> LinkTargetEnd {
        let limit = opening + 2 + linkTargetReach
        var k = opening + 2, depth = 1
        while k < min(end, limit) {
            switch t[k] {
            case 0x0A: return .isText
            case 0x28: depth += 1
            case 0x29:
                depth -= 1
                if depth == 0 { return .closes(k + 1) }
            default: break
            }
            k += 1
        }
        return k >= limit ? .isText : .unknown
    }

    /// Where, on the line that bytes [0, end) end in, a link target opens that the whole text may
    /// close at or after `end` (nil when none does), reading t past `end` as far as it goes: a
    /// target whose end is not in `t` counts as open. A long line must not be cut inside one, or
    /// the block before the cut would read the target as prose.
    static func lastOpenLinkTarget(_ t: [UInt8], before end: Int) -> Int? {
        var i = t[..<end].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        while i < end {
            guard t[i] == 0x5D, i + 1 < t.count, t[i + 1] == 0x28 else { i += 1; continue }
            switch linkTargetEnd(t, opening: i, end: t.count) {
            case .closes(let close):
                if close > end { return i }
                i = close
            case .unknown: return i
            case .isText: i += 1
            }
        }
        return nil
    }

    /// Where, on the line that bytes [0, end) end in, a code span opens that does not close before
    /// `end` (it may close after it): a long line must not be cut there, or the span would read as
    /// literal backticks in one block and as code in the whole text. Nil when none is open.
    static func lastOpenCodeSpan(_ t: [UInt8], before end: Int) -> Int? {
        var i = end
        while i > 0, end - i < codeSpanReach, t[i - 1] != 0x0A { i -= 1 }
        while i < end {
            guard t[i] == 0x60, i == 0 || t[i - 1] != 0x5C else { i += 1; continue }
            var r = i
            while r < end, t[r] == 0x60 { r += 1 }
            guard let close = codeSpanEnd(t, opening: i, count: r - i, end: end) else { return i }
            i = close
        }
        return nil
    }
}
