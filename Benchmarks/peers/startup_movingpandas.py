#!/usr/bin/env python3
"""Peer for start-up: answers "where was the convoy at TIME?" with MovingPandas, as a fresh
process, from convoy's own Moving Features export of the bundled data (so the track is the same).

usage: startup_movingpandas.py convoy.mf.json 2017-09-03T12:00Z [TRACK_ID]
"""
import sys
import warnings

warnings.filterwarnings("ignore")
import movingpandas as mpd
import pandas as pd

path, at = sys.argv[1], sys.argv[2]
want = sys.argv[3] if len(sys.argv) > 3 else "is-qalamoun-2017/main"
collection = mpd.read_mf_json(path, traj_id_property="track_id")
t = pd.Timestamp(at).tz_localize(None)
for traj in collection.trajectories:
    if str(traj.id) == want:
        p = traj.get_position_at(t, method="interpolated")
        print(f"{traj.id}: {p.y:.5f}, {p.x:.5f}")
        break
else:
    sys.exit(f"no trajectory {want}: {[str(t.id) for t in collection.trajectories]}")
