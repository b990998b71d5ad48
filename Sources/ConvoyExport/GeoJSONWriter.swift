import ConvoyGeodesy

/// RFC 7946 GeoJSON (or an RFC 8142 sequence of its features): [lon, lat] with 6 decimals, no `crs`,
/// a `bbox`, string ids. Per unit a track LineString densified to 100 m with `times` per vertex
/// (Leaflet.TimeDimension, folium) and `start`/`end` (QGIS temporal controller); per observation a
/// Point with its time, status, place, source and distances; a "between A and B" observation also as
/// its stretch of road, marked `uncertain`.
struct GeoJSONWriter {
    let document: ExportDocument
    let sequence: Bool

    func write(_ out: inout TextBuffer) throws {
        let drawn = document.tracks.map { DrawnTrack(track: $0, tolerance: Exporter.drawingTolerance) }
        var first = true
        func beginFeature(_ out: inout TextBuffer) {
            if sequence {
                out.bytes.append(0x1E)
            } else {
                out.raw(first ? "\n" : ",\n")
            }
            first = false
        }
        func endFeature(_ out: inout TextBuffer) {
            if sequence { out.raw("\n") }
        }
        if !sequence {
            out.raw("{\"type\":\"FeatureCollection\",\"name\":\"convoy\",\"bbox\":")
            try writeBoundingBox(drawn, &out)
            out.raw(",\"features\":[")
        }
        for track in drawn {
            beginFeature(&out)
            try trackFeature(track, &out)
            endFeature(&out)
        }
        for observation in document.observations {
            beginFeature(&out)
            try observationFeature(observation, stretch: false, &out)
            endFeature(&out)
            if observation.stretch != nil {
                beginFeature(&out)
                try observationFeature(observation, stretch: true, &out)
                endFeature(&out)
            }
            try out.flushIfLarge()
        }
        for sample in document.feasible where !sample.parts.isEmpty {
            beginFeature(&out)
            try feasibleFeature(sample, &out)
            endFeature(&out)
            try out.flushIfLarge()
        }
        if !sequence { out.raw("\n]}\n") }
    }

    func writeBoundingBox(_ drawn: [DrawnTrack], _ out: inout TextBuffer) throws {
        var box: (Double, Double, Double, Double)?
        func add(_ p: GeoPoint) {
            if let b = box {
                box = (min(b.0, p.longitude), min(b.1, p.latitude), max(b.2, p.longitude), max(b.3, p.latitude))
            } else {
                box = (p.longitude, p.latitude, p.longitude, p.latitude)
            }
        }
        for track in drawn { track.forEachVertex { add($0.point) } }
        for observation in document.observations {
            add(observation.point)
            observation.stretch?.joined().forEach(add)
        }
        for sample in document.feasible {
            sample.parts.joined().forEach(add)
        }
        guard let box else { return out.raw("null") }
        out.raw("[")
        try out.number(box.0, decimals: 6, context: "the bbox west")
        out.raw(",")
        try out.number(box.1, decimals: 6, context: "the bbox south")
        out.raw(",")
        try out.number(box.2, decimals: 6, context: "the bbox east")
        out.raw(",")
        try out.number(box.3, decimals: 6, context: "the bbox north")
        out.raw("]")
    }

    func trackFeature(_ drawn: DrawnTrack, _ out: inout TextBuffer) throws {
        let track = drawn.track
        out.raw("{\"type\":\"Feature\",\"id\":")
        out.string("track:\(track.id)")
        out.raw(",\"geometry\":")
        if track.vertices.count >= 2 {
            out.raw("{\"type\":\"LineString\",\"coordinates\":[")
            var firstVertex = true
            try drawn.forEachVertex { v in
                if !firstVertex { out.raw(",") }
                firstVertex = false
                try out.position(v.point)
                try out.flushIfLarge()
            }
            out.raw("]}")
        } else if let only = track.vertices.first {
            out.raw("{\"type\":\"Point\",\"coordinates\":")
            try out.position(only.point)
            out.raw("}")
        } else {
            out.raw("null")
        }
        out.raw(",\"properties\":{\"kind\":\"track\",\"convoy\":")
        out.string(track.convoy)
        out.raw(",\"unit\":")
        out.string(track.unit)
        out.raw(",\"parent\":")
        out.optionalString(track.parent)
        out.raw(",\"vehicles\":")
        out.optionalString(track.vehicles)
        out.raw(",\"start\":")
        if let t = track.vertices.first?.time { try out.time(t, milliseconds: true, context: "the start of \(track.id)") } else { out.raw("null") }
        out.raw(",\"end\":")
        if let t = track.vertices.last?.time { try out.time(t, milliseconds: true, context: "the end of \(track.id)") } else { out.raw("null") }
        out.raw(",\"distance_m\":")
        try out.number(drawn.length, decimals: 3, context: "distance_m of \(track.id)")
        out.raw(",\"times\":[")
        var firstVertex = true
        try drawn.forEachVertex { v in
            if !firstVertex { out.raw(",") }
            firstVertex = false
            try out.time(v.time, milliseconds: true, context: "a vertex time of \(track.id)")
            try out.flushIfLarge()
        }
        out.raw("]}}")
    }

