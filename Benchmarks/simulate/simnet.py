"""The simulated world: the bundled gazetteer and road network, read as convoy reads them.

The roads become a graph by the rule of docs/roads.md ("The graph"): a position is a vertex when it
ends a road, names a waypoint or is shared exactly by another road (or by a non-adjacent part of the
same road); a road end that shares nothing joins another road's position within 50 m, else that
road's nearest segment point within 50 m (a T junction); an edge is the stretch of one road between
consecutive vertices, both ways, weighted by its length on the WGS84 ellipsoid (GeographicLib's
geodesic per segment). Positions along an edge lie on the geodesic segments, never on straight lines
in lon/lat. Tests/clients/test_simulation.py checks the path lengths against `convoy route`.
"""
from __future__ import annotations

import bisect
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from geographiclib.geodesic import Geodesic

GEOD = Geodesic.WGS84
LATLON = Geodesic.LATITUDE | Geodesic.LONGITUDE
SNAP_TOLERANCE_M = 50.0
ROOT = Path(__file__).resolve().parents[2]
ROADS = ROOT / "Gazetteer" / "roads.geojson"
PLACES = ROOT / "Gazetteer" / "places.geojson"


def inverse(a, b):
    """(distance m, azimuth at a toward b in degrees) between (lat, lon) points a and b."""
    r = GEOD.Inverse(a[0], a[1], b[0], b[1])
    return r["s12"], r["azi1"]


def distance(a, b):
    return GEOD.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)["s12"]


def golden_min(f, lo, hi, tol=0.01):
    """Minimum of a unimodal f on [lo, hi] (golden-section search): (f(x*), x*)."""
    g = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol:
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = f(d)
    best = min([(f(lo), lo), (f(hi), hi), (fc, c), (fd, d)])
    return best


class Polyline:
    """A line of geodesic segments between (lat, lon) points, with cumulative lengths."""

    def __init__(self, points, lengths=None):
        pts = [tuple(points[0])]
        for p in points[1:]:
            if tuple(p) != pts[-1]:
                pts.append(tuple(p))
        self.points = pts
        if lengths is None or len(lengths) != len(pts) - 1:
            lengths = [distance(a, b) for a, b in zip(pts, pts[1:])]
        self.seg = list(lengths)
        self.cum = [0.0]
        for s in self.seg:
            self.cum.append(self.cum[-1] + s)
        self._lines = [None] * max(len(pts) - 1, 0)

    @property
    def length(self):
        return self.cum[-1]

    def _line(self, i):
        if self._lines[i] is None:
            a, b = self.points[i], self.points[i + 1]
            self._lines[i] = GEOD.InverseLine(a[0], a[1], b[0], b[1], LATLON | Geodesic.DISTANCE_IN)
        return self._lines[i]

    def position(self, s):
        """The point at s metres along the line (clamped to its ends)."""
        if len(self.points) == 1 or s <= 0:
            return self.points[0]
        if s >= self.length:
            return self.points[-1]
        i = min(bisect.bisect_right(self.cum, s) - 1, len(self.seg) - 1)
        r = self._line(i).Position(s - self.cum[i], LATLON)
        return (r["lat2"], r["lon2"])

    def reversed(self):
        return Polyline(self.points[::-1], self.seg[::-1])

    def nearest(self, p, stop_below=None):
        """(distance m, measure m) of the point of the line nearest to p. Segments are searched in
        the order of a lower bound, (d(p, A) + d(p, B) - |AB|) / 2 (no point of AB is nearer), and
        the search stops when the bound exceeds the best distance found; with stop_below it also
        stops as soon as a distance below that is found."""
        if len(self.points) == 1:
            return distance(p, self.points[0]), 0.0
        d_end = [distance(p, q) for q in self.points]
        order = sorted(range(len(self.seg)), key=lambda i: (d_end[i] + d_end[i + 1] - self.seg[i]) / 2)
        best = (d_end[0], 0.0)
        for i in range(len(d_end)):
            if d_end[i] < best[0]:
                best = (d_end[i], self.cum[i])
        for i in order:
            bound = (d_end[i] + d_end[i + 1] - self.seg[i]) / 2
            if bound >= best[0] or (stop_below is not None and best[0] <= stop_below):
                break
            line = self._line(i)
            d, x = golden_min(lambda s: distance(p, _pos(line, s)), 0.0, self.seg[i])
            if d < best[0]:
                best = (d, self.cum[i] + x)
        return best


