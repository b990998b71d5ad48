#!/usr/bin/env python3
"""Peer for GeoJSON export: reads the same CSV (lon,lat,time) and writes the same FeatureCollection
as convoy's exporter — one track LineString with a `times` entry per vertex, 6 decimals, bbox,
the geodesic length (pyproj) — serialised with orjson.

usage: export_orjson.py points.csv out.geojson
"""
import sys

import numpy as np
import orjson
import pyproj

src, out = sys.argv[1], sys.argv[2]
lons, lats, times = [], [], []
with open(src) as f:
    next(f)
    for line in f:
        a, b, c = line.split(",")
        lons.append(float(a)); lats.append(float(b)); times.append(int(c))
lon = np.round(np.array(lons), 6); lat = np.round(np.array(lats), 6)
stamps = [s + "Z" for s in np.datetime_as_string(np.array(times, dtype="datetime64[s]").astype("datetime64[ms]"), unit="ms")]
length = pyproj.Geod(ellps="WGS84").line_length(lon, lat)
doc = {"type": "FeatureCollection", "name": "convoy",
       "bbox": [float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())],
       "features": [{"type": "Feature", "id": "track:synthetic/main",
                     "geometry": {"type": "LineString", "coordinates": np.stack([lon, lat], axis=1)},
                     "properties": {"kind": "track", "convoy": "synthetic", "unit": "main", "parent": None,
                                    "vehicles": None, "start": stamps[0], "end": stamps[-1],
                                    "distance_m": round(length, 3), "times": stamps}}]}
with open(out + ".tmp", "wb") as f:
    f.write(orjson.dumps(doc, option=orjson.OPT_SERIALIZE_NUMPY))
import os
os.replace(out + ".tmp", out)
