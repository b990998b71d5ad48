import ArgumentParser
import ConvoyExport
import ConvoyGazetteer
import ConvoyRoute
import Foundation

/// `convoy export`: the replayed tracks and observations in a format map tools read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write tracks, observations and distances as GeoJSON, MF-JSON, GPX, KML, CSV …",
        discussion: """
            The format follows --format, else the output file's extension (.geojson, .geojsonl, .mf.json, \
            .mf-trajectory.json, .gpx, .kml, .csv, .kepler.json), else GeoJSON. The file is written to a \
            temporary file and renamed, so an interrupted export never leaves half a file; temporaries left by a \
            killed export are removed on the next write to the folder. Only a regular file is replaced (through a \
            symbolic link, the file it leads to); a directory, FIFO or device is refused. Same input, same bytes.

            kepler is kepler.gl's trip layer format: positions [lon, lat, 0, unix seconds], NOT RFC 7946.
            """)

    @Option(help: ArgumentHelp("Only this convoy.", valueName: "id")) var convoy: String?
    @Option(help: ArgumentHelp("geojson, geojsonseq, mfjson, mfjson-trajectory, gpx, kml, csv or kepler.", valueName: "format"))
    var format: String?
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Output file, or - for standard output.", valueName: "file"))
    var output = "-"
    @OptionGroup var log: LogOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let format, ExportFormat(rawValue: format) == nil {
            throw ValidationError("unknown format \"\(format)\"; known: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let chosen = format.flatMap(ExportFormat.init(rawValue:)) ?? ExportFormat.inferred(fromPath: output) ?? .geojson
        let context = try RouteContext.open(store: store, log: log)
        try context.checkConvoy(convoy)
        let document = ExportDocument(model: context.model, convoy: convoy)
        let sink: any OutputSink = output == "-" ? StandardOutputSink(emit: Console.current.writeOutput) : try openFile(output)
        do {
            try Exporter.write(document, as: chosen, to: sink)
        } catch {
            switch error {
            case .io(let failure): throw failure
            case .unwritable: throw CommandFailure.findings(error.description)
            }
        }
        if output != "-" {
            warn("convoy: wrote \(output) (\(chosen.rawValue): \(document.tracks.count) tracks, \(document.observations.count) observations, \(document.legs.count) legs)")
        }
    }
}

/// `convoy view`: a self-contained HTML page with the tracks on a Leaflet map and a time slider.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Write an HTML page showing the tracks and observations on a map, with a time slider.",
        discussion: "Leaflet is inlined from Debian's libjs-leaflet when installed (the page then works offline), else loaded from a CDN.")

    @Option(help: ArgumentHelp("Only this convoy.", valueName: "id")) var convoy: String?
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("HTML file to write.", valueName: "file.html"))
    var output = "convoy.html"
    @OptionGroup var log: LogOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let context = try RouteContext.open(store: store, log: log)
        try context.checkConvoy(convoy)
        let document = ExportDocument(model: context.model, convoy: convoy)
        // Towns and sites within the tracks' reach, for orientation when no background tiles load.
        let points = document.tracks.flatMap(\.vertices).map(\.point) + document.observations.map(\.point)
        let lats = points.map(\.latitude), lons = points.map(\.longitude)
        let landmarks = try context.gazetteer.places().filter { place in
            guard !place.isArea, place.origin == .bundled, let south = lats.min(), let north = lats.max(), let west = lons.min(), let east = lons.max() else { return false }
            return (south - 0.3...north + 0.3).contains(place.location.latitude) && (west - 0.3...east + 0.3).contains(place.location.longitude)
        }.map { ViewPage.Landmark(name: $0.name, latitude: $0.location.latitude, longitude: $0.location.longitude) }
        let html: String
        do { html = try ViewPage.html(for: document, landmarks: landmarks, title: convoy.map { "convoy — \($0)" } ?? "convoy") } catch {
            throw CommandFailure.findings(error.description)
        }
        let sink = try openFile(output)
        try sink.write(html)
        try sink.commit()
        warn("convoy: wrote \(output) (\(document.tracks.count) tracks, \(document.observations.count) observations); open it in a browser")
    }
}

/// Opens `path` for an atomic write, saying on stderr which stale temporaries of killed writers were removed.
func openFile(_ path: String) throws(FileAccessError) -> AtomicFileSink {
    let sink = try AtomicFileSink(path: path)
    for stale in sink.removedStaleFiles {
        warn("convoy: removed \(stale.name) (\(stale.bytes) bytes), left in the folder by an interrupted write")
    }
    return sink
}
