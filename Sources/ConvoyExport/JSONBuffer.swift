import ConvoyGazetteer
import ConvoyGeodesy

/// Builds JSON (and other text) as bytes and hands them to an ``OutputSink`` in chunks.
struct TextBuffer {
    var bytes: [UInt8] = []
    let sink: any OutputSink

    init(sink: any OutputSink) {
        self.sink = sink
        bytes.reserveCapacity(1 << 17)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string literal, escaped per RFC 8259.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    mutating func number(_ value: Double, decimals: Int, context: @autoclosure () -> String = "a number") throws(NumberFormat.NonFiniteNumber) {
        try NumberFormat.append(value, decimals: decimals, to: &bytes, context: context())
    }

    mutating func optionalNumber(_ value: Double?, decimals: Int, context: @autoclosure () -> String = "a number") throws(NumberFormat.NonFiniteNumber) {
        if let value { try number(value, decimals: decimals, context: context()) } else { raw("null") }
    }

    /// `[lon,lat]` with 6 decimals (≈ 0.1 m).
    mutating func position(_ p: GeoPoint) throws(NumberFormat.NonFiniteNumber) {
        bytes.append(UInt8(ascii: "["))
        try number(p.longitude, decimals: 6, context: "longitude")
        bytes.append(UInt8(ascii: ","))
        try number(p.latitude, decimals: 6, context: "latitude")
        bytes.append(UInt8(ascii: "]"))
    }

    /// A quoted RFC 3339 UTC time.
    mutating func time(_ seconds: Double, milliseconds: Bool = false, context: @autoclosure () -> String = "a time") throws(UTCTime.OutOfRange) {
        bytes.append(UInt8(ascii: "\""))
        try UTCTime.append(seconds, milliseconds: milliseconds, to: &bytes, context: context())
        bytes.append(UInt8(ascii: "\""))
    }

    /// An unquoted RFC 3339 UTC time (XML, CSV).
    mutating func bareTime(_ seconds: Double, milliseconds: Bool = false, context: @autoclosure () -> String = "a time") throws(UTCTime.OutOfRange) {
        try UTCTime.append(seconds, milliseconds: milliseconds, to: &bytes, context: context())
    }

    /// XML character data / attribute value, escaped.
    mutating func xml(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            case 0x00..<0x20 where byte != 0x09 && byte != 0x0A && byte != 0x0D: continue
            default: bytes.append(byte)
            }
        }
    }

    /// Sends the buffer on when it is large; call often in loops.
    mutating func flushIfLarge() throws(FileAccessError) {
        if bytes.count >= 1 << 16 { try flush() }
    }

    mutating func flush() throws(FileAccessError) {
        try sink.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
