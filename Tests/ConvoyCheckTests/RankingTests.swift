import ConvoyCheck
import ConvoyGazetteer
import ConvoyGeodesy
import ConvoyTestSupport
import Testing

/// The order of the places a shared name can mean (docs/check.md, "Ambiguity and context"):
/// spelled as written first, then the country with more curated places, a name that is not a
/// recorded misspelling, a curated place, and the id. Checked against that rule written out here,
/// on many places with random properties (the checker sorts small and large lists differently).
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

    @Test(arguments: [2, 5, 12, 16, 17, 40, 300])
    func placesAreRankedByTheRule(count: Int) throws {
        var random = SeededGenerator(seed: UInt64(count) * 7919)
        let countries = ["AA", "BB", "CC", "DD"]
        // Curated places elsewhere, so that the countries differ in density (DD has none).
        var others: [Place] = []
        for (c, country) in countries.dropLast().enumerated() {
            for k in 0..<(c * 3 + 1) {
                others.append(try Self.place("zz-\(country)-\(k)", "Elsewhere \(country) \(k)", [], country: country, bundled: true))
            }
        }
        // Places sharing the key of "Zarqa": as written ("Zarqa") or only by key ("Zarka", "Zerqa").
        var sharers: [Sharer] = []
        var ids = Array(0..<count).shuffled(using: &random)
        for i in 0..<count {
            let asWritten = i == 0 || Bool.random(using: &random)
            let misspelling = i > 0 && Int.random(in: 0..<4, using: &random) == 0
            let spelling = asWritten ? "Zarqa" : ["Zarka", "Zerqa"].randomElement(using: &random)!
            let id = "p-\(ids.removeLast())"
            let place = try Self.place(id, "Site \(i)", [PlaceName(text: spelling, lang: "und", script: "Latn", kind: misspelling ? .misspelling : .variant)],
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
        let checker = ReportChecker(index: NameIndex(places: all), options: .init(findUnknownPlaces: false))
        let mentions = checker.check(text: "Strikes hit Zarqa on Monday.").mentions
        #expect(mentions.map(\.text) == ["Zarqa"])
        #expect(mentions.first?.candidates == expected)
        #expect(mentions.first?.placeID == expected.first)
    }
}
