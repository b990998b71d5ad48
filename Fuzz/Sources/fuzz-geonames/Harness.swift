import ConvoyGazetteer
import FuzzSupport
import Foundation

/// A GeoNames dump (the 19-column TSV of allCountries.txt), imported into a scratch store in one
/// transaction, as `convoy places import geonames FILE` does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeoNames(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.file(Fuzz.bytes(data, size), named: "geonames.txt")
    _ = try? Fuzz.gazetteer.importGeoNames(path: path, displayPath: "geonames.txt")
    return 0
}