def _pos(line, s):
    r = line.Position(s, LATLON)
    return (r["lat2"], r["lon2"])


# ------------------------------------------------------------------------------------ gazetteer

# Names a reporter can write inside a location expression without changing its grammar.
_BAD_IN_NAME = (",", " and ", " of ", " km", "(", ")", "/", '"')


@dataclass
class Place:
    id: str
    name: str
    kind: str
    lat: float
    lon: float
    radius: float
    bbox: list | None
    names: list  # every recorded name text
    vertex: int | None = None

    @property
    def point(self):
        return (self.lat, self.lon)

    def in_bbox(self, p):
        if not self.bbox:
            return True
        w, s, e, n = self.bbox
        return s <= p[0] <= n and w <= p[1] <= e


class Gazetteer:
    def __init__(self, path=PLACES):
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        self.places = {}
        owners = defaultdict(set)
        for f in doc["features"]:
            p = f["properties"]
            lon, lat = f["geometry"]["coordinates"][:2]
            texts = [p["name"]] + [n["text"] for n in p.get("names", [])]
            self.places[f["id"]] = Place(f["id"], p["name"], p["kind"], lat, lon, float(p["uncertainty_m"]), f.get("bbox"),
                                         list(dict.fromkeys(texts)))
            for t in texts:
                owners[t.casefold()].add(f["id"])
        self._owners = owners

    def __getitem__(self, pid):
        return self.places[pid]

    def spellings(self, pid):
        """The recorded names of a place that name no other place and fit a location expression."""
        out = []
        for t in self.places[pid].names:
            if self._owners[t.casefold()] != {pid}:
                continue
            low = f" {t.casefold()} "
            if any(b in low for b in _BAD_IN_NAME) or any(ch.isdigit() for ch in t[:1]):
                continue
            if low.strip().split(" ")[0] in ("at", "near", "between", "toward", "towards", "in"):
                continue
            out.append(t)
        return out


# ---------------------------------------------------------------------------------------- roads

@dataclass
class Edge:
    key: tuple  # (u, v), u < v
    road: str
    name: str
    line: Polyline  # from u to v

    @property
    def length(self):
        return self.line.length


@dataclass
class NetPos:
    """A point of the network: an edge and the offset from its first vertex (key[0])."""
    edge: tuple
    offset: float


@dataclass
class Piece:
    edge: tuple
    start: float  # offsets on the edge, in travel order (start > end when travelling v -> u)
    end: float

    @property
    def length(self):
        return abs(self.end - self.start)


