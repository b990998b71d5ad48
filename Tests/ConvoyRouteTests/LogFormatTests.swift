import ConvoyGazetteer
import Foundation
import Testing

@testable import ConvoyRoute

/// The CSV reader, times, location expressions and counts.
struct LogFormatTests {
    @Test func csvQuotesEscapesAndLineBreaks() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,,3\n"
        let records = try CSVReader.records(text, file: "f.csv")
        #expect(records.count == 3)
        #expect(records[1].fields.map(\.text) == ["x, y", "say \"hi\"", "two\nlines"])
        #expect(records[2].line == 4)
        #expect(records[2].fields.map(\.text) == ["1", "", "3"])
        #expect(records[2].fields[2].column == 4)
    }

    @Test func csvErrorsPointAtLineAndColumn() throws {
        #expect(throws: DataError(file: "f.csv", line: 2, column: 3, message: "quoted field is never closed (a missing \")")) {
            try CSVReader.records("a,b\n1,\"open\n", file: "f.csv")
        }
        do {
            _ = try CSVReader.records("a,b\n1,x\"y\n", file: "f.csv")
            Issue.record("a stray quote was accepted")
        } catch {
            #expect(error.line == 2 && error.column == 4)
        }
    }

    @Test func damascusZoneMatchesTzdata() throws {
        // Independent reference: the C library's tzdata via date(1).
        let expected = try #require(try Support.date(["TZ=Asia/Damascus", "-d", "2017-08-28 00:00", "+%s"]).flatMap(Double.init))
        let day = try LogTimeParser(zone: Support.damascus).parse("2017-08-28")
        #expect(day.start == expected)
        #expect(day.end - day.start == 86_400)
        #expect(day.precision == .day)
    }

    @Test func timestampsOffsetsAndIntervals() throws {
        let p = LogTimeParser(zone: Support.damascus)
        // 2017-08-30 16:50 in Damascus (UTC+3) = 13:50Z.
        #expect(try p.parse("2017-08-30T16:50").start == p.parse("2017-08-30T13:50Z").start)
        #expect(try p.parse("2017-08-30 16:50:00+03:00").start == p.parse("2017-08-30T13:50:00Z").start)
        let interval = try p.parse("2017-08-28T12:00/2017-08-29")
        #expect(interval.precision == .interval)
        #expect(try interval.end == p.parse("2017-08-30").start)
        #expect(TimeText.utc(try p.parse("2017-09-03T12:00Z").start) == "2017-09-03T12:00:00Z")
    }

    @Test(arguments: [
        ("2017-02-30", "February 2017 has 28 days"), ("2017-13-01", "month 13 does not exist"), ("2017-08-28T25:00", "hour 25"),
        ("28/08/2017", "more than one"), ("yesterday", "not an ISO 8601"), ("2017-09-05/2017-09-01", "ends before it starts"), ("", "empty"),
    ])
    func impossibleTimes(text: String, expected: String) {
        do {
            _ = try LogTimeParser(zone: Support.damascus).parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func locationExpressions() throws {
        #expect(try LocationExpression.parse("at Qara").get() == .at("Qara"))
        #expect(try LocationExpression.parse("Qara").get() == .at("Qara"))
        #expect(try LocationExpression.parse("near As Sukhnah within 20 km").get() == .near("As Sukhnah", radius: 20_000))
        #expect(try LocationExpression.parse("between Humayma and As Sukhnah").get() == .between("Humayma", "As Sukhnah"))
        #expect(try LocationExpression.parse("toward Palmyra").get() == .toward("Palmyra"))
        #expect(try LocationExpression.parse("38 km ESE of As Sukhnah").get() == .offset(distance: 38_000, azimuth: 112.5, direction: "ESE", place: "As Sukhnah", within: nil))
        #expect(try LocationExpression.parse("east of As Sukhnah").get() == .offset(distance: nil, azimuth: 90, direction: "east", place: "As Sukhnah", within: nil))
        #expect(try LocationExpression.parse("34.5, 39.1").get() == .coordinate(try .init(latitude: 34.5, longitude: 39.1), radius: nil))
        #expect(try LocationExpression.parse("").get() == .unstated)
        if case .failure(let e) = LocationExpression.parse("91,40") { #expect(e.message.contains("latitude 91")) } else { Issue.record("91,40 accepted") }
        if case .failure(let e) = LocationExpression.parse("12 km up of Qara") { #expect(e.message.contains("compass")) } else { Issue.record("bad direction accepted") }
        if case .failure = LocationExpression.parse("between Qara") {} else { Issue.record("between without and accepted") }
    }

    @Test func countsAndDisagreement() throws {
        let seventeen = try #require(Count.parse("17 buses + 11 ambulances"))
        #expect(seventeen.total == 28)
        #expect(seventeen.count(of: "buses")?.count == 17)
        let twoDozen = try #require(Count.parse("~22 buses + 11 ambulances"))
        #expect(seventeen.contradicts(twoDozen))
        // "around 600 people" against 308 militants + 331 civilians: within 10 %.
        #expect(!(try #require(Count.parse("~600"))).contradicts(try #require(Count.parse("308 militants + 331 civilians"))))
        // A count of fighters only is not compared with a bare total.
        #expect(!(try #require(Count.parse("~600"))).contradicts(try #require(Count.parse("~250 militants"))))
        #expect((try #require(Count.parse("~250 militants"))).contradicts(try #require(Count.parse("~308 militants + ~331 civilians"))))
        #expect(!(try #require(Count.parse(">=2000"))).contradicts(try #require(Count.parse("2400"))))
        #expect(Count.parse("many buses") == nil)
    }
}
