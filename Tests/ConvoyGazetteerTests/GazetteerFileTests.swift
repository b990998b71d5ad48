import Foundation
import Testing

@testable import ConvoyGazetteer

/// The bundled data file: its validation errors, located at the value, and its content.
struct GazetteerFileTests {
    static func errors(_ json: String) -> [String] {
        do {
            _ = try GazetteerFile.parse(Array(json.utf8), displayPath: "places.geojson")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    static func feature(_ properties: String, coordinates: String = "[38.2672, 34.56]", id: String = "\"sy-palmyra\"") -> String {
        """
        {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": \(id), "geometry": {"type": "Point", "coordinates": \(coordinates)},
         "properties": {\(properties)}}
        ]}
        """
    }

    static let good = """
        "name": "Palmyra", "kind": "city", "country": "SY", "uncertainty_m": 1500, "coordinate_source": "Wikipedia",
        "names": [{"text": "Palmyra", "lang": "en", "script": "Latn", "kind": "preferred", "source": "Wikipedia"}]
        """

    @Test func aGoodFeatureLoads() throws {
        let places = try GazetteerFile.parse(Array(Self.feature(Self.good).utf8), displayPath: "x")
        #expect(places.count == 1)
        #expect(places[0].location.latitude == 34.56)
        #expect(places[0].location.longitude == 38.2672)
    }

    @Test func syntaxErrorsAreLocated() {
        #expect(Self.errors("{\"type\": \"FeatureCollection\",\n  \"features\": [,]}") == ["places.geojson:2:16: unexpected character ',', expected a JSON value"])
        #expect(Self.errors("{\"a\": 1,\n \"a\": 2}") == ["places.geojson:2:2: duplicate member \"a\""])
        #expect(Self.errors("{\"a\": NaN}") == ["places.geojson:1:7: unexpected character 'N', expected a JSON value"])
        #expect(Self.errors("{\"a\": \"x\"} trailing") == ["places.geojson:1:12: unexpected text after the JSON value"])
    }

    @Test func coordinatesOutOfRangeOrSwappedAreRejectedWithTheLine() {
        let errors = Self.errors(Self.feature(Self.good, coordinates: "[38.2672, 134.56]"))
        #expect(errors == ["places.geojson:2:86: latitude 134.56 is outside [-90, 90] — GeoJSON positions are [longitude, latitude]"])
        #expect(Self.errors(Self.feature(Self.good, coordinates: "[38.2672]")).first?.contains("two or three numbers") == true)
        #expect(Self.errors(Self.feature(Self.good, coordinates: "[\"38\", 34]")).count == 1)
    }

    @Test func missingAndInvalidFieldsAreEachReported() {
        let errors = Self.errors(Self.feature("""
            "name": "", "kind": "metropolis", "country": "Syria", "uncertainty_m": -1,
            "names": [{"text": "Palmyra", "lang": "en", "script": "latin", "kind": "official"}], "extra": 1
            """, id: "\"Palmyra\""))
        let messages = errors.joined(separator: "\n")
        #expect(messages.contains("id \"Palmyra\" must be a country code"))
        #expect(messages.contains("\"name\" must be a non-empty string"))
        #expect(messages.contains("unknown kind \"metropolis\""))
        #expect(messages.contains("country must be an ISO 3166-1 alpha-2 code"))
        #expect(messages.contains("uncertainty_m must not be negative"))
        #expect(messages.contains("missing \"coordinate_source\""))
        #expect(messages.contains("name kind must be one of"))
        #expect(messages.contains("unknown property \"extra\""))
        #expect(errors.allSatisfy { $0.hasPrefix("places.geojson:") && $0.split(separator: ":").count >= 4 })
    }

    @Test func theBundledGazetteerHoldsEveryPlaceTheReportsName() throws {
        let url = StoreTests.bundled.appendingPathComponent("places.geojson")
        let places = try GazetteerFile.load(url)
        var byKey: [String: Set<String>] = [:]
        for place in places {
            for name in place.names { byKey[NameKey.key(name.text), default: []].insert(place.id) }
        }
        // The list, each with the spelling a report uses.
        let required: [(String, String)] = [
            ("Qara", "sy-qara"), ("Arsal", "lb-arsal"), ("Falita", "sy-falita"), ("As Sukhnah", "sy-as-sukhnah"),
            ("Humayma", "sy-humayma"), ("Hamaymah", "sy-humayma"), ("Abu Kamal", "sy-abu-kamal"), ("Abul Kamal", "sy-abu-kamal"),
            ("Boukamal", "sy-abu-kamal"), ("Palmyra", "sy-palmyra"), ("Deir ez-Zor", "sy-deir-ez-zor"),
            ("Deir ez-Zor Governorate", "sy-deir-ez-zor-governorate"), ("Deir Ezzor Province", "sy-deir-ez-zor-governorate"),
            ("Deir el-Zour province", "sy-deir-ez-zor-governorate"), ("Deir al-Zor", "sy-deir-ez-zor"),
            ("Ras Baalbek", "lb-ras-baalbek"), ("Ras Belbek", "lb-ras-baalbek"), ("Al-Rahiba", "sy-al-rahiba"),
            ("Al-Sheikh Ali Crossing", "sy-al-sheikh-ali-crossing"), ("Halimah Qaarrah", "sy-halimat-qara"),
            ("Shab’a Farms", "xx-shebaa-farms"), ("Homs", "sy-homs"), ("Damascus", "sy-damascus"),
            ("Rif Dimashq", "sy-rif-dimashq-governorate"), ("Rural Damascus", "sy-rif-dimashq-governorate"),
            ("Qalamun", "sy-qalamoun"), ("Al-Qalamoun", "sy-qalamoun"), ("Western Qalamoun", "sy-western-qalamoun"),
            ("Eastern Qalamoun", "sy-eastern-qalamoun"), ("Idlib", "sy-idlib"), ("Raqqa", "sy-raqqa"),
            ("Quneitra", "sy-quneitra"), ("Golan Heights", "sy-golan-heights"), ("Yormouk", "sy-yarmouk-camp"),
            ("Euphrates", "xx-euphrates"), ("Syrian Desert", "xx-syrian-desert"), ("Lebanon-Syria border", "xx-lebanon-syria-border"),
            ("Syria", "sy-syria"), ("Lebanon", "lb-lebanon"), ("Iraq", "iq-iraq"), ("Al-Qaryatayn", "sy-al-qaryatayn"),
            ("T2", "sy-t2-pumping-station"), ("T3", "sy-t3-pumping-station"),
        ]
        for (spelling, id) in required {
            #expect(byKey[NameKey.key(spelling)]?.contains(id) == true, "\(spelling) → \(id)")
        }
        // Homonyms are separate features and Hmeimim is not Humayma.
        for id in ["sy-humaymah-al-kabira", "sy-humaymah-saghira", "jo-humayma", "sy-hmeimim-air-base"] {
            #expect(places.contains { $0.id == id }, "\(id)")
        }
        let hmeimim = try #require(places.first { $0.id == "sy-hmeimim-air-base" })
        #expect(!hmeimim.names.contains { NameKey.key($0.text) == NameKey.key("Humayma") })
        // Every Syrian, Lebanese, Iraqi and Jordanian place has an Arabic-script name; every place a source.
        for place in places where ["SY", "LB", "IQ", "JO"].contains(place.country ?? "") {
            #expect(place.names.contains { $0.script == "Arab" }, "\(place.id) has no Arabic name")
        }
        #expect(places.allSatisfy { !$0.coordinateSource.isEmpty && $0.uncertaintyMeters > 0 })
        // GeoNames is attributed wherever a GeoNames id is used.
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("CC BY 4.0") || text.contains("CC-BY"))
    }
}
