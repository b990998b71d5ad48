#!/usr/bin/env python3
"""Peer for where-at-time: numpy.interp, one query at a time in a Python loop (what a notebook
does to answer "where at t?"), interpolating lat and lon linearly in time between observations.
Also times the same queries vectorised (one np.interp call per coordinate), for reference.

usage: where_numpy.py track.csv queries.f64 out.f64 SAMPLE  → JSON on stdout
"""
import json
import sys
import time

import numpy as np

track, queries_path, out, sample = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
data = np.loadtxt(track, delimiter=",", skiprows=1)
ts, lats, lons = data[:, 0].copy(), data[:, 1].copy(), data[:, 2].copy()
queries = np.fromfile(queries_path, dtype="<f8")
interp = np.interp
t0 = time.perf_counter()
checksum = 0.0
for t in queries:
    checksum += interp(t, ts, lats)
    interp(t, ts, lons)
t1 = time.perf_counter()
vlat = np.interp(queries, ts, lats)
vlon = np.interp(queries, ts, lons)
t2 = time.perf_counter()
np.stack([vlat[:sample], vlon[:sample]], axis=1).astype("<f8").tofile(out)
print(json.dumps({"peer": "numpy.interp loop", "queries": len(queries), "query_s": t1 - t0,
                  "per_query_us": (t1 - t0) / len(queries) * 1e6, "vectorised_s": t2 - t1,
                  "vectorised_per_query_us": (t2 - t1) / len(queries) * 1e6, "checksum": checksum}))
