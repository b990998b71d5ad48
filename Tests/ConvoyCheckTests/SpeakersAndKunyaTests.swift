import Testing

@testable import ConvoyCheck

/// An outlet named after "to" in a clause with a verb of saying is whom it was said to, not a place
/// (UnknownPlaces, `spokenTo(before:)`); after other cues an outlet's name is still flagged, since a
/// town may share it.
@Suite struct OutletSpokenToTests {
    @Test func theOutletSpokenToIsNoPlace() {
        RulebookTests.expectNoPlace("“We need tents,” said Anas al-Idlibi, a doctor, to Enab Baladi.", "said … to an outlet")
        RulebookTests.expectNoPlace("The engineer said to Alsumaria that work had begun.")
    }

    @Test func elsewhereAnOutletAfterACueIsFlagged() {
        #expect(RulebookTests.found("The convoy went to Enab Baladi.").flagged == ["Enab Baladi"])
        // A full stop ends the clause: the verb of saying before it does not count.
        #expect(RulebookTests.found("The mayor said nothing. Families went to Enab Baladi.").flagged == ["Enab Baladi"])
    }
}

/// A kunya ("Abu Jasim", father of Jasim) is a person's name: the word after Abu is no GeoNames
/// place there (Resolving, `rejectedByContext`); an "Abu X" that names a place is recorded whole.
@Suite struct KunyaTests {
    @Test func theNameAfterAbuIsAPersons() {
        #expect(RulebookTests.found("A former rebel commander, Abu Jasim, was shot dead near Tafas.").mentioned == ["Tafas"])
        #expect(RulebookTests.found("Shelling hit Abu Kamal and Abu al-Duhur.").mentioned == ["Abu Kamal", "Abu al-Duhur"])
        #expect(RulebookTests.found("The families fled to Jasim.").mentioned == ["Jasim"])
        // Abu, a given name and a nisba is a person even beside a place: "from Sukhnah, Abu Ahmad al-Homsi, told".
        #expect(RulebookTests.found("A man from Sukhnah, Abu Ahmad al-Homsi, told reporters.").flagged.isEmpty)
        #expect(RulebookTests.found("Shelling hit Abu Kamal and Abu Hamam.").flagged == ["Abu Hamam"])
    }
}

/// English words opening a sentence before a designator in lower case are no place's name
/// (UnknownPlaces, `sentenceStart`): "Boat crossings resumed"; a name before one still is.
@Suite struct EnglishWordsBeforeADesignatorTests {
    @Test func aSentenceOfEnglishWordsBeforeADesignator() {
        RulebookTests.expectNoPlace("Boat crossings on the river resumed.")
        RulebookTests.expectNoPlace("Sitrep, 12 March — Boat crossings resumed.", "after a dash")
        RulebookTests.expectNoPlace("He said: Border checkpoints closed.", "after a colon")
        #expect(RulebookTests.found("Qarqosh crossings reopened.").flagged == ["Qarqosh"])
    }
}

/// A place followed by two capitalised English words opens another thing's name, and so does an
/// unknown phrase that two such words end: neither is a place (Resolving,
/// `beforeEnglishWordsOfAName`; UnknownPlaces).
@Suite struct EnglishWordsOfANameTests {
    @Test func aPlaceOpeningATitleIsNoMention() {
        RulebookTests.expectNoPlace("The toll was counted by Iraq Body Count.")
        RulebookTests.expectNoPlace("Footage was posted by Raqqa Is Being Slaughtered Silently.")
        // Designators and words of place names are parts of a place's name.
        #expect(RulebookTests.found("Flights landed at Baghdad International Airport.").mentioned == ["Baghdad"])
        #expect(RulebookTests.found("Rubble filled Homs Old City.").mentioned.contains("Homs"))
    }
}

/// Given names of the region (`first-names-regional.txt`, from Jörg Michael's dictionary) open
/// people's names, not places; a word of any layer's place name is none of them, and a designator in
/// lower case after a given name makes a place all the same.
@Suite struct RegionalGivenNamesTests {
    @Test func aRegionalGivenNameOpensAPersonsName() {
        #expect(RulebookTests.found("Defence Minister Mustafa Tlass met Farouk al-Sharaa in Damascus.").flagged.isEmpty)
        #expect(RulebookTests.found("Ghassan Hitto met Hadi al-Bahra in Reyhanli.").flagged.isEmpty)
    }

    @Test func aPlaceNameIsNoGivenName() throws {
        let given = CheckRules.bundled.words(.firstNames)
        // nam_dict.txt has Erbil, Nasib, Rafah and Doha as given names; here they are places.
        for place in ["erbil", "nasib", "rafah", "doha", "anbar"] { #expect(!given.contains(place), "\(place)") }
        #expect(given.contains("farouk") && given.contains("ghassan") && given.contains("recep"))
        #expect(RulebookTests.found("Officials from Erbil and Rafah met.").mentioned == ["Erbil", "Rafah"])
    }

    @Test func aGivenNameBeforeADesignatorInLowerCaseIsAPlace() {
        // Jaber is a given name; the Jaber crossing is a place no layer has.
        #expect(RulebookTests.found("Trucks queued at the Jaber crossing on Sunday.").flagged == ["Jaber"])
        #expect(RulebookTests.found("Jaber Hassan said the road was open.").flagged.isEmpty)
    }
}

/// Politics news (dev batch 13): bodies named by English words, an outlet before a verb of saying
/// in a list, an Arabic dateline that is a frequent word, election words.
@Suite struct PoliticsNewsTests {
    @Test func internationalBodiesAreNoPlaces() {
        RulebookTests.expectNoPlace("The envoy met the committee at the United Nations offices before noon.")
    }

    @Test func anOutletBeforeAVerbOfSayingIsNoPlaceInAList() {
        #expect(RulebookTests.found("Hadi al-Amiri warned of blood in Kirkuk, Rudaw reported.").flagged.isEmpty)
        #expect(RulebookTests.found("The convoy went to Rudaw.").flagged == ["Rudaw"], "after a cue an outlet's name is still flagged")
    }

    @Test func electionWordsAreNoPlaces() {
        // (A frequent word opens no dateline: "جنيف - " is Geneva, but also "عاجل - ", urgent.)
        #expect(RulebookTests.found("جنيف - بدأت الجولة الثامنة من المحادثات.").flagged.isEmpty)
        RulebookTests.expectNoPlace("وصوت 92 في المئة من المقترعين، وحصلت القوائم الكردية على مقاعد في ختام الفرز.")
    }
}
