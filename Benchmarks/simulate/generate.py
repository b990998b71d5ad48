#!/usr/bin/env python3
"""Simulated convoys on the bundled roads, reported in the seeds' vocabulary (issue 19).

    python3 Benchmarks/simulate/generate.py --convoys 200 --queries 30 --seed 19 --out /tmp/sim

Each convoy is a journey of 1-6 days over Gazetteer/roads.geojson (read as convoy reads it:
simnet.py): from a place to 1-3 successive destinations by shortest paths, sometimes turning back
part-way, with halts of minutes to two days, at 30-90 km/h (never above --max-speed, unless
--overspeed breaks it on purpose). Some convoys split into two units. The truth is kept as a
timed track; the reports are an update log (docs/route.md) whose every row is true of the truth at
one instant of its time window (README.md in this folder gives the rules); the queries are instants
over each convoy's span and beyond, with the truth at each. Same seed, same files.

Output (--out): manifest.json, updates.csv (every convoy), and per convoy convoys/ID/ with
updates.csv, times.txt (the --times file), queries.csv (the truth at each query), track.csv (the
dense truth: every 60 s while moving, every phase boundary) and truth.json (units, phases, routes,
and for each row the instant it is true at and how it was made).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    import bootstrap

    bootstrap.ensure_venv()

import simnet  # noqa: E402
from simnet import Gazetteer, NetPos, RoadNetwork, Route, distance, inverse  # noqa: E402

MIN = 60
HOUR = 3600
DAY = 86400
COLUMNS = ["time", "convoy", "unit", "parent", "location", "status", "vehicles", "people", "source", "quote", "note", "road"]
LANDMARK_KINDS = {"city", "town", "village", "border crossing", "pumping station", "air base", "archaeological site", "peak",
                  "refugee camp"}
AT_KINDS = LANDMARK_KINDS | {"region"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
          "December"]
POINTS16 = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
WORDS16 = ["north", "north-north-east", "north-east", "east-north-east", "east", "east-south-east", "south-east",
           "south-south-east", "south", "south-south-west", "south-west", "west-south-west", "west", "west-north-west",
           "north-west", "north-north-west"]
STALL_S = 6 * HOUR  # a halt this long may be called "stalled"


@dataclass
class Config:
    convoys: int = 200
    seed: int = 19
    queries: tuple = (20, 50)
    rows: tuple = (3, 15)
    max_speed: float = 100.0
    speed: tuple = (30.0, 90.0)
    overspeed: bool = False
    split_share: float = 0.12
    turnback_share: float = 0.35
    out_of_order_share: float = 0.25
    area_syntax: str = "in"
    compass_points: int = 4
    dir_default_km: float = 50.0
    zone: str = "Asia/Damascus"
    first_day: str = "2017-06-01"
    last_day: str = "2017-09-20"
    track_step_s: int = 60


# ----------------------------------------------------------------------------------- the world

class World:
    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.gaz = Gazetteer()
        self.net = RoadNetwork(self.gaz)
        self.zone = ZoneInfo(cfg.zone)
        self.place_vertices = sorted(self.net.place_vertex.values())
        self.landmarks = [p for p in self.gaz.places.values() if p.kind in LANDMARK_KINDS and self.gaz.spellings(p.id)]
        self.at_places = [p for p in self.gaz.places.values() if p.kind in AT_KINDS and self.gaz.spellings(p.id)]
        self.areas = [p for p in self.gaz.places.values() if p.kind == "governorate" and self.gaz.spellings(p.id)]

    def name(self, rng, pid):
        """A spelling a reporter might use: mostly the canonical name, else a recorded variant."""
        place = self.gaz[pid]
        names = self.gaz.spellings(pid)
        latin = [n for n in names if all(ord(ch) < 0x0590 for ch in n)]
        other = [n for n in names if n not in latin]
        r = rng.random()
        if place.name in names and r < 0.6:
            return place.name
        if other and r > 0.95:
            return rng.choice(other)
        return rng.choice(latin or names)

    def local(self, t):
        return datetime.fromtimestamp(t, self.zone)


def utc(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------------------------ the truth

@dataclass
class Phase:
    t0: float
    t1: float
    s0: float
    s1: float
    state: str  # wait (before departure), drive, halt (en route), dest (at a destination), end (after the last)
    move: int
    speed_kmh: float = 0.0

    @property
    def duration(self):
        return self.t1 - self.t0


@dataclass
class Move:
    target: int  # vertex
    s0: float
    s1: float
    kind: str  # out | return (after turning back)
    truncated: bool = False  # turned back before reaching the target


@dataclass
class Unit:
    name: str
    parent: str | None
    route: Route
    moves: list
    phases: list = field(default_factory=list)
    born: float = -math.inf
    ends: float = math.inf
    vehicles: int = 0

    def phase_at(self, t):
        ph = self.phases
        if t <= ph[0].t0:
            return ph[0]
        lo, hi = 0, len(ph) - 1
        while lo < hi:  # last phase with t0 <= t
            mid = (lo + hi + 1) // 2
            if ph[mid].t0 <= t:
                lo = mid
            else:
                hi = mid - 1
        return ph[lo]

    def measure(self, t):
        p = self.phase_at(t)
        if t <= p.t0:
            return p.s0
        if t >= p.t1:
            return p.s1
        return p.s0 + (p.s1 - p.s0) * (t - p.t0) / (p.t1 - p.t0)

    def point(self, t):
        return self.route.point(self.measure(t))

    def netpos(self, t):
        return self.route.netpos(self.measure(t))

    def alive(self, t):
        return self.born <= t <= self.ends

    def move_of(self, s, state=None):
        for i, m in enumerate(self.moves):
            if m.s0 - 1e-6 <= s <= m.s1 + 1e-6:
                if state == "drive" and s >= m.s1 - 1e-6 and i + 1 < len(self.moves):
                    continue
                return i
        return len(self.moves) - 1


def whole_minute(t):
    return math.floor(t / MIN) * MIN


def halt_length(rng):
    return rng.uniform(5, 90) * MIN if rng.random() < 0.7 else rng.uniform(3, 40) * HOUR


def pick_destination(rng, world, pos, avoid):
    net = world.net
    options = [v for v in world.place_vertices if v not in avoid and 30e3 <= net.dist_to_vertex(pos, v) <= 700e3]
    return rng.choice(options) if options else None


def plan_root(rng, world: World, cfg: Config):
    net = world.net
    start = rng.choice(world.place_vertices)
    route, moves = Route(net), []
    pos, here = net.vertex_pos(start), start
    legs = rng.choice([1, 1, 2, 2, 3])
    turn_leg = rng.randrange(legs) if rng.random() < cfg.turnback_share else None
    for j in range(legs):
        dest = pick_destination(rng, world, pos, {here})
        if dest is None:
            break
        leg = net.route_from(pos, dest)
        s0 = route.length
        if j == turn_leg and leg.length >= 60e3:
            cut = leg.head(rng.uniform(0.3, 0.85) * leg.length)
            route.extend(cut)
            moves.append(Move(dest, s0, route.length, "out", truncated=True))
            behind = [v for m, v in cut.vertex_passes() if m < cut.length - 5e3 and v in net.vertex_place]
            back_to = rng.choice(behind[-2:])
            turn = route.netpos(route.length)
            back = net.route_from(turn, back_to)
            s1 = route.length
            route.extend(back)
            moves.append(Move(back_to, s1, route.length, "return"))
            pos, here = net.vertex_pos(back_to), back_to
            if rng.random() < 0.5:
                break
        else:
            route.extend(leg)
            moves.append(Move(dest, s0, route.length, "out"))
            pos, here = net.vertex_pos(dest), dest
    if not moves:
        return None
    # halts: en route, at the turning point, at intermediate destinations
    stops = []
    for k, m in enumerate(moves):
        length = m.s1 - m.s0
        if length > 40e3:
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                stops.append([rng.uniform(m.s0 + 10e3, m.s1 - 10e3), "halt", halt_length(rng)])
        if m.truncated:
            if rng.random() < 0.8:
                stops.append([m.s1, "halt", rng.uniform(1, 36) * HOUR])
        elif k < len(moves) - 1:
            stops.append([m.s1, "dest", rng.uniform(1, 48) * HOUR])
    if not stops:
        longest = max(moves, key=lambda m: m.s1 - m.s0)
        stops.append([rng.uniform(longest.s0, longest.s1), "halt", rng.uniform(3, 24) * HOUR])
    stops.sort(key=lambda x: x[0])
    merged = []
    for s in stops:
        if merged and abs(merged[-1][0] - s[0]) < 1.0:
            merged[-1][2] += s[2]
            if s[1] == "dest":
                merged[-1][1] = "dest"
        else:
            merged.append(s)
    stops = merged
    # drive stretches between stops, each at one speed; durations in whole minutes
    marks = [0.0] + [s[0] for s in stops] + [route.length]
    stretches = [(a, b) for a, b in zip(marks, marks[1:])]
    top = min(cfg.speed[1], cfg.max_speed)
    speeds = [rng.uniform(min(cfg.speed[0], top), top) for _ in stretches]
    fast = None
    if cfg.overspeed:
        fast = max(range(len(stretches)), key=lambda i: stretches[i][1] - stretches[i][0])
        speeds[fast] = rng.uniform(1.25, 2.0) * cfg.max_speed
    minutes = []
    for i, ((a, b), v) in enumerate(zip(stretches, speeds)):
        exact = (b - a) / (v / 3.6) / MIN
        minutes.append(max(1, math.floor(exact)) if i == fast else max(1, math.ceil(exact)) if b > a else 0)
    drive = sum(minutes) * MIN
    want = rng.uniform(1, 6) * DAY - drive
    total = sum(s[2] for s in stops)
    factor = max(want, len(stops) * 5 * MIN) / total
    for s in stops:
        s[2] = round(min(max(s[2] * factor, 5 * MIN), 2 * DAY) / MIN) * MIN
    # phases
    day0 = datetime.fromisoformat(cfg.first_day).replace(tzinfo=world.zone)
    span_days = (datetime.fromisoformat(cfg.last_day) - datetime.fromisoformat(cfg.first_day)).days
    t0 = day0 + timedelta(days=rng.randrange(span_days), minutes=rng.randrange(3 * 60, 20 * 60))
    t = t0.timestamp()
    unit = Unit("main", None, route, moves)
    unit.phases.append(Phase(t - 3 * DAY, t, 0.0, 0.0, "wait", 0))
    for i, (a, b) in enumerate(stretches):
        if b > a:
            dt = minutes[i] * MIN
            state_move = unit.move_of((a + b) / 2)
            unit.phases.append(Phase(t, t + dt, a, b, "drive", state_move, (b - a) / dt * 3.6))
            t += dt
        if i < len(stops):
            s, kind, dur = stops[i]
            unit.phases.append(Phase(t, t + dur, s, s, kind, unit.move_of(s)))
            t += dur
    unit.phases.append(Phase(t, t + 4 * DAY, route.length, route.length, "end", len(moves) - 1))
    return unit


def split_unit(rng, world, cfg, root: Unit):
    """Divide root during one of its long halts: one child stays and goes on, the other leaves."""
    net = world.net
    halts = [(i, p) for i, p in enumerate(root.phases)
             if p.state in ("halt", "dest") and p.duration >= STALL_S and p.s0 > 20e3 and i < len(root.phases) - 1]
    if not halts:
        return None
    i, h = rng.choice(halts)
    ts = whole_minute(rng.uniform(h.t0 + 30 * MIN, h.t1 - 30 * MIN))
    s = h.s0
    here = root.route.netpos(s)
    behind = [v for m, v in root.route.vertex_passes() if m < s - 20e3 and v in net.vertex_place]
    ahead_target = root.moves[-1].target
    options = [v for v in (behind or world.place_vertices) if v != ahead_target and net.dist_to_vertex(here, v) >= 20e3]
    if not options:
        return None
    dest = rng.choice(options[-3:] if behind else options)
    stay = Unit("", "main", root.route, root.moves, born=ts)
    stay.phases = [Phase(ts, h.t1, s, s, h.state, h.move)] + root.phases[i + 1:]
    leave_route = root.route.head(s)
    tail = net.route_from(here, dest)
    leave_route.extend(tail)
    leave = Unit("", "main", leave_route, [Move(dest, s, leave_route.length, "out")], born=ts)
    wait = round(rng.uniform(0, 12) * HOUR / MIN) * MIN
    t = ts
    if wait:
        leave.phases.append(Phase(t, t + wait, s, s, "halt", 0))
        t += wait
    v = rng.uniform(min(cfg.speed[0], cfg.max_speed), min(cfg.speed[1], cfg.max_speed))
    dt = max(1, math.ceil(tail.length / (v / 3.6) / MIN)) * MIN
    leave.phases.append(Phase(t, t + dt, s, leave_route.length, "drive", 0, tail.length / dt * 3.6))
    leave.phases.append(Phase(t + dt, t + dt + 4 * DAY, leave_route.length, leave_route.length, "end", 0))
    # names by where the two end up
    a = stay.route.point(stay.route.length)
    b = leave_route.point(leave_route.length)
    if abs(a[1] - b[1]) >= abs(a[0] - b[0]):
        stay.name, leave.name = ("east", "west") if a[1] > b[1] else ("west", "east")
    else:
        stay.name, leave.name = ("north", "south") if a[0] > b[0] else ("south", "north")
    root.phases = root.phases[:i] + [Phase(h.t0, ts, s, s, h.state, h.move)]
    root.ends = ts
    n = root.vehicles
    leave.vehicles = rng.randint(1, n - 1)
    stay.vehicles = n - leave.vehicles
    return stay, leave


# ---------------------------------------------------------------------------------- the reports

def weighted(rng, options):
    """options: [(weight, value)] -> one value."""
    total = sum(w for w, _ in options)
    x = rng.uniform(0, total)
    for w, v in options:
        x -= w
        if x <= 0:
            return v
    return options[-1][1]


def day_month(lt):
    return f"{lt.day} {MONTHS[lt.month - 1]}"


def window(rng, world, t, kind):
    """(text, start, end, phrase, kind) of a time window containing instant t (a whole minute)."""
    zone = world.zone
    lt = world.local(t)
    fmt = "%Y-%m-%dT%H:%M"

    def local_ts(d):
        return d.timestamp()

    if kind == "instant":
        r = rng.random()
        if r < 0.1:
            text = datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
            phrase = f"At {datetime.fromtimestamp(t, timezone.utc):%H:%M} GMT on {day_month(lt)}"
        elif r < 0.15:
            text = lt.strftime(fmt) + lt.strftime("%z")[:3] + ":" + lt.strftime("%z")[3:]
            phrase = f"At {lt:%H:%M} local time on {day_month(lt)}"
        else:
            text = lt.strftime(fmt)
            phrase = f"At {lt:%H:%M} on {day_month(lt)}"
        return text, t, t, phrase, kind
    midnight = lt.replace(hour=0, minute=0, second=0)
    if kind == "date":
        return lt.date().isoformat(), local_ts(midnight), local_ts(midnight + timedelta(days=1)), f"On {day_month(lt)}", kind
    if kind == "part":
        h = lt.hour
        start_h, end_h, word = (0, 6, "before dawn on") if h < 6 else (0, 12, "on the morning of") if h < 12 else \
            (12, 18, "on the afternoon of") if h < 18 else (18, 24, "on the evening of")
        a = midnight.replace(hour=start_h)
        b = (midnight + timedelta(days=1)) if end_h == 24 else midnight.replace(hour=end_h)
        phrase = (f"{word[0].upper()}{word[1:]} {day_month(lt)}")
        return f"{a.strftime(fmt)}/{b.strftime(fmt)}", a.timestamp(), b.timestamp(), phrase, kind
    if kind == "ago":
        u = rng.randint(30, 300) * MIN
        hours = rng.choice([h for h in (3, 4, 5, 6) if h * HOUR >= u])
        report = t + u
        a = report - hours * HOUR
        la, lr = world.local(a), world.local(report)
        phrase = f"A few hours before the report of {day_month(lr)}, {lr:%H:%M}"
        return f"{la.strftime(fmt)}/{lr.strftime(fmt)}", a, report, phrase, kind
    if kind == "span":
        a = math.floor((t - rng.uniform(0, 18) * HOUR) / HOUR) * HOUR
        b = math.ceil((t + rng.uniform(0, 18) * HOUR) / HOUR) * HOUR
        if b - a < 6 * HOUR:
            b = a + 6 * HOUR  # still >= t: t - a <= b - a
        la, lb = world.local(a), world.local(b)
        phrase = f"Between {la:%H:%M} on {day_month(la)} and {lb:%H:%M} on {day_month(lb)}"
        return f"{la.strftime(fmt)}/{lb.strftime(fmt)}", a, b, phrase, kind
    if kind == "past-days":
        report = math.ceil((t + rng.uniform(2, 72) * HOUR) / HOUR) * HOUR
        days = rng.choice([d for d in (2, 3, 5, 7) if report - d * DAY <= t])
        a = report - days * DAY
        la, lr = world.local(a), world.local(report)
        word = {2: "two days", 3: "three days", 5: "five days", 7: "week"}[days]
        phrase = f"Over the past {word} (report of {day_month(lr)}, {lr:%H:%M})"
        return f"{la.strftime(fmt)}/{lr.strftime(fmt)}", a, report, phrase, kind
    raise ValueError(kind)


def compass(rng, az, points):
    """(word as written, points of the compass it rounds to) naming azimuth az."""
    m = rng.choice([p for p in (16, 8, 4) if p >= points])
    k = round((az % 360) / (360 / m)) % m
    idx16 = k * (16 // m)
    if m == 16:
        word = POINTS16[idx16] if rng.random() < 0.8 else WORDS16[idx16]
    else:
        word = WORDS16[idx16]
        if "-" in word and rng.random() < 0.3:
            word = word.replace("-", "")  # "northeast"
    return word, m


def round_km(rng, d_km):
    steps = [1] if d_km < 10 else [1, 5] if d_km < 30 else [1, 5, 10] if d_km < 100 else [5, 10]
    step = rng.choice(steps)
    n = max(step, round(d_km / step) * step)
    return int(n), step


class Reporter:
    def __init__(self, rng, world: World, convoy_id):
        self.rng, self.world, self.cfg, self.convoy = rng, world, world.cfg, convoy_id

    def location(self, unit: Unit, t, state, previous, exclude=(), event=None):
        """A location expression true of unit at t: dict(kind, text, phrase, places, detail) or None."""
        rng, world, net = self.rng, self.world, self.world.net
        p = unit.point(t)
        pos = unit.netpos(t)
        dists = {pl.id: distance(p, pl.point) for pl in world.gaz.places.values()}
        options = []
        at = [pl for pl in world.at_places if dists[pl.id] <= pl.radius and pl.in_bbox(p)]
        if at and "at" not in exclude:
            # departures, arrivals and gatherings are reported at the place, mostly
            options.append((12.0 if event in ("departed", "arrived", "assembling") else 3.0, "at"))
        near = [pl for pl in world.landmarks if dists[pl.id] <= 40e3]
        if near and "near" not in exclude:
            options.append((2.0, "near"))
        pairs = []
        for a in world.place_vertices:
            for b in world.place_vertices:
                if a < b and net.D[a][b] <= 250e3 and net.on_shortest(pos, a, b) \
                        and min(net.dist_to_vertex(pos, a), net.dist_to_vertex(pos, b)) >= 2e3:
                    pairs.append((a, b))
        if pairs and "between" not in exclude:
            options.append((3.0, "between"))
        far = sorted((pl for pl in world.landmarks if 3e3 <= dists[pl.id] <= 150e3), key=lambda pl: dists[pl.id])[:6]
        if far and "km-dir" not in exclude:
            options.append((3.0, "km-dir"))
        dir_places = [pl for pl in world.landmarks if 5e3 <= dists[pl.id] <= self.cfg.dir_default_km * 1e3]
        if dir_places and "dir" not in exclude:
            options.append((1.5, "dir"))
        toward = []
        if state == "drive" and previous is not None and "toward" not in exclude:
            m = unit.moves[unit.move_of(unit.measure(t), "drive")]
            s = unit.measure(t)
            prev_pos = previous["netpos"]
            for meas, v in unit.route.vertex_passes():
                if s + 1e3 < meas <= m.s1 + 1e-6 and v in net.vertex_place:
                    if net.dist(prev_pos, pos) + net.dist_to_vertex(pos, v) - net.dist_to_vertex(prev_pos, v) <= 1.0:
                        toward.append(v)
            if toward:
                options.append((4.0, "toward"))
        areas = [pl for pl in world.areas if dists[pl.id] <= pl.radius and pl.in_bbox(p)]
        if areas and "in" not in exclude:
            options.append((0.7, "in"))
        if not options:
            return None
        kind = weighted(rng, options)
        if kind == "at":
            pl = min(at, key=lambda x: (x.kind == "region", dists[x.id]))
            if rng.random() < 0.3:
                pl = rng.choice(at)
            name = world.name(rng, pl.id)
            return dict(kind=kind, text=f"at {name}", phrase=f"at {name}", places=[pl.id],
                        detail=f"within {pl.name}'s radius ({pl.radius / 1e3:g} km)")
        if kind == "near":
            pl = rng.choice(sorted(near, key=lambda x: dists[x.id])[:3])
            name = world.name(rng, pl.id)
            d_km = dists[pl.id] / 1e3
            if d_km <= 10 + pl.radius / 1e3 and rng.random() < 0.5:
                return dict(kind=kind, text=f"near {name}", phrase=f"near {name}", places=[pl.id], within_km=None,
                            detail="within the default 10 km + the place's radius")
            n = max(5, math.ceil(d_km / 5) * 5)
            return dict(kind=kind, text=f"near {name} within {n} km", phrase=f"within {n} km of {name}", places=[pl.id],
                        within_km=n, detail=f"within {n} km (rounded up to 5 km)")
        if kind == "between":
            a, b = weighted(rng, [(1 / net.D[x][y], (x, y)) for x, y in pairs])
            if rng.random() < 0.5:
                a, b = b, a
            pa, pb = net.vertex_place[a], net.vertex_place[b]
            na, nb = world.name(rng, pa), world.name(rng, pb)
            return dict(kind=kind, text=f"between {na} and {nb}", phrase=f"between {na} and {nb}", places=[pa, pb],
                        detail="on the shortest road between the two places")
        if kind == "km-dir":
            pl = weighted(rng, [(1 / (dists[x.id] + 10e3), x) for x in far])
            d, az = inverse(pl.point, p)
            n, step = round_km(rng, d / 1e3)
            word, m = compass(rng, az, self.cfg.compass_points)
            name = world.name(rng, pl.id)
            return dict(kind=kind, text=f"{n} km {word} of {name}", phrase=f"{n} km {word} of {name}", places=[pl.id],
                        compass_points=m, step_km=step,
                        detail=f"distance rounded to {step} km, direction on a {m}-point compass")
        if kind == "dir":
            pl = rng.choice(dir_places)
            d, az = inverse(pl.point, p)
            word, m = compass(rng, az, self.cfg.compass_points)
            name = world.name(rng, pl.id)
            return dict(kind=kind, text=f"{word} of {name}", phrase=f"{word} of {name}", places=[pl.id], compass_points=m,
                        detail=f"within {self.cfg.dir_default_km:g} km (no distance reported), direction on a {m}-point compass")
        if kind == "toward":
            v = rng.choice(toward)
            pid = net.vertex_place[v]
            name = world.name(rng, pid)
            return dict(kind=kind, text=f"toward {name}", phrase=f"toward {name}", places=[pid],
                        detail="on the road from the previous reported position to the place")
        if kind == "in":
            pl = rng.choice(areas)
            name = world.name(rng, pl.id)
            word = "in" if self.cfg.area_syntax == "in" else "at"
            phrase = rng.choice([f"still within the borders of {name}", f"in {name}"])
            return dict(kind=kind, text=f"{word} {name}", phrase=phrase, places=[pl.id],
                        detail=f"within the governorate's radius ({pl.radius / 1e3:g} km)")
        raise AssertionError(kind)


def status_of(rng, unit, t, event):
    ph = unit.phase_at(t)
    if event in ("assembling", "departed", "turned back", "arrived", "split"):
        return event
    if ph.state == "drive":
        return "turned back" if unit.moves[ph.move].kind == "return" and rng.random() < 0.4 else "moving"
    if ph.state in ("halt", "dest"):
        return "stalled" if ph.duration >= STALL_S and rng.random() < 0.6 else "halted"
    if ph.state == "end":
        return "arrived"
    return "halted"


def sentence(rng, when, status, loc, subject, split_note=""):
    L = loc["phrase"] if loc else ""
    s = {
        "assembling": f"buses were gathering {L} to form the convoy" if L else "buses were gathering to form the convoy",
        "departed": (f"{subject} departed from {L[3:]}" if loc and loc["kind"] == "at" else
                     f"{subject} set out and was {L}" if L else f"{subject} began its journey"),
        "moving": f"{subject} was heading {L}" if loc and loc["kind"] == "toward" else
        f"{subject} was seen moving {L}" if L else f"{subject} was on the move",
        "halted": f"{subject} was halted {L}" if L else f"{subject} was halted",
        "stalled": f"{subject} remained stalled {L}" if L else f"{subject} remained stalled",
        "turned back": f"{subject} had turned back and was {'heading ' if loc and loc['kind'] == 'toward' else ''}{L}"
        if L else f"{subject} had turned back",
        "arrived": f"{subject} arrived {L}" if L else f"{subject} arrived",
        "split": f"{subject} split {L}{split_note}",
    }[status]
    return f"{when}, {s}."


def make_rows(rng, world: World, cfg: Config, convoy_id, units):
    rep = Reporter(rng, world, convoy_id)
    by_name = {u.name: u for u in units}
    total = rng.randint(*cfg.rows)
    if len(units) > 1:
        total = max(total, 5)
    plans = []  # (unit, [(t, event)])
    for u in units:
        share = total if len(units) == 1 else max(2 if u.parent is None else 1, round(total * (0.4 if u.parent is None else 0.3)))
        events = []
        phases = [p for p in u.phases if p.t1 >= u.born and p.t0 <= u.ends]
        first_drive = True
        for i, ph in enumerate(phases):
            prev = phases[i - 1] if i else None
            if ph.state == "wait" and rng.random() < 0.25:
                events.append((whole_minute(rng.uniform(ph.t1 - 12 * HOUR, ph.t1 - 10 * MIN)), "assembling", 1))
            if ph.state == "drive":
                if prev is not None and prev.state in ("wait", "halt", "dest") and ph.t0 >= u.born \
                        and rng.random() < (0.6 if first_drive else 0.25):
                    events.append((ph.t0, "departed", 1))
                if u.moves[ph.move].kind == "return" and (prev is None or u.moves[prev.move].kind != "return") \
                        and rng.random() < 0.7:
                    events.append((whole_minute(rng.uniform(ph.t0, min(ph.t1, ph.t0 + 3 * HOUR))), "turned back", 2))
                first_drive = False
            if ph.state in ("dest", "end") and ph.t0 >= u.born and rng.random() < (0.6 if ph.state == "end" else 0.5):
                events.append((whole_minute(rng.uniform(ph.t0, min(ph.t1, ph.t0 + 12 * HOUR))), "arrived", 2))
            if ph.state == "halt" and rng.random() < 0.5:
                events.append((whole_minute(rng.uniform(max(ph.t0, u.born), min(ph.t1, u.ends))), "halt", 1))
        # random instants while moving (mostly) or halted, from the first departure to a day after arriving
        drives = [p for p in phases if p.state == "drive" and p.duration >= 10 * MIN]
        stops = [p for p in phases if p.state in ("halt", "dest") and p.duration >= 10 * MIN]
        for _ in range(4 * share):
            pool = drives if drives and (not stops or rng.random() < 0.85) else stops
            if not pool:
                break
            ph = weighted(rng, [(p.duration, p) for p in pool])
            events.append((whole_minute(rng.uniform(max(ph.t0, u.born) + MIN, min(ph.t1, u.ends) - MIN)),
                           "drive" if ph.state == "drive" else "halt", 0))
        events = [e for e in events if u.born <= e[0] <= u.ends and (e[0] > u.born or e[1] == "split")]
        if u.ends < math.inf:
            events = [e for e in events if e[0] < u.ends - 2 * HOUR] + [(u.ends, "split", 9)]
        # reports hours apart (closer when the journey is short), the important ones first, then thinned to the share
        span = max(e[0] for e in events) - min(e[0] for e in events)
        kept = []
        for gap in (min(HOUR, span / (1.5 * share)), 20 * MIN):
            for e in sorted(events, key=lambda e: (-e[2], rng.random())):
                if e not in kept and all(abs(e[0] - k[0]) >= gap for k in kept):
                    kept.append(e)
            if len(kept) >= share:
                break
        mandatory = [e for e in kept if e[1] == "split"]
        rest = [e for e in kept if e[1] != "split"]
        rng.shuffle(rest)
        rest = rest[:max(share - len(mandatory), 1)]
        plans.append((u, sorted(mandatory + rest)))
    rows = []
    for u, events in plans:
        lineage = [r for r in rows if r["unit"] == u.parent] if u.parent else []
        previous = next((r for r in reversed(lineage) if r["loc"]), None)
        for n, (t, event) in enumerate((t, e) for t, e, _ in events):
            ph = u.phase_at(t)
            status = status_of(rng, u, t, event)
            if event == "split":
                wkind = weighted(rng, [(2, "past-days"), (1, "date"), (1, "span")])
            else:
                wkind = weighted(rng, [(0.3, "instant"), (0.3, "date"), (0.15, "part"), (0.15, "ago"), (0.1, "span")])
            text, w0, w1, when, wkind = window(rng, world, t, wkind)
            assert w0 <= t <= w1, (text, t)
            loc = None
            first = n == 0
            if first or event == "split" or rng.random() > 0.08 or status not in ("departed", "moving", "halted", "stalled"):
                exclude = {"toward"} if event == "split" else set()
                loc = rep.location(u, t, ph.state, previous, exclude, event)
            row = dict(unit=u.name, parent=u.parent, t=t, event=event, status=status, state=ph.state, window=text, w0=w0, w1=w1,
                       when=when, wkind=wkind, loc=loc, netpos=u.netpos(t), point=u.point(t), measure=u.measure(t),
                       vehicles=None, previous=previous)
            if loc is not None:
                previous = row
            rows.append(row)
    # "toward" needs the previous positioned row before it in any reading of the windows (no window of
    # the unit's other positioned rows meets its window), and the truth on the road from there to the
    # place; rows are checked in time order and re-placed without "toward" when that fails.
    for r in sorted(rows, key=lambda r: r["t"]):
        if not (r["loc"] and r["loc"]["kind"] == "toward"):
            continue
        u = by_name[r["unit"]]
        lineage = [x for x in rows if x["loc"] and x is not r and x["unit"] in (u.name, u.parent)]
        before = [x for x in lineage if x["t"] < r["t"]]
        prev = max(before, key=lambda x: x["t"]) if before else None
        clash = any(not (x["w1"] <= r["w0"] or x["w0"] >= r["w1"]) for x in lineage)
        if prev is None or clash or not toward_holds(world.net, prev, r, by_name):
            r["loc"] = rep.location(u, r["t"], r["state"], None, {"toward"}, r["event"])
            r["previous"] = None
        else:
            r["previous"] = prev
    # counts and words
    parent_n = units[0].vehicles
    for r in rows:
        u = by_name[r["unit"]]
        child_first = u.parent and r is next(x for x in rows if x["unit"] == u.name)
        if r["event"] == "split" or child_first or rng.random() < 0.3:
            r["vehicles"] = f"{u.vehicles} buses"
        subject = (f"the convoy of {u.vehicles} buses" if r["vehicles"] else "the convoy") if u.parent is None else \
            f"the group of {u.vehicles} buses"
        note = ""
        if r["event"] == "split":
            kids = [x for x in units if x.parent == u.name]
            note = ": " + " and ".join(f"{k.vehicles} of the {parent_n} buses went on as the {k.name} group" for k in kids)
        r["quote"] = sentence(rng, r["when"], r["status"], r["loc"], subject, note)
        r["quote"] = r["quote"][0].upper() + r["quote"][1:]
    # the note says how the row was made; its report number keeps two rows of the same words distinct
    for k, r in enumerate(sorted(rows, key=lambda r: (r["t"], r["unit"])), start=1):
        r["note"] = (f"Simulated report {k} of {len(rows)}. Window: {r['wkind']}."
                     + (f" Location: {r['loc']['kind']}, {r['loc']['detail']}." if r["loc"] else " No location."))
    # file order: by window start, sometimes two neighbours swapped (rows out of time order)
    rows.sort(key=lambda r: (r["w0"], r["t"]))
    if len(rows) > 2 and rng.random() < cfg.out_of_order_share:
        k = rng.randrange(len(rows) - 1)
        rows[k], rows[k + 1] = rows[k + 1], rows[k]
    return rows


def toward_holds(net, prev, r, by_name):
    """The truth at r is on a shortest road from the truth at prev to r's place, ahead of r."""
    v = net.place_vertex[r["loc"]["places"][0]]
    return (net.dist(prev["netpos"], r["netpos"]) + net.dist_to_vertex(r["netpos"], v)
            - net.dist_to_vertex(prev["netpos"], v)) <= 1.0


