import Foundation

/// When an observation holds: an instant, a whole local day, or an interval, in seconds since
/// 1970-01-01T00:00Z. Reports rarely give a minute ("on Monday", "yesterday morning"), so a time is
/// a span whose width is part of the observation's uncertainty.
public struct ObservationTime: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Precision: String, Sendable, Codable {
        /// A timestamp: start == end.
        case instant
        /// A date alone: the whole local day in the log's zone.
        case day
        /// An ISO 8601 interval `start/end`.
        case interval
    }

    public let start: Double
    public let end: Double
    public let precision: Precision
    /// The text as written in the log.
    public let text: String

    public init(start: Double, end: Double, precision: Precision, text: String) {
        self.start = start
        self.end = end
        self.precision = precision
        self.text = text
    }

    /// The middle of the span: the instant used when no better one is known.
    public var middle: Double { (start + end) / 2 }
    /// Half the span's width in seconds.
    public var halfWidth: Double { (end - start) / 2 }
    public var description: String { text }

    /// True when the two spans share at least an instant.
    public func overlaps(_ other: ObservationTime) -> Bool {
        if start == end { return other.start <= start && start <= other.end }
        if other.start == other.end { return start <= other.start && other.start <= end }
        return start < other.end && other.start < end
    }
}

/// Why a time could not be read.
public struct TimeParseError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Parses the log's time column: ISO 8601 `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss][Z|±hh[:mm]]` (a space
/// may replace `T`), or an interval `A/B` of those. Times without an offset are in `zone`.
public struct LogTimeParser: Sendable {
    public let zone: TimeZone

    public init(zone: TimeZone) {
        self.zone = zone
    }

    /// The default zone for logs about Syria: Asia/Damascus (UTC+3 in summer 2017).
    public static let defaultZoneIdentifier = "Asia/Damascus"

    /// Looks up a zone by IANA name or fixed offset (`+03:00`, `UTC`).
    public static func zone(named name: String) -> TimeZone? {
        if let zone = TimeZone(identifier: name) { return zone }
        if let offset = parseOffset(Substring(name)) { return TimeZone(secondsFromGMT: offset) }
        return nil
    }

