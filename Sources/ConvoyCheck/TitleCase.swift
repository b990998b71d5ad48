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
    static func lowerEnglishWordsOfTitleCaseLines(_ words: inout [Word], _ text: Span<UInt8>) {
        guard !words.isEmpty else { return }
        var lineStart = 0
        // A line stays a candidate until a long lower-case word shows it is prose (most lines: within
        // a few words). Lines are told apart by the line feeds between words, so that only the gaps
        // between words are read, not the words again.
        var capitalised = 0, prose = false
        func endLine(before i: Int) {
            if !prose, capitalised >= 3, !endsWithFullStop(text, after: Int(words[i - 1].end)) { lowerEnglishWords(&words, lineStart..<i) }
            lineStart = i
            capitalised = 0
            prose = false
        }
        var i = 0
        while i < words.count {
            let w = words[i]
            // (Only spaces before a word that joins its phrase: no line feed to look for.)
            if i > 0, !w.has(.phraseJoin), hasLineFeed(text, from: Int(words[i - 1].end), to: Int(w.start)) { endLine(before: i) }
            if prose {
                // Nothing more of a prose line is read: on to the first word after its line feed
                // (the feed searched for eight bytes at a time, the word by halving: words are in
                // text order), whose test above ends the line. None: the rest of the block is this line.
                guard let feed = text.firstIndex(of: 0x0A, from: Int(w.end)) else { break }
                var low = i + 1, high = words.count
                while low < high {
                    let middle = (low + high) / 2
                    if Int(words[middle].start) < feed { low = middle + 1 } else { high = middle }
                }
                i = low
                continue
            }
            if isLong(w) {
                if w.has(.lower) { prose = true } else if w.has(.capital), !w.has(.allCaps) { capitalised += 1 }
            }
            i += 1
        }
        endLine(before: words.count)
    }

    private static func lowerEnglishWords(_ words: inout [Word], _ line: Range<Int>) {
        // Not a word right after a locative cue, which may be a place all the same ("Rebels Advance
        // Toward Mare"), nor a title ("President").
        for k in line where isCapitalisedEnglishWord(words[k]) && !words[k].isAny(.title) && !(k > line.lowerBound && words[k - 1].isAny(.cue)) {
            words[k].shape.remove(.capital)
            words[k].shape.insert(.lower)
        }
    }

    // The two readers below index a span (bounds-checked): the offsets come from the words of this
    // same text, and each loop is clamped to the text's end all the same, so that no offset can
    // trap (RulebookTests: the rules at the text's edges).
    private static func hasLineFeed(_ text: Span<UInt8>, from start: Int, to end: Int) -> Bool {
        var k = max(start, 0)
        let stop = min(end, text.count)
        while k < stop { if text[k] == 0x0A { return true }; k += 1 }
        return false
    }

    /// Whether a full stop follows byte `start` (the line's last word's end) before the line's end,
    /// spaces and blanked markup aside: a sentence ("The Kurdistan Regional Government and the
    /// Kurdistan Parliament met in Erbil."), not a headline.
    private static func endsWithFullStop(_ text: Span<UInt8>, after start: Int) -> Bool {
        var k = max(start, 0)
        while k < text.count, text[k] != 0x0A {
            if text[k] == UInt8(ascii: ".") { return true }
            k += 1
        }
        return false
    }

    private static func isLong(_ w: Word) -> Bool { w.end - w.start >= 4 && !w.has(.nonASCII) }

    private static func isCapitalisedEnglishWord(_ w: Word) -> Bool {
        w.has(.capital) && !w.has(.allCaps) && w.isAny(WordClass.english | WordClass.common) && !w.isAny(WordClass.organisation | WordClass.nameWord)
    }
}
