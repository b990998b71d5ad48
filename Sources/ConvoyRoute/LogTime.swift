import ConvoyGazetteer
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

/// Why a time could not be read. The message quotes the text with its control characters escaped.
public struct TimeParseError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(message: String) {
        self.message = ControlCharacters.escaped(message)
    }
}

/// Parses the log's time column: ISO 8601 `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh[:mm]]` (a
/// space may replace `T`), or an interval `A/B` of those. Times without an offset are in `zone`.
/// Dates are proleptic Gregorian (the Gregorian calendar extended backwards; no Julian dates).
public struct LogTimeParser: Sendable {
    public let zone: TimeZone

    public init(zone: TimeZone) {
        self.zone = zone
    }

    /// The default zone for logs about Syria: Asia/Damascus (UTC+3 in summer 2017).
    public static let defaultZoneIdentifier = "Asia/Damascus"

    /// The years a time may be written in: 1900–2100. Reports are of the telegraph age or later;
    /// the zone database is reliable from about 1900 (before it, local mean time); and a narrow
    /// range turns typed years such as 0217 or 2917 into errors instead of silent centuries.
    public static let supportedYears: ClosedRange<Int> = 1900...2100

    /// The instants (seconds since 1970-01-01T00:00Z) an accepted time lies in: from
    /// 1900-01-01T00:00+14:00 (= 1899-12-31T10:00:00Z) to the end of 2100-12-31 at −14:00
    /// (= 2101-01-01T14:00:00Z). Every start and end of an accepted time is inside; printing must
    /// be right for all of them (proleptic Gregorian, four-digit years).
    public static let supportedInstants: ClosedRange<Double> =
        Double(daysFromCivil(1899, 12, 31) * 86_400 + 10 * 3600)...Double(daysFromCivil(2101, 1, 1) * 86_400 + 14 * 3600)

    /// Looks up a zone by IANA name or fixed offset (`+03:00`, `UTC`).
    public static func zone(named name: String) -> TimeZone? {
        if let zone = TimeZone(identifier: name) { return zone }
        if let offset = parseOffset(Substring(name)) { return TimeZone(secondsFromGMT: offset) }
        return nil
    }

    public func parse(_ raw: String) throws(TimeParseError) -> ObservationTime {
        var notes: [String] = []
        return try parse(raw, notes: &notes)
    }

