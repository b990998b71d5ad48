import ConvoyGazetteer
import ConvoyRoads
import Foundation

/// Which roads a command routes over, first that applies (README "Roads"):
/// `--roads FILE` (this run only), else the roads imported into the store (`convoy import roads`),
/// else the bundled `Gazetteer/roads.geojson`. A road set replaces the bundled one rather than
/// being added to it: the bundled roads are schematic chords between waypoints, shorter than any
/// surveyed road between the same towns, so mixed in they would win every shortest path.
enum RoadSources {
    static func load(file: String?, gazetteer: Gazetteer, directory: URL?) throws -> RoadNetwork {
        let names: (Set<String>) -> [String: String] = { ids in (try? gazetteer.names(ofPlaceIDs: ids)) ?? [:] }
        if let file {
            do {
                return try RoadNetwork.load(URL(fileURLWithPath: file), displayPath: file, names: names)
            } catch let errors as DataErrors {
                warn(errors.description)
                throw CommandFailure.findings("\(file) is not a usable road file (docs/roads.md)")
            }
        }
        if let stored = try RoadStore(gazetteer).load() {
            let ids = Set(stored.compactMap(\.waypoints).joined().compactMap { $0 })
            let origin = (try? RoadStore(gazetteer).info()).flatMap { $0.map { "roads imported from \($0.file)" } } ?? "imported roads"
            return RoadNetwork(roads: stored, placeNames: ids.isEmpty ? [:] : names(ids), origin: origin)
        }
        guard let url = directory?.appendingPathComponent("roads.geojson"), FileManager.default.fileExists(atPath: url.path) else {
            warn("convoy: no roads.geojson beside the gazetteer; units move along geodesics")
            return .none
        }
        return try RoadNetwork.load(url, displayPath: "Gazetteer/roads.geojson", names: names)
    }
}