def csv_text(rows, convoy_id):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow([r["window"], convoy_id, r["unit"], r["parent"] or "", r["loc"]["text"] if r["loc"] else "", r["status"],
                    r["vehicles"] or "", "", "simulation", r["quote"], r["note"], ""])
    return buf.getvalue()


# ----------------------------------------------------------------------------------- the queries

def query_times(rng, cfg, rows):
    n = rng.randint(*cfg.queries)
    first = min(r["w0"] for r in rows)
    last = max(r["w1"] for r in rows)
    out = []
    for k in range(n):
        x = rng.random()
        if k == 0 or (x < 0.1 and k > 1):
            out.append(rng.randint(int(first - 12 * HOUR), int(first) - 1))
        elif k == 1 or x > 0.9:
            out.append(rng.randint(int(last) + 1, int(last + 36 * HOUR)))
        else:
            out.append(rng.randint(int(first), int(last)))
    return sorted(set(out))


# ----------------------------------------------------------------------------------------- main

def simulate_convoy(world, cfg, index):
    rng = random.Random(f"{cfg.seed}:{index}")
    convoy_id = f"sim-{index:04d}"
    want_split = rng.random() < cfg.split_share
    for _ in range(50):
        root = plan_root(rng, world, cfg)
        if root is None:
            continue
        root.vehicles = rng.randint(6, 40)
        units = [root]
        if want_split:
            kids = split_unit(rng, world, cfg, root)
            if kids is None:
                continue
            units += list(kids)
        break
    else:
        raise RuntimeError(f"{convoy_id}: no journey planned in 50 tries")
    rows = make_rows(rng, world, cfg, convoy_id, units)
    times = query_times(rng, cfg, rows)
    return convoy_id, units, rows, times


