@_spi(Fuzzing) import ConvoyCheck
import ConvoyGazetteer
import FuzzSupport
import Foundation

/// The place-name index's cache files (`STORE.names-index`, `-large`, `STORE.suggest-index`) as a
/// hostile or damaged file could hold them — with a valid checksum, which is no secret: the first
/// byte picks the file kind, the rest is the file's body (fingerprint and tables). Whatever the
/// reader accepts is then used for a scan, which must not trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCache(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = Fuzz.bytes(data, size)
    guard let control = input.first else { return 0 }
    let body = [UInt8](input.dropFirst())
    CheckPipeline.readCache(body, kind: Int(control % 3))
    return 0
}

/// With `CONVOY_FUZZ_CACHE_SEEDS=DIR` (scripts/fuzz.sh --cache-seeds): writes the cache files of
/// the bundled gazetteer, as `convoy check` keeps them, into DIR as seeds (control byte, then the
/// file without its checksum), and exits.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzCacheInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    guard let folder = ProcessInfo.processInfo.environment["CONVOY_FUZZ_CACHE_SEEDS"] else { return 0 }
    CheckPipeline.writeCacheSeeds(into: URL(fileURLWithPath: folder))
    exit(0)
}
