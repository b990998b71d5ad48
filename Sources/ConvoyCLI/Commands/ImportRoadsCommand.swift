import ConvoyGazetteer
import ConvoyRoads
import ConvoyRoute
import Foundation

/// `convoy import roads FILE`: check every road, then store them all in one transaction, or none.
/// The imported roads replace the bundled ones for every command that routes (README "Roads").
enum ImportRoads {
    static func run(file: String, zone: String?, store: StoreOptions, output: OutputOptions) throws {
        if zone != nil { throw CommandFailure.usage("--zone is for update logs; a road file has no times") }
        let gazetteer = try store.open()
        let started = Date()
        let roads = try RoadFile.load(URL(fileURLWithPath: file), displayPath: file) { ids in (try? gazetteer.names(ofPlaceIDs: ids)) ?? [:] }
        let graph = RoadGraph(roads: roads)
        try RoadStore(gazetteer).replace(with: roads, file: file)
        let seconds = Date().timeIntervalSince(started)
        let length = graph.edges.reduce(0) { $0 + $1.length }
        let parts = Set(graph.component).count
        let dangling = graph.vertices.indices.filter { graph.edges(at: $0).count == 1 }.count
        if output.json {
            try printJSON(JSONValue.object([
                "file": .string(file), "store": .string(gazetteer.path), "roads": .int(roads.count), "schematic": .int(roads.filter(\.schematic).count),
                "vertices": .int(graph.vertices.count), "edges": .int(graph.edges.count), "components": .int(parts), "dangling_ends": .int(dangling),
                "length_m": .number(rounded(length, 1)),
            ]))
            return
        }
        say("imported \(TextFormat.counted(roads.count, "road")) (\(TextFormat.distance(length)); \(graph.vertices.count) vertices, \(graph.edges.count) edges, \(TextFormat.counted(parts, "connected part")), \(dangling) dangling ends) from \(file) into \(gazetteer.path) in \(String(format: "%.2f", seconds)) s")
        say("they replace the bundled roads for every command that routes; `--roads FILE` overrides them for one run")
    }
}