def unit_json(u: Unit, world):
    net = world.net
    return {
        "unit": u.name, "parent": u.parent, "vehicles": u.vehicles,
        "born": None if u.born == -math.inf else utc(u.born), "ends": None if u.ends == math.inf else utc(u.ends),
        "route_length_m": round(u.route.length, 3),
        "places_passed": [{"place": net.vertex_place[v], "at_m": round(m, 3)} for m, v in u.route.vertex_passes()
                          if v in net.vertex_place],
        "route": [{"edge": list(p.edge), "road": net.edges[p.edge].road, "from_offset_m": round(p.start, 3),
                   "to_offset_m": round(p.end, 3)} for p in u.route.pieces],
        "moves": [{"target": net.vertex_place.get(m.target), "from_m": round(m.s0, 3), "to_m": round(m.s1, 3), "kind": m.kind,
                   "turned_back_before_target": m.truncated} for m in u.moves],
        "phases": [{"start": utc(p.t0), "end": utc(p.t1), "t0": p.t0, "t1": p.t1, "from_m": round(p.s0, 3),
                    "to_m": round(p.s1, 3), "state": p.state, "move": p.move, "speed_kmh": round(p.speed_kmh, 3)}
                   for p in u.phases],
    }


def track_rows(u: Unit, step):
    out = []
    for p in u.phases:
        if p.t1 < u.born or p.t0 > u.ends:
            continue
        a, b = max(p.t0, u.born), min(p.t1, u.ends)
        ts = [a] + ([t for t in range(int(math.ceil(a / step) * step), int(b), step) if t > a] if p.state == "drive" else []) + [b]
        for t in ts:
            if out and out[-1][0] == t:
                continue
            s = u.measure(t)
            lat, lon = u.route.point(s)
            out.append((t, lat, lon, s, p.state, p.speed_kmh if p.state == "drive" and t < b else 0.0))
    return out


