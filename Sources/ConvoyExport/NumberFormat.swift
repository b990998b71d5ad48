/// Deterministic, allocation-free decimal formatting for exporters: fixed decimals with trailing
/// zeros trimmed ("40.936670" → "40.93667"), and no NaN or Infinity ever — those are refused, since
/// JSON has no way to write them and map tools choke on them.
public enum NumberFormat {
    public struct NonFiniteNumber: Error, Sendable, CustomStringConvertible {
        public let context: String
        public var description: String { "refusing to write a non-finite number (\(context))" }
    }

    /// Appends `value` rounded to `decimals` (0…9) places to `out`.
    public static func append(_ value: Double, decimals: Int, to out: inout [UInt8], context: @autoclosure () -> String = "a coordinate") throws(NonFiniteNumber) {
        guard value.isFinite, abs(value) < 9e15 / pow10[decimals] else { throw NonFiniteNumber(context: context()) }
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
    public static func string(_ value: Double, decimals: Int) throws(NonFiniteNumber) -> String {
        var out: [UInt8] = []
        try append(value, decimals: decimals, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let pow10: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]
}
