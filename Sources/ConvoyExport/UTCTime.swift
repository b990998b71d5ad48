/// RFC 3339 / ISO 8601 UTC timestamps ("2017-08-28T09:00:00Z") without Foundation's formatters:
/// deterministic, fast enough for a million vertices, and whole seconds unless a fraction is present.
///
/// Dates are in the proleptic Gregorian calendar throughout (as ISO 8601 and RFC 3339 require, and as
/// Python's `datetime` counts), never switching to the Julian calendar before 1582 as Foundation's
/// Gregorian calendar does. RFC 3339 has four-digit years, so the instants it can write are
/// ``range``: 0000-01-01T00:00:00Z up to the end of 9999; any other instant (or NaN) is refused with
/// ``OutOfRange``, never wrapped or trapped.
public enum UTCTime {
    /// Seconds since 1970-01-01T00:00:00Z of the first and after the last instant RFC 3339 can write:
    /// 0000-01-01T00:00:00Z ..< 10000-01-01T00:00:00Z.
    public static let range: Range<Double> = -62_167_219_200..<253_402_300_800

    /// An instant outside ``range`` (or not a number).
    public struct OutOfRange: Error, Sendable, CustomStringConvertible {
        public let seconds: Double
        public let context: String
        public var description: String {
            "refusing to write \(context), \(UTCTime.expanded(seconds)): RFC 3339 times are years 0000 to 9999"
        }
    }

    /// Appends the timestamp for `seconds` since 1970-01-01T00:00:00Z. With `milliseconds`, always
    /// three decimals (track vertex times: readers such as pandas want one format per column).
    public static func append(
        _ seconds: Double, milliseconds: Bool = false, to out: inout [UInt8], context: @autoclosure () -> String = "a time"
    ) throws(OutOfRange) {
        let whole = seconds.rounded(.down)
        guard seconds.isFinite, range.contains(whole) else { throw OutOfRange(seconds: seconds, context: context()) }
        var millis = Int(((seconds - whole) * 1000).rounded())
        var total = Int64(whole)
        if millis == 1000 {
            total += 1
            millis = 0
        }
        guard total < Int64(range.upperBound) else { throw OutOfRange(seconds: seconds, context: context()) }
        // Floor division: instants before 1970 have a negative day number and a non-negative time of day.
        var days = total / 86_400
        var secondOfDay = total % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        digits(Int(year), 4, &out)
        out.append(UInt8(ascii: "-"))
        digits(Int(month), 2, &out)
        out.append(UInt8(ascii: "-"))
        digits(Int(day), 2, &out)
        out.append(UInt8(ascii: "T"))
        digits(Int(secondOfDay / 3600), 2, &out)
        out.append(UInt8(ascii: ":"))
        digits(Int(secondOfDay / 60 % 60), 2, &out)
        out.append(UInt8(ascii: ":"))
        digits(Int(secondOfDay % 60), 2, &out)
        if millis > 0 || milliseconds {
            out.append(UInt8(ascii: "."))
            digits(millis, 3, &out)
        }
        out.append(UInt8(ascii: "Z"))
    }

    public static func string(_ seconds: Double, milliseconds: Bool = false) throws(OutOfRange) -> String {
        var out: [UInt8] = []
        try append(seconds, milliseconds: milliseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Any instant as ISO 8601's expanded form with a signed year ("-0001-12-31T21:39:52Z",
    /// "+10000-01-01T13:59:00Z"), to name one that RFC 3339 cannot write; whole seconds.
    static func expanded(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e17 else { return "\(seconds) s from 1970" }
        let total = Int64(seconds.rounded(.down))
        var days = total / 86_400, secondOfDay = total % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        var out: [UInt8] = Array((year < 0 ? "-" : "+").utf8)
        let magnitude = year.magnitude
        if magnitude < 1000 { out += Array(repeating: UInt8(ascii: "0"), count: magnitude < 10 ? 3 : magnitude < 100 ? 2 : 1) }
        out += Array(String(magnitude).utf8)
        for (separator, value) in [("-", month), ("-", day), ("T", secondOfDay / 3600), (":", secondOfDay / 60 % 60), (":", secondOfDay % 60)] {
            out += Array(separator.utf8)
            digits(Int(value), 2, &out)
        }
        return String(decoding: out, as: UTF8.self) + "Z"
    }

    /// The proleptic Gregorian date of day number `days` (0 = 1970-01-01), by Howard Hinnant's
    /// civil-from-days algorithm (400-year eras, years starting in March); exact for any day whose
    /// year fits in an Int64.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `value` (0 ≤ value < 10^width, which ``range`` guarantees) in exactly `width` digits.
    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }
}
