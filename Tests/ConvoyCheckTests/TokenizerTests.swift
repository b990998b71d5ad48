@testable import ConvoyCheck
import ConvoyGazetteer
@testable import ConvoyScan
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
        let joinFlags = WordShape.joins
        var tokenizer = Fixture.largeInputIndex.makeTokenizer()
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
                let same = (a.start, a.end, a.token, a.altToken, a.classes, a.shape.subtracting(joinFlags)) == (b.start, b.end, b.token, b.altToken, b.classes, b.shape.subtracting(joinFlags))
                    && a.role == b.role && (!a.has(Word.possessive) || a.altEnd == b.altEnd)
                #expect(same, "\(String(decoding: text[Int(a.start)..<Int(a.end)], as: UTF8.self))")
                if !same { return }
                compared += 1
            }
        }
        #expect(compared > 3000)
    }

    /// Word-table look-ups queued behind the reading of the next words, and non-ASCII segments
    /// looked up ahead, fill in the same words as look-ups done at once: on texts of gazetteer
    /// words (many not in the recent-words cache), random letters, random non-ASCII words (not in
    /// the table), em dashes inside words and possessives, every field of every word is the same.
    @Test func queuedLookupsGiveTheSameWords() throws {
        var generator = SeededGenerator(seed: 23)
        let index = Fixture.largeInputIndex
        let nameWords = try Fixture.gazetteer.allNames().flatMap { $0.name.text.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init) }
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var queued = index.makeTokenizer()
        var direct = Tokenizer(vocabulary: index.vocabulary, known: index.knownSegments, wordClasses: .bundled, bounded: true, queueLookups: false)
        var compared = 0
        for _ in 0..<50 {
            var text: [UInt8] = []
            for _ in 0..<Int.random(in: 1...400, using: &generator) {
                var piece: [UInt8]
                switch Int.random(in: 0..<8, using: &generator) {
                case 0..<5: piece = Array(nameWords.randomElement(using: &generator)!.utf8)
                case 5: piece = Array(String(String.UnicodeScalarView((0..<Int.random(in: 1...9, using: &generator)).map { _ in
                    Unicode.Scalar(UInt32.random(in: 0x410...0x44F, using: &generator))! })).utf8)
                case 6: piece = Array(nameWords.randomElement(using: &generator)!.utf8) + Array("—".utf8) + Array(nameWords.randomElement(using: &generator)!.utf8)
                default: piece = (0..<Int.random(in: 1...18, using: &generator)).map { _ in letters.randomElement(using: &generator)! }
                }
                if Int.random(in: 0..<10, using: &generator) == 0 { piece += Array("’s".utf8) }
                text += piece + Array((Bool.random(using: &generator) ? " " : ", ").utf8)
            }
            var a: [Word] = [], b: [Word] = []
            text.withUnsafeBufferPointer {
                queued.tokenize($0, into: &a)
                direct.tokenize($0, into: &b)
            }
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) {
                let same = (x.start, x.end, x.token, x.altToken, x.altEnd, x.raw) == (y.start, y.end, y.token, y.altToken, y.altEnd, y.raw)
                    && (x.shape, x.classes) == (y.shape, y.classes) && x.role == y.role
                #expect(same, "\(String(decoding: text[Int(x.start)..<Int(x.end)], as: UTF8.self))")
                if !same { return }
                compared += 1
            }
        }
        #expect(compared > 5000)
    }

    /// A known name followed by ’s or 's takes a shortcut (the stem's words from the table, the
    /// last one stretched and made possessive) where other unknown segments are decoded and folded
    /// anew: both give the same words — offsets, tokens, roles, classes, flags, possessive forms and
    /// raw words — on names in many scripts, with combining marks, dots and dashes inside.
    @Test func possessivesOfKnownNamesReadAsDecodedAnew() throws {
        let names = try Fixture.gazetteer.allNames().map(\.name.text).filter { $0.unicodeScalars.contains { !$0.isASCII } } + [
            "Милерово", "Северский", "Ко\u{301}ростень", "Ελλάδα", "Λακκί", "東京", "兴化", "حميميم", "الرحيبة",
            "دير الزور", "दिल्ली", "कोलकाता", "ঢাকা", "กรุงเทพ", "서울", "თბილისი", "Երևան", "ירושלים", "Rügen",
            "São Paulo", "Kroçë", "Plœmuer", "MūsāĀbād", "Ḩimş", "オーク・ヒル", "Zürich", "İstanbul", "Ærø", "Łódź",
            "Straße", "ʻAkko", "Aş Şukhnah", "Cafe\u{301}", "Nād‘aalī", "Ab·cd", "Ḩamāh’s", "Ä", "Öx", "Üxy", "ŞS",
        ]
        let vocabulary = Fixture.largeInputIndex.vocabulary
        var shortcut = Tokenizer(vocabulary: vocabulary, known: Tokenizer.segments(of: names, vocabulary: vocabulary, wordClasses: .bundled), wordClasses: .bundled, bounded: true)
        var anew = Tokenizer(vocabulary: vocabulary, known: nil, wordClasses: .bundled, bounded: true)
        var compared = 0
        for name in names {
            for suffix in ["’s", "'s", "’S", "'S", "s", "’t"] {
                let text = Array(("in " + name + suffix + " today").utf8)
                var fast: [Word] = [], slow: [Word] = []
                var fastRaws: [String] = [], slowRaws: [String] = []
                text.withUnsafeBufferPointer { p in
                    shortcut.tokenize(p, into: &fast)
                    fastRaws = fast.map { shortcut.rawWord($0, in: p) }
                    anew.tokenize(p, into: &slow)
                    slowRaws = slow.map { anew.rawWord($0, in: p) }
                }
                #expect(fast.count == slow.count, "\(name)\(suffix)")
                for (a, b) in zip(fast, slow) {
                    let same = a.start == b.start && a.end == b.end && a.token == b.token && a.altToken == b.altToken
                        && a.altEnd == b.altEnd && a.role == b.role && a.shape == b.shape && a.classes == b.classes
                    #expect(same, "\(name)\(suffix): \(a) vs \(b)")
                }
                #expect(fastRaws == slowRaws, "\(name)\(suffix)")
                compared += 1
            }
        }
        #expect(compared == names.count * 6)
    }
}

