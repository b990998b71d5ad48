import ConvoyGeodesy
import Foundation

/// Something in the log that does not add up. Reported with the row it concerns; never fixed.
public struct Anomaly: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Two reports no movement at the maximum speed can join.
        case impossibleSpeed = "impossible-speed"
        /// A row earlier than a row above it for the same unit (accepted and sorted).
        case outOfOrder = "out-of-order"
        /// A split's children do not add up to the parent, or a count grew without a merge.
        case countMismatch = "count-mismatch"
        /// Two sources give different counts for overlapping times, or for the same event.
        case sourcesDisagree = "sources-disagree"
        /// Two sources put the same event (status at the same place) at times that do not meet.
        case datesDisagree = "dates-disagree"
        /// Two reports put the unit in two places at the same instant.
        case positionsDisagree = "positions-disagree"
        /// A name also fits other gazetteer places; the best-ranked one was used.
        case ambiguousPlace = "ambiguous-place"
    }

    public let kind: Kind
    public let message: String
}

extension UnitModel {
    /// The anomalies of each of the unit's own rows (same order as ``rows``). `children` are the
    /// units that split from this one, for the count check at its split.
    func anomalies(children: [UnitModel]) -> [[Anomaly]] {
        var result = [[Anomaly]](repeating: [], count: rows.count)
        let ownIndex = Dictionary(rows.enumerated().map { ($1.line, $0) }, uniquingKeysWith: { a, _ in a })
        // Out of file order: earlier than a row above it.
        var latestAbove: Int?
        for i in rows.indices.sorted(by: { rows[$0].line < rows[$1].line }) {
            if let above = latestAbove, rows[above].time.start > rows[i].time.start {
                result[i].append(Anomaly(kind: .outOfOrder, message: "line \(rows[i].line) (\(rows[i].time.text)) is below line \(rows[above].line) (\(rows[above].time.text)) in the file; taken in time order"))
            }
            if latestAbove == nil || rows[latestAbove!].time.start <= rows[i].time.start { latestAbove = i }
        }
        var events: [String: [Int]] = [:]
        var sameEvent: [String: [Int]] = [:]
        var lastCount: [String: Count] = [:]
        let widest = rows.map { $0.time.end - $0.time.start }.max() ?? 0
        for (i, r) in rows.enumerated() {
            for place in r.places where !place.alternatives.isEmpty {
                result[i].append(Anomaly(kind: .ambiguousPlace, message: "\"\(place.name)\" also fits \(place.alternatives.joined(separator: ", ")); used \(place.id)"))
            }
            // Counts from two sources: for overlapping times (rows are sorted by start, so only those
            // starting within the widest window before), or for the same event (status at the same places).
            let event = r.places.isEmpty ? nil : r.status.rawValue + "|" + r.places.map(\.id).joined(separator: ",")
            var others = Set<Int>()
            var j = i - 1
            while j >= 0, r.time.start - rows[j].time.start <= widest {
                if rows[j].time.overlaps(r.time) { others.insert(j) }
                j -= 1
            }
            if let event { others.formUnion(sameEvent[event, default: []]) }
            for j in others.sorted() {
                let other = rows[j]
                guard other.citation.source != r.citation.source else { continue }
                if let a = r.vehicles, let b = other.vehicles, a.contradicts(b) {
                    result[i].append(Anomaly(kind: .sourcesDisagree, message: "vehicles: \(a.text) (\(r.citation.source), line \(r.line)) vs \(b.text) (\(other.citation.source), line \(other.line))"))
                }
                if let a = r.people, let b = other.people, a.contradicts(b) {
                    result[i].append(Anomaly(kind: .sourcesDisagree, message: "people: \(a.text) (\(r.citation.source), line \(r.line)) vs \(b.text) (\(other.citation.source), line \(other.line))"))
                }
            }
            if let event { sameEvent[event, default: []].append(i) }
            if [.departed, .arrived].contains(r.status), let event {
                for j in events[event, default: []] {
                    let other = rows[j]
                    guard other.citation.source != r.citation.source, !other.time.overlaps(r.time) else { continue }
                    result[i].append(Anomaly(kind: .datesDisagree, message: "\(r.status.rawValue) \(r.location): \(r.time.text) (\(r.citation.source), line \(r.line)) vs \(other.time.text) (\(other.citation.source), line \(other.line))"))
                }
                events[event, default: []].append(i)
            }
            // A count that grows, in one source's reports, without a merge.
            if let now = r.vehicles, let before = lastCount[r.citation.source] {
                for t in now.terms {
                    if let kind = t.kind, let b = before.count(of: kind), t.qualifier == .exact, b.qualifier == .exact, t.count > b.count {
                        result[i].append(Anomaly(kind: .countMismatch, message: "\(kind) grew from \(b.count) to \(t.count) with no merge"))
                    }
                }
            }
            if let now = r.vehicles { lastCount[r.citation.source] = now }
        }
        // Reports no movement at the maximum speed can join (the prism's conflicts), on the later row.
        let all = allRows
        for conflict in prism.conflicts {
            let a = all[conflict.rows.0], b = all[conflict.rows.1]
            guard let i = ownIndex[b.line] ?? ownIndex[a.line] else { continue }
            let kind: Anomaly.Kind = conflict.time > 0 ? .impossibleSpeed : .positionsDisagree
            let need = conflict.time > 0 ? String(format: "%.0f km/h", conflict.neededSpeed * 3.6) : "an infinite speed (the same instant)"
            let message = String(
                format: "lines %d and %d: %@ (%@) and %@ (%@) are %.0f km apart along the roads, %@ — it would need %@, more than the %@ km/h maximum; the answer keeps both rows by taking the unit to be in either region there",
                a.line, b.line, a.location.description, a.time.text, b.location.description, b.time.text, conflict.distance / 1000,
                conflict.time > 0 ? "and their times leave at most \(TimeText.duration(conflict.time))" : "at the same instant", need, String(format: "%g", prism.maximumSpeed * 3.6))
            result[i].append(Anomaly(kind: kind, message: message))
        }
        // A split whose children do not account for the parent's count.
        if let split = rows.lastIndex(where: { $0.status == .split }), !children.isEmpty, let parentCount = rows[...split].last(where: { $0.vehicles != nil })?.vehicles {
            let kids = children.sorted { $0.unit < $1.unit }
            let counts = kids.compactMap { $0.rows.first(where: { $0.vehicles != nil })?.vehicles }
            if counts.count == kids.count {
                let sum = counts.reduce(0) { $0 + $1.total }
                let text = zip(kids, counts).map { "\($0.unit) \($1.text)" }.joined(separator: " + ")
                if sum != parentCount.total {
                    result[split].append(Anomaly(kind: .countMismatch, message: "split into \(text) = \(sum) vehicles, but the unit had \(parentCount.text) (\(parentCount.total)); \(abs(parentCount.total - sum)) \(sum < parentCount.total ? "unaccounted for" : "too many")"))
                }
            }
        }
        return result
    }
}