    public func parse(_ raw: String) throws(TimeParseError) -> ObservationTime {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw TimeParseError(message: "time is empty") }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            let point = try parsePoint(parts[0])
            return ObservationTime(start: point.start, end: point.end, precision: point.isDate ? .day : .instant, text: text)
        case 2:
            let a = try parsePoint(parts[0])
            let b = try parsePoint(parts[1])
            guard b.end >= a.start else {
                throw TimeParseError(message: "interval \"\(text)\" ends before it starts")
            }
            return ObservationTime(start: a.start, end: b.end, precision: .interval, text: text)
        default:
            throw TimeParseError(message: "\"\(text)\" has more than one \"/\"; an interval is START/END")
        }
    }

    /// An instant or a whole day; a date's span runs from local midnight to the next local midnight.
    func parsePoint(_ s: Substring) throws(TimeParseError) -> (start: Double, end: Double, isDate: Bool) {
        let text = s.trimmingCharacters(in: .whitespaces)
        let bad = TimeParseError(message: "\"\(text)\" is not an ISO 8601 date or time (YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss][±hh:mm|Z], or START/END)")
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var value = 0
            for i in range {
                let c = chars[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                value = value * 10 + Int(c - 0x30)
            }
            return value
        }
        guard chars.count >= 10, let year = number(0..<4), chars[4] == 0x2D, let month = number(5..<7), chars[7] == 0x2D,
            let day = number(8..<10)
        else { throw bad }
        guard (1...12).contains(month) else { throw TimeParseError(message: "\"\(text)\": month \(month) does not exist") }
        let days = Self.daysIn(month: month, year: year)
        guard (1...days).contains(day) else {
            throw TimeParseError(message: "\"\(text)\": \(Self.monthNames[month - 1]) \(year) has \(days) days, there is no day \(day)")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        if chars.count == 10 {
            let start = try localInstant(calendar, year, month, day, 0, 0, 0, text)
            var next = DateComponents()
            next.day = 1
            guard let end = calendar.date(byAdding: next, to: Date(timeIntervalSince1970: start)) else { throw bad }
            return (start, end.timeIntervalSince1970, true)
        }
        guard chars[10] == 0x54 || chars[10] == 0x20, let hour = number(11..<13), chars.count >= 16, chars[13] == 0x3A,
            let minute = number(14..<16)
        else { throw bad }
        var index = 16
        var second = 0
        var fraction = 0.0
        if index < chars.count, chars[index] == 0x3A {
            guard let s = number(17..<19) else { throw bad }
            second = s
            index = 19
            if index < chars.count, chars[index] == 0x2E || chars[index] == 0x2C {
                var digits = index + 1
                while digits < chars.count, chars[digits] >= 0x30, chars[digits] <= 0x39 { digits += 1 }
                guard digits > index + 1, let f = Double("0." + String(decoding: chars[(index + 1)..<digits], as: UTF8.self)) else { throw bad }
                fraction = f
                index = digits
            }
        }
        guard hour <= 23 else { throw TimeParseError(message: "\"\(text)\": hour \(hour) does not exist") }
        guard minute <= 59 else { throw TimeParseError(message: "\"\(text)\": minute \(minute) does not exist") }
        guard second <= 59 else { throw TimeParseError(message: "\"\(text)\": second \(second) does not exist") }
        let rest = text.utf8.dropFirst(index)
        if rest.isEmpty {
            let t = try localInstant(calendar, year, month, day, hour, minute, second, text) + fraction
            return (t, t, false)
        }
        guard let offset = Self.parseOffset(Substring(rest)) else { throw bad }
        let utc = Self.daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        let t = Double(utc) + fraction
        return (t, t, false)
    }

    /// `Z`, `±hh`, `±hhmm`, `±hh:mm` → seconds east of UTC.
    static func parseOffset(_ s: Substring) -> Int? {
        if s == "Z" || s == "z" || s == "UTC" { return 0 }
        guard let sign = s.first, sign == "+" || sign == "-" else { return nil }
        let digits = s.dropFirst().filter { $0 != ":" }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
        let hours = digits.count == 2 ? value : value / 100
        let minutes = digits.count == 2 ? 0 : value % 100
        guard hours <= 14, minutes <= 59 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    func localInstant(_ calendar: Calendar, _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ text: String) throws(TimeParseError) -> Double {
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else {
            throw TimeParseError(message: "\"\(text)\" does not exist in the zone \(zone.identifier)")
        }
        return date.timeIntervalSince1970
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Formats instants for output.
public enum TimeText {
    /// `2017-09-03T09:00:00Z`.
    public static func utc(_ t: Double) -> String {
        format(t, zone: TimeZone(secondsFromGMT: 0)!, withOffset: false) + "Z"
    }

    /// `2017-09-03 12:00 +03:00` in `zone`.
    public static func local(_ t: Double, zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: t))
        let sign = offset < 0 ? "-" : "+"
        let text = format(t, zone: zone, withOffset: false)
        let date = text.replacingOccurrences(of: "T", with: " ").dropLast(3)
        return "\(date) \(sign)\(String(format: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60))"
    }

    static func format(_ t: Double, zone: TimeZone, withOffset: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: t.rounded(.down)))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// "3 d 4 h", "5 h 20 min", "40 min".
    public static func duration(_ seconds: Double) -> String {
        let s = Int(abs(seconds).rounded())
        let d = s / 86_400, h = s % 86_400 / 3600, m = s % 3600 / 60
        if d > 0 { return h > 0 ? "\(d) d \(h) h" : "\(d) d" }
        if h > 0 { return m > 0 ? "\(h) h \(m) min" : "\(h) h" }
        return "\(m) min"
    }
}
