import ConvoyGazetteer
import ConvoyScan

/// The classes the rulebook gives words (the engine carries them as bits; ``WordClassTable``):
/// what a word is to the phrase rules — a cue, an organisation word, a common word … — looked up
/// once per distinct word, so that the rules test bits instead of building strings for every word.
extension WordClasses {
    static let cue = WordClasses(rawValue: 1 << 0)
    static let ofHead = WordClasses(rawValue: 1 << 1)
    static let the = WordClasses(rawValue: 1 << 2)
    static let of = WordClasses(rawValue: 1 << 3)
    static let nonLocativeTo = WordClasses(rawValue: 1 << 4)
    static let organisation = WordClasses(rawValue: 1 << 5)
    static let connector = WordClasses(rawValue: 1 << 6)
    static let notPlace = WordClasses(rawValue: 1 << 7)
    static let speech = WordClasses(rawValue: 1 << 8)
    static let to = WordClasses(rawValue: 1 << 9)
    /// al, el, il, ul, ال: article forms that are never English words.
    static let alForm = WordClasses(rawValue: 1 << 10)
    /// A common English word (``ReportChecker/commonWords``).
    static let common = WordClasses(rawValue: 1 << 11)
    /// An English word (the rulebook's `english-words`): alone and capitalised, not an unknown place.
    static let english = WordClasses(rawValue: 1 << 12)
    /// A title ("President", "Gen"): the capitalised word after it names a person.
    static let title = WordClasses(rawValue: 1 << 13)
    /// A given name ("Mohammed"): the capitalised word after it is a surname.
    static let firstName = WordClasses(rawValue: 1 << 14)
    /// A designator ("countryside", "province", "crossing"): the name before it is a place.
    static let designator = WordClasses(rawValue: 1 << 15)
    /// A word that joins a list ("and", "or"): a name beside a place in a list is a place.
    static let listJoiner = WordClasses(rawValue: 1 << 16)
    /// A verb of leaving ("left", "fled"): the name after it is a place ("left Tabqa").
    static let departureCue = WordClasses(rawValue: 1 << 17)
    /// "for", which after a departure cue leads to the destination ("left Tabqa for Ain Issa").
    static let `for` = WordClasses(rawValue: 1 << 18)
    /// A word that ends an outlet's name after a place's ("Kurdistan 24"): the name is the outlet's.
    static let outletTail = WordClasses(rawValue: 1 << 19)
    /// A word of a sports fixture ("match", "derby"): a name after it and a sports link is a team.
    static let sports = WordClasses(rawValue: 1 << 20)
    /// A word that links a fixture to a team ("against", "with"): "a match against Al-Karamah".
    static let sportsLink = WordClasses(rawValue: 1 << 21)
    /// A team word ("club", "team"): the head of an apposition that makes the name before it a team's.
    static let team = WordClasses(rawValue: 1 << 22)
    /// A result verb ("beat", "drew"): the names on either side of it are teams.
    static let sportsVerb = WordClasses(rawValue: 1 << 23)
    /// A team's person ("coach", "players"): a name right before one is a team's.
    static let sportsPerson = WordClasses(rawValue: 1 << 24)
    /// An English word that is part of place names ("Eastern", "Mount"): a title-case headline keeps its capital.
    static let nameWord = WordClasses(rawValue: 1 << 25)
    /// A word of a sports story ("league", "stadium"): three signs near an "Al-" name make it a club's.
    static let sportsStory = WordClasses(rawValue: 1 << 26)
    /// A cue only after a word of attack ("on": "six strikes on al-Ankawi").
    static let contingentCue = WordClasses(rawValue: 1 << 27)
    /// A word of attack or advance ("strikes", "assault"): a contingent cue after one is a cue.
    static let attack = WordClasses(rawValue: 1 << 28)
    /// Classes of words that, alone, are not taken as a place only GeoNames records.
    static let notAloneName: WordClasses = [.cue, .ofHead, .the, .of, .to, .nonLocativeTo, .organisation, .connector, .notPlace, .speech, .common]
}

/// The name the rules have used for the word classes (`WordClass.cue`).
typealias WordClass = WordClasses

/// The word lists of the rulebook that class words, with the class each gives its words.
struct WordClassList {
    var name: String
    var words: Set<String>
    var classes: WordClasses
}

