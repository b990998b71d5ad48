import Testing

@testable import ConvoyCheck

/// An "Al-" name in a sports story is a club's (Gazetteer/rules/check-rules.txt, `sports-story-words`).
@Suite struct SportsStoryTests {
    @Test func anArticleNameInASportsStoryIsAClub() {
        // GeoNames has villages named Al Karāmah; Al-Zawraa is no place. Neither is read nor flagged.
        let r = RulebookTests.found("Minutes before Al-Karamah were due to kick off against Al-Zawraa at the stadium, the league postponed the match.")
        #expect(r.mentioned.isEmpty && r.flagged.isEmpty, "\(r)")
    }

    @Test func outsideASportsStoryItIsThePlace() {
        #expect(RulebookTests.found("Al-Karamah was shelled on Monday, the monitor said.").mentioned == ["Al-Karamah"])
        #expect(RulebookTests.found("Al-Zawraa was shelled on Monday, the monitor said.").flagged == ["Al-Zawraa"])
    }

    @Test func aCueOrAResidentNounKeepsThePlaceInASportsStory() {
        #expect(RulebookTests.found("Fans travelled from Al-Karamah to the stadium for the league match, where the hosts scored twice.").mentioned == ["Al-Karamah"])
        #expect(RulebookTests.found("The league match was called off and the stadium closed after the goal; Al-Karamah residents fled.").mentioned == ["Al-Karamah"])
    }

    @Test func twoSignsAreNoSportsStory() {
        // "the match" and "stadium" only: Al-Karamah is still the village.
        #expect(RulebookTests.found("Al-Karamah was shelled near the stadium before the match, the monitor said.").mentioned == ["Al-Karamah"])
    }

    @Test func warNewsWordsRepeatedAreNoSportsStory() {
        // "supporters", "team", "final": war news too, and a repeated word counts once; no strong sign.
        #expect(RulebookTests.found("Regime supporters shelled Al-Karamah as a UN team waited; the team's final report came later.").mentioned == ["Al-Karamah"])
        // "2011-2012" is no score.
        #expect(RulebookTests.found("Between 2011-2012 the team and its supporters left Al-Karamah, the final report said.").mentioned == ["Al-Karamah"])
    }
}
