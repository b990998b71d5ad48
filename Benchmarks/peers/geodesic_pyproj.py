#!/usr/bin/env python3
"""Peer for geodesic distances: pyproj.Geod(ellps="WGS84").inv on numpy arrays (vectorised; the
same geodesic.c as PROJ underneath).

usage: geodesic_pyproj.py pairs.f64 out.f64  → JSON on stdout; out: distances, az1, az2 arrays
"""
import json
import sys
import time

import numpy as np
import pyproj

values = np.fromfile(sys.argv[1], dtype="<f8")
lat1, lon1, lat2, lon2 = values.reshape(4, -1)
geod = pyproj.Geod(ellps="WGS84")
t0 = time.perf_counter()
az1, az2, dist = geod.inv(lon1, lat1, lon2, lat2)
t1 = time.perf_counter()
np.concatenate([dist, az1, az2]).astype("<f8").tofile(sys.argv[2])
print(json.dumps({"peer": f"pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str})", "pairs": len(lat1),
                  "seconds": t1 - t0, "per_pair_us": (t1 - t0) / len(lat1) * 1e6}))
