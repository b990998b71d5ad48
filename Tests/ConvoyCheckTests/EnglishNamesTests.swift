import Testing

@testable import ConvoyCheck

/// English names of people, sites and councils that hold or resemble place names
/// (Gazetteer/rules/check-rules.txt: `titles`, `designators`, `capitalised-organisation-words`).
@Suite struct EnglishNamesTests {
    @Test func aTradeBeforeANameIsATitle() {
        // "Moaz al-Kasasbeh", "Ahmad Hamra": people, though no given-name list has Moaz, and GeoNames
        // may have a Hamra.
        #expect(RulebookTests.found("Pilot Moaz al-Kasasbeh was captured near Raqqa.").flagged.isEmpty)
        #expect(RulebookTests.found("Farmer Ahmad Hamra said the harvest was late.").flagged.isEmpty)
        #expect(RulebookTests.found("Pilot Moaz al-Kasasbeh was captured near Raqqa.").mentioned == ["Raqqa"])
    }

    @Test func aSiteNamedAfterAPersonIsAPlace() {
        #expect(RulebookTests.found("Water was released from King Talal Dam.").flagged == ["King Talal Dam"])
        #expect(RulebookTests.found("Fans filled Prince Hashim Stadium.").flagged == ["Prince Hashim Stadium"])
        // Without the designator, the title opens a person's name.
        #expect(RulebookTests.found("King Abdullah met the envoy in Amman.").flagged.isEmpty)
    }

    @Test func aCapitalisedMunicipalityIsItsCouncil() {
        #expect(RulebookTests.found("Petra reported that Zarqa Municipality had cleared the drains.").mentioned.isEmpty)
        #expect(RulebookTests.found("Floods hit villages in Zarqa municipality.").mentioned == ["Zarqa"])
    }

    @Test func twoPlacesHyphenedBeforeAGovernorateAreOneArea() {
        // The Baalbek-Hermel governorate: one area the gazetteer lacks, flagged; not Baalbek and Hermel.
        let r = RulebookTests.found("The Baalbek-Hermel governorate was hit by floods.")
        #expect(r.flagged == ["Baalbek-Hermel"] && r.mentioned.isEmpty, "\(r)")
        // A plural names two areas.
        #expect(RulebookTests.found("The Hama-Idlib provinces were shelled.").mentioned == ["Hama", "Idlib"])
        // A road between two is two places.
        #expect(RulebookTests.found("Traffic on the Homs-Hama road resumed.").mentioned == ["Homs", "Hama"])
    }

    @Test func thePeopleAndOfficersOfAPlaceHeadAnOfCue() {
        // The place alone is flagged, not "Residents of Hatla"; and a lower-case article name too.
        #expect(RulebookTests.found("Residents of Hatla fled on Monday.").flagged == ["Hatla"])
        #expect(RulebookTests.found("The mayor of Hatla said the water was back.").flagged == ["Hatla"])
        #expect(RulebookTests.found("People of al-Shuhayl fled.").flagged == ["al-Shuhayl"])
    }
}
