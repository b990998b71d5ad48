@testable import ConvoyCheck
import ConvoyTestSupport
import Testing

@Suite("a word list asked by bytes")
struct WrittenWordSetTests {
    /// `WrittenWordSet.contains` decides by bytes for ASCII and Arabic letters without marks; on
    /// every other text (marks, decomposed forms, other scripts, bytes no UTF-8 has, a sequence cut
    /// short) it must answer as `Set<String>.contains` on the decoded text does.
    @Test func itAnswersAsTheSetOfStringsOnHostileBytes() {
        let entries: Set<String> = ["درعا", "الباب", "دوما", "إدلب", "آمن", "homs", "x"]
        let plainOnly = WrittenWordSet(entries)
        // One entry with a mark: the set no longer trusts bytes alone.
        let withMark = WrittenWordSet(entries.union(["مَدينة"]))
        var generator = SeededGenerator(seed: 2017_08_28)
        var texts: [[UInt8]] = entries.map { Array($0.utf8) } + [
            Array("درعا\u{064E}".utf8),          // a fatha after the word
            Array("ا\u{0653}من".utf8),           // alef + madda, decomposed: آمن in NFD
            Array("اِدلب".utf8), [0xD8], [0xD9, 0x20], [0xFF, 0xFE], [0xD8, 0xA7, 0xD9],  // cut short
            Array("مَدينة".utf8), Array("Homs".utf8), [],
        ]
        let pieces: [[UInt8]] = [[0xD8, 0xAF], [0xD8, 0xB1], [0xD8, 0xB9], [0xD8, 0xA7], [0xD9, 0x8E], [0xD9, 0x93], [0x80], [0x61], [0xE2, 0x80, 0x93]]
        for _ in 0..<2000 { texts.append((0..<Int.random(in: 1...5, using: &generator)).flatMap { _ in pieces.randomElement(using: &generator)! }) }
        for text in texts {
            let string = String(decoding: text, as: UTF8.self)
            let (inPlain, inWithMark) = (plainOnly.contains(text.span), withMark.contains(text.span))
            #expect(inPlain == entries.contains(string), "\(text)")
            #expect(inWithMark == entries.union(["مَدينة"]).contains(string), "\(text)")
        }
        // The decomposed آمن is the entry, as String equality says.
        let decomposed = Array("ا\u{0653}من".utf8)
        let found = plainOnly.contains(decomposed.span)
        #expect(found)
    }
}