    func observationFeature(_ o: ExportObservation, stretch: Bool, _ out: inout TextBuffer) throws {
        out.raw("{\"type\":\"Feature\",\"id\":")
        out.string((stretch ? "stretch:" : "observation:") + o.id)
        out.raw(",\"geometry\":")
        if stretch, let parts = o.stretch, !parts.isEmpty {
            try lines(parts, &out)
        } else {
            out.raw("{\"type\":\"Point\",\"coordinates\":")
            try out.position(o.point)
            out.raw("}")
        }
        out.raw(",\"properties\":{\"kind\":")
        out.string(stretch ? "stretch" : "observation")
        if stretch { out.raw(",\"uncertain\":true") }
        out.raw(",\"convoy\":")
        out.string(o.convoy)
        out.raw(",\"unit\":")
        out.string(o.unit)
        out.raw(",\"time\":")
        try out.time(o.time, context: "the time of observation \(o.id)")
        out.raw(",\"time_start\":")
        try out.time(o.timeStart, context: "time_start of observation \(o.id)")
        out.raw(",\"time_end\":")
        try out.time(o.timeEnd, context: "time_end of observation \(o.id)")
        out.raw(",\"time_text\":")
        out.string(o.timeText)
        out.raw(",\"status\":")
        out.string(o.status)
        out.raw(",\"location\":")
        out.string(o.location)
        out.raw(",\"place\":")
        out.optionalString(o.place)
        out.raw(",\"uncertainty_m\":")
        try out.number(o.uncertaintyMeters, decimals: 1, context: "uncertainty_m of observation \(o.id)")
        out.raw(",\"vehicles\":")
        out.optionalString(o.vehicles)
        out.raw(",\"people\":")
        out.optionalString(o.people)
        out.raw(",\"source\":")
        out.string(o.source)
        out.raw(",\"quote\":")
        out.string(o.quote)
        out.raw(",\"segment_m\":")
        try out.optionalNumber(o.segmentMeters, decimals: 3, context: "segment_m of observation \(o.id)")
        out.raw(",\"cumulative_m\":")
        try out.optionalNumber(o.cumulativeMeters, decimals: 3, context: "cumulative_m of observation \(o.id)")
        out.raw(",\"anomalies\":[")
        for (index, anomaly) in o.anomalies.enumerated() {
            if index > 0 { out.raw(",") }
            out.string(anomaly)
        }
        out.raw("]}}")
    }

    /// A LineString (one part) or MultiLineString, each part densified so the drawn line stays
    /// within the drawing tolerance of the geodesics.
    func lines(_ parts: [[GeoPoint]], _ out: inout TextBuffer) throws {
        func part(_ points: [GeoPoint], _ out: inout TextBuffer) throws {
            out.raw("[")
            var previous: GeoPoint?
            // A zero-length piece (a point) is written with its point twice: a LineString needs two.
            let drawn = points.count == 1 ? [points[0], points[0]] : points
            for p in drawn {
                if let previous {
                    for q in Densify.intermediatePoints(from: previous, to: p, tolerance: Exporter.drawingTolerance) {
                        out.raw(",")
                        try out.position(q)
                    }
                    out.raw(",")
                }
                try out.position(p)
                previous = p
            }
            out.raw("]")
        }
        if parts.count == 1 {
            out.raw("{\"type\":\"LineString\",\"coordinates\":")
            try part(parts[0], &out)
            out.raw("}")
            return
        }
        out.raw("{\"type\":\"MultiLineString\",\"coordinates\":[")
        for (index, p) in parts.enumerated() {
            if index > 0 { out.raw(",") }
            try part(p, &out)
        }
        out.raw("]}")
    }

    /// A sample of a unit's feasible set: the roads it can be on then, valid from `valid_from` to
    /// `valid_to` (QGIS's temporal controller), with the best estimate and the radius.
    func feasibleFeature(_ f: ExportFeasible, _ out: inout TextBuffer) throws {
        out.raw("{\"type\":\"Feature\",\"id\":")
        out.string("feasible:\(f.id)@\(Int64(f.time))")
        out.raw(",\"geometry\":")
        try lines(f.parts, &out)
        out.raw(",\"properties\":{\"kind\":\"feasible\",\"convoy\":")
        out.string(f.convoy)
        out.raw(",\"unit\":")
        out.string(f.unit)
        out.raw(",\"time\":")
        try out.time(f.time, context: "the time of a feasible set of \(f.id)")
        out.raw(",\"valid_from\":")
        try out.time(f.validFrom, context: "valid_from of a feasible set of \(f.id)")
        out.raw(",\"valid_to\":")
        try out.time(f.validTo, context: "valid_to of a feasible set of \(f.id)")
        out.raw(",\"length_m\":")
        try out.number(f.lengthMeters, decimals: 0, context: "length_m of a feasible set of \(f.id)")
        out.raw(",\"uncertainty_m\":")
        try out.number(f.uncertaintyMeters, decimals: 0, context: "uncertainty_m of a feasible set of \(f.id)")
        out.raw(",\"estimate\":")
        try out.position(f.estimate)
        out.raw("}}")
    }
}
