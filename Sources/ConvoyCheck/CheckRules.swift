import ConvoyGazetteer
import ConvoyScan
import Foundation
import Logging

/// The rulebook of `convoy check`: the word lists its place-name rules apply (locative cues, list
/// joiners, designators, titles, organisation words, outlets, people, English words, first names,
/// Arabic cues and proclitics …), read from `Gazetteer/rules/check-rules.txt` and the lists it
/// includes. The rules are data: a rule is added or changed by editing that file, and the index
/// cache follows (its fingerprint holds ``digest``). The format is in docs/check.md ("Rulebook").
public struct CheckRules: Sendable, Equatable {
    /// One kind of rule: a section `[kind]` of the rulebook.
    public enum Kind: String, CaseIterable, Sendable, Comparable {
        case locativeCues = "locative-cues"
        case departureCues = "departure-cues"
        case contingentCues = "contingent-cues"
        case attackWords = "attack-words"
        case ofCueHeads = "of-cue-heads"
        case nonLocativeTo = "non-locative-to"
        case listJoiners = "list-joiners"
        case designators
        case notPlaceWords = "not-place-words"
        case titles
        case commonWords = "common-words"
        case englishWords = "english-words"
        case firstNames = "first-names"
        case organisationWords = "organisation-words"
        case capitalisedOrganisationWords = "capitalised-organisation-words"
        case placeHeads = "place-heads"
        case nameHeads = "name-heads"
        case organisationOfHeads = "organisation-of-heads"
        case personPossessions = "person-possessions"
        case residentNouns = "resident-nouns"
        case placeTails = "place-tails"
        case arabicPlaceNouns = "arabic-place-nouns"
        case nameConnectors = "name-connectors"
        case speechVerbs = "speech-verbs"
        case nonPlaceNames = "non-place-names"
        case outlets
        case arabicCues = "arabic-cues"
        case arabicProclitics = "arabic-proclitics"
        case arabicWords = "arabic-words"
        case arabicCommonWords = "arabic-common-words"
        case abbreviations
        case arabicSuffixes = "arabic-suffixes"
        case arabicNisbaSuffixes = "arabic-nisba-suffixes"
        case arabicOwnerPronouns = "arabic-owner-pronouns"
        case arabicOrganisationWords = "arabic-organisation-words"
        case arabicOrganisationIdioms = "arabic-organisation-idioms"
        case arabicPlaceOrganisationWords = "arabic-place-organisation-words"
        case arabicAdministrativeNouns = "arabic-administrative-nouns"
        case arabicSpeechVerbs = "arabic-speech-verbs"
        case arabicBylineWords = "arabic-byline-words"
        case outletTails = "outlet-tails"
        case demonyms
        case demonymEndings = "demonym-endings"
        case sportsWords = "sports-words"
        case sportsPeople = "sports-people"
        case sportsLinks = "sports-links"
        case sportsVerbs = "sports-verbs"
        case teamWords = "team-words"
        case arabicNameHeads = "arabic-name-heads"
        case arabicStrongNameHeads = "arabic-strong-name-heads"
        case arabicTitleHeads = "arabic-title-heads"
        case arabicPersonCues = "arabic-person-cues"
        case arabicConstructNouns = "arabic-construct-nouns"
        case arabicNamePrefixes = "arabic-name-prefixes"
        case arabicNonNameShapes = "arabic-non-name-shapes"
        case arabicAdjectiveShapes = "arabic-adjective-shapes"
        case arabicPluralPlaceNouns = "arabic-plural-place-nouns"
        case arabicContingentCues = "arabic-contingent-cues"
        case arabicAttackWords = "arabic-attack-words"
        case arabicCutOffCues = "arabic-cut-off-cues"
        case arabicCutOffWords = "arabic-cut-off-words"
        case nameWords = "name-words"
        case teamSuffixes = "team-suffixes"
        case arabicSportsVerbs = "arabic-sports-verbs"
        case arabicSportsLinks = "arabic-sports-links"
        case notSportsObjects = "not-sports-objects"
        case sportsVerbObjects = "sports-verb-objects"
        case sportsStoryWords = "sports-story-words"
        case pairNameDesignators = "pair-name-designators"

