/// Deterministic, allocation-free decimal formatting for exporters: fixed decimals with trailing
/// zeros trimmed ("40.936670" → "40.93667"), and no NaN or Infinity ever — those are refused, since
/// JSON has no way to write them and map tools choke on them. Any finite value is written: one too
/// large for fixed decimals (|value| · 10^decimals ≥ 9·10^15, beyond a Double's exact integers) in
/// the shortest form that reads back as the same Double ("1e+19"), valid JSON, XML and CSV.
public enum NumberFormat {
    public struct NonFiniteNumber: Error, Sendable, CustomStringConvertible {
        public let context: String
        public let value: Double
        public var description: String { "refusing to write \(context) = \(value): not a finite number" }
    }

    /// Appends `value` rounded to `decimals` (0…9) places to `out`.
    public static func append(_ value: Double, decimals: Int, to out: inout [UInt8], context: @autoclosure () -> String = "a coordinate") throws(NonFiniteNumber) {
        guard value.isFinite else { throw NonFiniteNumber(context: context(), value: value) }
        guard abs(value) < 9e15 / pow10[decimals] else {
            var text = value.description  // Swift's shortest round-trip form: "1e+19", "9007199254740992.0"
            if text.hasSuffix(".0") { text.removeLast(2) }
            out.append(contentsOf: text.utf8)
            return
        }
        let scaled = (value * pow10[decimals]).rounded()
        var integer = Int64(scaled)
        if integer == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        if integer < 0 {
            out.append(UInt8(ascii: "-"))
            integer = -integer
        }
        let unit = Int64(pow10[decimals])
        var whole = integer / unit
        var fraction = integer % unit
        // Whole part.
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(ascii: "0") + UInt8(whole % 10)
                whole /= 10
                count += 1
            } while whole > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(d[i]) }
        }
        guard fraction > 0 else { return }
        var places = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        out.append(UInt8(ascii: "."))
        var divisor = Int64(pow10[places - 1])
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8((fraction / divisor) % 10))
            divisor /= 10
        }
    }

    /// `value` formatted as by ``append(_:decimals:to:context:)``.
    public static func string(_ value: Double, decimals: Int, context: @autoclosure () -> String = "a number") throws(NonFiniteNumber) -> String {
        var out: [UInt8] = []
        try append(value, decimals: decimals, to: &out, context: context())
        return String(decoding: out, as: UTF8.self)
    }

    private static let pow10: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]
}
