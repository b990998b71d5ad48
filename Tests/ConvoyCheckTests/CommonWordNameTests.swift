import ConvoyCheck
import ConvoyGazetteer
import ConvoyGeodesy
import Testing

@Suite("GeoNames names that are common words")
struct CommonWordNameTests {
    /// A GeoNames-style place with alternate names.
    static func geonames(_ id: Int, _ name: String, _ alternates: [String], country: String) throws -> Place {
        Place(id: "gn-\(id)", name: name, kind: "village", country: country, location: try GeoPoint(latitude: 10, longitude: 10),
              uncertaintyMeters: 5000, coordinateSource: "GeoNames \(id)", geonamesID: id,
              names: ([name] + alternates).map { PlaceName(text: $0, lang: "und", script: "Latn", kind: .variant, source: "GeoNames") },
              origin: .geonames)
    }

    /// cities500's alternate names hold "The", "August", "17", "T", "US", "Army" and "Al Qaeda"; such
    /// words must not become mentions, while the same gazetteer's real names — one word or several,
    /// and the bundled places — still do.
    @Test func commonWordsNumbersAndLettersAreNotGeoNamesMentions() throws {
        let junk = [
            try Self.geonames(1, "Thebe", ["The", "This"], country: "GR"), try Self.geonames(2, "Augusta", ["August", "Monday"], country: "IT"),
            try Self.geonames(3, "Pasila", ["17", "T", "US"], country: "FI"), try Self.geonames(4, "Armilla", ["Army", "Press", "So"], country: "ES"),
            try Self.geonames(5, "Townsend", ["Over", "In"], country: "US"), try Self.geonames(6, "Den Haag", ["The Hague"], country: "NL"),
            try Self.geonames(7, "Béchar", ["Bechar"], country: "DZ"), try Self.geonames(8, "Al Qaeda", [], country: "YE"),
        ]
        let places = try Fixture.gazetteer.places() + junk
        let index = NameIndex(places: places)
        let checker = ReportChecker(index: index, options: .init(findUnknownPlaces: false))
        let text = """
            The convoy left on Monday. In August 17 buses and the US Army said So. This is Press TV, Over.
            T was there. Officials in Townsend and Pasila said the convoy reached The Hague, not Qara or Palmyra.
            Fighters of Al-Qaeda went to Den Hag, to Bechaar and to BECHAR.
            """
        let found = checker.check(text: text).mentions.map { "\($0.text) -> \($0.placeID)" }
        // One GeoNames-only word is taken as recorded (any case), not by its key alone ("Bechaar" has
        // Béchar's key); several words may be another spelling ("Den Hag"). Well-known groups are not places.
        #expect(found == ["Townsend -> gn-5", "Pasila -> gn-3", "The Hague -> gn-6", "Qara -> sy-qara", "Palmyra -> sy-palmyra",
                          "Den Hag -> gn-6", "BECHAR -> gn-7"])
        // Not taken as a mention, the unrecorded spelling is still reported: a misspelling of Béchar.
        let full = ReportChecker(index: index, gazetteer: Fixture.gazetteer).check(text: text)
        let bechaar = try #require(full.errors.first { $0.text == "Bechaar" })
        #expect(bechaar.code == .misspelling)
        #expect(bechaar.suggestions.first?.placeID == "gn-7")
    }

    /// A GeoNames-only word written as recorded apart from accents, marks and a leading article is a
    /// mention ("Qamishli" of "Al Qāmishlī"); hostile spellings are not: a letter more or less, text
    /// that is not ASCII, an entry with a combining mark or a symbol, an English word.
    @Test func aPlainSpellingOfARecordedNameIsAMention() throws {
        let places = try Fixture.gazetteer.places() + [
            try Self.geonames(9, "Al Qāmishlī", ["Q\u{0304}amishlo", "🙂mishla"], country: "SY"),
            try Self.geonames(10, "Mā‘īn", [], country: "JO"),
        ]
        let checker = ReportChecker(index: NameIndex(places: places), options: .init(findUnknownPlaces: false))
        let text = "Shells hit Qamishli, QAMISHLI and Qamishlī; not Qamishlii, Qamishlo or mishla. Main roads to Main closed."
        let found = checker.check(text: text).mentions.map(\.text)
        #expect(found == ["Qamishli", "QAMISHLI"], "\(found)")
    }
}
