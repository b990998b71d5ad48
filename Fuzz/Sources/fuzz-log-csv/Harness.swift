import FuzzSupport

/// An update log in CSV (docs/route.md), from `import updates` to the `view` page.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLogCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    LogPipeline.run(Fuzz.bytes(data, size), fileName: "log.csv")
    return 0
}
