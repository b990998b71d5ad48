@testable import ConvoyCheck
import ConvoyGazetteer
import ConvoyTestSupport
import Testing

@Suite("words of running text")
struct TokenizerTests {
    /// A word does not depend on the text around it (the tokenizer's caches, the end of the text,
    /// the separators before it): each word of random texts (random letters and digits in both
    /// cases, the gazetteer's own words, possessives, accents) comes out as it does from its piece
    /// of text alone, apart from how it joins the word before.
    @Test func wordsReadInRunningTextAreReadAsAlone() throws {
        var generator = SeededGenerator(seed: 11)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        let nameWords = try Fixture.gazetteer.allNames().flatMap { $0.name.text.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init) }
        let separators = [" ", ", ", " - ", "\n", ". ", " (", ") ", "; ", "  "]
        let joinFlags = Word.spanJoin | Word.phraseJoin | Word.hyphenBefore
        var tokenizer = Tokenizer(index: Fixture.largeInputIndex)
        var compared = 0
        for _ in 0..<200 {
            var pieces: [[UInt8]] = []
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                var piece: [UInt8]
                switch Int.random(in: 0..<10, using: &generator) {
                case 0..<4: piece = Array(nameWords.randomElement(using: &generator)!.utf8)
                case 4: piece = Array("Damas".utf8) + Array("é".utf8) + Array("e".utf8)
                default: piece = (0..<Int.random(in: 1...20, using: &generator)).map { _ in letters.randomElement(using: &generator)! }
                }
                if Int.random(in: 0..<8, using: &generator) == 0 { piece += Array((Bool.random(using: &generator) ? "’s" : "'s").utf8) }
                pieces.append(piece)
            }
            var text: [UInt8] = []
            var starts: [Int] = []
            for piece in pieces {
                if !text.isEmpty { text += Array(separators.randomElement(using: &generator)!.utf8) }
                starts.append(text.count)
                text += piece
            }
            var running: [Word] = []
            text.withUnsafeBufferPointer { tokenizer.tokenize($0, into: &running) }
            var alone: [Word] = []
            for (piece, start) in zip(pieces, starts) {
                var words: [Word] = []
                piece.withUnsafeBufferPointer { tokenizer.tokenize($0, into: &words) }
                for var w in words {
                    w.start += Int32(start)
                    w.end += Int32(start)
                    if w.has(Word.possessive) { w.altEnd += Int32(start) }
                    alone.append(w)
                }
            }
            #expect(running.count == alone.count)
            for (a, b) in zip(running, alone) {
                let same = (a.start, a.end, a.token, a.altToken, a.cls, a.flags & ~joinFlags) == (b.start, b.end, b.token, b.altToken, b.cls, b.flags & ~joinFlags)
                    && a.role == b.role && (!a.has(Word.possessive) || a.altEnd == b.altEnd)
                #expect(same, "\(String(decoding: text[Int(a.start)..<Int(a.end)], as: UTF8.self))")
                if !same { return }
                compared += 1
            }
        }
        #expect(compared > 3000)
    }
}
