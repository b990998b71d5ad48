@testable import ConvoyCheck
import ConvoyTestSupport
import Testing

@Suite("line and column of byte offsets")
struct CursorTests {
    /// Line and column counted the plain way: a line feed starts a line; every byte that does not
    /// continue a UTF-8 sequence is a column.
    static func expected(_ bytes: [UInt8], _ offset: Int) -> (Int, Int) {
        var line = 1, column = 1
        for b in bytes[..<offset] {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// The cursor skips eight ASCII bytes at a time; on text mixing long ASCII runs, line feeds
    /// (alone and in runs) and two-, three- and four-byte characters, read in blocks, every offset
    /// must get what the plain count gives.
    @Test func theCursorCountsLikeThePlainWay() {
        var generator = SeededGenerator(seed: 20170828)
        let pieces: [[UInt8]] = [Array("convoy ".utf8), Array("\n".utf8), Array("\n\n".utf8), Array("Dayr az-Zawr ".utf8),
                                 Array("دير الزور".utf8), Array("é".utf8), Array("—".utf8), Array("𝔸".utf8),
                                 Array("the buses left at dawn toward the east ".utf8),
                                 // Hostile: runs of lone continuation bytes and bytes no UTF-8 has.
                                 [UInt8](repeating: 0x80, count: 17), [0xBF, 0xFF, 0xC0, 0x80, 0x0A, 0xFE]]
        for _ in 0..<50 {
            var text: [UInt8] = []
            while text.count < 3000 { text += pieces.randomElement(using: &generator)! }
            // Blocks cut anywhere (offsets global, as the checker hands them over).
            var cursor = ReportChecker.Cursor()
            var base = 0
            while base < text.count {
                let blockEnd = min(text.count, base + Int.random(in: 1...700, using: &generator))
                let block = Array(text[base..<blockEnd])
                var target = base
                while target < blockEnd {
                    target = min(blockEnd, target + Int.random(in: 0...40, using: &generator))
                    let got = cursor.advance(to: target, in: block, base: base)
                    let want = Self.expected(text, target)
                    #expect(got == want, "offset \(target)")
                    if got != want { return }
                }
                base = blockEnd
            }
        }
    }
}

@Suite("where a block is cut")
struct CutPointTests {
    /// The cut as a byte-at-a-time reading of the rule: after the last blank line in the second
    /// half, else after the last line feed, else at the last space, else at a UTF-8 boundary.
    static func referenceCut(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var lastFeed = -1
        var i = n - 1
        while i > n / 2 {
            if bytes[i] == 0x0A {
                if lastFeed < 0 { lastFeed = i }
                if bytes[i - 1] == 0x0A { return i + 1 }
            }
            i -= 1
        }
        if lastFeed >= 0 { return lastFeed + 1 }
        if let feed = bytes.lastIndex(of: 0x0A) { return feed + 1 }
        if let space = bytes.lastIndex(where: { $0 == 0x20 || $0 == 0x09 }), space > 0 { return space + 1 }
        var k = n
        while k > 0, bytes[k - 1] & 0xC0 == 0x80 { k -= 1 }
        if k > 0, bytes[k - 1] >= 0xC0 { k -= 1 }
        return k > 0 ? k : n
    }

    /// Blocks of 1–300 bytes with line feeds (single and doubled), spaces and multi-byte letters
    /// at random, some with none: the eight-at-a-time reading cuts where the rule does.
    @Test func cutsWhereTheRuleSays() {
        var generator = SeededGenerator(seed: 5)
        for round in 0..<5_000 {
            let n = Int.random(in: 1...300, using: &generator)
            let feedRate = [0, 2, 40, 200][round % 4]
            var bytes: [UInt8] = []
            while bytes.count < n {
                let r = Int.random(in: 0..<1000, using: &generator)
                if r < feedRate { bytes += Int.random(in: 0..<3, using: &generator) == 0 ? [0x0A, 0x0A] : [0x0A] }
                else if r < 900 { bytes.append(UInt8.random(in: 0x61...0x7A, using: &generator)) }
                else if r < 980 { bytes.append(0x20) }
                else { bytes += [0xC3, 0xA9] }
            }
            var state = ReportChecker.FileState(format: .text, countries: 0)
            #expect(ReportChecker.cutPoint(bytes, &state) == Self.referenceCut(bytes), "\(bytes)")
        }
    }
}
