import ConvoyGeodesy
/// GPX 1.1: a `wpt` per observation (time, name, description with status, vehicles and source),
/// then a `trk` per unit with one `trkseg` of timed `trkpt`s, densified to 100 m.
struct GPXWriter {
    let document: ExportDocument

    func write(_ out: inout TextBuffer) throws {
        out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.raw("<gpx version=\"1.1\" creator=\"convoy\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n")
        for o in document.observations {
            out.raw("<wpt lat=\"")
            try out.number(o.point.latitude, decimals: 6)
            out.raw("\" lon=\"")
            try out.number(o.point.longitude, decimals: 6)
            out.raw("\"><time>")
            try out.bareTime(o.time, context: "the time of observation \(o.id)")
            out.raw("</time><name>")
            out.xml("\(o.convoy)/\(o.unit): \(o.status) \(o.location)")
            out.raw("</name><desc>")
            out.xml(try description(o))
            out.raw("</desc><src>")
            out.xml(o.source)
            out.raw("</src><type>")
            out.xml(o.status)
            out.raw("</type></wpt>\n")
        }
        for track in document.tracks where !track.vertices.isEmpty {
            out.raw("<trk><name>")
            out.xml(track.id)
            out.raw("</name>")
            if let vehicles = track.vehicles {
                out.raw("<desc>")
                out.xml(vehicles)
                out.raw("</desc>")
            }
            out.raw("<trkseg>\n")
            try DrawnTrack(track: track, tolerance: Exporter.drawingTolerance).forEachVertex { v in
                out.raw("<trkpt lat=\"")
                try out.number(v.point.latitude, decimals: 6)
                out.raw("\" lon=\"")
                try out.number(v.point.longitude, decimals: 6)
                out.raw("\"><time>")
                try out.bareTime(v.time, milliseconds: true, context: "a vertex time of \(track.id)")
                out.raw("</time></trkpt>\n")
                try out.flushIfLarge()
            }
            out.raw("</trkseg></trk>\n")
        }
        out.raw("</gpx>\n")
    }
}

/// Text shown for an observation in GPX and KML descriptions.
func description(_ o: ExportObservation) throws(NumberFormat.NonFiniteNumber) -> String {
    var parts = ["\(o.status) \(o.location) (\(o.timeText))"]
    if let vehicles = o.vehicles { parts.append("vehicles: \(vehicles)") }
    if let people = o.people { parts.append("people: \(people)") }
    parts.append("± \(try NumberFormat.string(o.uncertaintyMeters, decimals: 0, context: "uncertainty_m of observation \(o.id)")) m")
    parts.append("source: \(o.source) — \"\(o.quote)\"")
    if !o.anomalies.isEmpty { parts.append("anomalies: " + o.anomalies.joined(separator: "; ")) }
    return parts.joined(separator: "; ")
}

/// KML 2.2: a Placemark per observation (Point with TimeStamp, or the stretch of road with a
/// TimeSpan), and per unit a LineString Placemark with the unit's TimeSpan plus a `gx:Track` with a
/// `when` per vertex (Google Earth animates it; GDAL's LIBKML reads its geometry).
struct KMLWriter {
    let document: ExportDocument

    /// A LineString, or a MultiGeometry of them for several parts.
    func lines(_ parts: [[GeoPoint]], _ out: inout TextBuffer) throws {
        if parts.count > 1 { out.raw("<MultiGeometry>") }
        for points in parts {
            out.raw("<LineString><tessellate>1</tessellate><coordinates>")
            for (index, p) in (points.count == 1 ? [points[0], points[0]] : points).enumerated() {
                if index > 0 { out.raw(" ") }
                try out.number(p.longitude, decimals: 6)
                out.raw(",")
                try out.number(p.latitude, decimals: 6)
            }
            out.raw("</coordinates></LineString>")
        }
        if parts.count > 1 { out.raw("</MultiGeometry>") }
    }

