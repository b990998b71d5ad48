import Foundation
@testable import ConvoyScan
import ConvoyTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The engine's safe face for the rulebook (SpanAccess.swift, SystemFiles.swift): lanes read from spans at every offset agree with the bytes, and the file calls report
/// failures with the system's message.
@Suite("span access and system files")
struct SafeAccessTests {
    @Test func theGapBetweenTwoWordsOnHostileBounds() {
        // Every pair of bounds, negative and past the end too: the range lies in the span, and is
        // the bytes between when they are in order and inside; else empty.
        let bytes = Array("ab, cd".utf8)
        for end in Int32(-2)...Int32(bytes.count + 2) {
            for start in Int32(-2)...Int32(bytes.count + 2) {
                let gap = bytes.span.gap(from: end, to: start)
                let inside = end >= 0 && end <= start && Int(start) <= bytes.count
                #expect(gap == (inside ? Int(end)..<Int(start) : 0..<0), "\(end), \(start)")
            }
        }
    }

    @Test func lanesAreTheBytesAtEveryOffset() {
        let bytes = (0..<40).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let span = bytes.span
        for i in 0...(bytes.count - 8) {
            let expected = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << UInt64(8 * $1) }
            let lane = span.lane(at: i)  // (a span cannot be an operand of `#expect`)
            #expect(lane == expected)
        }
    }

    @Test func triggersFindTheFirstOfTheirBytesFromEveryOffset() {
        let text = Array("plain words, then a [link](http://x.org) and <b>&amp;</b>\n`code` at the very end".utf8)
        for set in ["]:.", "]:.<&\n`", "x"] {
            let bytes = Array(set.utf8), triggers = ByteTriggers(bytes)
            for i in 0...text.count {
                #expect(triggers.next(in: text, from: i) == (text[i...].firstIndex(where: bytes.contains) ?? text.count))
            }
        }
    }

    /// The search reads sixteen bytes at a time through a raw pointer, with three vectors when the
    /// set has at most three distinct bytes: on random buffers of every length up to 40 (the first
    /// match in the last lanes, or none) and sets with repeated bytes, it answers as the plain search.
    @Test func triggersAnswerAsThePlainSearchOnRandomBuffers() {
        var generator = SeededGenerator(seed: 20171208)
        let alphabet: [UInt8] = [0x20, 0x41, 0x5D, 0x3A, 0x0A, 0x3C, 0xD9, 0x80, 0xFF]
        for set: [UInt8] in [[0x5D], [0x5D, 0x5D, 0x3A], [0x5D, 0x3A, 0x2E], [0x5D, 0x3A, 0x5D, 0x0A], [0x5D, 0x3A, 0x2E, 0x3C, 0x26, 0x0A, 0x60]] {
            let triggers = ByteTriggers(set)
            for length in 0...40 {
                for _ in 0..<10 {
                    let text = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                    for i in 0...length {
                        #expect(triggers.next(in: text, from: i) == (text[i...].firstIndex(where: set.contains) ?? length), "set \(set), length \(length), from \(i)")
                    }
                }
            }
        }
    }

    @Test func firstIndexStringAndEqualBytes() {
        let bytes = Array("a line\nand the next\n".utf8)
        let span = bytes.span
        for start in 0...bytes.count {
            let found = span.firstIndex(of: 0x0A, from: start)
            #expect(found == bytes[start...].firstIndex(of: 0x0A))
        }
        let word = span.string(2, 6)
        let equal = [span.bytes(at: 7, equal: Array("and".utf8)), span.bytes(at: 18, equal: Array("next\nx".utf8)), span.bytes(at: -1, equal: [0x61])]
        #expect(word == "line")
        #expect(equal == [true, false, false])  // past either end: false, no trap
    }

    @Test func filesAreWrittenReadAndTheirFailuresSaid() throws {
        let folder = NSTemporaryDirectory() + "/convoy-safe-access-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/a.txt"
        let fd = SystemFiles.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        #expect(fd >= 0)
        let text = Array("hello, world".utf8)
        #expect(SystemFiles.write(fd, text, from: 7) == 5)
        close(fd)
        let status = try #require(SystemFiles.status(path))
        #expect(status.st_mode & S_IFMT == S_IFREG && status.st_size == 5)
        let reading = SystemFiles.open(path, O_RDONLY)
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(SystemFiles.read(reading, into: &buffer, at: 2, count: 6) == 5)
        close(reading)
        #expect(buffer == [0, 0] + Array("world".utf8) + [0])
        #expect(SystemFiles.folderEntries(folder)?.filter { !$0.hasPrefix(".") } == ["a.txt"])
        #expect(SystemFiles.mayAccess(path, R_OK))
        #expect(SystemFiles.rename(path, to: folder + "/b.txt"))
        #expect(SystemFiles.resolvedPath(folder + "/b.txt")?.hasSuffix("/b.txt") == true)
        #expect(SystemFiles.matches("*.txt", "b.txt") && !SystemFiles.matches("*.md", "b.txt"))
        #expect(SystemFiles.remove(folder + "/b.txt"))
        #expect(SystemFiles.status(path) == nil)
        #expect(errno == ENOENT && SystemFiles.message() == String(cString: strerror(ENOENT)))
        #expect(SystemFiles.folderEntries(folder + "/none") == nil)
    }
}
