import ConvoyGazetteer
import ConvoyScan

/// Gazetteer names resembling a phrase, found in memory by ``SuggestionRule``: keys with the
/// phrase's skeleton, and the keys sharing the most trigrams with it — as the store's query finds
/// them, without a database query per phrase. With 1.2 M names that query costs about 50 ms, so a
/// scan meeting thousands of unknown phrases builds this index once (see ``ReportChecker``).
///
/// The store ranks trigram candidates by FTS5's BM25 and this index by trigrams shared (among keys
/// whose length allows a close match); both keep the best ``SuggestionRule/candidatesPerSource``,
/// so they agree wherever fewer keys share a trigram with the phrase, and nearly always otherwise.
/// It keeps scratch space between queries: use one per thread.
public final class SuggestionIndex {
    public let index: NameIndex
    /// Per key, its length in Unicode scalars.
    private let keyLengths: [Int32]
    /// Trigram (three scalars, 21 bits each) → postings id; the keys having trigram `t` (in key
    /// order, once each) are `trigramKeys[trigramStarts[t]..<trigramStarts[t + 1]]`.
    private let trigramIDs: [UInt64: Int32]
    private let trigramStarts: [Int32]
    private let trigramKeys: [Int32]
    /// Beside each posting, its key's length (at most 255): read in sequence, not looked up per key.
    private let trigramKeyLengths: [UInt8]
    /// Skeleton → id; per key, its skeleton's id (-1: empty skeleton); per id, the keys with it, in key order.
    private let skeletonIDs: [String: Int32]
    private let keySkeletons: [Int32]
    private let skeletonKeys: [[Int32]]
    /// Space reused between queries (taken out of the object for a query, so that the loops use
    /// local arrays rather than the object's, which Swift checks for exclusive access at run time).
    private struct Scratch {
        /// Per key, trigrams shared with the current phrase (zero between queries), and room for
        /// the keys touched (one per key, sized on first use).
        var shared: [UInt8]
        var touched: [Int32] = []
        /// Edit-distance scratch: the candidate's scalars and three rows.
        var other: [UInt32] = []
        var rows: [Int] = []
        /// The current phrase's letters counted by ``Bag`` bucket, and a candidate's matched ones
        /// (zero between candidates).
        var bag: [Int16] = []
        var taken: [Int16] = []

        /// Space for an index of `keys` keys.
        static func forKeys(_ keys: Int) -> Scratch {
            Scratch(shared: [UInt8](repeating: 0, count: keys), bag: [Int16](repeating: 0, count: Bag.buckets),
                    taken: [Int16](repeating: 0, count: Bag.buckets))
        }
    }
    private var scratch: Scratch

