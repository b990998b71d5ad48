import ConvoyCheck
import ConvoyGazetteer
import FuzzSupport

/// A gazetteer GeoJSON file (Gazetteer/README.md's schema), parsed and, when it is accepted,
/// compiled into a name index that then checks a short report: whatever a file passes must be
/// safe to use.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGazetteer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = [UInt8](Fuzz.bytes(data, size))
    guard let places = try? GazetteerFile.parse(bytes, displayPath: "places.geojson") else { return 0 }
    let index = NameIndex(places: places)
    let checker = ReportChecker(index: index)
    var text = "The convoy left Qara for Palmyra near Humayma, then As Sukhnah. "
    for place in places.prefix(8) { text += "It reached \(place.name) and " + place.names.prefix(3).map(\.text).joined(separator: ", ") + ". " }
    _ = checker.check(text: text, format: .text)
    return 0
}
