#!/usr/bin/env python3
"""An inner bound of the exact feasible set of every unit-query of a simulation (issue 19).

    python3 Benchmarks/simulate/exact.py /tmp/sim --convoy-bin .build/release/convoy [--limit N] [--spacing M] [--json]

For every unit-query (a query instant × a unit alive then, as score.py enumerates them) it computes
positions of the road network from which a trajectory along the roads at no more than the maximum
speed meets every positioned row of the unit and of its ancestors (score.py's lineage_rows) at
some instant of the row's window, each row's region read as README.md's table says ("the honest
reading a model needs"). Space is sampled (every --spacing metres along each edge, the vertices,
and the points where each row's region begins and ends along the roads); time is not: the
earliest arrival and latest departure at every sample are computed exactly, row after row
(README.md, "The exact prism"). Every sample found has a real trajectory through it, so the set is
inside the exact feasible set: an inner bound. Then, per unit-query:

* is every sample of the inner set within 100 m of `convoy where`'s `feasible.stretches[].parts`
  (score.py's distance_to_set)? A sample outside is an answer narrower than the reports allow;
* a lower bound on any honest answer's `uncertainty_m`: half the largest geodesic distance
  between two samples of the set (a circle holding the set has at least that radius), beside
  convoy's `uncertainty_m`;
* is the truth (queries.csv) within one spacing of the set? (the check of the reading itself).
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import multiprocessing
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    import bootstrap

    bootstrap.ensure_venv()

import numpy as np  # noqa: E402

import score  # noqa: E402
from simnet import GEOD, Gazetteer, RoadNetwork  # noqa: E402

EARTH_R = 6371008.8  # the sphere of the approximate (vectorised) distances
TARGET_M = 44.6e3  # issue 19: "no wider than today's median radius"
APPROX_IN_M = 90.0  # a sample this close to the answer by the sphere is within 100 m on WGS84 (see near_answer)
APPROX_OUT_M = 200.0  # and one this far is more than 100 m away
FINE_M = 100.0  # the grid on which each region's ends along the roads are looked for
ON_PATH_M = 1.0  # "on a shortest way": no more than this longer
POINTS16 = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]


# ------------------------------------------------------------------------------------ geometry

def unit_vectors(lat, lon):
    la, lo = np.radians(np.asarray(lat, float)), np.radians(np.asarray(lon, float))
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def sphere_inverse(c, lat, lon):
    """(distance m, azimuth deg) from point c to arrays of points, on a sphere of radius EARTH_R."""
    la1, lo1 = math.radians(c[0]), math.radians(c[1])
    la2, lo2 = np.radians(lat), np.radians(lon)
    dlo = lo2 - lo1
    h = np.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * np.cos(la2) * np.sin(dlo / 2) ** 2
    d = 2 * EARTH_R * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    az = np.degrees(np.arctan2(np.sin(dlo) * np.cos(la2), math.cos(la1) * np.sin(la2) - math.sin(la1) * np.cos(la2) * np.cos(dlo)))
    return d, az


def wgs84_inverse(c, p):
    r = GEOD.Inverse(c[0], c[1], p[0], p[1])
    return r["s12"], r["azi1"]


# On the bundled area (latitudes 29-38°) the sphere's distances are within 0.3 % of WGS84's and its
# azimuths within 0.15° beyond 2 km: a point is decided by the sphere only outside these margins,
# else by GeographicLib (Network.__init__ checks the margins on the network itself).
REL_MARGIN, ABS_MARGIN_M, AZ_MARGIN_DEG, APEX_M = 0.005, 5.0, 0.5, 2000.0


@dataclass
class Region:
    """A disc (inner = 0, no azimuth) or an annular sector around a place's point: the points p
    with inner <= d(c, p) <= outer and the azimuth from c within half of az (apex included)."""
    center: tuple
    outer: float
    inner: float = 0.0
    az: float | None = None
    half: float = 180.0

    def holds(self, p):
        d, a = wgs84_inverse(self.center, p)
        if not self.inner - 1e-3 <= d <= self.outer + 1e-3:
            return False
        return self.az is None or d < 0.5 or abs((a - self.az + 180) % 360 - 180) <= self.half + 1e-9

    def mask(self, lat, lon):
        """holds() of every point of the arrays: the sphere where it is decisive, else WGS84."""
        d, a = sphere_inverse(self.center, lat, lon)
        lo_in, hi_in = self.inner * (1 + REL_MARGIN) + ABS_MARGIN_M, self.outer * (1 - REL_MARGIN) - ABS_MARGIN_M
        lo_out, hi_out = self.inner * (1 - REL_MARGIN) - ABS_MARGIN_M, self.outer * (1 + REL_MARGIN) + ABS_MARGIN_M
        sure_in = (d >= (lo_in if self.inner > 0 else -1)) & (d <= hi_in)
        sure_out = (d < lo_out) | (d > hi_out)
        if self.az is not None:
            off = np.abs((a - self.az + 180) % 360 - 180)
            far = d >= APEX_M
            sure_in &= far & (off <= self.half - AZ_MARGIN_DEG)
            sure_out |= far & (off >= self.half + AZ_MARGIN_DEG)
        out = sure_in.copy()
        for i in np.flatnonzero(~sure_in & ~sure_out):
            out[i] = self.holds((lat[i], lon[i]))
        return out


# ------------------------------------------------------------------------------ the road network

class Network:
    """simnet's reading of the roads (the graph test_simulation.py checks against `convoy route`),
    with a fine grid of points along every edge and the vertex distances as a matrix."""

    def __init__(self, fine=FINE_M):
        self.gaz = Gazetteer()
        self.net = RoadNetwork(self.gaz)
        self.keys = sorted(self.net.edges)
        self.lines = [self.net.edges[k].line for k in self.keys]
        self.length = np.array([ln.length for ln in self.lines])
        verts = sorted(self.net.vertex_point)
        self.vindex = {v: i for i, v in enumerate(verts)}
        self.eu = np.array([self.vindex[k[0]] for k in self.keys])
        self.ev = np.array([self.vindex[k[1]] for k in self.keys])
        self.DV = np.array([[self.net.D[a].get(b, math.inf) for b in verts] for a in verts])
        self.fine = []  # per edge: (offsets, lat, lon), the polyline's own points included
        for ln in self.lines:
            offs = np.union1d(np.linspace(0, ln.length, max(2, int(math.ceil(ln.length / fine)) + 1)), ln.cum)
            pts = np.array([ln.position(o) for o in offs])
            self.fine.append((offs, pts[:, 0], pts[:, 1]))
        self._check_margins()

    def _check_margins(self):
        """The sphere's errors against WGS84 on this network stay inside Region.mask's margins."""
        lat = np.concatenate([f[1] for f in self.fine])[::37]
        lon = np.concatenate([f[2] for f in self.fine])[::37]
        for c in [(lat[k], lon[k]) for k in range(0, len(lat), max(1, len(lat) // 12))]:
            d, a = sphere_inverse(c, lat, lon)
            for i in range(len(lat)):
                de, ae = wgs84_inverse(c, (lat[i], lon[i]))
                assert abs(d[i] - de) <= REL_MARGIN * de + ABS_MARGIN_M, ("distance margin", c, d[i], de)
                if de >= APEX_M:
                    assert abs((a[i] - ae + 180) % 360 - 180) <= AZ_MARGIN_DEG, ("azimuth margin", c, a[i], ae)

    def place_vertex(self, pid):
        v = self.net.place_vertex.get(pid)
        if v is None:
            raise ValueError(f"{pid} is not a road vertex")
        return self.vindex[v]


class Samples:
    """Points of the network: (edge, offset from the edge's first vertex), every vertex once, and
    their network distances D (metres)."""

    def __init__(self, world: Network, spacing, extra=()):
        edge, off = [], []
        seen_vertex = set()
        for e, L in enumerate(world.length):
            for end, o in ((world.eu[e], 0.0), (world.ev[e], L)):
                if end not in seen_vertex:
                    seen_vertex.add(end)
                    edge.append(e)
                    off.append(o)
            n = max(1, int(math.ceil(L / spacing)))
            for k in range(1, n):
                edge.append(e)
                off.append(L * k / n)
        for e, o in extra:
            if 0.0 < o < world.length[e]:
                edge.append(e)
                off.append(o)
        self.world = world
        self.edge, self.off = np.array(edge), np.array(off)
        pts = np.array([world.lines[e].position(o) for e, o in zip(edge, off)])
        self.lat, self.lon = pts[:, 0], pts[:, 1]
        self.xyz = unit_vectors(self.lat, self.lon)
        self.vertex_sample = {}
        for i, (e, o) in enumerate(zip(edge, off)):
            if o == 0.0:
                self.vertex_sample.setdefault(int(world.eu[e]), i)
            elif o == world.length[e]:
                self.vertex_sample.setdefault(int(world.ev[e]), i)
        self.D = self._distances()

    def __len__(self):
        return len(self.edge)

    def _distances(self):
        w = self.world
        du, dv = self.off, w.length[self.edge] - self.off
        u, v = w.eu[self.edge], w.ev[self.edge]
        D = np.minimum.reduce([
            du[:, None] + w.DV[u][:, u] + du[None, :],
            du[:, None] + w.DV[u][:, v] + dv[None, :],
            dv[:, None] + w.DV[v][:, u] + du[None, :],
            dv[:, None] + w.DV[v][:, v] + dv[None, :]])
        same = self.edge[:, None] == self.edge[None, :]
        D = np.where(same, np.minimum(D, np.abs(self.off[:, None] - self.off[None, :])), D)
        np.fill_diagonal(D, 0.0)
        return D

    def nearest(self, p, mask=None):
        """(WGS84 distance m, index) of the sample nearest to p (among mask)."""
        idx = np.arange(len(self)) if mask is None else np.flatnonzero(mask)
        if idx.size == 0:
            return math.inf, None
        dots = self.xyz[idx] @ unit_vectors(*p)
        best = idx[np.argsort(-dots)[:3]]
        return min((wgs84_inverse(p, (self.lat[i], self.lon[i]))[0], int(i)) for i in best)


def region_ends(world: Network, region: Region):
    """[(edge, offset)] of the points where the region begins or ends along each edge, found on the
    fine grid and bisected to 1 m, on the region's side."""
    out = []
    for e, (offs, lat, lon) in enumerate(world.fine):
        inside = region.mask(lat, lon)
        for k in np.flatnonzero(inside[:-1] != inside[1:]):
            a, b = offs[k], offs[k + 1]  # inside at a when inside[k]
            if not inside[k]:
                a, b = b, a
            while abs(b - a) > 1.0:
                m = (a + b) / 2
                if region.holds(world.lines[e].position(m)):
                    a = m
                else:
                    b = m
            out.append((e, float(a)))
    return out


# ---------------------------------------------------------------------------------- the reading

class Reader:
    """The rows' words read as README.md's table says, independently of generate.py."""

    def __init__(self, zone="Asia/Damascus", dir_default_km=50.0):
        doc = json.loads((score.ROOT / "Gazetteer" / "places.geojson").read_text(encoding="utf-8"))
        self.places, self.names = {}, {}
        for f in doc["features"]:
            p = f["properties"]
            lon, lat = f["geometry"]["coordinates"][:2]
            self.places[f["id"]] = ((lat, lon), float(p["uncertainty_m"]))
            for text in [p["name"]] + [n["text"] for n in p.get("names", [])]:
                self.names.setdefault(text.casefold(), set()).add(f["id"])
        self.zone = ZoneInfo(zone)
        self.dir_default_m = dir_default_km * 1000

    def place(self, text):
        ids = self.names.get(text.strip().casefold(), set())
        if len(ids) != 1:
            raise ValueError(f"{text!r} names {sorted(ids) or 'no place'}")
        return next(iter(ids))

    def window(self, text):
        """[start, end] in Unix seconds: an instant (local, Z or offset), a local date, START/END."""
        def one(t, end=False):
            if re.fullmatch(r"\d{4}-\d\d-\d\d", t):
                d = datetime.fromisoformat(t).replace(tzinfo=self.zone)
                return (d + timedelta(days=1) if end else d).timestamp()
            d = datetime.fromisoformat(t.replace("Z", "+00:00"))
            return (d if d.tzinfo else d.replace(tzinfo=self.zone)).timestamp()
        if "/" in text:
            a, b = text.split("/")
            return one(a), one(b, end=True)
        return one(text), one(text, end=True)

    @staticmethod
    def compass(word):
        """(azimuth, half-width): the coarsest rose that has the word (ESE ±11.25°, north-east ±22.5°, east ±45°)."""
        letters = {"north": "N", "east": "E", "south": "S", "west": "W"}
        abbrev = word.upper() if re.fullmatch(r"[NESWnesw]{1,3}", word) else "".join(
            letters[m] for m in re.findall("north|east|south|west", word.lower()))
        return POINTS16.index(abbrev) * 22.5, {3: 11.25, 2: 22.5, 1: 45.0}[len(abbrev)]

    @staticmethod
    def rounding_m(n):
        """Half the step a written distance is read with: 40 km ±5, 45 km ±2.5, 38 km ±0.5."""
        return (5.0 if n % 10 == 0 else 2.5 if n % 5 == 0 else 0.5) * 1000

    def region(self, location):
        """("disc", Region) | ("between", a, b) | ("toward", place id) | None for an empty location."""
        if not location:
            return None
        m = re.fullmatch(r"(?:at|in|inside) (.+)", location)
        if m:
            c, r = self.places[self.place(m.group(1))]
            return ("disc", Region(c, r))
        m = re.fullmatch(r"near (.+?)(?: within (\d+) km)?", location)
        if m:
            c, r = self.places[self.place(m.group(1))]
            return ("disc", Region(c, float(m.group(2) or 10) * 1000 + r))
        m = re.fullmatch(r"between (.+) and (.+)", location)
        if m:
            return ("between", self.place(m.group(1)), self.place(m.group(2)))
        m = re.fullmatch(r"(\d+) km (\S+) of (.+)", location)
        if m:
            n, (az, half) = int(m.group(1)), self.compass(m.group(2))
            c, _ = self.places[self.place(m.group(3))]
            return ("disc", Region(c, n * 1000 + self.rounding_m(n), max(0.0, n * 1000 - self.rounding_m(n)), az, half))
        m = re.fullmatch(r"toward (.+)", location)
        if m:
            return ("toward", self.place(m.group(1)))
        m = re.fullmatch(r"(\S+) of (.+)", location)
        if m:
            (az, half), (c, _) = self.compass(m.group(1)), self.places[self.place(m.group(2))]
            return ("disc", Region(c, self.dir_default_m, 0.0, az, half))
        raise ValueError(f"unreadable location {location!r}")


@dataclass
class Row:
    line: int
    unit: str
    text: str
    location: str
    window: tuple
    kind: tuple | None
    mask: np.ndarray | None = None
    previous: list | None = None  # a toward row: the lines of the rows whose regions it may start from


def read_log(path, reader: Reader):
    """(rows, parents) of a convoy's updates.csv."""
    rows, parents = [], {}
    with open(path, encoding="utf-8", newline="") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            if r["parent"]:
                parents[r["unit"]] = r["parent"]
            rows.append(Row(line, r["unit"], r["time"], r["location"], reader.window(r["time"]), reader.region(r["location"])))
    return rows, parents


def lineage(unit, parents):
    names = [unit]
    while names[-1] in parents:
        names.append(parents[names[-1]])
    return names


def lay_regions(rows, parents, world: Network, spacing):
    """The samples of the convoy (with every region's ends) and each positioned row's mask on them."""
    extra = [x for r in rows if r.kind and r.kind[0] == "disc" for x in region_ends(world, r.kind[1])]
    S = Samples(world, spacing, extra)
    by_line = {r.line: r for r in rows}
    for r in sorted(rows, key=lambda r: (r.window[0], r.window[1], r.line)):
        if r.kind is None:
            continue
        if r.kind[0] == "disc":
            r.mask = r.kind[1].mask(S.lat, S.lon)
        elif r.kind[0] == "between":
            a = S.vertex_sample[world.place_vertex(r.kind[1])]
            b = S.vertex_sample[world.place_vertex(r.kind[2])]
            r.mask = S.D[a] + S.D[b] <= S.D[a, b] + ON_PATH_M
        else:  # toward: every shortest way from a point of the previous region to the place
            p = S.vertex_sample[world.place_vertex(r.kind[1])]
            names = set(lineage(r.unit, parents))
            before = [x for x in rows if x.kind and x.unit in names and x.window[1] <= r.window[0] and x.line != r.line]
            # the previous row: one not followed by another of them (their windows overlap when
            # there are several, and either can be the last); the ways from each, intersected
            last = [x for x in before if not any(x.window[1] < y.window[0] for y in before)]
            if not last:
                raise ValueError(f"line {r.line}: toward with no earlier positioned row")
            r.previous = sorted(x.line for x in last)
            r.mask = np.logical_and.reduce([toward_ways(S, by_line[x.line].mask, p) for x in last])
    return S


def toward_ways(S: Samples, origins, p):
    """The samples on a shortest way (within ON_PATH_M) from a sample of origins to sample p."""
    q = np.flatnonzero(origins)
    return (S.D[q] + S.D[p][None, :] - S.D[q, p][:, None] <= ON_PATH_M).any(axis=0)


# ------------------------------------------------------------------------------------ the prism

class DenseSpace:
    """Earliest arrivals and latest departures over a full matrix of travel times (for tests)."""

    def __init__(self, D, v):
        self.T = np.asarray(D, float) / v

    def forward(self, e):
        """f(x) = min_y e(y) + T(y, x), e = +inf off the sources."""
        R = np.flatnonzero(np.isfinite(e))
        return (e[R][:, None] + self.T[R]).min(axis=0)

    def backward(self, late):
        """g(x) = max_y late(y) - T(x, y), late = -inf off the sources."""
        R = np.flatnonzero(np.isfinite(late))
        return (late[R][:, None] - self.T[R]).max(axis=0)


class SampledSpace:
    """The same on the samples of a network, through its vertices: a way between two samples
    leaves the first's edge by one of its ends (or stays on the edge), so min_y e(y) + T(y, x) is
    min over the ends w of x's edge of h(w) + T(w, x), h(w) = min_y e(y) + T(y, w), or the direct
    way along the shared edge."""

    def __init__(self, S: Samples, v):
        w = S.world
        du, dv = S.off, w.length[S.edge] - S.off
        self.to_u, self.to_v = du / v, dv / v
        self.eu, self.ev = w.eu[S.edge], w.ev[S.edge]
        # sample -> vertex travel times
        self.TV = np.minimum(du[:, None] + w.DV[self.eu], dv[:, None] + w.DV[self.ev]) / v
        self.groups = []
        for e in range(len(w.length)):
            idx = np.flatnonzero(S.edge == e)
            self.groups.append((idx, np.abs(S.off[idx][:, None] - S.off[idx][None, :]) / v))

    def forward(self, e):
        R = np.flatnonzero(np.isfinite(e))
        h = (e[R][:, None] + self.TV[R]).min(axis=0)
        f = np.minimum(h[self.eu] + self.to_u, h[self.ev] + self.to_v)
        for idx, M in self.groups:
            src = np.isfinite(e[idx])
            if src.any():
                f[idx] = np.minimum(f[idx], (e[idx][src][:, None] + M[src]).min(axis=0))
        return f

    def backward(self, late):
        R = np.flatnonzero(np.isfinite(late))
        h = (late[R][:, None] - self.TV[R]).max(axis=0)
        g = np.maximum(h[self.eu] - self.to_u, h[self.ev] - self.to_v)
        for idx, M in self.groups:
            src = np.isfinite(late[idx])
            if src.any():
                g[idx] = np.maximum(g[idx], (late[idx][src][:, None] - M[src]).max(axis=0))
        return g


MAX_IDEALS = 4096


def ideals(windows, cap=MAX_IDEALS):
    """Every set of rows that can have been met by some instant, as bit masks: with row i before
    row j whenever i's window ends before j's starts, the sets closed under "before" (a row met
    means every row before it met). None when there are more than cap."""
    n = len(windows)
    before = [sum(1 << i for i in range(n) if windows[i][1] < windows[k][0]) for k in range(n)]
    seen, frontier = {0}, [0]
    while frontier:
        nxt = []
        for m in frontier:
            for k in range(n):
                if not m >> k & 1 and before[k] & m == before[k] and (m | 1 << k) not in seen:
                    seen.add(m | 1 << k)
                    nxt.append(m | 1 << k)
            if len(seen) > cap:
                return None
        frontier = nxt
    return sorted(seen, key=lambda m: (bin(m).count("1"), m))


def prefixes(order_indices):
    """The sets of a chain: the first j rows of an order, for every j."""
    out, m = [0], 0
    for k in order_indices:
        m |= 1 << k
        out.append(m)
    return out


class Prism:
    """The network prism of rows, exact in time on the sampled space.

    For every set m of rows in the family (by default every set that can have been met by some
    instant: ideals()), F[m](x) is the earliest time the unit can be at x having met exactly the
    rows of m, each at a sample of its region at an instant of its window, in any order the
    family allows (waiting allowed; F[{}] = -inf), and G[m](x) the latest time it can be at x and
    still meet all the others (G[all] = +inf):

        F[m](x) = min over k in m (m - k in the family) of min_y max(a_k, F[m - k](y)) + T(y, x),
                  y in region k with max(a_k, F[m - k](y)) <= b_k;
        G[m](x) = max over k not in m (m + k in the family) of max_y min(b_k, G[m + k](y)) - T(x, y),
                  y in region k with min(b_k, G[m + k](y)) >= a_k.

    The unit can be at x at t iff F[m](x) <= t <= G[m](x) for some m: the rows met by t are m. A
    family of all ideals makes it exact on the samples; a smaller one (prefixes of some orders, when
    there are too many ideals) drops trajectories, never adds any."""

    def __init__(self, space, masks, windows, family=None):
        n = len(masks)
        self.windows = windows
        self.family = family if family is not None else ideals(windows)
        self.exact = family is None and self.family is not None
        if self.family is None:
            self.family = sorted(set(m for o in heuristic_orders(windows) for m in prefixes(o)),
                                 key=lambda m: (bin(m).count("1"), m))
        N = len(masks[0]) if n else 0
        full = (1 << n) - 1
        F, G = {0: np.full(N, -math.inf)}, {full: np.full(N, math.inf)}
        members = set(self.family)
        for m in self.family:
            if m == 0:
                continue
            best = np.full(N, math.inf)
            for k in range(n):
                p = m & ~(1 << k)
                if m >> k & 1 and p in members:
                    a, b = windows[k]
                    e = np.where(masks[k], np.maximum(a, F[p]), math.inf)
                    e[e > b] = math.inf
                    if np.isfinite(e).any():
                        best = np.minimum(best, space.forward(e))
            F[m] = best
        for m in reversed(self.family):
            if m == full:
                continue
            best = np.full(N, -math.inf)
            for k in range(n):
                q = m | 1 << k
                if not m >> k & 1 and q in members:
                    a, b = windows[k]
                    late = np.where(masks[k], np.minimum(b, G[q]), -math.inf)
                    late[late < a] = -math.inf
                    if np.isfinite(late).any():
                        best = np.maximum(best, space.backward(late))
            G[m] = best
        self.masks = np.array(self.family, dtype=object)
        self.F = np.array([F[m] for m in self.family])
        self.G = np.array([G[m] for m in self.family])

    def at(self, t):
        """The samples where the unit can be at t."""
        n = len(self.windows)
        must = sum(1 << k for k in range(n) if self.windows[k][1] < t)  # windows over: met
        may = sum(1 << k for k in range(n) if self.windows[k][0] <= t)  # windows begun
        pick = [i for i, m in enumerate(self.family) if m & must == must and m & ~may == 0]
        return ((self.F[pick] <= t) & (t <= self.G[pick])).any(axis=0)


def heuristic_orders(windows):
    """Orders of the rows when there are too many ideals: by window start (ties in file order and
    reversed), by end, by middle."""
    idx = range(len(windows))
    keys = [lambda k: (windows[k][0], windows[k][1], k), lambda k: (windows[k][0], windows[k][1], -k),
            lambda k: (windows[k][1], windows[k][0], k), lambda k: (windows[k][0] + windows[k][1], k)]
    return [sorted(idx, key=key) for key in keys]


def prism(D, masks, windows, v):
    """(F, G) of rows met in the given order, on a full distance matrix: F[j], G[j] for the first j
    rows met (the hand-worked tests' form)."""
    p = Prism(DenseSpace(D, v), masks, windows, prefixes(range(len(masks))))
    return p.F, p.G


class UnitPrism:
    """The prism of a unit: its positioned rows and its ancestors'."""

    def __init__(self, S: Samples, rows, parents, unit, v, space=None):
        names = set(lineage(unit, parents))
        self.rows = sorted((r for r in rows if r.unit in names and r.mask is not None), key=lambda r: r.line)
        if not self.rows:
            self.prism = None
            self.N = len(S)
            return
        self.prism = Prism(space or SampledSpace(S, v), [r.mask for r in self.rows], [r.window for r in self.rows])

    def at(self, t):
        return np.ones(self.N, bool) if self.prism is None else self.prism.at(t)


# ---------------------------------------------------------------------------------- the measures

def half_diameter(S: Samples, mask):
    """Half the largest WGS84 distance between two samples of the set (0 for fewer than two)."""
    idx = np.flatnonzero(mask)
    if idx.size < 2:
        return 0.0
    X = S.xyz[idx]
    dots = X @ X.T  # the farthest pairs on the sphere, measured on WGS84
    far = dots.argmin(axis=1)
    best = 0.0
    for a in np.argsort(dots[np.arange(idx.size), far])[:5]:
        i, j = idx[a], idx[far[a]]
        best = max(best, wgs84_inverse((S.lat[i], S.lon[i]), (S.lat[j], S.lon[j]))[0])
    return best / 2


def network_radius(S: Samples, mask, spacing):
    """A lower bound on the radius along the roads, from any point of the network, that holds the
    set: the best sample centre less half a spacing (a centre between samples is that close to one)."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return 0.0
    return max(0.0, float(S.D[:, idx].max(axis=1).min()) - spacing / 2)


def answer_segments(feasible):
    """(A, B) unit vectors of every segment of the answer's lines, a lone point as A = B."""
    A, B = [], []
    for stretch in feasible.get("stretches") or []:
        for coords in stretch.get("parts") or [stretch.get("geometry") or []]:
            pts = [(float(c[1]), float(c[0])) for c in coords if isinstance(c, (list, tuple)) and len(c) >= 2]
            if len(pts) == 1:
                pts = pts * 2
            for a, b in zip(pts, pts[1:]):
                A.append(a)
                B.append(b)
    if not A:
        return np.zeros((0, 3)), np.zeros((0, 3))
    A, B = np.array(A), np.array(B)
    return unit_vectors(A[:, 0], A[:, 1]), unit_vectors(B[:, 0], B[:, 1])


def sphere_distance_to_segments(P, A, B):
    """Distance (m, on the sphere) from each point P to the nearest great-circle segment A-B."""
    if A.shape[0] == 0:
        return np.full(P.shape[0], math.inf)
    chord = lambda X, Y: 2 * EARTH_R * np.arcsin(np.clip(np.linalg.norm(X[:, None, :] - Y[None, :, :], axis=2) / 2, 0, 1))
    ends = np.minimum(chord(P, A), chord(P, B))
    n = np.cross(A, B)
    norm = np.linalg.norm(n, axis=1)
    ok = norm > 1e-12
    n[ok] /= norm[ok][:, None]
    s = P @ n.T
    inside = (P @ np.cross(n, A).T >= 0) & (P @ np.cross(B, n).T >= 0) & ok[None, :]
    cross_track = EARTH_R * np.abs(np.arcsin(np.clip(s, -1, 1)))
    return np.where(inside, np.minimum(cross_track, ends), ends).min(axis=1)


def near_answer(S: Samples, mask, feasible, measured=5):
    """[(sample, distance m)] of the samples of the set farther than 100 m from the answer's lines,
    farthest first. The sphere decides the samples within APPROX_IN_M and beyond APPROX_OUT_M (its
    error here: under 1 m from a road segment's geodesic, and 0.3 % of the distance); the others,
    and the `measured` farthest, are measured on WGS84 by score.distance_to_set."""
    idx = np.flatnonzero(mask)
    A, B = answer_segments(feasible)
    approx = sphere_distance_to_segments(S.xyz[idx], A, B)
    out = []
    for i, d in zip(idx, approx):
        if d <= APPROX_IN_M:
            continue
        exact = d if d > APPROX_OUT_M else score.distance_to_set(feasible, (S.lat[i], S.lon[i]), stop_below=score.ON_SET_M)
        if exact > score.ON_SET_M:
            out.append((int(i), exact))
    out.sort(key=lambda x: -x[1])
    return [(i, score.distance_to_set(feasible, (S.lat[i], S.lon[i]), stop_below=0.0) if k < measured else d)
            for k, (i, d) in enumerate(out)]


# ---------------------------------------------------------------------------------- one convoy

WORLD: Network | None = None


def world():
    global WORLD
    if WORLD is None:
        WORLD = Network()
    return WORLD


@dataclass
class ConvoyModel:
    convoy: score.Convoy
    rows: list
    samples: Samples
    prisms: dict  # unit -> UnitPrism


def convoy_model(sim, entry, spacing=1000.0, max_speed=None):
    """The inner sets of one convoy of a simulation: its log read, laid on the samples, and the
    prism of every unit that has queries."""
    sim = Path(sim)
    cfg = json.loads((sim / "manifest.json").read_text(encoding="utf-8"))["config"]
    convoy = score.Convoy(sim, entry)
    reader = Reader(cfg.get("zone", "Asia/Damascus"), cfg.get("dir_default_km", 50.0))
    rows, parents = read_log(convoy.dir / "updates.csv", reader)
    S = lay_regions(rows, parents, world(), spacing)
    v = (max_speed or cfg["max_speed"]) / 3.6
    space = SampledSpace(S, v)
    return ConvoyModel(convoy, rows, S, {u: UnitPrism(S, rows, parents, u, v, space) for u in {q[1] for q in convoy.queries}})


def measure_convoy(sim, entry, convoy_bin, db, spacing, max_speed, answers_dir=None):
    model = convoy_model(sim, entry, spacing, max_speed)
    convoy, rows, S, prisms = model.convoy, model.rows, model.samples, model.prisms
    res = {"convoy": convoy.id, "samples": len(S), "errors": [], "answers": [],
           "toward_previous": [(r.line, r.previous, next((x["previous_line"] for x in convoy.truth["rows"] if x["line"] == r.line), None))
                               for r in rows if r.previous is not None]}
    kept = Path(answers_dir) / f"{convoy.id}.json" if answers_dir else None
    answers = {}
    if kept and kept.exists():
        answers = score.answers_by_time(json.loads(kept.read_text(encoding="utf-8")))
    else:
        proc = score.run([convoy_bin, "where", "--updates", convoy.dir / "updates.csv", "--times", convoy.dir / "times.txt",
                          "--json", "--convoy", convoy.id, "--db", db])
        if proc.returncode != 0:
            res["errors"].append(f"where exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
        else:
            answers = score.answers_by_time(json.loads(proc.stdout))
            if kept:
                kept.write_text(proc.stdout, encoding="utf-8")
    for t, unit, truth, state, text in convoy.queries:
        inner = prisms[unit].at(t)
        gap, _ = S.nearest(truth, inner)
        rec = {"convoy": convoy.id, "unit": unit, "time": text, "t": t, "report_phase": convoy.report_phase(unit, t),
               "state": state, "set_samples": int(inner.sum()), "whole_network": bool(inner.all()), "truth_gap_m": gap,
               "bound_m": half_diameter(S, inner), "network_bound_m": network_radius(S, inner, spacing)}
        q = answers.get(round(t))
        got = None if q is None else next((u for u in q.get("units", []) if u.get("unit") == unit), None)
        if got is None or not score.has_feasible_set(got):
            rec.update(answered=False, reason="no answer" if got is None else "no feasible set", outside=int(inner.sum()),
                       outside_max_m=math.inf if inner.any() else 0.0, outside_samples=[])
        else:
            out = near_answer(S, inner, got["feasible"])
            rec.update(answered=True, uncertainty_m=got.get("uncertainty_m"), length_m=got["feasible"].get("length_m"),
                       model_phase=got.get("phase"), outside=len(out), outside_max_m=out[0][1] if out else 0.0,
                       outside_samples=[{"lat": round(float(S.lat[i]), 6), "lon": round(float(S.lon[i]), 6), "outside_m": round(d, 1)}
                                        for i, d in out[:5]])
        if rec["outside"]:
            rec["rows"] = convoy.rows_around(unit, t)
        res["answers"].append(rec)
    return res


def _measure(args):
    return measure_convoy(*args)


# ---------------------------------------------------------------------------------------- all

def summarise(results, spacing):
    answers = [a for r in results for a in r["answers"]]
    pct = score.pct

    def block(items):
        bound = [a["bound_m"] for a in items]
        unc = [a.get("uncertainty_m") for a in items if a.get("answered")]
        return {"n": len(items),
                "bound_m": {"p10": pct(bound, 10), "p25": pct(bound, 25), "median": pct(bound, 50), "p90": pct(bound, 90)},
                "whole_network_percent": round(100 * sum(1 for a in items if a["whole_network"]) / len(items), 2) if items else None,
                "network_bound_m": {"median": pct([a["network_bound_m"] for a in items], 50),
                                    "p90": pct([a["network_bound_m"] for a in items], 90)},
                "uncertainty_m": {"median": pct(unc, 50), "p90": pct(unc, 90)},
                "bound_over_target": sum(1 for b in bound if b > TARGET_M),
                "bound_over_target_percent": round(100 * sum(1 for b in bound if b > TARGET_M) / len(items), 2) if items else None,
                "samples_outside": sum(a["outside"] for a in items),
                "queries_outside": sum(1 for a in items if a["outside"])}

    phases = sorted({a["report_phase"] for a in answers})
    truth_far = [a for a in answers if not a["truth_gap_m"] <= spacing]
    toward = [x for r in results for x in r["toward_previous"]]
    return {
        "convoys": len(results), "unit_queries": len(answers), "spacing_m": spacing, "target_m": TARGET_M,
        "samples_checked": sum(a["set_samples"] for a in answers),
        "samples_outside": sum(a["outside"] for a in answers),
        "queries_with_samples_outside": sum(1 for a in answers if a["outside"]),
        "unanswered": sum(1 for a in answers if not a["answered"]),
        "empty_inner_sets": sum(1 for a in answers if a["set_samples"] == 0),
        "truth_within_spacing": {"n": len(answers), "ok": len(answers) - len(truth_far),
                                 "worst_m": max((a["truth_gap_m"] for a in answers), default=None)},
        "truth_far": [{k: a[k] for k in ("convoy", "unit", "time", "report_phase", "truth_gap_m", "set_samples")} for a in truth_far[:20]],
        "toward_previous_agrees": {"n": len(toward), "agree": sum(1 for x in toward if x[2] in x[1]),
                                   "ambiguous": sum(1 for x in toward if len(x[1]) > 1)},
        "all": block(answers),
        "by_report_phase": {p: block([a for a in answers if a["report_phase"] == p]) for p in phases},
        "errors": [f"{r['convoy']}: {e}" for r in results for e in r["errors"]],
    }


def worst(results, limit):
    out = [a for r in results for a in r["answers"] if a["outside"]]
    out.sort(key=lambda a: -a["outside_max_m"])
    return out[:limit] if limit is not None else out


def measure(sim, convoy_bin, spacing=1000.0, limit=None, max_speed=None, jobs=2, progress=True, answers_dir=None):
    """(summary, per-convoy results) of every unit-query of the simulation's first `limit` convoys.
    With answers_dir, `where`'s JSON is read from answers_dir/ID.json when there, else written there."""
    sim = Path(sim)
    manifest = json.loads((sim / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["convoys"][:limit] if limit else manifest["convoys"]
    max_speed = max_speed or manifest["config"]["max_speed"]
    world()  # built once, before the workers fork
    with tempfile.TemporaryDirectory(prefix="convoy-exact-") as tmp:
        db = Path(tmp) / "convoy.sqlite"
        if answers_dir:
            Path(answers_dir).mkdir(parents=True, exist_ok=True)
        if not answers_dir or any(not (Path(answers_dir) / f"{e['id']}.json").exists() for e in entries):
            warm = score.run([convoy_bin, "places", "show", "Palmyra", "--db", db])  # the store, once, before the workers
            if warm.returncode != 0:
                sys.exit(f"exact: {convoy_bin} places failed ({warm.returncode}): {warm.stderr.strip()}")
        tasks = [(sim, e, convoy_bin, db, spacing, max_speed, answers_dir) for e in entries]
        results = []
        if jobs > 1:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for i, r in enumerate(pool.imap(_measure, tasks)):
                    results.append(r)
                    if progress and (i + 1) % 10 == 0:
                        print(f"exact: {i + 1}/{len(tasks)} convoys", file=sys.stderr, flush=True)
        else:
            for i, task in enumerate(tasks):
                results.append(_measure(task))
                if progress and (i + 1) % 10 == 0:
                    print(f"exact: {i + 1}/{len(tasks)} convoys", file=sys.stderr, flush=True)
    return summarise(results, spacing), results


def km(x):
    return "—" if x is None else f"{x / 1000:,.1f} km"


def table(s, worst_list):
    a = s["all"]
    tw = s["truth_within_spacing"]
    lines = [
        f"{s['convoys']} convoys, {s['unit_queries']} unit-queries; samples every {s['spacing_m']:g} m (+ vertices, regions' ends)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| inner-set samples checked against `where`'s feasible set | {s['samples_checked']:,} |",
        f"| samples more than 100 m outside it | **{s['samples_outside']:,}** (in {s['queries_with_samples_outside']} unit-queries) |",
        f"| unit-queries without a feasible set in the answer | {s['unanswered']} |",
        f"| truth within one spacing of the inner set (the reading) | {tw['ok']} / {tw['n']} (worst {km(tw['worst_m'])}) |",
        f"| empty inner sets | {s['empty_inner_sets']} |",
        f"| bound on any honest uncertainty_m (half the set's diameter), median / p90 | {km(a['bound_m']['median'])} / {km(a['bound_m']['p90'])} |",
        f"| bound p10 / p25 | {km(a['bound_m']['p10'])} / {km(a['bound_m']['p25'])} |",
        f"| unit-queries whose inner set is the whole network | {a['whole_network_percent']} % |",
        f"| bound along the roads (convoy's definition), median / p90 | {km(a['network_bound_m']['median'])} / {km(a['network_bound_m']['p90'])} |",
        f"| convoy's uncertainty_m, median / p90 | {km(a['uncertainty_m']['median'])} / {km(a['uncertainty_m']['p90'])} |",
        f"| target (issue 19) | {km(s['target_m'])} |",
        f"| unit-queries whose bound alone exceeds the target | {a['bound_over_target']} / {a['n']} = **{a['bound_over_target_percent']} %** |",
        "",
        "| phase (from the reports' windows) | n | bound median / p90 | along the roads median / p90 | convoy median / p90 | bound > target | whole network | samples outside |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for k, b in s["by_report_phase"].items():
        lines.append(f"| {k} | {b['n']} | {km(b['bound_m']['median'])} / {km(b['bound_m']['p90'])} | "
                     f"{km(b['network_bound_m']['median'])} / {km(b['network_bound_m']['p90'])} | "
                     f"{km(b['uncertainty_m']['median'])} / {km(b['uncertainty_m']['p90'])} | "
                     f"{b['bound_over_target_percent']} % | {b['whole_network_percent']} % | {b['samples_outside']} |")
    tp = s["toward_previous_agrees"]
    if tp["n"]:
        lines += ["", f"toward rows: the generator's previous row is among those read from the windows in {tp['agree']} of {tp['n']} "
                      f"({tp['ambiguous']} with several, their ways intersected)"]
    if s["truth_far"]:
        lines += ["", "TRUTH FARTHER THAN ONE SPACING FROM THE INNER SET (the reading is wrong):"]
        lines += [f"  {x['convoy']}/{x['unit']} at {x['time']} ({x['report_phase']}): {km(x['truth_gap_m'])}, {x['set_samples']} samples"
                  for x in s["truth_far"]]
    if s["errors"]:
        lines += ["", "ERRORS:"] + [f"  {e}" for e in s["errors"][:20]]
    if worst_list:
        lines += ["", f"inner-set samples outside the answer (the {len(worst_list)} worst unit-queries):"]
        for w in worst_list:
            lines.append(f"  {w['convoy']}/{w['unit']} at {w['time']} ({w['report_phase']}; model {w.get('model_phase')}): "
                         f"{w['outside']} of {w['set_samples']} samples outside, up to {km(w['outside_max_m'])}"
                         + (f" (at {w['outside_samples'][0]['lat']}, {w['outside_samples'][0]['lon']})" if w["outside_samples"] else "")
                         + (f"; {w.get('reason')}" if not w["answered"] else ""))
            for r in w.get("rows", []):
                lines.append(f"      line {r['line']}: {r['time']} | {r['unit']} | {r['location'] or '(no location)'} | {r['status']}"
                             f" (true at {r['true_at']})")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("sim", help="a folder written by generate.py")
    ap.add_argument("--convoy-bin", default=os.environ.get("CONVOY_BIN", str(score.ROOT / ".build" / "debug" / "convoy")))
    ap.add_argument("--limit", type=int, default=None, help="only the first N convoys")
    ap.add_argument("--spacing", type=float, default=1000.0, help="metres between samples along an edge (default 1000)")
    ap.add_argument("--max-speed", type=float, default=None, help="km/h (default: the generator's)")
    ap.add_argument("--jobs", type=int, default=2, help="convoys measured at once (processes)")
    ap.add_argument("--worst", type=int, default=20, help="list this many unit-queries with samples outside (-1: all)")
    ap.add_argument("--json", action="store_true", help="print the summary and every unit-query with samples outside as JSON")
    ap.add_argument("--answers", metavar="DIR", help="read `where --json` of convoy ID from DIR/ID.json when there (e.g. doctored), "
                                                     "else run convoy and write it there")
    args = ap.parse_args(argv)
    summary, results = measure(args.sim, args.convoy_bin, args.spacing, args.limit, args.max_speed, args.jobs,
                               answers_dir=args.answers)
    summary["command"] = " ".join(["exact.py", *(argv if argv is not None else sys.argv[1:])])
    listed = worst(results, None if args.worst < 0 else args.worst)
    if args.json:
        print(json.dumps({"summary": summary, "outside": listed}, indent=1, default=str))
    else:
        print(table(summary, listed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
