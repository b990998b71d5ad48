import ConvoyGazetteer
import ConvoyScan

/// What `--fix` writes (docs/check.md, "--fix"): only misspellings by default, recorded variants too
/// with ``ReportChecker/Options/fixVariants``; always a name in the script the report wrote, never
/// a replacement that starts, ends or continues inside markup, and never a name written over its own
/// gloss ("Tadmur (Palmyra)" stays). A replacement that is left out is said in a `not-fixed` note.
/// A replacement `--fix` makes in a report: bytes [offset, offset + length) of the original file,
/// written as `text`, become `replacement` (what SARIF output offers as a fix).
public struct FixReplacement: Sendable, Hashable {
    /// 0-based byte offset and byte length in the original file.
    public let offset: Int
    public let length: Int
    /// The text as written, and what `--fix` writes instead.
    public let text: String
    public let replacement: String
}

extension ReportChecker {
    /// The proposals `--fix` applies, in text order: each one that starts before the previous one
    /// ends is dropped (the first wins).
    static func nonOverlapping(_ proposals: [FixProposal]) -> [FixProposal] {
        var kept: [FixProposal] = [], at: Int32 = 0
        for proposal in proposals.sorted(by: { $0.start < $1.start }) where proposal.start >= at {
            kept.append(proposal)
            at = proposal.end
        }
        return kept
    }

    /// A replacement proposed for bytes [start, end) of a block.
    struct FixProposal {
        var start: Int32
        var end: Int32
        /// The text as written, and what would be written instead.
        var text: String
        var replacement: String
        /// The place it names (its id), for the gloss rule.
        var placeID: String
        /// A misspelling (always fixed), else a variant (fixed with `fixVariants`).
        var misspelling: Bool

        /// The replacement in the file's terms, for a block starting at byte `base`.
        func replacement(base: Int) -> FixReplacement {
            FixReplacement(offset: base + Int(start), length: Int(end - start), text: text, replacement: replacement)
        }
    }

    /// A resolved name in the block: what the gloss rule compares a replacement with.
    struct NamedSpan {
        var start: Int32
        var end: Int32
        var placeID: String
        var text: String
    }

    /// The name `--fix` writes for place `p` over `text`: its canonical name when `text` is in Latin
    /// script; for Arabic-script text, its first preferred name in Arabic script (nil when it has none).
    func canonicalName(of p: Int, scriptOf text: String) -> String? {
        let arabic = NameKey.isArabicText(text)
        if arabic == NameKey.isArabicText(index.placeNames[p]) { return index.placeNames[p] }
        let first = Int(index.placeFirstName[p]), count = Int(index.placeNameCount[p])
        return (first..<(first + count)).first { index.nameKinds[$0] == .preferred && NameKey.isArabicText(index.nameTexts[$0]) == arabic }
            .map { index.nameTexts[$0] }
    }

    /// What `--fix` proposes for a resolved mention, if anything: a recorded misspelling becomes the
    /// place's nearest good spelling in the same script (the "did you mean": the smallest change);
    /// a variant becomes the canonical name only with `fixVariants`. A name several places have
    /// that the report does not settle is left.
    func fixProposal(_ found: Found, _ source: Span<UInt8>) -> FixProposal? {
        let best = found.resolution.place, c = found.candidate
        guard found.resolution.how != .ranked else { return nil }
        let p = Int(best.place)
        let text = Self.string(source, c.start, c.end)
        let replacement: String?
        if best.kind == .misspelling {
            replacement = misspellingDiagnostic(text, place: p).suggestions.first?.matchedName
        } else {
            guard options.fixVariants, !best.canonical else { return nil }
            replacement = canonicalName(of: p, scriptOf: text)
        }
        guard let replacement, NameIndex.folded(replacement) != NameIndex.folded(text) else { return nil }
        return FixProposal(start: c.start, end: c.end, text: text, replacement: replacement, placeID: index.placeIDs[p], misspelling: best.kind == .misspelling)
    }

    /// What `--fix` proposes for a place-like phrase that is not in the gazetteer but one edit or two
    /// from a single best name: that name's spelling nearest to it, in the phrase's script.
    func fixProposal(phrase text: String, start: Int32, end: Int32, best: NameSuggestion) -> FixProposal? {
        let replacement = best.matchedName
        guard NameKey.isArabicText(replacement) == NameKey.isArabicText(text) else { return nil }
        return FixProposal(start: start, end: end, text: text, replacement: replacement, placeID: best.placeID, misspelling: true)
    }