@Suite("raw words from each scalar's fold")
struct ScalarFoldTests {
    /// The tokenizer puts a run's raw words together from what NameKey makes of each scalar alone;
    /// NameKey reads the whole run (NFKD over it, then rules 1–3). Both must give the same words:
    /// on every gazetteer name, names in many scripts, and random runs of scalars from the planes
    /// that hold letters, marks, compatibility forms (ligatures, fractions, full-width and
    /// circled letters, Hangul syllables), punctuation and emoji.
    @Test func foldsPutTogetherAreNameKeysWords() throws {
        var tokenizer = Tokenizer(vocabulary: Fixture.index.vocabulary, known: nil, wordClasses: .bundled, bounded: true)
        var texts = try Fixture.gazetteer.allNames().map(\.name.text) + [
            "Милерово", "Ко\u{301}ростень", "Ελλάδα", "東京", "حميميم", "الرحيبة", "दिल्ली", "서울", "ﬁnal", "½ ²", "Ⅻ ㎞ Ａｂｃ",
            "Ⓐⓑ", "ǅemal", "Straße", "İstanbul", "Ǆ", "ﷺ", "ﻻ", "ㄱㅏ", "ᄀ\u{1161}", "a\u{200D}b", "e\u{301}\u{327}", "ῼ", "ﬀ’s",
        ]
        var generator = SeededGenerator(seed: 5)
        let ranges: [ClosedRange<UInt32>] = [0x20...0x24F, 0x300...0x36F, 0x370...0x6FF, 0x900...0x97F, 0x1E00...0x1FFF, 0x2000...0x2BFF,
                                             0x3000...0x33FF, 0xAC00...0xD7A3, 0xFB00...0xFFEF, 0x1D400...0x1D7FF, 0x1F000...0x1FAFF]
        for _ in 0..<3000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let range = ranges.randomElement(using: &generator)!
                if let s = Unicode.Scalar(UInt32.random(in: range, using: &generator)) { scalars.append(s) }
            }
            texts.append(String(scalars))
        }
        var differ: [String] = []
        for text in texts where tokenizer.rawWordsByFolds(text) != NameKey.words(text) {
            differ.append(text)
        }
        #expect(differ.isEmpty, "\(differ.prefix(10).map { "\($0): \(NameKey.words($0))" })")
        #expect(texts.count > 3500)
    }
}
