/// How names are suggested for a phrase the gazetteer does not know, shared by the store's query
/// (``Gazetteer/suggestions(for:limit:)``) and in-memory indexes, so both choose and rank alike.
///
/// Candidates come from two sources, at most ``candidatesPerSource`` from each: keys with the
/// phrase key's consonant skeleton, and keys sharing the most trigrams with it. A candidate is kept
/// when its key is within 40 % of the longer key's length in edit distance (at least 1; one more
/// when the skeletons are equal), and, for a name only a lower layer records, when the phrase's key
/// is long enough (``minimumKeyLengthForLowerLayers``) or the keys are the same. One name per place, best first by ``Rank``.
public enum SuggestionRule {
    /// Candidates taken from each source.
    public static let candidatesPerSource = 500

    /// A name that only a lower layer records — the bundled countries or GeoNames, not a curated
    /// or user place (``PlaceOrigin/isCurated``) — is suggested only for a phrase whose key has at
    /// least this many letters. Shorter keys have dozens of GeoNames neighbours within the accepted
    /// distance: with the region's cities500 layer, seed 004's 'Afat' got "did you mean Efte,
    /// Afag, Afeq, Afes, Cfat" (villages in Turkey, Israel, Jordan), noise that hides the fact
    /// that nothing is known of it.
    public static let minimumKeyLengthForLowerLayers = 6

    /// Whether a name of a place of this curation, at `distance` from a phrase key of this length,
    /// may be suggested: a lower layer's name with the phrase's own key (distance 0) is, whatever the
    /// length — "al-Kasrah" is GeoNames' "Al Kasrah" spelt otherwise, not a neighbour among dozens.
    public static func suggests(curated: Bool, keyLength: Int, distance: Int) -> Bool {
        curated || keyLength >= minimumKeyLengthForLowerLayers || distance == 0
    }

    /// Whether a candidate key at `distance` from the phrase's key is close enough to suggest.
    public static func accepts(distance: Int, _ keyLength: Int, _ candidateLength: Int, sameSkeleton: Bool) -> Bool {
        distance <= maxDistance(keyLength, candidateLength, sameSkeleton: sameSkeleton)
    }

    /// The largest edit distance accepted between keys of these lengths (Unicode scalars).
    public static func maxDistance(_ keyLength: Int, _ candidateLength: Int, sameSkeleton: Bool) -> Int {
        max(1, Int((Double(max(keyLength, candidateLength)) * 0.4).rounded())) + (sameSkeleton ? 1 : 0)
    }

    /// The key's trigrams (three Unicode scalars each, spaces included), in order, as the store's
    /// FTS5 trigram index cuts them.
    public static func trigrams(of key: String) -> [String] {
        let scalars = Array(key.unicodeScalars)
        guard scalars.count >= 3 else { return [] }
        return (0...(scalars.count - 3)).map { i in
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[i..<i + 3])
            return String(s)
        }
    }

    /// Where a suggestion ranks: nearer first, then a curated or user place before a lower layer's
    /// (``PlaceOrigin/isCurated``: "Hmeimin" → Hmeimim Air Base before the GeoNames village Ḩimmīn,
    /// both one edit away), then a same skeleton, then by name text and place id (so that equal
    /// candidates always come in the same order).
    public struct Rank: Sendable, Comparable {
        public let distance: Int
        public let sameSkeleton: Bool
        public let curated: Bool
        public let text: String
        public let placeID: String

        public init(distance: Int, sameSkeleton: Bool, curated: Bool, text: String, placeID: String) {
            self.distance = distance
            self.sameSkeleton = sameSkeleton
            self.curated = curated
            self.text = text
            self.placeID = placeID
        }

        public static func < (a: Rank, b: Rank) -> Bool {
            (a.distance, a.curated ? 0 : 1, a.sameSkeleton ? 0 : 1, a.text, a.placeID)
                < (b.distance, b.curated ? 0 : 1, b.sameSkeleton ? 0 : 1, b.text, b.placeID)
        }
    }
}