@dataclass
class Route:
    """A travelled line over the network: edge pieces in order, measured from 0."""
    net: "RoadNetwork"
    pieces: list = field(default_factory=list)
    cum: list = field(default_factory=lambda: [0.0])

    @property
    def length(self):
        return self.cum[-1]

    def add(self, piece):
        if piece.length > 0:
            self.pieces.append(piece)
            self.cum.append(self.cum[-1] + piece.length)

    def extend(self, other):
        for p in other.pieces:
            self.add(p)

    def head(self, s):
        """The route from its start to measure s."""
        out = Route(self.net)
        for i, p in enumerate(self.pieces):
            a, b = self.cum[i], self.cum[i + 1]
            if a >= s:
                break
            if b <= s:
                out.add(p)
            else:
                d = s - a
                out.add(Piece(p.edge, p.start, p.start + d if p.end >= p.start else p.start - d))
        return out

    def _at(self, s):
        s = min(max(s, 0.0), self.length)
        i = min(bisect.bisect_right(self.cum, s) - 1, len(self.pieces) - 1)
        p = self.pieces[i]
        ds = s - self.cum[i]
        return p, (p.start + ds if p.end >= p.start else p.start - ds)

    def netpos(self, s):
        p, off = self._at(s)
        return NetPos(p.edge, off)

    def point(self, s):
        if not self.pieces:
            raise ValueError("empty route")
        p, off = self._at(s)
        return self.net.edges[p.edge].line.position(off)

    def vertex_passes(self):
        """[(measure, vertex)] for every vertex the route starts at, passes through or ends at."""
        out = []
        for i, p in enumerate(self.pieces):
            e = self.net.edges[p.edge]
            for off, m in ((p.start, self.cum[i]), (p.end, self.cum[i + 1])):
                if off == 0.0 or off == e.length:
                    v = e.key[0] if off == 0.0 else e.key[1]
                    if not out or out[-1][1] != v or abs(out[-1][0] - m) > 1e-6:
                        out.append((m, v))
        return out

    def geometry(self, s0=0.0, s1=None):
        """[(lat, lon)] of the route between two measures: the vertices of the edge lines in between."""
        s1 = self.length if s1 is None else s1
        pts = [self.point(s0)]
        for i, p in enumerate(self.pieces):
            a, b = self.cum[i], self.cum[i + 1]
            if b <= s0 or a >= s1:
                continue
            line = self.net.edges[p.edge].line
            lo, hi = sorted((p.start, p.end))
            inner = [(c, q) for c, q in zip(line.cum, line.points) if lo < c < hi]
            if p.end < p.start:
                inner = inner[::-1]
            for c, q in inner:
                m = a + abs(c - p.start)
                if s0 < m < s1:
                    pts.append(q)
            if b < s1:
                pts.append(self.point(b))
        end = self.point(s1)
        if pts[-1] != end:
            pts.append(end)
        return pts