extension WordClassTable {
    /// The phrase rules' word lists with the class each gives its words. The index's cache stores
    /// words' classes, so its fingerprint holds a digest of these lists (``digest(of:)``): an edited
    /// list rebuilds it.
    static func lists(of rules: CheckRules) -> [WordClassList] {
        [
            WordClassList(name: "locative cues", words: rules.words(.locativeCues), classes: .cue),
            WordClassList(name: "heads of X-of cues", words: rules.words(.ofCueHeads), classes: .ofHead),
            WordClassList(name: "the", words: ["the"], classes: .the),
            WordClassList(name: "of", words: ["of"], classes: .of),
            WordClassList(name: "to", words: ["to"], classes: .to),
            WordClassList(name: "for", words: ["for"], classes: .for),
            WordClassList(name: "article forms", words: ["al", "el", "il", "ul", "\u{0627}\u{0644}"], classes: .alForm),
            WordClassList(name: "words before a non-locative to", words: rules.words(.nonLocativeTo), classes: .nonLocativeTo),
            WordClassList(name: "organisation words", words: rules.words(.organisationWords), classes: .organisation),
            WordClassList(name: "name connectors", words: rules.words(.nameConnectors), classes: .connector),
            WordClassList(name: "words that open no place name", words: rules.words(.notPlaceWords), classes: .notPlace),
            WordClassList(name: "verbs of saying", words: rules.words(.speechVerbs), classes: .speech),
            WordClassList(name: "common words", words: rules.words(.commonWords), classes: .common),
            WordClassList(name: "english words", words: rules.words(.englishWords), classes: .english),
            WordClassList(name: "titles", words: rules.words(.titles), classes: .title),
            WordClassList(name: "first names", words: rules.words(.firstNames), classes: .firstName),
            WordClassList(name: "designators", words: rules.words(.designators), classes: .designator),
            WordClassList(name: "list joiners", words: rules.words(.listJoiners), classes: .listJoiner),
            WordClassList(name: "departure cues", words: rules.words(.departureCues), classes: .departureCue),
            WordClassList(name: "outlet tails", words: rules.words(.outletTails), classes: .outletTail),
            WordClassList(name: "sports words", words: rules.words(.sportsWords), classes: .sports),
            WordClassList(name: "sports links", words: rules.words(.sportsLinks), classes: .sportsLink),
            WordClassList(name: "team words", words: rules.words(.teamWords), classes: .team),
            WordClassList(name: "sports verbs", words: rules.words(.sportsVerbs), classes: .sportsVerb),
            WordClassList(name: "sports people", words: rules.words(.sportsPeople), classes: .sportsPerson),
            WordClassList(name: "name words", words: rules.words(.nameWords), classes: .nameWord),
            WordClassList(name: "sports story words", words: rules.words(.sportsStoryWords), classes: .sportsStory),
            WordClassList(name: "contingent cues", words: rules.words(.contingentCues), classes: .contingentCue),
            WordClassList(name: "attack words", words: rules.words(.attackWords), classes: .attack),
        ]
    }

    /// A digest of word lists (their names, classes and words, in a fixed order): what the cache
    /// fingerprint compares.
    static func digest(of lists: [WordClassList]) -> String {
        var sum = ArchiveChecksum()
        for list in lists {
            let text = "\(list.name)|\(list.classes.rawValue)|" + list.words.sorted().joined(separator: ",") + "\n"
            sum.add(Array(text.utf8))
        }
        return String(sum.final, radix: 16)
    }

    /// The table of `lists`: every listed word with all its classes (one look-up per new word
    /// instead of one per list). Its digest is the lists' with the whole rulebook's.
    init(lists: [WordClassList], rulesDigest: String) {
        var table: [String: WordClasses] = [:]
        for list in lists { for w in list.words { table[w, default: []].formUnion(list.classes) } }
        self.init(table, digest: Self.digest(of: lists) + "-" + rulesDigest)
    }

    /// The table of a rulebook.
    init(rules: CheckRules) { self.init(lists: Self.lists(of: rules), rulesDigest: rules.digest) }

    /// The bundled rulebook's table (``CheckRules/bundled``).
    static let bundled = WordClassTable(rules: .bundled)
}