        /// Kinds whose entries are names of several words, compared as ``NameKey`` keys.
        var holdsNames: Bool { self == .nonPlaceNames || self == .outlets }
        /// Kinds of Arabic-script words, kept as written (lower-casing does not apply to them).
        var holdsArabic: Bool { [.arabicCues, .arabicPlaceNouns, .arabicProclitics, .arabicWords, .arabicCommonWords, .arabicSuffixes, .arabicNisbaSuffixes, .arabicOwnerPronouns, .arabicOrganisationWords, .arabicOrganisationIdioms, .arabicPlaceOrganisationWords, .arabicAdministrativeNouns, .arabicSpeechVerbs, .arabicBylineWords, .arabicNameHeads, .arabicStrongNameHeads, .arabicTitleHeads, .arabicPersonCues, .arabicConstructNouns, .arabicNamePrefixes, .arabicNonNameShapes, .arabicAdjectiveShapes, .arabicPluralPlaceNouns, .arabicContingentCues, .arabicAttackWords, .arabicCutOffCues, .arabicCutOffWords, .arabicSportsVerbs, .arabicSportsLinks].contains(self) }

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    /// A rulebook that cannot be read: where and why.
    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public let file: String
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "\(file):\(line):\(column): \(message)" }
    }

    /// Each kind's entries: lower-case words, or keys (``Kind/holdsNames``).
    public private(set) var entries: [Kind: Set<String>]
    /// Multi-word names of ``Kind/nonPlaceNames`` and ``Kind/outlets`` as written (for the index's keys).
    public private(set) var names: [Kind: [String]]
    /// Abbreviations of place names, as written ("US") → the name they stand for ("United States").
    public private(set) var abbreviations: [String: String]
    /// A digest of every kind and entry in a fixed order: what the index cache's fingerprint holds.
    public let digest: String
    /// The entries of the shape kinds, as letters (read once, not at every word).
    private let shapes: [Kind: [[Unicode.Scalar]]]

    /// The entries of one kind.
    public func words(_ kind: Kind) -> Set<String> { entries[kind] ?? [] }

    /// Whether a word has one of the shapes of `kind` (`arabic-non-name-shapes`,
    /// `arabic-adjective-shapes`): letter for letter, where "." stands for any one letter and "*"
    /// for any letters or none ("إ..ا." is the shape of إطفاء and إغلاق).
    public func hasShape(_ word: String, of kind: Kind) -> Bool {
        guard let shapes = shapes[kind] else { return false }
        let letters = Array(word.unicodeScalars)
        return shapes.contains { Self.matches(letters, $0) }
    }

    /// Glob matching on letters, without backtracking beyond the last "*" (linear in practice).
    private static func matches(_ letters: [Unicode.Scalar], _ shape: [Unicode.Scalar]) -> Bool {
        var l = 0, s = 0
        var star: Int?, resume = 0  // the last "*" seen, and the letter it was last extended to
        while l < letters.count {
            if s < shape.count, shape[s] == "." || shape[s] == letters[l] {
                l += 1; s += 1
            } else if s < shape.count, shape[s] == "*" {
                star = s; resume = l; s += 1
            } else if let star {
                resume += 1; l = resume; s = star + 1
            } else {
                return false
            }
        }
        while s < shape.count, shape[s] == "*" { s += 1 }
        return s == shape.count
    }

    /// The kinds whose entries are shapes (``hasShape(_:of:)``).
    static let shapeKinds: [Kind] = [.arabicNonNameShapes, .arabicAdjectiveShapes]

    /// The endings that make a demonym of a place name (`demonym-endings`), each with what it
    /// replaces at the end of the name ("" when it is only added), longest ending first.
    public var demonymEndings: [(ending: String, replaces: String)] {
        words(.demonymEndings).map { entry -> (ending: String, replaces: String) in
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }.sorted { ($0.ending.count, $0.ending, $0.replaces) > ($1.ending.count, $1.ending, $1.replaces) }
    }

    /// A rulebook from its text; `include` returns the text of a file an `@include` names.
    public init(text: String, file: String = "check-rules.txt", include: (String) throws -> String = { _ in throw CocoaError(.fileNoSuchFile) }) throws {
        var entries: [Kind: Set<String>] = [:]
        var names: [Kind: [String]] = [:]
        var abbreviations: [String: String] = [:]
        var kind: Kind?
        func add(_ raw: String, _ kind: Kind) throws {
            if kind == .abbreviations {
                let parts = raw.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw CocoaError(.formatting) }
                abbreviations[parts[0]] = parts[1]
                entries[kind, default: []].insert(parts[0] + "=" + parts[1])
            } else if kind == .demonymEndings {
                let parts = raw.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard let ending = parts.first, !ending.isEmpty, ending.allSatisfy(\.isLetter), parts.count == 1 || parts[1].allSatisfy(\.isLetter) else { throw CocoaError(.formatting) }
                entries[kind, default: []].insert(ending + "=" + (parts.count > 1 ? parts[1] : ""))
            } else if kind.holdsNames {
                let key = NameKey.key(raw)
                if !key.isEmpty { entries[kind, default: []].insert(key) }
                names[kind, default: []].append(raw)
            } else if kind.holdsArabic {
                entries[kind, default: []].insert(raw)
            } else {
                entries[kind, default: []].insert(raw.lowercased())
            }
        }
        for (n, fullLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = fullLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let column = (line.firstIndex { !$0.isWhitespace }.map { line.distance(from: line.startIndex, to: $0) } ?? 0) + 1
            func fail(_ message: String) -> Malformed { Malformed(file: file, line: n + 1, column: column, message: message) }
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), let k = Kind(rawValue: String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)) else {
                    throw fail("unknown section \(trimmed); the kinds are \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = k
                continue
            }
            guard let kind else { throw fail("an entry before the first [kind] line") }
            if trimmed.hasPrefix("@include") {
                let name = trimmed.dropFirst("@include".count).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !name.contains("/") else { throw fail("@include needs a file name in the rulebook's folder") }
                let included: String
                do { included = try include(name) } catch { throw fail("cannot read included file \(name): \(error.localizedDescription)") }
                // One entry a line, read on scalars: the generated lists hold 80,000 entries, and
                // Foundation's trimming and Character splitting would cost a second at every start.
                for line in included.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
                    let entry = Self.trimmed(Substring(line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? line[line.startIndex..<line.startIndex]))
                    if !entry.isEmpty { let e = String(entry); do { try add(e, kind) } catch { throw fail(Self.formatMessage(kind, e)) } }
                }
                continue
            }
            // A comma may end a line (the list goes on on the next one).
            let body = trimmed.hasSuffix(",") ? String(trimmed.dropLast()) : trimmed
            for part in body.split(separator: ",", omittingEmptySubsequences: false) {
                let entry = part.trimmingCharacters(in: .whitespaces)
                guard !entry.isEmpty else { throw fail("an empty entry (two commas, or a comma opening the line)") }
                do { try add(entry, kind) } catch { throw fail(Self.formatMessage(kind, entry)) }
            }
        }
        self.entries = entries
        self.names = names
        self.abbreviations = abbreviations
        shapes = Dictionary(uniqueKeysWithValues: Self.shapeKinds.map { kind in (kind, (entries[kind] ?? []).sorted().map { Array($0.unicodeScalars) }) })
        var sum = ArchiveChecksum()
        for k in Kind.allCases {
            let text = k.rawValue + "|" + (entries[k] ?? []).sorted().joined(separator: ",") + "\n"
            sum.add(Array(text.utf8))
        }
        digest = String(sum.final, radix: 16)
    }

    /// `text` without spaces and tabs at either end.
    static func trimmed(_ text: Substring) -> Substring {
        let scalars = text.unicodeScalars
        func blank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }
        guard let first = scalars.firstIndex(where: { !blank($0) }), let last = scalars.lastIndex(where: { !blank($0) }) else { return text[text.endIndex...] }
        return Substring(scalars[first...last])
    }

    /// What is wrong with an entry of `kind` that `add` refused.
    private static func formatMessage(_ kind: Kind, _ entry: String) -> String {
        kind == .demonymEndings
            ? "a demonym ending is written ENDING or ENDING = WHAT IT REPLACES, in letters: \(entry)"
            : "an abbreviation is written ABBR = Name: \(entry)"
    }

    /// The rulebook `check-rules.txt` in `directory`, with the files it includes from there.
    public static func load(directory: URL) throws -> CheckRules {
        let url = directory.appendingPathComponent(fileName)
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw Malformed(file: url.path, line: 0, column: 0, message: "cannot read the rulebook: \(error.localizedDescription)")
        }
        return try CheckRules(text: text, file: url.path) { name in
            try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
    }

    public static let fileName = "check-rules.txt"
    /// Environment variable naming a folder holding `check-rules.txt` (default: the bundled one).
    public static let rulesVariable = "CONVOY_RULES"

    /// Where the bundled rulebook is looked for, first that holds it: `$CONVOY_RULES`,
    /// `$CONVOY_GAZETTEER/rules`, `<executable>/../share/convoy/Gazetteer/rules`,
    /// `<executable>/Gazetteer/rules`, the checkout this was built from, `./Gazetteer/rules`.
    static func candidateDirectories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var list: [URL] = []
        if let dir = environment[rulesVariable], !dir.isEmpty { list.append(URL(fileURLWithPath: dir)) }
        if let dir = environment["CONVOY_GAZETTEER"], !dir.isEmpty { list.append(URL(fileURLWithPath: dir).appendingPathComponent("rules")) }
        if let path = Bundle.main.executablePath {
            let dir = URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent()
            list.append(dir.appendingPathComponent("../share/convoy/Gazetteer/rules").standardized)
            list.append(dir.appendingPathComponent("Gazetteer/rules"))
        }
        // This file is Sources/ConvoyCheck/CheckRules.swift in the checkout that was built.
        list.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Gazetteer/rules").standardized)
        list.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Gazetteer/rules"))
        return list
    }

    /// The bundled rulebook, or why it could not be read.
    public static let bundledResult: Result<CheckRules, Malformed> = {
        let dirs = candidateDirectories()
        guard let dir = dirs.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent(fileName).path) }) else {
            return .failure(Malformed(file: fileName, line: 0, column: 0, message: "the rulebook is in none of " + dirs.map(\.path).joined(separator: ", ")))
        }
        do { return .success(try load(directory: dir)) } catch let error as Malformed { return .failure(error) } catch {
            return .failure(Malformed(file: dir.path, line: 0, column: 0, message: "\(error)"))
        }
    }()

    /// The rules `convoy check` applies: the bundled rulebook; when it cannot be read, an empty one
    /// (names are still matched; unknown places are sought after no cue), with the reason logged once.
    /// `convoy check` refuses to run then (exit 2, ``bundledResult``'s `file:line:col`); a library
    /// caller can test ``bundledResult`` the same way.
    public static let bundled: CheckRules = {
        switch bundledResult {
        case .success(let rules): return rules
        case .failure(let error):
            Logger(label: "convoy.check").error("rulebook not read: \(error.description)")
            return (try? CheckRules(text: "")) ?? CheckRules(empty: ())
        }
    }()

    private init(empty: Void) {
        entries = [:]
        names = [:]
        abbreviations = [:]
        shapes = [:]
        digest = "empty"
    }
}
