#!/usr/bin/env python3
"""Peer for where-at-time: MovingPandas Trajectory.get_position_at(t, method="interpolated") on the
first SUBSAMPLE queries (it takes about a millisecond per call, so the 1,000,000 queries would take
a quarter of an hour); the orchestrator scales per query.

usage: where_movingpandas.py track.csv queries.f64 out.f64 SUBSAMPLE  → JSON on stdout
"""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import geopandas as gpd
import movingpandas as mpd
import numpy as np
import pandas as pd

track, queries_path, out, sub = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t0 = time.perf_counter()
df = pd.read_csv(track)
df["t"] = pd.to_datetime(df["time"], unit="s")
gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326").set_index("t")
traj = mpd.Trajectory(gdf, 1)
queries = np.fromfile(queries_path, dtype="<f8")[:sub]
stamps = [pd.Timestamp(q, unit="s") for q in queries]
t1 = time.perf_counter()
result = []
for s in stamps:
    p = traj.get_position_at(s, method="interpolated")
    result.append((p.y, p.x))
t2 = time.perf_counter()
np.asarray(result, dtype="<f8").tofile(out)
print(json.dumps({"peer": f"movingpandas {mpd.__version__}", "queries": sub, "build_s": t1 - t0,
                  "query_s": t2 - t1, "per_query_us": (t2 - t1) / sub * 1e6}))
