/// OGC Moving Features JSON (OGC 19-045r3), one MovingFeature per unit, densified to 1 m so that
/// readers interpolating straight between vertices stay on convoy's geodesics. Datetimes are RFC 3339
/// and strictly increasing: a vertex with the same time as the one before is left out.
///
/// - MovingPoint form (`mfjson`): a FeatureCollection of Features with `temporalGeometry`
///   {type MovingPoint, datetimes, coordinates, interpolation "Linear"}; `properties` hold scalars,
///   `track_id` names the trajectory (MovingPandas: `read_mf_json(path, traj_id_property="track_id")`).
/// - Trajectory form (`mfjson-trajectory`): Features with a LineString geometry and
///   `properties.datetimes`; fixed attributes are one-element arrays, as that form requires.
struct MovingFeaturesWriter {
    let document: ExportDocument
    let trajectoryForm: Bool

    func write(_ out: inout TextBuffer) throws {
        out.raw("{\"type\":\"FeatureCollection\",\"features\":[")
        var firstFeature = true
        for track in document.tracks where track.vertices.count >= 2 {
            out.raw(firstFeature ? "\n" : ",\n")
            firstFeature = false
            let drawn = DrawnTrack(track: track, tolerance: Exporter.movingFeatureTolerance)
            out.raw("{\"type\":\"Feature\",\"id\":")
            out.string(track.id)
            if trajectoryForm {
                out.raw(",\"geometry\":{\"type\":\"LineString\",\"coordinates\":")
                try coordinates(drawn, &out)
                out.raw("},\"properties\":{\"datetimes\":")
                try datetimes(drawn, &out)
                for (key, value) in fixedProperties(track) {
                    out.raw(",")
                    out.string(key)
                    out.raw(":[")
                    out.optionalString(value)
                    out.raw("]")
                }
                out.raw("}}")
            } else {
                out.raw(",\"properties\":{")
                for (index, (key, value)) in fixedProperties(track).enumerated() {
                    if index > 0 { out.raw(",") }
                    out.string(key)
                    out.raw(":")
                    out.optionalString(value)
                }
                out.raw("},\"temporalGeometry\":{\"type\":\"MovingPoint\",\"datetimes\":")
                try datetimes(drawn, &out)
                out.raw(",\"coordinates\":")
                try coordinates(drawn, &out)
                out.raw(",\"interpolation\":\"Linear\"}}")
            }
            try out.flushIfLarge()
        }
        out.raw("\n]}\n")
    }

    func fixedProperties(_ track: ExportTrack) -> [(String, String?)] {
        [("track_id", track.id), ("convoy", track.convoy), ("unit", track.unit), ("parent", track.parent), ("vehicles", track.vehicles)]
    }

    func coordinates(_ drawn: DrawnTrack, _ out: inout TextBuffer) throws {
        out.raw("[")
        var previous: Double?
        try drawn.forEachVertex { v in
            guard previous.map({ v.time > $0 }) ?? true else { return }
            if previous != nil { out.raw(",") }
            previous = v.time
            try out.position(v.point)
            try out.flushIfLarge()
        }
        out.raw("]")
    }

    func datetimes(_ drawn: DrawnTrack, _ out: inout TextBuffer) throws {
        out.raw("[")
        var previous: Double?
        try drawn.forEachVertex { v in
            guard previous.map({ v.time > $0 }) ?? true else { return }
            if previous != nil { out.raw(",") }
            previous = v.time
            try out.time(v.time, milliseconds: true, context: "a vertex time of \(drawn.track.id)")
            try out.flushIfLarge()
        }
        out.raw("]")
    }
}

/// kepler.gl's trip layer input: a FeatureCollection of LineStrings whose positions are
/// [lon, lat, 0, unix seconds]. Deliberately not RFC 7946 (which allows at most three numbers).
struct KeplerWriter {
    let document: ExportDocument

    func write(_ out: inout TextBuffer) throws {
        out.raw("{\"type\":\"FeatureCollection\",\"features\":[")
        var firstFeature = true
        for track in document.tracks where track.vertices.count >= 2 {
            out.raw(firstFeature ? "\n" : ",\n")
            firstFeature = false
            out.raw("{\"type\":\"Feature\",\"id\":")
            out.string(track.id)
            out.raw(",\"properties\":{\"convoy\":")
            out.string(track.convoy)
            out.raw(",\"unit\":")
            out.string(track.unit)
            out.raw(",\"vehicles\":")
            out.optionalString(track.vehicles)
            out.raw("},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[")
            var firstVertex = true
            try DrawnTrack(track: track, tolerance: Exporter.drawingTolerance).forEachVertex { v in
                if !firstVertex { out.raw(",") }
                firstVertex = false
                out.raw("[")
                try out.number(v.point.longitude, decimals: 6)
                out.raw(",")
                try out.number(v.point.latitude, decimals: 6)
                out.raw(",0,")
                try out.number(v.time, decimals: 0)
                out.raw("]")
                try out.flushIfLarge()
            }
            out.raw("]}}")
        }
        out.raw("\n]}\n")
    }
}
