import FuzzSupport

/// An update log in JSON Lines (docs/route.md), from `import updates` to the `view` page.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLogJSONLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    LogPipeline.run(Fuzz.bytes(data, size), fileName: "log.jsonl")
    return 0
}
