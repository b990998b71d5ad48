/// RFC 3339 / ISO 8601 UTC timestamps ("2017-08-28T09:00:00Z") without Foundation's formatters:
/// deterministic, fast enough for a million vertices, and whole seconds unless a fraction is present.
public enum UTCTime {
    /// Appends the timestamp for `seconds` since 1970-01-01T00:00:00Z. With `milliseconds`, always
    /// three decimals (track vertex times: readers such as pandas want one format per column).
    public static func append(_ seconds: Double, milliseconds: Bool = false, to out: inout [UInt8]) {
        let whole = (seconds).rounded(.down)
        var millis = Int(((seconds - whole) * 1000).rounded())
        var total = Int64(whole)
        if millis == 1000 {
            total += 1
            millis = 0
        }
        var days = total / 86_400
        var secondOfDay = total % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
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

    public static func string(_ seconds: Double, milliseconds: Bool = false) -> String {
        var out: [UInt8] = []
        append(seconds, milliseconds: milliseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

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
