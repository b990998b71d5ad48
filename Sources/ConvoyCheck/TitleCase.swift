import ConvoyScan

extension ReportChecker {
    /// A headline in title case capitalises its English words ("Iraqi Forces Retake Rawa As Islamic
    /// State Loses Last Town"), which the phrase rules would read as one long capitalised name — an
    /// organisation's, with "Forces" and "State" in it — and so pass Rawa in silence. In a title-case
    /// line (at least three capitalised words of four letters or more, no lower-case word that long,
    /// and no full stop at its end) a capitalised English word (`english-words`, `common-words`) is read as a sentence would
    /// write it, in lower case: "Rawa" then stands alone. Organisation words keep their capital (a
    /// list line "the Akkar Network for Development" looks like a headline), and so do the words of
    /// place names (`name-words`: "Eastern Ghouta", "Mount Hermon"), titles, a word right after a
    /// locative cue ("Rebels Advance Toward Mare"), words in capitals and names that are no English
    /// words. Only the rules read the lowered words (``ReportChecker/words``): the scanner finds its
    /// candidates in its own copy, as written.
    static func lowerEnglishWordsOfTitleCaseLines(_ words: inout [Word], _ text: UnsafeBufferPointer<UInt8>) {
        var lineStart = 0
        var lineEnd = nextLineFeed(text, from: 0)
        // A line stays a candidate until a long lower-case word shows it is prose (most lines: within a few words).
        var capitalised = 0, prose = false
        for i in words.indices {
            let w = words[i]
            if Int(w.start) > lineEnd {
                if !prose, capitalised >= 3, !endsWithFullStop(text, lineEnd) { lowerEnglishWords(&words, lineStart..<i) }
                lineStart = i
                capitalised = 0
                prose = false
                lineEnd = nextLineFeed(text, from: Int(w.start))
            }
            guard !prose, isLong(w) else { continue }
            if w.has(.lower) { prose = true } else if w.has(.capital), !w.has(.allCaps) { capitalised += 1 }
        }
        if !prose, capitalised >= 3, !endsWithFullStop(text, lineEnd) { lowerEnglishWords(&words, lineStart..<words.count) }
    }

    private static func lowerEnglishWords(_ words: inout [Word], _ line: Range<Int>) {
        // Not a word right after a locative cue, which may be a place all the same ("Rebels Advance
        // Toward Mare"), nor a title ("President").
        for k in line where isCapitalisedEnglishWord(words[k]) && !words[k].isAny(.title) && !(k > line.lowerBound && words[k - 1].isAny(.cue)) {
            words[k].shape.remove(.capital)
            words[k].shape.insert(.lower)
        }
    }

    /// Whether the line ending at `end` ends with a full stop (spaces and blanked markup aside): a
    /// sentence ("The Kurdistan Regional Government and the Kurdistan Parliament met in Erbil."), not
    /// a headline.
    private static func endsWithFullStop(_ text: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        var k = min(end, text.count) - 1
        while k >= 0, text[k] == 0x20 || text[k] == 0x09 || text[k] == 0x0D { k -= 1 }
        return k >= 0 && text[k] == UInt8(ascii: ".")
    }

    /// The offset of the first line feed at or after `start`, or the text's length.
    private static func nextLineFeed(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var k = start
        while k < text.count, text[k] != 0x0A { k += 1 }
        return k
    }

    private static func isLong(_ w: Word) -> Bool { w.end - w.start >= 4 && !w.has(.nonASCII) }

    private static func isCapitalisedEnglishWord(_ w: Word) -> Bool {
        w.has(.capital) && !w.has(.allCaps) && w.isAny(WordClass.english | WordClass.common) && !w.isAny(WordClass.organisation | WordClass.nameWord)
    }
}
