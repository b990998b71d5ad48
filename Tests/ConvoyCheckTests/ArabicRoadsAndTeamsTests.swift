import Testing

@testable import ConvoyCheck

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

    @Test func aWordWithTanweenIsNoPlace() {
        // "a Syrian delegation": سورياً and سوريًا are adjectives, سوريا the country.
        #expect(RulebookTests.found("وذكرت القناة أن وفداً سورياً وصل من دمشق.").mentioned == ["دمشق"])
        #expect(RulebookTests.found("وذكرت القناة أن وفدا سوريًا وصل من دمشق.").mentioned == ["دمشق"])
        #expect(RulebookTests.found("وعاد الوفد إلى سوريا.").mentioned == ["سوريا"])
    }

    @Test func theTanweenTestOnHostileBounds() {
        // Every end, from before the start to past the end, of texts cut anywhere: no trap, and the
        // answer read from the text's scalars — true where a tanween ends or starts at that byte,
        // or an alef after one ends there.
        let tanween: Set<UInt32> = [0x064B, 0x064C, 0x064D]
        let text = "اً ًا ٌ ٍa\u{064B}"
        let whole = Array(text.utf8)
        for cut in 0...whole.count {
            let bytes = Array(whole[0..<cut])
            var starts: [Int: UInt32] = [:], ends: [Int: [UInt32]] = [:]
            var offset = 0, previous: [UInt32] = []
            for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars where offset < bytes.count {
                let length = String(scalar).utf8.count
                guard offset + length <= bytes.count, scalar != "\u{FFFD}" else { break }
                starts[offset] = scalar.value
                previous.append(scalar.value)
                offset += length
                ends[offset] = previous.suffix(2)
            }
            for end in -3...(bytes.count + 3) {
                let last = ends[end] ?? []
                let expected = starts[end].map(tanween.contains) == true || last.last.map(tanween.contains) == true
                    || (last.count == 2 && last[1] == 0x0627 && tanween.contains(last[0]))
                let found = ReportChecker.tanweenAt(bytes.span, end: end)
                #expect(found == expected, "cut \(cut), end \(end)")
            }
        }
    }

    @Test func theFirstNamesOfAListThatEndsInAPlace() {
        // "al-Lataminah, Kafr Zita and Morek": مورك is a mention, the two before it are flagged.
        let list = RulebookTests.found("وشنت الطائرات غارات على اللطامنة وكفرزيتا ومورك في ريف حماة.")
        #expect(list.flagged == ["اللطامنة", "كفرزيتا"], "\(list)")
        // Frequent words before a place are not: "the army and Hama".
        #expect(RulebookTests.found("وصل الجيش وحماة.").flagged.isEmpty)
    }

    @Test func theOtherEndOfASpacedDashFromAPlace() {
        // "the Damascus–Daraa road": درعا, a frequent word too, after a dash from Damascus.
        #expect(RulebookTests.found("أعيد فتح طريق دمشق - درعا.").mentioned == ["دمشق", "درعا"])
        #expect(RulebookTests.found("أعيد فتح الطريق بين دمشق–درعا.").mentioned.contains("درعا"))
        // A dateline's dash before a verb adds nothing.
        #expect(RulebookTests.found("بغداد - فاز الشرطة على الزوراء.").mentioned == ["بغداد"])
    }

    @Test func aSpacedDashOnHostileBounds() {
        // The answer read as text: the bytes between are "-" or " - " (none when the bounds are
        // out of order or outside).
        let p = Array("a - b a  -  b a -b a -".utf8)
        for end in Int32(-1)...Int32(p.count + 1) {
            for start in Int32(-1)...Int32(p.count + 1) {
                let between = end >= 0 && end <= start && start <= p.count ? String(decoding: p[Int(end)..<Int(start)], as: UTF8.self) : nil
                let found = ReportChecker.joinedByDash(p.span, end, start, spaced: true)
                #expect(found == (between == "-" || between == " - "), "\(end)..<\(start)")
            }
        }
    }

    @Test func onIsACueAfterAWordOfAttackOrControl() {
        #expect(RulebookTests.found("سيطرت القوات على كفرنبودة بعد معارك.").flagged == ["كفرنبودة"])
        #expect(RulebookTests.found("سيطرت القوات الحكومية على درعا.").mentioned == ["درعا"], "a frequent word the gazetteer has")
        // Elsewhere على is no cue: a team beaten, a decision agreed to.
        RulebookTests.expectNoPlace("فاز الشرطة على الزوراء.")
        RulebookTests.expectNoPlace("وافق المجلس على الاتفاقية.")
    }

    @Test func damsPortsAndHospitalsNameTheirTowns() {
        // Frequent words the gazetteer has (الطبقة "the layer", دوما "always") after a work's noun.
        #expect(RulebookTests.found("وارتفع منسوب المياه في سد الطبقة.").mentioned == ["الطبقة"])
        #expect(RulebookTests.found("وقال مدير مستشفى دوما إن الكهرباء عادت.").mentioned == ["دوما"])
        // A place noun after و in a list is no name: "and the port of Latakia".
        let ports = RulebookTests.found("وبدأت أعمال ترميم ميناء طرطوس ومرفأ اللاذقية.")
        #expect(ports.mentioned == ["طرطوس", "اللاذقية"] && ports.flagged.isEmpty, "\(ports)")
    }
}