class RoadNetwork:
    def __init__(self, gazetteer: Gazetteer, path=ROADS, snap=SNAP_TOLERANCE_M):
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        roads = []
        for f in doc["features"]:
            p = f["properties"]
            coords = [(c[1], c[0]) for c in f["geometry"]["coordinates"]]
            wps = p.get("waypoints") or [None] * len(coords)
            pts, names = [], []
            for c, w in zip(coords, wps):
                if pts and pts[-1] == c:
                    names[-1] = names[-1] or w
                    continue
                pts.append(c)
                names.append(w)
            roads.append({"id": str(f.get("id", p.get("id"))), "name": p.get("name") or str(f.get("id")),
                          "pts": pts, "wps": names})
        self.snapped = self._snap(roads, snap)
        # vertices
        uses = defaultdict(list)
        for r, road in enumerate(roads):
            for i, c in enumerate(road["pts"]):
                uses[c].append((r, i))
        vertex_pts = set()
        for r, road in enumerate(roads):
            n = len(road["pts"])
            for i, c in enumerate(road["pts"]):
                if i in (0, n - 1) or road["wps"][i] is not None or len(uses[c]) > 1:
                    vertex_pts.add(c)
        self.vertex_of = {c: k for k, c in enumerate(sorted(vertex_pts))}
        self.vertex_point = {k: c for c, k in self.vertex_of.items()}
        self.vertex_place = {}
        for road in roads:
            for c, w in zip(road["pts"], road["wps"]):
                if w is not None:
                    self.vertex_place[self.vertex_of[c]] = w
        # edges
        self.G = nx.Graph()
        self.G.add_nodes_from(self.vertex_point)
        self.edges = {}
        for road in roads:
            run = [road["pts"][0]]
            for c in road["pts"][1:]:
                run.append(c)
                if c in vertex_pts:
                    u, v = self.vertex_of[run[0]], self.vertex_of[run[-1]]
                    if u != v:
                        pts = run if u < v else run[::-1]
                        line = Polyline(pts)
                        key = (min(u, v), max(u, v))
                        if key not in self.edges or self.edges[key].length > line.length:
                            self.edges[key] = Edge(key, road["id"], road["name"], line)
                            self.G.add_edge(*key, length=line.length)
                    run = [c]
        self.D = dict(nx.all_pairs_dijkstra_path_length(self.G, weight="length"))
        self.gazetteer = gazetteer
        for v, pid in self.vertex_place.items():
            gazetteer[pid].vertex = v
        self.place_vertex = {pid: v for v, pid in self.vertex_place.items()}

    @staticmethod
    def _snap(roads, tol):
        """Join ends that share no position to a position (else a segment) of another road within tol."""
        uses = defaultdict(set)
        for r, road in enumerate(roads):
            for c in road["pts"]:
                uses[c].add(r)
        joined = []
        for r, road in enumerate(roads):
            for end in (0, len(road["pts"]) - 1):
                c = road["pts"][end]
                if len(uses[c]) > 1:
                    continue
                best = None
                for r2, other in enumerate(roads):
                    if r2 == r:
                        continue
                    for c2 in other["pts"]:
                        d = distance(c, c2)
                        if d <= tol and (best is None or d < best[0]):
                            best = (d, c2)
                if best is not None:
                    road["pts"][end] = best[1]
                    uses[best[1]].add(r)
                    joined.append((road["id"], "position", best[0]))
                    continue
                for r2, other in enumerate(roads):
                    if r2 == r:
                        continue
                    line = Polyline(other["pts"])
                    d, m = line.nearest(c)
                    if d <= tol:
                        q = line.position(m)
                        i = min(bisect.bisect_right(line.cum, m) - 1, len(line.seg) - 1)
                        if q not in other["pts"]:
                            other["pts"].insert(i + 1, q)
                            other["wps"].insert(i + 1, None)
                        road["pts"][end] = q
                        uses[q].update({r, r2})
                        joined.append((road["id"], "segment", d))
                        break
        return joined

    # positions and distances ---------------------------------------------------------------

    def point(self, pos: NetPos):
        return self.edges[pos.edge].line.position(pos.offset)

    def vertex_pos(self, v):
        for key in self.edges:
            if v in key:
                return NetPos(key, 0.0 if key[0] == v else self.edges[key].length)
        raise KeyError(v)

    def dist_to_vertex(self, pos: NetPos, x):
        u, v = pos.edge
        L = self.edges[pos.edge].length
        return min(pos.offset + self.D[u].get(x, math.inf), L - pos.offset + self.D[v].get(x, math.inf))

    def dist(self, a: NetPos, b: NetPos):
        """Network distance between two network points."""
        best = math.inf
        if a.edge == b.edge:
            best = abs(a.offset - b.offset)
        u, v = b.edge
        L = self.edges[b.edge].length
        return min(best, self.dist_to_vertex(a, u) + b.offset, self.dist_to_vertex(a, v) + L - b.offset)

    def vertex_route(self, a, b):
        """Shortest route between two vertices."""
        route = Route(self)
        if a == b:
            return route
        nodes = nx.dijkstra_path(self.G, a, b, weight="length")
        for x, y in zip(nodes, nodes[1:]):
            key = (min(x, y), max(x, y))
            L = self.edges[key].length
            route.add(Piece(key, 0.0, L) if x == key[0] else Piece(key, L, 0.0))
        return route

    def route_from(self, pos: NetPos, x):
        """Shortest route from a network point to vertex x."""
        u, v = pos.edge
        L = self.edges[pos.edge].length
        via_u = pos.offset + self.D[u][x]
        via_v = L - pos.offset + self.D[v][x]
        route = Route(self)
        if via_u <= via_v:
            route.add(Piece(pos.edge, pos.offset, 0.0))
            route.extend(self.vertex_route(u, x))
        else:
            route.add(Piece(pos.edge, pos.offset, L))
            route.extend(self.vertex_route(v, x))
        return route

    def on_shortest(self, p: NetPos, a, b, tol=1.0):
        """Is network point p on a shortest path between vertices a and b?"""
        return self.dist_to_vertex(p, a) + self.dist_to_vertex(p, b) - self.D[a][b] <= tol
