import ConvoyGazetteer

/// The formats convoy writes, and which map tools read each (see README "Which format for which tool").
public enum ExportFormat: String, Sendable, CaseIterable {
    /// RFC 7946 GeoJSON FeatureCollection: tracks with `times`, observations, stretches. geojson.io,
    /// QGIS, Leaflet (+ TimeDimension), kepler.gl, GDAL.
    case geojson
    /// RFC 8142 GeoJSON Text Sequence: one feature per record, for streaming tools and `ogr2ogr`.
    case geojsonseq
    /// OGC Moving Features JSON, MovingPoint form (`temporalGeometry`, linear interpolation):
    /// MovingPandas `read_mf_json`, MobilityDB.
    case mfjson
    /// OGC Moving Features JSON, trajectory form (LineString + `properties.datetimes`).
    case mfjsonTrajectory = "mfjson-trajectory"
    /// GPX 1.1: a `trk` per unit with timed `trkpt`s, a `wpt` per observation. GPS tools, QGIS, GDAL.
    case gpx
    /// KML 2.2: placemarks with TimeStamp / TimeSpan and a `gx:Track` per unit. Google Earth, QGIS.
    case kml
    /// CSV of legs between observations: from, to, start, end, geodesic_m, along_route_m, speed_kmh.
    case csv
    /// kepler.gl "trips": LineStrings with [lon, lat, 0, unix seconds] positions — NOT RFC 7946
    /// (four numbers per position); only on explicit request.
    case kepler

    /// The format a file name implies: .geojson/.json, .geojsonl/.geojsons/.geojsonseq, .mf.json/.mfjson,
    /// .gpx, .kml, .csv, .kepler.json. kepler and mfjson-trajectory also by their own names.
    public static func inferred(fromPath path: String) -> ExportFormat? {
        let name = path.lowercased()
        if name.hasSuffix(".kepler.json") { return .kepler }
        if name.hasSuffix(".mf-trajectory.json") { return .mfjsonTrajectory }
        if name.hasSuffix(".mf.json") || name.hasSuffix(".mfjson") { return .mfjson }
        if name.hasSuffix(".geojsonl") || name.hasSuffix(".geojsons") || name.hasSuffix(".geojsonseq") { return .geojsonseq }
        if name.hasSuffix(".geojson") || name.hasSuffix(".json") { return .geojson }
        if name.hasSuffix(".gpx") { return .gpx }
        if name.hasSuffix(".kml") { return .kml }
        if name.hasSuffix(".csv") { return .csv }
        return nil
    }
}

/// Why an export failed.
public enum ExportError: Error, Sendable, CustomStringConvertible {
    /// A value the format cannot represent (NaN or infinity; a time outside years 0000–9999),
    /// described with the field it is in.
    case unwritable(String)
    case io(FileAccessError)

    public var description: String {
        switch self {
        case .unwritable(let what): "\(what); nothing was written"
        case .io(let error): error.description
        }
    }
}

/// Writes an ``ExportDocument`` in one format to a sink, streaming.
public enum Exporter {
    /// Tolerance in metres between drawn segments and the geodesic for line formats.
    public static let drawingTolerance = 100.0
    /// MF-JSON readers interpolate straight between vertices; 1 m keeps their positions on convoy's geodesics.
    public static let movingFeatureTolerance = 1.0

    public static func write(_ document: ExportDocument, as format: ExportFormat, to sink: any OutputSink) throws(ExportError) {
        do {
            var out = TextBuffer(sink: sink)
            switch format {
            case .geojson: try GeoJSONWriter(document: document, sequence: false).write(&out)
            case .geojsonseq: try GeoJSONWriter(document: document, sequence: true).write(&out)
            case .mfjson: try MovingFeaturesWriter(document: document, trajectoryForm: false).write(&out)
            case .mfjsonTrajectory: try MovingFeaturesWriter(document: document, trajectoryForm: true).write(&out)
            case .kepler: try KeplerWriter(document: document).write(&out)
            case .gpx: try GPXWriter(document: document).write(&out)
            case .kml: try KMLWriter(document: document).write(&out)
            case .csv: try LegsCSVWriter(document: document).write(&out)
            }
            try out.flush()
            try sink.commit()
        } catch let error as NumberFormat.NonFiniteNumber {
            throw .unwritable(error.description)
        } catch let error as UTCTime.OutOfRange {
            throw .unwritable(error.description)
        } catch let error as FileAccessError {
            throw .io(error)
        } catch {
            throw .unwritable("\(error)")
        }
    }
}
