import Testing

/// The rulebook's Arabic road, bank and front-line cues, and national teams as their countries
/// (Gazetteer/rules/check-rules.txt, `arabic-cues`, `arabic-place-nouns`, `arabic-organisation-words`).
@Suite struct ArabicRoadsAndTeamsTests {
    @Test func roadsBanksAndFrontLinesAreCues() {
        // An unknown name after one is flagged; a frequent word after one is not.
        #expect(RulebookTests.found("أعيد فتح طريق كفرنبودة أمام الشاحنات.").flagged == ["كفرنبودة"])
        #expect(RulebookTests.found("تقدمت القوات على محور جوبر.").flagged == ["جوبر"])
        #expect(RulebookTests.found("نصبت الخيام على ضفاف الخابور.").flagged == ["الخابور"])
        RulebookTests.expectNoPlace("قال إن الحل عن طريق التفاوض.", "a frequent word after طريق")
        RulebookTests.expectNoPlace("وصل الوفد إلى مشارف المرحلة الأخيرة.", "a frequent word after مشارف")
        // A place noun too: the gazetteer's name after it is a mention though it is a frequent word
        // ("درعا" is one; without a cue or place noun it is not read as the town).
        #expect(RulebookTests.found("أعيد فتح طريق درعا.").mentioned == ["درعا"])
        // A governor's province.
        #expect(RulebookTests.found("وقال محافظ الحسكة إن المعبر مفتوح.").mentioned == ["الحسكة"])
        #expect(RulebookTests.found("وقال محافظ الشدادي إن المعبر مفتوح.").flagged == ["الشدادي"])
    }

    @Test func aNationalTeamIsItsCountry() {
        #expect(RulebookTests.found("ويستعد منتخب العراق لمواجهة قطر.").mentioned.contains("العراق"))
        // A club's name stays an organisation's: "نادي حمص" is no mention of Homs.
        #expect(!RulebookTests.found("وفاز نادي حمص بالكأس.").mentioned.contains("حمص"))
    }
}
