// export-bench: writes a long track from a CSV of points (lon,lat,time) to GeoJSON with convoy's
// exporter, as `convoy export` does: a track LineString with a `times` entry per vertex, legs
// densified where they need it, the file written to a temporary file and renamed.
//
//   export-bench POINTS.csv OUT.geojson
//
// The CSV is the one Benchmarks/export/run.sh generates and also hands to GDAL's ogr2ogr.
import ConvoyExport
import ConvoyGazetteer
import ConvoyGeodesy
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: export-bench POINTS.csv OUT.geojson\n".utf8))
    exit(2)
}
let started = Date()
// Stream "lon,lat,unix_seconds" lines (after a header) with getline: memory holds the track, not the file.
var vertices: [TrackVertex] = []
let reader = try LineReader(path: arguments[1])
_ = reader.nextLine { _ in () }
var text = [CChar](repeating: 0, count: 256)
while let vertex = reader.nextLine({ line -> TrackVertex? in
    // Copy the line into a NUL-terminated buffer, cut at commas, and let strtod read each field.
    if text.count <= line.count { text = [CChar](repeating: 0, count: line.count * 2 + 1) }
    var fields = (0.0, 0.0, 0.0)
    var count = 0
    text.withUnsafeMutableBufferPointer { buffer in
        for k in 0..<line.count { buffer[k] = line[k] == UInt8(ascii: ",") ? 0 : CChar(bitPattern: line[k]) }
        buffer[line.count] = 0
        var start = 0
        while start <= line.count, count < 3 {
            let value = strtod(buffer.baseAddress! + start, nil)
            switch count {
            case 0: fields.0 = value
            case 1: fields.1 = value
            default: fields.2 = value
            }
            count += 1
            while start < line.count, buffer[start] != 0 { start += 1 }
            start += 1
        }
    }
    guard count == 3, let point = try? GeoPoint(latitude: fields.1, longitude: fields.0) else { return nil }
    return TrackVertex(time: fields.2, point: point)
}) {
    if let vertex { vertices.append(vertex) }
}
let parsed = Date()
let track = ExportTrack(convoy: "synthetic", unit: "main", parent: nil, vehicles: nil, vertices: vertices)
let sink = try AtomicFileSink(path: arguments[2])
try Exporter.write(ExportDocument(tracks: [track], observations: [], legs: []), as: .geojson, to: sink)
let done = Date()
print(String(format: "export-bench: %d points, read %.3f s, wrote GeoJSON %.3f s, total %.3f s",
             vertices.count, parsed.timeIntervalSince(started), done.timeIntervalSince(parsed), done.timeIntervalSince(started)))
