import ConvoyCheck
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyTestSupport
import Testing

/// The order of the places a shared name can mean (docs/check.md, "Ambiguity and context"):
/// spelled as written first, then the country with more curated places, a name that is not a
/// recorded misspelling, a curated place, and the id. Checked against that rule written out here,
/// on many places with random properties; and the context rule that may settle the choice.
@Suite("ranking the places a name can mean")
struct RankingTests {
    struct Sharer {
        let place: Place
        let asWritten: Bool
        let misspelling: Bool
    }

    static func place(_ id: String, _ name: String, _ names: [PlaceName], country: String, bundled: Bool) throws -> Place {
        Place(id: id, name: name, kind: "village", country: country, location: try GeoPoint(latitude: 30, longitude: 40),
              uncertaintyMeters: 1000, coordinateSource: "test", names: names, origin: bundled ? .bundled : .geonames)
    }

    /// Places sharing the key of "Zarqa" (as written, or only by key: "Zarka", "Zerqa"), with
    /// curated places elsewhere so that the countries differ in density (DD has none but one
    /// landmark), one landmark per country; and the sharers' ids in the order the rule gives.
    struct Scenario {
        let all: [Place]
        let sharers: [Sharer]
        let landmarks: [String: String]
        let expected: [String]
    }

    static let countries = ["AA", "BB", "CC", "DD"]

    static func scenario(count: Int, random: inout SeededGenerator) throws -> Scenario {
        var others: [Place] = []
        for (c, country) in countries.dropLast().enumerated() {
            for k in 0..<(c * 3 + 1) {
                others.append(try place("zz-\(country)-\(k)", "Elsewhere \(country) \(k)", [], country: country, bundled: true))
            }
        }
        var landmarks: [String: String] = [:]
        for (country, name) in zip(countries, ["Zabrin", "Qustal", "Marwaniya", "Hulwan"]) {
            landmarks[country] = name
            others.append(try place("lm-\(country)", name, [], country: country, bundled: true))
        }
        var sharers: [Sharer] = []
        var ids = Array(0..<count).shuffled(using: &random)
        for i in 0..<count {
            let asWritten = i == 0 || Bool.random(using: &random)
            let misspelling = i > 0 && Int.random(in: 0..<4, using: &random) == 0
            let spelling = asWritten ? "Zarqa" : ["Zarka", "Zerqa"].randomElement(using: &random)!
            let id = "p-\(ids.removeLast())"
            let place = try place(id, "Site \(i)", [PlaceName(text: spelling, lang: "und", script: "Latn", kind: misspelling ? .misspelling : .variant)],
                                  country: countries.randomElement(using: &random)!, bundled: i == 0 || Bool.random(using: &random))
            sharers.append(Sharer(place: place, asWritten: asWritten, misspelling: misspelling))
        }
        let all = others + sharers.map(\.place)
        let density = Dictionary(grouping: all.filter { $0.origin == .bundled }, by: { $0.country! }).mapValues(\.count)
        let expected = sharers.sorted { a, b in
            func key(_ s: Sharer) -> (Int, Int, Int, Int) {
                (s.asWritten ? 0 : 1, -(density[s.place.country!] ?? 0), s.misspelling ? 1 : 0, s.place.origin == .bundled ? 0 : 1)
            }
            let (ka, kb) = (key(a), key(b))
            return ka != kb ? ka < kb : a.place.id < b.place.id
        }.map(\.place.id)
        return Scenario(all: all, sharers: sharers, landmarks: landmarks, expected: expected)
    }

    /// The scan takes the first place in one pass over the name's entries; the whole list is
    /// sorted when a mention's candidates are read: both are checked against the rule.
    @Test(arguments: [2, 5, 12, 16, 17, 40, 300])
    func placesAreRankedByTheRule(count: Int) throws {
        var random = SeededGenerator(seed: UInt64(count) * 7919)
        let s = try Self.scenario(count: count, random: &random)
        let checker = ReportChecker(index: NameIndex(places: s.all), options: .init(findUnknownPlaces: false))
        let mentions = checker.check(text: "Strikes hit Zarqa on Monday.").mentions
        #expect(mentions.map(\.text) == ["Zarqa"])
        #expect(mentions.first?.candidates == s.expected)
        #expect(mentions.first?.placeID == s.expected.first)
        #expect(mentions.first?.resolution == .ranked)
    }

    /// The report's other places settle a shared name when exactly one of its places is in the
    /// country mentioned most (docs/check.md): checked against that rule written out, with
    /// random numbers of mentions of a landmark in each country before the name.
    @Test(arguments: 0..<16)
    func theReportsOtherPlacesSettleAName(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) &* 104_729 &+ 17)
        let s = try Self.scenario(count: Int.random(in: 2...12, using: &random), random: &random)
        var tally: [String: Int] = [:]
        var sentences: [String] = []
        for country in Self.countries {
            let times = Int.random(in: 0...2, using: &random)
            tally[country] = times
            sentences += Array(repeating: "Shelling near \(s.landmarks[country]!) again.", count: times)
        }
        sentences.shuffle(using: &random)
        let result = ReportChecker(index: NameIndex(places: s.all), options: .init(findUnknownPlaces: false))
            .check(text: sentences.joined(separator: " ") + " Buses reached Zarqa on Monday.")
        #expect(result.mentions.count == tally.values.reduce(0, +) + 1)
        let top = s.sharers.map { tally[$0.place.country!]! }.max()!
        let atTop = s.sharers.filter { tally[$0.place.country!]! == top }
        let zarqa = try #require(result.mentions.last)
        #expect(zarqa.text == "Zarqa")
        let diagnostic = try #require(result.diagnostics.first { $0.position.offset == zarqa.position.offset })
        if top > 0, atTop.count == 1 {
            let chosen = atTop[0].place.id
            #expect(zarqa.resolution == .context)
            #expect(zarqa.placeID == chosen)
            #expect(zarqa.candidates == [chosen] + s.expected.filter { $0 != chosen })
        } else {
            #expect(zarqa.resolution == .ranked)
            #expect(zarqa.placeID == s.expected.first)
            #expect(zarqa.candidates == s.expected)
        }
        // The note or warning lists the same places; a place taken by a name recorded as a
        // misspelling gets that error instead.
        if zarqa.nameKind == .misspelling {
            #expect(diagnostic.code == .recordedMisspelling)
        } else {
            #expect(diagnostic.code == (zarqa.resolution == .context ? .disambiguated : .ambiguous))
            #expect(diagnostic.suggestions.map(\.placeID) == Array(zarqa.candidates.prefix(10)))
        }
    }
}
