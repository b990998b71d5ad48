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
                                 Array("the buses left at dawn toward the east ".utf8)]
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