    /// Indexes every key of `index` (a few seconds for 1.2 M names; milliseconds for the bundled data).
    public init(index: NameIndex) {
        self.index = index
        let keyCount = index.keyCount
        var lengths = [Int32](repeating: 0, count: keyCount)
        var ids: [UInt64: Int32] = [:]
        var pairs: [UInt64] = []  // trigram id << 32 | key
        var skeletonIDs: [String: Int32] = [:]
        var keySkeletons = [Int32](repeating: -1, count: keyCount)
        var skeletonKeys: [[Int32]] = []
        var own: [Int32] = []
        for k in 0..<keyCount {
            let key = index.keyText(k)
            let scalars = Array(key.unicodeScalars)
            lengths[k] = Int32(scalars.count)
            own.removeAll(keepingCapacity: true)
            if scalars.count >= 3 {
                for i in 0...(scalars.count - 3) {
                    let packed = Self.pack(scalars[i], scalars[i + 1], scalars[i + 2])
                    let id: Int32
                    if let known = ids[packed] { id = known } else { id = Int32(ids.count); ids[packed] = id }
                    own.append(id)
                }
                own.sort()
                var last: Int32 = -1
                for id in own where id != last {
                    pairs.append(UInt64(UInt32(id)) << 32 | UInt64(UInt32(k)))
                    last = id
                }
            }
            let skeleton = NameKey.skeleton(ofKey: key)
            if !skeleton.isEmpty {
                let id: Int32
                if let known = skeletonIDs[skeleton] { id = known } else {
                    id = Int32(skeletonKeys.count)
                    skeletonIDs[skeleton] = id
                    skeletonKeys.append([])
                }
                keySkeletons[k] = id
                skeletonKeys[Int(id)].append(Int32(k))
            }
        }
        // Postings by counting sort on the trigram id; keys stay in order within each.
        var starts = [Int32](repeating: 0, count: ids.count + 1)
        for pair in pairs { starts[Int(pair >> 32) + 1] += 1 }
        for t in 0..<ids.count { starts[t + 1] += starts[t] }
        var fill = starts
        var keys = [Int32](repeating: 0, count: pairs.count)
        var keyLengthsInPostings = [UInt8](repeating: 0, count: pairs.count)
        for pair in pairs {
            let t = Int(pair >> 32), k = Int32(truncatingIfNeeded: pair & 0xFFFF_FFFF)
            keys[Int(fill[t])] = k
            keyLengthsInPostings[Int(fill[t])] = UInt8(min(255, lengths[Int(k)]))
            fill[t] += 1
        }
        trigramKeyLengths = keyLengthsInPostings
        keyLengths = lengths
        trigramIDs = ids
        trigramStarts = starts
        trigramKeys = keys
        self.skeletonIDs = skeletonIDs
        self.keySkeletons = keySkeletons
        self.skeletonKeys = skeletonKeys
        scratch = .forKeys(keyCount)
    }

    /// Reads an index written by ``archive(into:)`` for `index`'s keys, checking that its tables agree.
    init(index: NameIndex, reading reader: inout IndexArchiveReader) throws {
        let malformed = IndexArchiveReader.Malformed(description: "the suggestion index's tables do not agree")
        self.index = index
        let keys = index.keyCount
        keyLengths = try reader.readValues(Int32.self)
        let trigrams = try reader.readValues(UInt64.self)
        trigramStarts = try reader.readValues(Int32.self)
        trigramKeys = try reader.readValues(Int32.self)
        trigramKeyLengths = try reader.readValues(UInt8.self)
        let skeletons = try reader.readStrings()
        keySkeletons = try reader.readValues(Int32.self)
        let skeletonStarts = try reader.readValues(Int32.self), skeletonList = try reader.readValues(Int32.self)
        guard reader.isAtEnd, keyLengths.count == keys, keySkeletons.count == keys, trigramKeyLengths.count == trigramKeys.count,
            Self.isRunTable(trigramStarts, runs: trigrams.count, total: trigramKeys.count),
            Self.isRunTable(skeletonStarts, runs: skeletons.count, total: skeletonList.count)
        else { throw malformed }
        guard trigramKeys.allSatisfy({ $0 >= 0 && Int($0) < keys }), skeletonList.allSatisfy({ $0 >= 0 && Int($0) < keys }),
            keySkeletons.allSatisfy({ $0 >= -1 && Int($0) < skeletons.count })
        else { throw malformed }
        // Each key's length is its length, and each posting carries it.
        let lengths = keyLengths
        let keyBytes = index.keyBytes
        let lengthsAgree = (0..<keys).allSatisfy { k in
            Int(lengths[k]) == String(decoding: keyBytes[Int(index.keyStarts[k])..<Int(index.keyStarts[k + 1])], as: UTF8.self).unicodeScalars.count
        }
        guard lengthsAgree, zip(trigramKeys, trigramKeyLengths).allSatisfy({ k, l in Int(l) == min(255, Int(lengths[Int(k)])) }) else { throw malformed }
        var trigramIDs: [UInt64: Int32] = [:], skeletonIDs: [String: Int32] = [:]
        trigramIDs.reserveCapacity(trigrams.count)
        skeletonIDs.reserveCapacity(skeletons.count)
        for (id, trigram) in trigrams.enumerated() { trigramIDs[trigram] = Int32(id) }
        for (id, skeleton) in skeletons.enumerated() { skeletonIDs[skeleton] = Int32(id) }
        guard trigramIDs.count == trigrams.count, skeletonIDs.count == skeletons.count else { throw malformed }
        self.trigramIDs = trigramIDs
        self.skeletonIDs = skeletonIDs
        skeletonKeys = skeletons.indices.map { Array(skeletonList[Int(skeletonStarts[$0])..<Int(skeletonStarts[$0 + 1])]) }
        scratch = .forKeys(keys)
    }