def write_convoy(world, cfg, out, convoy_id, units, rows, times):
    d = out / "convoys" / convoy_id
    d.mkdir(parents=True, exist_ok=True)
    (d / "updates.csv").write_text(",".join(COLUMNS) + "\n" + csv_text(rows, convoy_id), encoding="utf-8")
    (d / "times.txt").write_text(f"# {convoy_id}: {len(times)} query instants (UTC); the truth at each is in queries.csv\n"
                                 + "".join(utc(t) + "\n" for t in times), encoding="utf-8")
    with open(d / "queries.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["convoy", "time", "unit", "lat", "lon", "along_m", "state", "speed_kmh"])
        for t in times:
            for u in units:
                if u.alive(t):
                    lat, lon = u.point(t)
                    ph = u.phase_at(t)
                    w.writerow([convoy_id, utc(t), u.name, f"{lat:.7f}", f"{lon:.7f}", f"{u.measure(t):.3f}", ph.state,
                                f"{ph.speed_kmh if ph.state == 'drive' else 0:.3f}"])
    with open(d / "track.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit", "time", "unix", "lat", "lon", "along_m", "state", "speed_kmh"])
        for u in units:
            for t, lat, lon, s, state, v in track_rows(u, cfg.track_step_s):
                w.writerow([u.name, utc(t), int(t), f"{lat:.7f}", f"{lon:.7f}", f"{s:.3f}", state, f"{v:.3f}"])
    truth = {
        "convoy": convoy_id, "max_speed_kmh": cfg.max_speed, "overspeed": cfg.overspeed,
        "max_true_speed_kmh": round(max(p.speed_kmh for u in units for p in u.phases), 3),
        "units": [unit_json(u, world) for u in units],
        "rows": [{
            "line": i + 2, "unit": r["unit"], "parent": r["parent"], "time": r["window"], "location": r["loc"]["text"] if r["loc"] else "",
            "status": r["status"], "true_at": utc(r["t"]), "true_at_unix": r["t"], "window_utc": [utc(r["w0"]), utc(r["w1"])],
            "window_unix": [r["w0"], r["w1"]], "window_kind": r["wkind"], "event": r["event"],
            "location_kind": r["loc"]["kind"] if r["loc"] else None, "places": r["loc"]["places"] if r["loc"] else [],
            "compass_points": (r["loc"] or {}).get("compass_points"), "distance_step_km": (r["loc"] or {}).get("step_km"),
            "previous_line": None,
            "truth": {"lat": round(r["point"][0], 7), "lon": round(r["point"][1], 7), "along_m": round(r["measure"], 3),
                      "state": r["state"]},
        } for i, r in enumerate(rows)],
    }
    line_of = {id(r): i + 2 for i, r in enumerate(rows)}
    for r, j in zip(rows, truth["rows"]):
        if r["loc"] and r["loc"]["kind"] == "toward":
            j["previous_line"] = line_of[id(r["previous"])]
    (d / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return d


def parse_range(text):
    a, _, b = text.partition("-")
    return (int(a), int(b or a))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    d = Config()
    ap.add_argument("--out", required=True, help="output folder (created; files in it are replaced)")
    ap.add_argument("--convoys", type=int, default=d.convoys)
    ap.add_argument("--seed", type=int, default=d.seed)
    ap.add_argument("--queries", default="20-50", help="query instants per convoy: N or MIN-MAX (default 20-50)")
    ap.add_argument("--rows", default="3-15", help="rows per convoy: MIN-MAX (default 3-15)")
    ap.add_argument("--max-speed", type=float, default=d.max_speed, help="km/h the model assumes; no simulated speed exceeds it")
    ap.add_argument("--overspeed", action="store_true", help="drive one stretch per convoy at 1.25-2x --max-speed (contradictions)")
    ap.add_argument("--split-share", type=float, default=d.split_share, help="share of convoys that split into two units")
    ap.add_argument("--turnback-share", type=float, default=d.turnback_share)
    ap.add_argument("--area-syntax", choices=["in", "at"], default=d.area_syntax,
                    help="write a governorate as `in AREA` (issue 19) or `at AREA` (the same disc, for models without `in`)")
    ap.add_argument("--compass-points", type=int, choices=[4, 8, 16], default=d.compass_points,
                    help="coarsest compass reporters use: 4 (east = ±45°), 8 (north-east = ±22.5°) or 16 (ESE = ±11.25°)")
    ap.add_argument("--dir-default-km", type=float, default=d.dir_default_km,
                    help="`DIR of PLACE` (no distance) is written only within this distance (docs/route.md's default N)")
    args = ap.parse_args(argv)
    cfg = Config(convoys=args.convoys, seed=args.seed, queries=parse_range(args.queries), rows=parse_range(args.rows),
                 max_speed=args.max_speed, overspeed=args.overspeed, split_share=args.split_share,
                 turnback_share=args.turnback_share, area_syntax=args.area_syntax, compass_points=args.compass_points,
                 dir_default_km=args.dir_default_km)
    return generate(cfg, Path(args.out))


def generate(cfg: Config, out: Path, quiet=False):
    world = World(cfg)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"generator": "Benchmarks/simulate/generate.py", "config": {k: v for k, v in cfg.__dict__.items()},
                "log": "updates.csv", "convoys": []}
    all_rows = []
    for i in range(1, cfg.convoys + 1):
        convoy_id, units, rows, times = simulate_convoy(world, cfg, i)
        d = write_convoy(world, cfg, out, convoy_id, units, rows, times)
        all_rows.append(csv_text(rows, convoy_id))
        manifest["convoys"].append({
            "id": convoy_id, "dir": str(d.relative_to(out)), "rows": len(rows), "queries": len(times),
            "units": [u.name for u in units], "split": len(units) > 1,
            "turned_back": any(m.kind == "return" for m in units[0].moves),
            "max_true_speed_kmh": round(max(p.speed_kmh for u in units for p in u.phases), 3)})
        if not quiet and i % 50 == 0:
            print(f"generate: {i}/{cfg.convoys} convoys", file=sys.stderr, flush=True)
    (out / "updates.csv").write_text(",".join(COLUMNS) + "\n" + "".join(all_rows), encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    if not quiet:
        n_rows = sum(c["rows"] for c in manifest["convoys"])
        n_q = sum(c["queries"] for c in manifest["convoys"])
        print(f"generate: {cfg.convoys} convoys, {n_rows} rows, {n_q} query instants in {out} (seed {cfg.seed})",
              file=sys.stderr)
    return manifest


if __name__ == "__main__":
    main()
