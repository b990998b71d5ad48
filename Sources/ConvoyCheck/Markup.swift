/// Blanks what is not prose — markup, URLs, link targets — with spaces, byte for byte, so offsets,
/// lines and columns still point into the original file. Line feeds are kept. Apostrophe entities
/// (&rsquo; &#39; …) become apostrophes, which words absorb ("Shab&rsquo;a" stays one word).
struct MarkupMask {
    let format: ReportFormat
    private var inTag = false
    private var inComment = false
    private var rawTextEnd: [UInt8]? = nil  // "</script" or "</style" while inside one
    private var inFence = false

    init(format: ReportFormat) {
        self.format = format
    }

    private static let commentEnd = Array("-->".utf8), fence1 = Array("```".utf8), fence2 = Array("~~~".utf8)
    private static let commentStart = Array("<!--".utf8), scriptOpen = Array("<script".utf8), styleOpen = Array("<style".utf8)
    private static let scriptClose = Array("</script".utf8), styleClose = Array("</style".utf8)
    private static let http = Array("http://".utf8), https = Array("https://".utf8), www = Array("www.".utf8)
    private static let apostropheEntities: Set<String> = ["rsquo", "lsquo", "apos", "#39", "#x27", "#8217", "#8216", "#x2019", "#x2018", "#700", "#x2bc"]

    /// Bytes where something to blank may start, per format: "](" and bare URLs (h, w) in every
    /// format; tags and entities in markup; line feeds in Markdown (fences open at line starts).
    private static let textTriggers = triggerTable(Array("]hHwW".utf8))
    private static let markdownTriggers = triggerTable(Array("]hHwW<&\n".utf8))
    private static let htmlTriggers = triggerTable(Array("]hHwW<&".utf8))

    /// Per byte: 0 starts nothing, 1 may start markup, 2 may start a URL at the start of a word only
    /// (h, w: inside a word they start nothing, and they are among the commonest letters).
    private static func triggerTable(_ bytes: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0, count: 256)
        for b in bytes { table[Int(b)] = Tokenizer.isAlnum(b) ? 2 : 1 }
        return table
    }

    /// The first index at or after `i` whose byte is a trigger (or the end).
    private static func skip(_ t: [UInt8], from i: Int, _ triggers: [UInt8]) -> Int {
        t.withUnsafeBufferPointer { p in
            triggers.withUnsafeBufferPointer { table in
                var k = i
                while k < p.count {
                    let kind = table[Int(p[k])]
                    if kind == 1 || (kind == 2 && (k == 0 || !Tokenizer.isAlnum(p[k - 1]))) { break }
                    k += 1
                }
                return k
            }
        }
    }

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
                let closes = starts(Self.fence1, at: k) || starts(Self.fence2, at: k)
                blank(lineStart, i)
                if closes { inFence = false }
                if i < n { i += 1 }  // past the line feed
                continue
            }
            let b = t[i]
            let atLineStart = i == 0 || t[i - 1] == 0x0A
            // Most bytes start nothing: skip to the next that may (a line start is one in Markdown).
            if triggers[Int(b)] == 0, !(format == .markdown && atLineStart) {
                i = Self.skip(t, from: i + 1, triggers)
                continue
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
            if b == 0x5D, i + 1 < n, t[i + 1] == 0x28 {
                var k = i + 2
                var depth = 1
                while k < n, t[k] != 0x0A {
                    if t[k] == 0x28 { depth += 1 }
                    if t[k] == 0x29 { depth -= 1; if depth == 0 { break } }
                    k += 1
                }
                if k < n, t[k] == 0x29 {
                    blank(i + 1, k + 1)
                    i = k + 1
                    continue
                }
            }
            // Bare URLs.
            if b == 0x68 || b == 0x48 || b == 0x77 || b == 0x57, i == 0 || !Tokenizer.isAlnum(t[i - 1]) {
                if starts(Self.http, at: i) || starts(Self.https, at: i) || starts(Self.www, at: i) {
                    let start = i
                    while i < n, t[i] > 0x20, t[i] != 0x3C, t[i] != 0x3E, t[i] != 0x22, t[i] != 0x29, t[i] != 0x5D { i += 1 }
                    blank(start, i)
                    continue
                }
            }
            i += 1
        }
    }
}