    /// The proposals that are safe to apply, and a note for each that is not.
    func vet(_ proposals: [FixProposal], names: [NamedSpan], masked: Span<UInt8>, source: Span<UInt8>,
             base: Int) -> (applied: [FixProposal], notes: [Diagnostic]) {
        var applied: [FixProposal] = [], notes: [Diagnostic] = []
        for proposal in proposals {
            let reason: String?
            if let problem = Self.markupProblem(Int(proposal.start), Int(proposal.end), masked: masked, source: source) {
                reason = problem
            } else if let partner = Self.gloss(of: proposal, in: names, masked: masked),
                !proposal.misspelling || NameIndex.folded(partner.text) == NameIndex.folded(proposal.replacement)
            {
                reason = "it stands with '\(partner.text)' beside it in parentheses, another name of the same place"
            } else {
                reason = nil
            }
            guard let reason else { applied.append(proposal); continue }
            notes.append(Diagnostic(position: TextPosition(line: 0, column: 0, offset: base + Int(proposal.start), length: Int(proposal.end - proposal.start)),
                                    severity: .note, code: .notFixed,
                                    message: "'\(proposal.text)' not fixed to '\(proposal.replacement)': \(reason)",
                                    text: proposal.text, suggestions: []))
        }
        return (applied, notes)
    }

    // MARK: - Markup

    /// Why a replacement of bytes [start, end) would break markup or a word, or nil: the span holds
    /// markup (a tag, a comment, an entity), or the word goes on through markup right beside it
    /// ("Palmyr&#97;", "Palm<b>yra</b>"). An apostrophe or separator entity beside it is fine
    /// ("Arsaal&#39;s", "Homs&nbsp;and"). The mask changed exactly the markup's bytes.
    static func markupProblem(_ start: Int, _ end: Int, masked: Span<UInt8>, source: Span<UInt8>) -> String? {
        func isMarkup(_ i: Int) -> Bool { i >= 0 && i < source.count && masked[i] != source[i] }
        func isWordByte(_ i: Int) -> Bool { i >= 0 && i < masked.count && (ByteClass.isAlnum(masked[i]) || masked[i] >= 0x80) }
        if (start..<end).contains(where: isMarkup) { return "the name has markup inside it (a tag or an entity); fix it by hand" }
        // After the name: markup starting at `end`, then what follows it.
        if isMarkup(end) {
            if source[end] == UInt8(ascii: "&"), let kind = MarkupMask.entityKind(source, at: end) {
                if kind == .letter { return "the word goes on in an entity right after it; fix it by hand" }
            } else {
                var j = end
                while isMarkup(j) { j += 1 }
                if isWordByte(j) { return "the word goes on after markup right after it; fix it by hand" }
            }
        }
        // Before the name: markup ending at `start`.
        if isMarkup(start - 1) {
            var i = start - 1
            while isMarkup(i - 1) { i -= 1 }
            if source[i] == UInt8(ascii: "&"), let kind = MarkupMask.entityKind(source, at: i) {
                if kind == .letter { return "the word starts in an entity right before it; fix it by hand" }
            } else if isWordByte(i - 1) {
                return "the word starts before markup right before it; fix it by hand"
            }
        }
        return nil
    }

    // MARK: - Glosses

    /// The name that glosses a proposal, or that it glosses: "X (Y)" with Y right after X in
    /// parentheses, both names of the same place. Spaces may stand around the parentheses.
    static func gloss(of proposal: FixProposal, in names: [NamedSpan], masked: Span<UInt8>) -> NamedSpan? {
        func skipSpaces(_ i: Int, _ step: Int) -> Int {
            var k = i
            while k >= 0, k < masked.count, masked[k] == 0x20 || masked[k] == 0x09 { k += step }
            return k
        }
        func byte(_ i: Int) -> UInt8? { i >= 0 && i < masked.count ? masked[i] : nil }
        let start = Int(proposal.start), end = Int(proposal.end)
        // "X (Y)": the proposal is X, followed by "(" Y ")".
        let open = skipSpaces(end, 1)
        if byte(open) == UInt8(ascii: "(") {
            let inner = skipSpaces(open + 1, 1)
            if let y = names.first(where: { Int($0.start) == inner && $0.placeID == proposal.placeID }),
                byte(skipSpaces(Int(y.end), 1)) == UInt8(ascii: ")")
            {
                return y
            }
        }
        // "X (Y)": the proposal is Y, inside "(" … ")" right after X.
        let before = skipSpaces(start - 1, -1)
        if byte(before) == UInt8(ascii: "("), byte(skipSpaces(end, 1)) == UInt8(ascii: ")") {
            let outer = skipSpaces(before - 1, -1) + 1
            if let x = names.first(where: { Int($0.end) == outer && $0.placeID == proposal.placeID }) { return x }
        }
        return nil
    }
}