    func write(_ out: inout TextBuffer) throws {
        out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.raw("<kml xmlns=\"http://www.opengis.net/kml/2.2\" xmlns:gx=\"http://www.google.com/kml/ext/2.2\">\n<Document><name>convoy</name>\n")
        out.raw("<Folder><name>observations</name>\n")
        for o in document.observations {
            out.raw("<Placemark><name>")
            out.xml("\(o.convoy)/\(o.unit): \(o.status)")
            out.raw("</name><description>")
            out.xml(try description(o))
            out.raw("</description>")
            if let stretch = o.stretch, !stretch.isEmpty {
                out.raw("<TimeSpan><begin>")
                try out.bareTime(o.timeStart, context: "time_start of observation \(o.id)")
                out.raw("</begin><end>")
                try out.bareTime(o.timeEnd, context: "time_end of observation \(o.id)")
                out.raw("</end></TimeSpan>")
                try lines(stretch, &out)
            } else {
                out.raw("<TimeStamp><when>")
                try out.bareTime(o.time, context: "the time of observation \(o.id)")
                out.raw("</when></TimeStamp><Point><coordinates>")
                try out.number(o.point.longitude, decimals: 6)
                out.raw(",")
                try out.number(o.point.latitude, decimals: 6)
                out.raw("</coordinates></Point>")
            }
            out.raw("</Placemark>\n")
        }
        out.raw("</Folder>\n<Folder><name>feasible sets</name>\n")
        for f in document.feasible where !f.parts.isEmpty {
            out.raw("<Placemark><name>")
            out.xml("\(f.id): where it can be")
            out.raw("</name><description>")
            out.xml(String(format: "%.0f km of road; up to %.0f km from the estimate", f.lengthMeters / 1000, f.uncertaintyMeters / 1000))
            out.raw("</description><TimeSpan><begin>")
            try out.bareTime(f.validFrom, context: "the start of a feasible set of \(f.id)")
            out.raw("</begin><end>")
            try out.bareTime(f.validTo, context: "the end of a feasible set of \(f.id)")
            out.raw("</end></TimeSpan>")
            try lines(f.parts, &out)
            out.raw("</Placemark>\n")
            try out.flushIfLarge()
        }
        out.raw("</Folder>\n<Folder><name>tracks</name>\n")
        for track in document.tracks where track.vertices.count >= 2 {
            let drawn = DrawnTrack(track: track, tolerance: Exporter.drawingTolerance)
            out.raw("<Placemark><name>")
            out.xml(track.id)
            out.raw("</name><description>")
            out.xml(track.vehicles ?? "")
            out.raw("</description><TimeSpan><begin>")
            try out.bareTime(track.vertices.first!.time, context: "the start of \(track.id)")
            out.raw("</begin><end>")
            try out.bareTime(track.vertices.last!.time, context: "the end of \(track.id)")
            out.raw("</end></TimeSpan><LineString><tessellate>1</tessellate><coordinates>")
            var firstVertex = true
            try drawn.forEachVertex { v in
                if !firstVertex { out.raw(" ") }
                firstVertex = false
                try out.number(v.point.longitude, decimals: 6)
                out.raw(",")
                try out.number(v.point.latitude, decimals: 6)
                try out.flushIfLarge()
            }
            out.raw("</coordinates></LineString></Placemark>\n")
            out.raw("<Placemark><name>")
            out.xml(track.id + " (timed)")
            out.raw("</name><gx:Track>\n")
            try drawn.forEachVertex { v in
                out.raw("<when>")
                try out.bareTime(v.time, milliseconds: true, context: "a vertex time of \(track.id)")
                out.raw("</when>")
                try out.flushIfLarge()
            }
            try drawn.forEachVertex { v in
                out.raw("\n<gx:coord>")
                try out.number(v.point.longitude, decimals: 6)
                out.raw(" ")
                try out.number(v.point.latitude, decimals: 6)
                out.raw(" 0</gx:coord>")
                try out.flushIfLarge()
            }
            out.raw("\n</gx:Track></Placemark>\n")
        }
        out.raw("</Folder>\n</Document>\n</kml>\n")
    }
}

/// CSV (RFC 4180) of legs between consecutive observations of each unit.
struct LegsCSVWriter {
    let document: ExportDocument

    func write(_ out: inout TextBuffer) throws {
        out.raw("convoy,unit,from,to,start,end,geodesic_m,along_route_m,speed_kmh\r\n")
        for leg in document.legs {
            field(leg.convoy, &out)
            out.raw(",")
            field(leg.unit, &out)
            out.raw(",")
            field(leg.from, &out)
            out.raw(",")
            field(leg.to, &out)
            out.raw(",")
            try out.bareTime(leg.start, context: "the start of a leg of \(leg.convoy)/\(leg.unit)")
            out.raw(",")
            try out.bareTime(leg.end, context: "the end of a leg of \(leg.convoy)/\(leg.unit)")
            out.raw(",")
            try out.number(leg.geodesicMeters, decimals: 3, context: "geodesic_m of a leg of \(leg.convoy)/\(leg.unit)")
            out.raw(",")
            try out.number(leg.alongRouteMeters, decimals: 3, context: "along_route_m of a leg of \(leg.convoy)/\(leg.unit)")
            out.raw(",")
            if let speed = leg.speedKmh { try out.number(speed, decimals: 3, context: "speed_kmh of a leg of \(leg.convoy)/\(leg.unit)") }
            out.raw("\r\n")
        }
    }

    /// A text cell, quoted when it holds a separator (`,`, or `;` for spreadsheets set to read
    /// semicolon-separated files), a quote or a line break. A cell that a spreadsheet would run as a
    /// formula — one starting with `=`, `+`, `-`, `@`, TAB or CR (OWASP "CSV Injection") — gets a
    /// leading `'` and is quoted: Excel, LibreOffice and Google Sheets then show it as text, and
    /// other readers see the `'` (README, "Formats"). Numbers and times are never cells of this kind.
    func field(_ text: String, _ out: inout TextBuffer) {
        let formula = text.utf8.first.map(Self.formulaTriggers.contains) ?? false
        guard formula || text.utf8.contains(where: Self.needsQuotes.contains) else {
            out.raw(text)
            return
        }
        out.raw(formula ? "\"'" : "\"")
        out.raw(text.replacingOccurrences(of: "\"", with: "\"\""))
        out.raw("\"")
    }

    /// First bytes that make a spreadsheet read a cell as a formula: = + - @ TAB CR.
    static let formulaTriggers: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
    /// Bytes that need the cell quoted: , ; " LF CR.
    static let needsQuotes: Set<UInt8> = [0x2C, 0x3B, 0x22, 0x0A, 0x0D]
}
