import ConvoyCheck
import ConvoyGazetteer
import FuzzSupport

/// A report for `convoy check`: the first byte picks the format (plain text, Markdown, HTML) and
/// the read size (small blocks exercise the cuts between blocks), the rest is the report. It is
/// checked with `--fix` as well, and the fixed text must keep every byte outside the names replaced.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheck(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = Fuzz.bytes(data, size)
    guard let control = input.first else { return 0 }
    let report = [UInt8](input.dropFirst())
    let format: ReportFormat = [.text, .markdown, .html][Int(control % 3)]
    var options = ReportChecker.Options()
    if control & 0x80 != 0 { options.blockSize = 64 + Int(control & 0x3F) }
    CheckPipeline.run(report, format: format, options: options, fixVariants: control & 0x40 != 0)
    return 0
}
