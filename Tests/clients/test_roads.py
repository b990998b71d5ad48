"""`convoy route` against an independent computation on the same road file: the graph built here
from the GeoJSON with every position a node and every segment an edge weighted by GeographicLib's
geodesic (the Python port, not PROJ), shortest paths by networkx's Dijkstra."""
import json
import random

import geojson
import networkx
import pytest
from geographiclib.geodesic import Geodesic

ROOT_ROADS = "Gazetteer/roads.geojson"


def graph_of(doc):
    """Every position a node (shared positions are one node), every segment an edge."""
    g = networkx.Graph()
    for feature in doc["features"]:
        coords = [tuple(p[:2]) for p in feature["geometry"]["coordinates"]]
        for a, b in zip(coords, coords[1:]):
            if a == b:
                continue
            length = Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"]
            if not g.has_edge(a, b) or g[a][b]["weight"] > length:
                g.add_edge(a, b, weight=length)
    return g


def lattice_roads(seed=19, size=9, spacing=0.06, roads=120):
    """Random walks on a jittered lattice: roads cross only where they share a lattice node."""
    rng = random.Random(seed)
    nodes = {(i, j): (round(38.0 + j * spacing + rng.uniform(-0.01, 0.01), 6), round(34.0 + i * spacing + rng.uniform(-0.01, 0.01), 6))
             for i in range(size) for j in range(size)}
    features = []
    used = set()
    for k in range(roads):
        i, j = rng.randrange(size), rng.randrange(size)
        walk = [(i, j)]
        for _ in range(rng.randrange(2, 10)):
            di, dj = rng.choice([(0, 1), (1, 0), (0, -1), (-1, 0)])
            ni, nj = walk[-1][0] + di, walk[-1][1] + dj
            step = frozenset([walk[-1], (ni, nj)])
            if 0 <= ni < size and 0 <= nj < size and (ni, nj) not in walk and step not in used:
                used.add(step)
                walk.append((ni, nj))
        if len(walk) < 2:
            continue
        features.append({"type": "Feature", "id": f"road-{k}", "properties": {"name": f"Road {k}", "source": "generated for the test"},
                         "geometry": {"type": "LineString", "coordinates": [list(nodes[n]) for n in walk]}})
    return {"type": "FeatureCollection", "features": features}


def route(convoy, a, b, roads):
    result = convoy("route", a, b, "--roads", str(roads), "--json")
    return json.loads(result.stdout)


def test_shortest_paths_match_networkx_on_a_generated_network(convoy, workdir):
    doc = lattice_roads()
    path = workdir / "lattice.geojson"
    path.write_text(json.dumps(doc))
    g = graph_of(doc)
    rng = random.Random(7)
    nodes = sorted(g.nodes)
    checked = unreachable = 0
    for _ in range(25):
        a, b = rng.sample(nodes, 2)
        answer = route(convoy, f"{a[1]},{a[0]}", f"{b[1]},{b[0]}", path)
        try:
            expected = networkx.dijkstra_path_length(g, a, b)
        except networkx.NetworkXNoPath:
            assert not answer["on_network"], (a, b, answer)
            assert "no road connects them" in answer["geodesic_reason"]
            unreachable += 1
            continue
        assert answer["on_network"], (a, b, answer)
        assert answer["off_network_m"] == 0
        assert abs(answer["length_m"] - expected) < 0.1, (a, b, answer["length_m"], expected)
        checked += 1
    assert checked >= 15


def test_shortest_paths_match_networkx_on_the_bundled_roads(convoy):
    doc = json.loads(open(ROOT_ROADS, encoding="utf-8").read())
    g = graph_of(doc)
    ids = {}
    for feature in doc["features"]:
        for place, position in zip(feature["properties"]["waypoints"], feature["geometry"]["coordinates"]):
            ids[place] = tuple(position[:2])
    pairs = [("sy-palmyra", "sy-as-sukhnah"), ("sy-humayma", "sy-as-sukhnah"), ("sy-al-sheikh-ali-crossing", "sy-abu-kamal"),
             ("lb-arsal", "sy-idlib"), ("sy-falita", "sy-al-rahiba"), ("sy-deir-ez-zor", "sy-qara"), ("sy-homs", "sy-t2-pumping-station")]
    for a, b in pairs:
        answer = json.loads(convoy("route", a, b, "--json").stdout)
        expected, nodes = networkx.single_source_dijkstra(g, ids[a], ids[b])
        assert abs(answer["length_m"] - expected) < 0.1, (a, b, answer["length_m"], expected)
        passed = [p["id"] for p in answer["places"]]
        expected_places = [place for node in nodes for place, at in ids.items() if at == node]
        assert passed == expected_places, (a, b)


def test_route_geojson_is_a_valid_linestring(convoy):
    text = convoy("route", "Palmyra", "As Sukhnah", "--format", "geojson").stdout
    doc = geojson.loads(text)
    assert doc.is_valid, doc.errors()
    (feature,) = doc["features"]
    assert feature["geometry"]["type"] == "LineString"
    coords = feature["geometry"]["coordinates"]
    # Densified along the geodesics: its length in GeographicLib agrees with convoy's to 0.1 %.
    length = sum(Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in zip(coords, coords[1:]))
    assert abs(length - feature["properties"]["length_m"]) < 1e-3 * length
