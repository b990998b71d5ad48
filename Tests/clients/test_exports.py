"""Every format convoy writes, opened by the clients users would open it with: GDAL's ogrinfo, the
Python geojson package, MovingPandas and headless Chromium, plus checks no client makes (swapped
lon/lat, times per vertex, distances against GeodSolve)."""
import datetime
import json
import math
import shutil
import subprocess

import geojson
import pytest

# The region the convoys moved in, generously: Lebanon to the Iraqi border, Idlib to Jordan.
REGION = (34.0, 29.0, 43.0, 38.0)  # west, south, east, north


def ogrinfo(path, layer=None):
    args = ["ogrinfo", "-ro", "-so", str(path), layer] if layer else ["ogrinfo", "-ro", "-al", "-so", str(path)]
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def layers(path):
    result = subprocess.run(["ogrinfo", "-ro", "-q", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def feature_count(summary):
    return sum(int(line.split(":")[1]) for line in summary.splitlines() if line.startswith("Feature Count:"))


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def track_features(doc):
    return [f for f in doc["features"] if f["properties"]["kind"] == "track"]


def positions(geometry):
    """Every position of a Point, LineString or MultiLineString."""
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiLineString":
        return [p for part in geometry["coordinates"] for p in part]
    return geometry["coordinates"]


def geodesic_distances(pairs):
    """GeodSolve inverse distances for [(a, b)] of [lon, lat] positions."""
    if not pairs:
        return []
    lines = "".join(f"{a[1]} {a[0]} {b[1]} {b[0]}\n" for a, b in pairs)
    result = subprocess.run(["GeodSolve", "-i", "-p", "6"], input=lines, capture_output=True, text=True, check=True)
    return [float(line.split()[2]) for line in result.stdout.splitlines()]


def units_of(convoy):
    """Every unit of the bundled log, from replay."""
    states = json.loads(convoy("replay", "--json").stdout)
    return {(s["convoy"], s["unit"]) for s in states}


MAXIMUM_SPEED_KMH = 100.0


# ---- GeoJSON -------------------------------------------------------------------------------------


def test_geojson_is_valid_for_the_geojson_package(exports):
    doc = geojson.loads(exports["geojson"].read_text(encoding="utf-8"))
    assert doc.is_valid, doc.errors()
    assert doc["type"] == "FeatureCollection"


def test_geojson_follows_rfc7946(geojson_doc):
    assert "crs" not in geojson_doc
    west, south, east, north = geojson_doc["bbox"]
    assert west < east and south < north
    for feature in geojson_doc["features"]:
        assert isinstance(feature["id"], str)
        for lon, lat, *rest in positions(feature["geometry"]):
            assert not rest, "RFC 7946 positions here are [lon, lat]"
            assert west <= lon <= east and south <= lat <= north
            # 6 decimals at most
            for value in (lon, lat):
                assert len(repr(value).split(".")[-1]) <= 6 or "e" in repr(value)


def test_coordinates_lie_in_the_region_so_lon_lat_are_not_swapped(geojson_doc):
    for feature in geojson_doc["features"]:
        for lon, lat in positions(feature["geometry"]):
            assert REGION[0] <= lon <= REGION[2] and REGION[1] <= lat <= REGION[3], (feature["id"], lon, lat)


def test_each_unit_has_a_track_with_times_per_vertex(convoy, geojson_doc):
    tracks = track_features(geojson_doc)
    units = {(t["properties"]["convoy"], t["properties"]["unit"]) for t in tracks}
    # Every unit, the one reported once included (issue 19), as a line.
    assert units == units_of(convoy)
    for track in tracks:
        p = track["properties"]
        for key in ("convoy", "unit", "parent", "vehicles", "start", "end", "distance_m", "times"):
            assert key in p
        assert track["geometry"]["type"] == "LineString", track["id"]
        coords = track["geometry"]["coordinates"]
        times = [parse_time(t) for t in p["times"]]
        assert len(times) == len(coords)
        assert all(a < b for a, b in zip(times, times[1:])), f"times not increasing in {track['id']}"
        assert times[0] == parse_time(p["start"]) and times[-1] == parse_time(p["end"])


def geodsolve_length(coords):
    """Sum of GeodSolve inverse distances over consecutive vertices."""
    lines = "".join(f"{a[1]} {a[0]} {b[1]} {b[0]}\n" for a, b in zip(coords, coords[1:]))
    result = subprocess.run(["GeodSolve", "-i", "-p", "9"], input=lines, capture_output=True, text=True, check=True)
    return sum(float(line.split()[2]) for line in result.stdout.splitlines())


def line_tracks(doc):
    return [t for t in track_features(doc) if t["geometry"]["type"] == "LineString"]


def test_no_track_moves_faster_than_the_maximum_speed(geojson_doc):
    """Tracks are sampled from the model: no segment implies more than the maximum speed (issue 19)."""
    fastest = 0.0
    for track in line_tracks(geojson_doc):
        coords = track["geometry"]["coordinates"]
        times = [parse_time(t) for t in track["properties"]["times"]]
        for d, a, b in zip(geodesic_distances(list(zip(coords, coords[1:]))), times, times[1:]):
            seconds = (b - a).total_seconds()
            # 6 decimals of a degree (≤ 0.11 m per coordinate) and times to the millisecond.
            speed = (d - 0.3) / seconds * 3.6 if seconds > 0 else (math.inf if d > 0.3 else 0)
            fastest = max(fastest, speed)
            assert speed <= MAXIMUM_SPEED_KMH * 1.001, (track["id"], a, b, d)
    assert fastest > 20, "the tracks do move"


def test_feasible_sets_are_timed_lines_around_the_estimate(geojson_doc):
    samples = [f for f in geojson_doc["features"] if f["properties"]["kind"] == "feasible"]
    units = {(f["properties"]["convoy"], f["properties"]["unit"]) for f in samples}
    assert ("is-qalamoun-2017", "main") in units and len(samples) >= 20
    for f in samples:
        p = f["properties"]
        assert f["geometry"]["type"] in ("LineString", "MultiLineString")
        assert parse_time(p["valid_from"]) <= parse_time(p["time"]) <= parse_time(p["valid_to"])
        assert p["length_m"] >= 0 and p["uncertainty_m"] >= 0
        # The radius holds every point of the set (it is along the roads, never shorter than straight).
        points = positions(f["geometry"])[:: max(1, len(positions(f["geometry"])) // 50)]
        far = max(geodesic_distances([(p["estimate"], q) for q in points]))
        assert far <= p["uncertainty_m"] + 1.0, (f["id"], far, p["uncertainty_m"])


def test_track_distances_equal_geodsolve_over_the_vertices(geojson_doc):
    assert len(line_tracks(geojson_doc)) >= 4
    for track in line_tracks(geojson_doc):
        coords = track["geometry"]["coordinates"]
        assert abs(geodsolve_length(coords) - track["properties"]["distance_m"]) < 1.0, track["id"]


def test_drawn_segments_stay_within_100_m_of_the_geodesic(geojson_doc):
    """Midpoints of the drawn (straight lon/lat) segments against GeodSolve's geodesic midpoints."""
    for track in line_tracks(geojson_doc):
        coords = track["geometry"]["coordinates"]
        for a, b in zip(coords, coords[1:]):
            line = subprocess.run(["GeodSolve", "-i", "-p", "9"], input=f"{a[1]} {a[0]} {b[1]} {b[0]}\n",
                                  capture_output=True, text=True, check=True).stdout.split()
            azi1, s12 = float(line[0]), float(line[2])
            mid = subprocess.run(["GeodSolve", "-p", "9"], input=f"{a[1]} {a[0]} {azi1} {s12 / 2}\n",
                                 capture_output=True, text=True, check=True).stdout.split()
            straight = ((a[1] + b[1]) / 2, (a[0] + b[0]) / 2)
            gap = subprocess.run(["GeodSolve", "-i", "-p", "6"], input=f"{mid[0]} {mid[1]} {straight[0]} {straight[1]}\n",
                                 capture_output=True, text=True, check=True).stdout.split()
            assert float(gap[2]) < 100.0, (track["id"], a, b, gap)


def test_observations_carry_time_status_place_source_and_distances(geojson_doc):
    observations = [f for f in geojson_doc["features"] if f["properties"]["kind"] == "observation"]
    assert len(observations) >= 10
    for o in observations:
        p = o["properties"]
        for key in ("time", "status", "place", "source", "segment_m", "cumulative_m"):
            assert key in p
        parse_time(p["time"])
    stretches = [f for f in geojson_doc["features"] if f["properties"]["kind"] == "stretch"]
    assert stretches, "the 2 September 'between Humayma and As Sukhnah' report is a stretch"
    assert all(s["properties"]["uncertain"] is True and s["geometry"]["type"] in ("LineString", "MultiLineString") for s in stretches)


def test_export_is_deterministic(convoy, workdir, exports):
    again = workdir / "again.geojson"
    convoy("export", "-o", str(again))
    assert again.read_bytes() == exports["geojson"].read_bytes()


def test_no_nan_or_infinity_anywhere(exports):
    for fmt, path in exports.items():
        text = path.read_text(encoding="utf-8")
        for bad in ("NaN", "Infinity", "nan,", "inf,"):
            assert bad not in text, (fmt, bad)


# ---- GDAL ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["geojson", "geojsonseq", "mfjson", "mfjson-trajectory", "gpx", "kml", "csv", "kepler"])
def test_ogrinfo_opens_every_format(exports, fmt):
    summary = ogrinfo(exports[fmt])
    assert feature_count(summary) > 0, summary


def test_ogrinfo_sees_geometry_types_and_time_fields(exports):
    assert "Geometry: Multi Line String" in ogrinfo(exports["gpx"], "tracks")
    waypoints = ogrinfo(exports["gpx"], "waypoints")
    assert "Geometry: Point" in waypoints and "time: DateTime" in waypoints
    geojson_summary = ogrinfo(exports["geojson"])
    for field in ("time: DateTime", "time_start: DateTime", "time_end: DateTime"):
        assert field in geojson_summary, field
    kml = ogrinfo(exports["kml"])
    assert "timestamp: DateTime" in kml and "begin: DateTime" in kml
    assert "3D Line String" in ogrinfo(exports["kepler"])  # GDAL keeps the 3rd number, drops the 4th
    csv = subprocess.run(["ogrinfo", "-ro", "-al", "-so", "-oo", "AUTODETECT_TYPE=YES", str(exports["csv"])],
                         capture_output=True, text=True, check=True).stdout
    for field in ("start: DateTime", "end: DateTime", "geodesic_m: Real", "along_route_m: Real", "speed_kmh: Real"):
        assert field in csv, field


def test_ogrinfo_reads_geojson_with_its_features(exports, geojson_doc):
    summary = ogrinfo(exports["geojson"])
    assert feature_count(summary) == len(geojson_doc["features"])
    assert "Geometry: Unknown (any)" in summary or "Geometry:" in summary
    for field in ("time: ", "status: ", "distance_m: ", "cumulative_m: "):
        assert field in summary, field


def test_ogrinfo_reads_geojsonseq(exports, geojson_doc):
    raw = exports["geojsonseq"].read_bytes()
    records = [r for r in raw.split(b"\x1e") if r]
    assert all(r.endswith(b"\n") for r in records)
    assert len(records) == len(geojson_doc["features"])
    summary = ogrinfo(exports["geojsonseq"])
    assert feature_count(summary) == len(records)


def test_ogrinfo_reads_gpx_tracks_points_and_times(exports, geojson_doc):
    names = layers(exports["gpx"])
    for layer in ("waypoints", "tracks", "track_points"):
        assert layer in names
    tracks = ogrinfo(exports["gpx"], "tracks")
    assert feature_count(tracks) == len(track_features(geojson_doc))
    points = ogrinfo(exports["gpx"], "track_points")
    drawn = sum(len(t["geometry"]["coordinates"]) for t in track_features(geojson_doc))
    assert feature_count(points) == drawn
    points = subprocess.run(["ogrinfo", "-ro", str(exports["gpx"]), "track_points"], capture_output=True, text=True, check=True).stdout
    assert "time (DateTime)" in points
    assert "time (DateTime) = 2017/08/2" in points
    waypoints = ogrinfo(exports["gpx"], "waypoints")
    observations = [f for f in geojson_doc["features"] if f["properties"]["kind"] == "observation"]
    assert feature_count(waypoints) == len(observations)


def test_ogrinfo_reads_kml_placemarks(exports, geojson_doc):
    summary = ogrinfo(exports["kml"])
    observations = [f for f in geojson_doc["features"] if f["properties"]["kind"] == "observation"]
    feasible = [f for f in geojson_doc["features"] if f["properties"]["kind"] == "feasible"]
    assert feature_count(summary) == len(observations) + len(feasible) + 2 * len(line_tracks(geojson_doc))
    full = subprocess.run(["ogrinfo", "-ro", "-al", str(exports["kml"])], capture_output=True, text=True, check=True).stdout
    assert "LINESTRING" in full and "POINT" in full
    assert "timestamp" in full.lower() or "begin" in full.lower()


def test_ogrinfo_reads_the_legs_csv(exports):
    summary = ogrinfo(exports["csv"])
    for field in ("from: String", "to: String", "start: ", "end: ", "geodesic_m: ", "along_route_m: ", "speed_kmh: "):
        assert field in summary, field
    assert feature_count(summary) >= 5


def test_ogrinfo_reads_mfjson_as_geojson(convoy, exports):
    summary = ogrinfo(exports["mfjson-trajectory"])
    assert feature_count(summary) == len(units_of(convoy))


def test_every_unit_is_in_every_format(convoy, exports):
    """Units reported once were missing from the page, KML, MF-JSON and kepler (issue 19)."""
    units = units_of(convoy)
    ids = {f"{c}/{u}" for c, u in units}
    mf = json.loads(exports["mfjson"].read_text(encoding="utf-8"))
    assert {f["properties"]["track_id"] for f in mf["features"]} == ids
    kepler = json.loads(exports["kepler"].read_text(encoding="utf-8"))
    assert len(kepler["features"]) == len(units)
    assert feature_count(ogrinfo(exports["gpx"], "tracks")) == len(units)
    kml = exports["kml"].read_text(encoding="utf-8")
    for unit_id in ids:
        assert f"<name>{unit_id}</name>" in kml, unit_id


def test_geopandas_reads_every_gpx_layer(exports):
    """A one-point GPX track crashed geopandas (issue 19): every layer reads, every track has points."""
    import geopandas

    tracks = geopandas.read_file(exports["gpx"], layer="tracks")
    points = geopandas.read_file(exports["gpx"], layer="track_points")
    assert len(tracks) >= 5 and not tracks.geometry.is_empty.any()
    assert set(points["track_fid"]) == set(range(len(tracks)))


def test_kepler_flavour_has_four_numbers_and_is_rejected_by_strict_geojson(exports):
    doc = json.loads(exports["kepler"].read_text(encoding="utf-8"))
    for feature in doc["features"]:
        for position in feature["geometry"]["coordinates"]:
            assert len(position) == 4 and position[2] == 0
            assert 1.5e9 < position[3] < 1.6e9  # unix seconds in 2017
    assert not geojson.loads(exports["kepler"].read_text(encoding="utf-8")).is_valid


# ---- MovingPandas --------------------------------------------------------------------------------


def where_json(convoy, when):
    return json.loads(convoy("where", "--at", when, "--json").stdout)


def test_movingpandas_positions_equal_convoy_where(convoy, exports):
    import movingpandas as mpd
    import pandas as pd

    collection = mpd.read_mf_json(str(exports["mfjson"]), traj_id_property="track_id")
    trajectories = {t.id: t for t in collection.trajectories}
    assert {"is-qalamoun-2017/main"} <= set(trajectories)
    checked = 0
    for when in ("2017-08-28T15:00:00Z", "2017-08-29T03:00:00Z", "2017-08-29T12:00:00Z", "2017-09-03T12:00:00Z"):
        answer = where_json(convoy, when)
        for unit in answer["units"]:
            key = f"{unit['convoy']}/{unit['unit']}"
            trajectory = trajectories.get(key)
            if trajectory is None:
                continue
            t = pd.Timestamp(when).tz_convert(None)
            if not (trajectory.get_start_time() <= t <= trajectory.get_end_time()):
                continue
            point = trajectory.get_position_at(t, method="interpolated")
            gap = subprocess.run(["GeodSolve", "-i", "-p", "6"], input=f"{unit['lat']} {unit['lon']} {point.y} {point.x}\n",
                                 capture_output=True, text=True, check=True).stdout.split()
            assert float(gap[2]) < 1.0, (key, when, unit["lat"], unit["lon"], point.y, point.x)
            checked += 1
    assert checked >= 3


def test_movingpandas_reads_the_trajectory_form(exports):
    import movingpandas as mpd

    doc = json.loads(exports["mfjson-trajectory"].read_text(encoding="utf-8"))
    for feature in doc["features"]:
        trajectory = mpd.io.read_mf_dict(feature, traj_id=feature["id"])
        assert len(trajectory.df) == len(feature["properties"]["datetimes"])


# ---- The page, in a real browser -----------------------------------------------------------------


@pytest.fixture(scope="session")
def view_page(convoy, workdir):
    page = workdir / "view.html"
    convoy("view", "-o", str(page))
    return page


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    pytest.fail("headless Chromium is needed (apt-get install chromium)")


def test_chromium_renders_the_tracks(view_page, geojson_doc):
    result = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                             "--dump-dom", view_page.as_uri()], capture_output=True, text=True, timeout=120)
    dom = result.stdout
    tracks = len(line_tracks(geojson_doc))
    assert f'data-tracks="{tracks}"' in dom, result.stderr[-2000:]
    assert dom.count("convoy-track") >= tracks
    observations = [f for f in geojson_doc["features"] if f["properties"]["kind"] == "observation"]
    assert dom.count("convoy-observation") >= len(observations)


def test_chromium_screenshot_of_the_page(view_page, workdir):
    shot = workdir / "view.png"
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                    f"--screenshot={shot}", "--window-size=1000,700", view_page.as_uri()],
                   capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
