"""Writes a synthetic track of N points (fixed seed) as CSV lon,lat,time for both convoy's
export-bench and GDAL's ogr2ogr: a random walk eastward across Syria, one point every 10 s,
about 50 m apart."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.argv[2] if len(sys.argv) > 2 else "points.csv"
rng = random.Random(42)
lat, lon, t = 34.15, 36.74, 1_503_878_400
with open(out, "w") as f:
    f.write("lon,lat,time\n")
    for _ in range(n):
        f.write(f"{lon:.6f},{lat:.6f},{t}\n")
        lat = min(36.5, max(32.5, lat + rng.uniform(-0.0003, 0.0003)))
        lon = lon + rng.uniform(-0.0001, 0.0007)
        if lon > 41.5:
            lon = 36.0
        t += 10