    /// Parses a time; `notes` gets what was decided for the reader, such as a local time the
    /// clocks showed twice (taken as the span from its first to its second occurrence).
    public func parse(_ raw: String, notes: inout [String]) throws(TimeParseError) -> ObservationTime {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw TimeParseError(message: "time is empty") }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            let point = try parsePoint(parts[0], notes: &notes)
            let precision: ObservationTime.Precision = point.isDate ? .day : point.end > point.start ? .interval : .instant
            return ObservationTime(start: point.start, end: point.end, precision: precision, text: text)
        case 2:
            let a = try parsePoint(parts[0], notes: &notes)
            let b = try parsePoint(parts[1], notes: &notes)
            guard b.end >= a.start else {
                throw TimeParseError(message: "interval \"\(text)\" ends before it starts")
            }
            return ObservationTime(start: a.start, end: b.end, precision: .interval, text: text)
        default:
            throw TimeParseError(message: "\"\(text)\" has more than one \"/\"; an interval is START/END")
        }
    }

    /// An instant or a whole day; a date's span runs from the first instant of the local day to the
    /// first instant of the next. A local time the clocks showed twice is the span between the two.
    func parsePoint(_ s: Substring, notes: inout [String]) throws(TimeParseError) -> (start: Double, end: Double, isDate: Bool) {
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
        guard Self.supportedYears.contains(year) else {
            throw TimeParseError(message: "\"\(text)\": the year \(String(decoding: chars[0..<4], as: UTF8.self)) is outside the years a log may use, \(Self.supportedYears.lowerBound)–\(Self.supportedYears.upperBound)")
        }
        guard (1...12).contains(month) else { throw TimeParseError(message: "\"\(text)\": month \(month) does not exist") }
        let days = Self.daysIn(month: month, year: year)
        guard (1...days).contains(day) else {
            throw TimeParseError(message: "\"\(text)\": \(Self.monthNames[month - 1]) \(year) has \(days) days, there is no day \(day)")
        }
        let dayNumber = Self.daysFromCivil(year, month, day)
        if chars.count == 10 {
            let start = firstInstant(ofDay: dayNumber), end = firstInstant(ofDay: dayNumber + 1)
            try checkRange(start, end, text)
            return (start, end, true)
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
        let wall = dayNumber * 86_400 + hour * 3600 + minute * 60 + second
        let rest = text.utf8.dropFirst(index)
        if rest.isEmpty {
            let start: Double, end: Double
            switch resolve(wall: wall) {
            case .unique(let t):
                (start, end) = (Double(t) + fraction, Double(t) + fraction)
            case .twice(let first, let second):
                (start, end) = (Double(first) + fraction, Double(second) + fraction)
                notes.append(
                    "\"\(text)\" happened twice in \(zone.identifier) (at \(Self.offsetText(wall - first)) and again at \(Self.offsetText(wall - second)), when the clocks went back); "
                        + "taken as the span from the first to the second (\(TimeText.utc(start)) to \(TimeText.utc(end))); write the offset to choose one")
            case .gap(let before, let after, let transition):
                var clocks = ""
                if let transition { clocks = " (the clocks went from \(Self.clockText(transition + before)) to \(Self.clockText(transition + after)))" }
                throw TimeParseError(
                    message: "\"\(text)\" does not exist in \(zone.identifier)\(clocks): the offset changed from \(Self.offsetText(before)) to \(Self.offsetText(after)); "
                        + "write the offset the report means (\(text)\(Self.offsetText(before)) or \(text)\(Self.offsetText(after)))")
            }
            try checkRange(start, end, text)
            return (start, end, false)
        }
        guard let offset = Self.parseOffset(Substring(rest)) else { throw bad }
        let t = Double(wall - offset) + fraction
        try checkRange(t, t, text)
        return (t, t, false)
    }

    private func checkRange(_ start: Double, _ end: Double, _ text: String) throws(TimeParseError) {
        guard Self.supportedInstants.contains(start), Self.supportedInstants.contains(end) else {
            throw TimeParseError(message: "\"\(text)\" is outside the times a log may use, \(Self.supportedYears.lowerBound)–\(Self.supportedYears.upperBound) (\(TimeText.utc(Self.supportedInstants.lowerBound)) to \(TimeText.utc(Self.supportedInstants.upperBound)))")
        }
    }

    /// What a local wall-clock time (seconds since 1970 as if it were UTC) is in `zone`.
    enum LocalTime: Equatable {
        /// One instant.
        case unique(Int)
        /// Clocks went back: the time was shown at two instants.
        case twice(Int, Int)
        /// Clocks went forward over it: offsets before and after, and the instant of the change when known.
        case gap(before: Int, after: Int, transition: Int?)
    }

    func offset(at t: Int) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t))) }

    /// The instants whose local time is `wall`. An instant t is one when t + offset(t) == wall; the
    /// candidate offsets are those in force a day before, at and a day after (offsets change at
    /// most once a day anywhere in tzdata).
    func resolve(wall: Int) -> LocalTime {
        let before = offset(at: wall - 86_400), after = offset(at: wall + 86_400)
        let here = offset(at: wall)
        var instants: [Int] = []
        for o in [before, here, after, offset(at: wall - here)] {
            let t = wall - o
            if offset(at: t) == o, !instants.contains(t) { instants.append(t) }
        }
        instants.sort()
        if instants.count == 1 { return .unique(instants[0]) }
        if instants.count >= 2 { return .twice(instants.first!, instants.last!) }
        let transition = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(wall - 2 * 86_400))).map { Int($0.timeIntervalSince1970) }
        return .gap(before: before, after: after, transition: transition.flatMap { abs($0 - wall) <= 2 * 86_400 ? $0 : nil })
    }

    /// The first instant of a local day (day number since 1970-01-01): its midnight, or when the
    /// clocks jumped over midnight, the instant they jumped.
    func firstInstant(ofDay day: Int) -> Double {
        let wall = day * 86_400
        switch resolve(wall: wall) {
        case .unique(let t): return Double(t)
        case .twice(let t, _): return Double(t)
        case .gap(let before, _, _): return Double(wall - before)
        }
    }

    /// `+03:00`.
    static func offsetText(_ seconds: Int) -> String {
        let a = abs(seconds)
        let minutes = a % 3600 / 60
        return (seconds < 0 ? "-" : "+") + (a / 3600 < 10 ? "0" : "") + "\(a / 3600):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }

    /// `00:00`: the wall-clock time of a wall-clock second count.
    static func clockText(_ wall: Int) -> String {
        let s = ((wall % 86_400) + 86_400) % 86_400
        let h = s / 3600, m = s % 3600 / 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
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

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Formats instants for output, in the proleptic Gregorian calendar (as the parser reads them).
/// Total: any Double gives a string, never a trap.
public enum TimeText {
    /// `2017-09-03T09:00:00Z`.
    public static func utc(_ t: Double) -> String {
        guard let text = stamp(t, offset: 0) else { return invalid(t) }
        return text + "Z"
    }

    /// `2017-09-03 12:00 +03:00` in `zone`.
    public static func local(_ t: Double, zone: TimeZone) -> String {
        guard t.isFinite, abs(t) < 1e15 else { return invalid(t) }
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: t))
        guard let text = stamp(t, offset: offset) else { return invalid(t) }
        return String(text.replacingOccurrences(of: "T", with: " ").dropLast(3)) + " " + LogTimeParser.offsetText(offset)
    }

    /// `YYYY-MM-DDThh:mm:ss` of `t` shifted by `offset` seconds (the seconds rounded down); years
    /// beyond 0000–9999 in ISO 8601's expanded form (`+10000`, `-0001`). Nil for a non-finite or
    /// absurd `t` (beyond ±10^15 s, thirty million years).
    static func stamp(_ t: Double, offset: Int) -> String? {
        guard t.isFinite, abs(t) < 1e15 else { return nil }
        let seconds = Int(t.rounded(.down)) + offset
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let inDay = seconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var year = String(abs(y))
        year = String(repeating: "0", count: max(0, 4 - year.count)) + year
        if y < 0 { year = "-" + year } else if y > 9999 { year = "+" + year }
        return "\(year)-\(two(m))-\(two(d))T\(two(inDay / 3600)):\(two(inDay % 3600 / 60)):\(two(inDay % 60))"
    }

    static func invalid(_ t: Double) -> String { "(time \(t) s out of range)" }

    /// The proleptic Gregorian date of a day number since 1970-01-01 (Howard Hinnant's algorithm,
    /// the inverse of ``LogTimeParser/daysFromCivil(_:_:_:)``).
    public static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// "3 d 4 h", "5 h 20 min", "40 min".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds) s" }
        let s = Int(abs(seconds).rounded())
        let d = s / 86_400, h = s % 86_400 / 3600, m = s % 3600 / 60
        if d > 0 { return h > 0 ? "\(d) d \(h) h" : "\(d) d" }
        if h > 0 { return m > 0 ? "\(h) h \(m) min" : "\(h) h" }
        return "\(m) min"
    }
}