    /// Whether `starts` cuts `total` items into `runs` runs: from 0, never decreasing, to `total`.
    private static func isRunTable(_ starts: [Int32], runs: Int, total: Int) -> Bool {
        starts.count == runs + 1 && starts.first == 0 && Int(starts.last!) == total && zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 }
    }

    /// Writes the index for ``init(index:reading:)``: the look-up tables as arrays by id.
    func archive(into writer: inout IndexArchiveWriter) {
        writer.write(keyLengths)
        var trigrams = [UInt64](repeating: 0, count: trigramIDs.count)
        for (trigram, id) in trigramIDs { trigrams[Int(id)] = trigram }
        writer.write(trigrams)
        writer.write(trigramStarts)
        writer.write(trigramKeys)
        writer.write(trigramKeyLengths)
        var skeletons = [String](repeating: "", count: skeletonIDs.count)
        for (skeleton, id) in skeletonIDs { skeletons[Int(id)] = skeleton }
        writer.write(strings: skeletons)
        writer.write(keySkeletons)
        var starts: [Int32] = [0]
        for keys in skeletonKeys { starts.append(starts.last! + Int32(keys.count)) }
        writer.write(starts)
        writer.write(skeletonKeys.flatMap { $0 })
    }

    private static func pack(_ a: Unicode.Scalar, _ b: Unicode.Scalar, _ c: Unicode.Scalar) -> UInt64 {
        UInt64(a.value) << 42 | UInt64(b.value) << 21 | UInt64(c.value)
    }

    /// The best `limit` suggestions for a phrase, one per place, best first.
    public func suggestions(for text: String, limit: Int = 5) -> [NameSuggestion] {
        suggestions(forKey: NameKey.key(text), limit: limit)
    }

    /// The best `limit` suggestions for a phrase's key, one per place, best first.
    func suggestions(forKey key: String, limit: Int) -> [NameSuggestion] {
        let scalars = Array(key.unicodeScalars)
        guard !scalars.isEmpty else { return [] }
        let length = scalars.count
        let skeleton = NameKey.skeleton(ofKey: key)
        // An empty skeleton is "the same" as another empty one, as in the store.
        let skeletonID: Int32 = skeleton.isEmpty ? -1 : skeletonIDs[skeleton] ?? -2
        var candidates: [Int32] = []
        if skeletonID >= 0 {
            candidates.append(contentsOf: skeletonKeys[Int(skeletonID)].prefix(SuggestionRule.candidatesPerSource))
        }
        var scratch = self.scratch
        self.scratch = Scratch(shared: [])
        defer { self.scratch = scratch }
        candidates.append(contentsOf: mostSharedTrigrams(scalars, &scratch.shared, &scratch.touched))
        let query = scalars.map(\.value)
        for q in query { scratch.bag[Bag.bucket(q)] += 1 }
        defer { for q in query { scratch.bag[Bag.bucket(q)] = 0 } }
        // Each candidate once, in order: marked in the shared-trigram counts (zero between queries).
        var unique: [Int32] = []
        unique.reserveCapacity(candidates.count)
        for k in candidates where scratch.shared[Int(k)] == 0 {
            scratch.shared[Int(k)] = 1
            unique.append(k)
        }
        for k in unique { scratch.shared[Int(k)] = 0 }
        // The candidates are keys spread over tables far larger than the CPU cache: their lengths and
        // skeletons are read for all of them in loops of independent loads (which the processor
        // overlaps) before the loop that needs them, so the misses are paid side by side.
        let lengths = unique.map { keyLengths[Int($0)] }
        let skeletons = unique.map { keySkeletons[Int($0)] }
        var within: [(key: Int32, sameSkeleton: Bool, bound: Int)] = []
        for (i, k) in unique.enumerated() {
            let sameSkeleton = skeletons[i] == skeletonID
            let bound = SuggestionRule.maxDistance(length, Int(lengths[i]), sameSkeleton: sameSkeleton)
            if abs(length - Int(lengths[i])) <= bound { within.append((k, sameSkeleton, bound)) }
        }
        // The keys' bytes, asked for before they are measured: their starts read in one loop
        // (independent loads, overlapped), then each key's first line requested.
        let starts = within.map { index.keyStarts[Int($0.key)] }
        do {
            let keyBytes = index.keyBytes, bytes = keyBytes.span
            for start in starts { bytes.prefetch(Int(start)) }
        }
        var accepted: [(key: Int32, sameSkeleton: Bool, distance: Int)] = []
        for candidate in within {
            let distance = boundedDistance(query, key: Int(candidate.key), bound: candidate.bound, &scratch.other, &scratch.rows, scratch.bag, &scratch.taken)
            if distance <= candidate.bound { accepted.append((candidate.key, candidate.sameSkeleton, distance)) }
        }
        // Their names and places, gathered the same way: key records, then entries, then the
        // names' and places' strings asked for (read to break ties and for the places kept; a
        // short string is held in its array slot; without this the full check measured slower).
        let ranges = accepted.map { index.entries(ofKey: $0.key) }
        var named: [(candidate: Int, name: Int32, place: Int32)] = []
        for (i, range) in ranges.enumerated() {
            let lowerLayers = SuggestionRule.suggests(curated: false, keyLength: length, distance: accepted[i].distance)
            for j in range where lowerLayers || index.keyEntries[j].bundled {
                named.append((i, index.keyEntries[j].name, index.keyEntries[j].place))
            }
        }
        do {
            let nameTexts = index.nameTexts, placeIDs = index.placeIDs
            let texts = nameTexts.span, ids = placeIDs.span
            for n in named {
                texts.prefetch(Int(n.name))
                ids.prefetch(Int(n.place))
            }
        }
        // One name per place, the best by rank, then the best `limit` places kept in order by
        // insertion; names and ids are compared only between candidates at equal distances.
        var bestOfPlace: [Int32: Int] = [:]
        var picks: [Pick] = []
        for n in named {
            let candidate = accepted[n.candidate]
            let pick = Pick(distance: candidate.distance, sameSkeleton: candidate.sameSkeleton, name: n.name, place: n.place)
            if let i = bestOfPlace[n.place] {
                if precedes(pick, picks[i]) { picks[i] = pick }
            } else {
                bestOfPlace[n.place] = picks.count
                picks.append(pick)
            }
        }
        var top: [Pick] = []
        for pick in picks {
            if top.count == limit, !precedes(pick, top[limit - 1]) { continue }
            var i = top.count
            while i > 0, precedes(pick, top[i - 1]) { i -= 1 }
            top.insert(pick, at: i)
            if top.count > limit { top.removeLast() }
        }
        return top.map { pick in
            NameSuggestion(placeID: index.placeIDs[Int(pick.place)], name: index.placeNames[Int(pick.place)],
                           spelling: index.nameTexts[Int(pick.name)], editDistance: pick.distance)
        }
    }

    /// A suggestion before its strings are read: one name of one accepted key.
    private struct Pick {
        let distance: Int
        let sameSkeleton: Bool
        let name: Int32
        let place: Int32
    }

    /// Whether `a` ranks before `b` by ``SuggestionRule/Rank`` (distance, curation, same skeleton,
    /// name text, place id), reading the strings only when the numbers tie.
    private func precedes(_ a: Pick, _ b: Pick) -> Bool {
        if a.distance != b.distance { return a.distance < b.distance }
        let curatedA = index.placeBundled[Int(a.place)], curatedB = index.placeBundled[Int(b.place)]
        if curatedA != curatedB { return curatedA }
        if a.sameSkeleton != b.sameSkeleton { return a.sameSkeleton }
        return SuggestionRule.Rank(distance: a.distance, sameSkeleton: a.sameSkeleton, curated: curatedA, text: index.nameTexts[Int(a.name)], placeID: index.placeIDs[Int(a.place)])
            < SuggestionRule.Rank(distance: b.distance, sameSkeleton: b.sameSkeleton, curated: curatedB, text: index.nameTexts[Int(b.name)], placeID: index.placeIDs[Int(b.place)])
    }

    /// ``NameKey/editDistance(_:_:)`` between the query's scalars and key `k` when it is at most
    /// `bound`; otherwise some value above `bound` (the rows stop once every entry exceeds it).
    private func boundedDistance(_ s: [UInt32], key k: Int, bound: Int, _ other: inout [UInt32], _ rows: inout [Int], _ bag: [Int16], _ taken: inout [Int16]) -> Int {
        // The key's scalars, decoded into space for as many as it has bytes (written through a
        // mutable span: an append checks the array's uniqueness each time).
        let start = Int(index.keyStarts[k]), end = Int(index.keyStarts[k + 1])
        if other.count < end - start { other = [UInt32](repeating: 0, count: max(64, end - start)) }
        var n = 0
        do {
            let keyBytes = index.keyBytes, bytes = keyBytes.span
            var out = other.mutableSpan
            var i = start
            while i < end, let (scalar, length) = bytes.scalar(at: i, before: end) {
                out[n] = scalar.value
                n += 1
                i += length
            }
        }
        let m = s.count
        if m == 0 || n == 0 { return max(m, n) }
        // Most candidates are far: the letters that one key has and the other lacks bound the
        // distance from below (an edit changes at most one of each; a transposition none), in a
        // pass over the candidate instead of the full table.
        let tooFar = Bag.lowerBound(other.span.extracting(0..<n), query: bag, taken: &taken, queryCount: m) > bound
        if tooFar { return bound + 1 }
        let width = n + 1
        rows.removeAll(keepingCapacity: true)
        rows.append(contentsOf: repeatElement(0, count: 3 * width))
        let s = s.span, t = other.span
        var r = rows.mutableSpan
        // Three rows, rotated: i - 2, i - 1 and i.
        var before = 0, previous = width, current = 2 * width
        for j in 0...n { r[previous + j] = j }
        for i in 1...m {
            r[current] = i
            var rowMin = i
            let si = s[i - 1]
            for j in 1...n {
                let cost = si == t[j - 1] ? 0 : 1
                var value = min(r[previous + j] + 1, r[current + j - 1] + 1, r[previous + j - 1] + cost)
                if i > 1, j > 1, si == t[j - 2], s[i - 2] == t[j - 1] { value = min(value, r[before + j - 2] + 1) }
                r[current + j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > bound { return bound + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return r[previous + n]
    }

    /// Letters counted in buckets (a scalar's low bits): the bag distance between two keys — the
    /// larger of what each has that the other lacks — is at most their edit distance, and counted
    /// by bucket it can only be smaller, so it is a safe early reject.
    enum Bag {
        static let buckets = 64

        @inline(__always)
        static func bucket(_ scalar: UInt32) -> Int { Int(scalar & UInt32(buckets - 1)) }

        /// The bag distance (by bucket) between `candidate` and the phrase whose counts are in
        /// `query` (`queryCount` scalars); `taken` is zero before and after.
        static func lowerBound(_ candidate: Span<UInt32>, query: [Int16], taken: inout [Int16], queryCount: Int) -> Int {
            var unmatched = 0
            let q = query.span
            var t = taken.mutableSpan
            for c in candidate.indices {
                let b = bucket(candidate[c])
                if t[b] < q[b] { t[b] += 1 } else { unmatched += 1 }
            }
            for c in candidate.indices { t[bucket(candidate[c])] = 0 }
            // What the candidate has that the phrase lacks, and what the phrase has that it lacks.
            return max(unmatched, queryCount - (candidate.count - unmatched))
        }
    }

    /// The keys sharing the most distinct trigrams with the phrase (at least one), among those
    /// whose length allows a close match; ties in key order.
    private func mostSharedTrigrams(_ scalars: [Unicode.Scalar], _ shared: inout [UInt8], _ touched: inout [Int32]) -> [Int32] {
        guard scalars.count >= 3 else { return [] }
        var ids = Set<Int32>()
        for i in 0...(scalars.count - 3) {
            if let id = trigramIDs[Self.pack(scalars[i], scalars[i + 1], scalars[i + 2])] { ids.insert(id) }
        }
        let length = scalars.count
        var top = 0
        // Which candidate lengths allow a close match, worked out once per phrase; the last entry
        // (255: that length or more) says to look the key's own length up.
        func allowed(_ other: Int) -> Bool { SuggestionRule.accepts(distance: abs(other - length), length, other, sameSkeleton: true) }
        let allows = (0..<255).map(allowed) + [true]
        // The keys touched are written through a mutable span into space for every key and one more (a
        // key is written before it is known to be new), kept between queries: an append would
        // check the array's uniqueness each time.
        if touched.count <= shared.count { touched = [Int32](repeating: 0, count: shared.count + 1) }
        var touchedCount = 0
        do {
            var shared = shared.mutableSpan, touched = touched.mutableSpan
            let postings = trigramKeys, postingLengths = trigramKeyLengths  // locals: a class's arrays lend no span
            let keys = postings.span, lengths = postingLengths.span, allows = allows.span
            for id in ids.sorted().prefix(255) {  // counts are bytes; the same 255 every time
                for slot in Int(trigramStarts[Int(id)])..<Int(trigramStarts[Int(id) + 1]) {
                    let k = Int(keys[slot]), keyLength = lengths[slot]
                    guard allows[Int(keyLength)], keyLength < 255 || allowed(Int(keyLengths[k])) else { continue }
                    // Written every time, kept (counted) only the first: no branch to mispredict.
                    touched[touchedCount] = Int32(k)
                    touchedCount &+= shared[k] == 0 ? 1 : 0
                    shared[k] &+= 1
                    top = max(top, Int(shared[k]))
                }
            }
        }
        let touchedKeys = touched.prefix(touchedCount)
        // The most shared first: counted by how many trigrams each key shares, the keys above the
        // count where the limit is reached are all taken, and those at it in key order.
        let limit = SuggestionRule.candidatesPerSource
        var keysWith = [Int](repeating: 0, count: top + 1)
        for k in touchedKeys { keysWith[Int(shared[Int(k)])] += 1 }
        var cut = 0, above = 0
        for count in stride(from: top, through: 1, by: -1) {
            if above + keysWith[count] >= limit { cut = count; break }
            above += keysWith[count]
        }
        var result: [Int32] = [], atCut: [Int32] = []
        result.reserveCapacity(limit)
        for k in touchedKeys {
            let count = Int(shared[Int(k)])
            if count > cut { result.append(k) } else if count == cut { atCut.append(k) }
        }
        for k in touchedKeys { shared[Int(k)] = 0 }
        if cut > 0 { result.append(contentsOf: atCut.sorted().prefix(limit - result.count)) }
        return result
    }
}
