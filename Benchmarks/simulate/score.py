#!/usr/bin/env python3
"""Scores `convoy where` against the truth of a simulation made by generate.py (issue 19).

    python3 Benchmarks/simulate/score.py /tmp/sim --convoy-bin .build/release/convoy [--json] [--misses 20]

For each convoy it runs `convoy where --updates LOG --times FILE --json --convoy ID --db TMP`,
`convoy export --format geojson` and `convoy replay --json` on the convoy's log, and compares
every answer with the truth at that instant. Both shapes of `where --json` are read, per unit:

* today's (docs/route.md): `lat`, `lon`, `uncertainty_m`. Contained: the truth within
  uncertainty_m (+1 m for the printed rounding) of the estimate.
* the feasible set of issue 19: a unit with `feasible: {length_m, stretches: [{geometry:
  [[lon, lat], …], parts: [[[lon, lat], …], …], …}]}`. Contained: the truth within 100 m of one of
  a stretch's `parts` (or of its `geometry` when it has no parts; its segments
  taken as geodesics); reported beside it, the weaker check of the truth within uncertainty_m of
  the estimate.

A truth unit that the answer lacks is a miss ("absent"). Sharpness: median and 90th percentile
of uncertainty_m, of the best estimate's error (geodesic, estimate to truth) and, for the
feasible set, of its total length. Speed plausibility: the largest speed between consecutive
vertices of the exported tracks (times from properties.times), against --max-speed. Anomalies:
replay's, by kind; speed anomalies on a log whose truth never exceeds the maximum are false alarms.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    import bootstrap

    bootstrap.ensure_venv()

import numpy as np  # noqa: E402

from simnet import Polyline, distance  # noqa: E402

STATE_WORDS = {"wait": "not yet departed", "drive": "moving", "halt": "halted on the way", "dest": "halted at a destination",
               "end": "arrived for good"}
ON_SET_M = 100.0  # the truth is on the feasible set when this close to one of its lines
ROUNDING_M = 1.0  # uncertainty_m and lat/lon are printed rounded
ROOT = HERE.parents[1]


def unix(text):
    """Seconds since 1970 of an RFC 3339 time such as 2017-08-30T13:50:00Z or …T13:50:00.000Z."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def run(args, env=None):
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env)
    return proc


def area_syntax(convoy_bin, db=None):
    """`in` when this convoy reads `in AREA` (issue 19), else `at` (the same disc in today's grammar)."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "probe.csv"
        log.write_text("time,convoy,unit,parent,location,status,vehicles,people,source,quote,note,road\n"
                       "2017-08-28,probe,main,,in Homs Governorate,moving,,,simulation,probe,,\n", encoding="utf-8")
        proc = run([convoy_bin, "replay", "--updates", log, "--json", "--db", db or Path(tmp) / "probe.sqlite"])
        return "in" if proc.returncode == 0 else "at"


# ------------------------------------------------------------------------------------- the truth

class Convoy:
    def __init__(self, sim, entry):
        self.id = entry["id"]
        self.dir = sim / entry["dir"]
        self.truth = json.loads((self.dir / "truth.json").read_text(encoding="utf-8"))
        self.units = {u["unit"]: u for u in self.truth["units"]}
        self.queries = []  # (t, unit, (lat, lon), state, time text)
        with open(self.dir / "queries.csv", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                self.queries.append((unix(r["time"]), r["unit"], (float(r["lat"]), float(r["lon"])), r["state"], r["time"]))

    def lineage_rows(self, unit):
        names = {unit}
        parent = self.units[unit]["parent"]
        while parent:
            names.add(parent)
            parent = self.units[parent]["parent"]
        return [r for r in self.truth["rows"] if r["unit"] in names]

    def report_phase(self, unit, t):
        rows = self.lineage_rows(unit)
        if not rows:
            return "no-reports"
        if t < min(r["window_unix"][0] for r in rows):
            return "before-first-report"
        if t > max(r["window_unix"][1] for r in rows):
            return "after-last-report"
        if any(r["window_unix"][0] <= t <= r["window_unix"][1] for r in rows):
            return "during-report"
        return "between-reports"

    def rows_around(self, unit, t):
        rows = sorted(self.lineage_rows(unit), key=lambda r: (r["window_unix"][0], r["line"]))
        inside = [r for r in rows if r["window_unix"][0] <= t <= r["window_unix"][1]]
        before = [r for r in rows if r["window_unix"][1] < t]
        after = [r for r in rows if r["window_unix"][0] > t]
        pick = before[-1:] + inside + after[:1]
        return [{"line": r["line"], "unit": r["unit"], "time": r["time"], "location": r["location"], "status": r["status"],
                 "true_at": r["true_at"]} for r in pick]


# ----------------------------------------------------------------------------------- one answer

def has_feasible_set(unit):
    return isinstance(unit.get("feasible"), dict) and isinstance(unit["feasible"].get("stretches"), list)


def distance_to_set(feasible, p, stop_below=ON_SET_M):
    """Geodesic distance from p to the nearest point of the feasible set's lines."""
    best = math.inf
    for stretch in feasible.get("stretches") or []:
        # A branching stretch's `geometry` is its parts joined end to end: the joins are not part of
        # the set, so its `parts` (each a line of the set) are read when the answer gives them.
        lines = stretch.get("parts") or [stretch.get("geometry") or []]
        for coords in lines:
            pts = [(float(c[1]), float(c[0])) for c in coords if isinstance(c, (list, tuple)) and len(c) >= 2]
            if not pts:
                continue
            d, _ = Polyline(pts).nearest(p, stop_below=stop_below)
            best = min(best, d)
            if best <= stop_below:
                return best
    return best


def score_unit(unit, truth_point):
    """The scores of one answer unit against the true (lat, lon)."""
    out = {"phase": unit.get("phase"), "uncertainty_m": unit.get("uncertainty_m"), "shape": "feasible" if has_feasible_set(unit) else "radius"}
    lat, lon = unit.get("lat"), unit.get("lon")
    err = distance((lat, lon), truth_point) if lat is not None and lon is not None else math.inf
    out["error_m"] = err
    r = unit.get("uncertainty_m")
    out["in_radius"] = r is not None and err <= r + ROUNDING_M
    if out["shape"] == "feasible":
        d = distance_to_set(unit["feasible"], truth_point)
        out["set_distance_m"] = d
        out["length_m"] = unit["feasible"].get("length_m")
        out["contained"] = d <= ON_SET_M
        out["outside_m"] = 0.0 if out["contained"] else d
    else:
        out["contained"] = out["in_radius"]
        out["outside_m"] = 0.0 if out["contained"] else (err - (r or 0.0))
    return out


def answers_by_time(doc):
    queries = doc["queries"] if isinstance(doc, dict) and "queries" in doc else [doc]
    return {round(unix(q["at"])): q for q in queries if q.get("at")}


# --------------------------------------------------------------------------------- one convoy

def score_convoy(convoy: Convoy, convoy_bin, db, max_speed):
    log = convoy.dir / "updates.csv"
    res = {"convoy": convoy.id, "answers": [], "errors": [], "speeds": [], "anomalies": {}}
    proc = run([convoy_bin, "where", "--updates", log, "--times", convoy.dir / "times.txt", "--json", "--convoy", convoy.id,
                "--db", db])
    if proc.returncode != 0:
        res["errors"].append(f"where exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
        doc = {"queries": []}
    else:
        doc = json.loads(proc.stdout)
    answers = answers_by_time(doc)
    for t, unit, point, state, text in convoy.queries:
        q = answers.get(round(t))
        rec = {"convoy": convoy.id, "unit": unit, "time": text, "t": t, "state": state,
               "report_phase": convoy.report_phase(unit, t), "truth": point}
        got = None if q is None else next((u for u in q.get("units", []) if u.get("unit") == unit and
                                           u.get("convoy", convoy.id) == convoy.id), None)
        if got is None:
            absent = q is not None and any(a.get("convoy") == convoy.id for a in q.get("absent", []))
            rec.update(found=False, contained=False, in_radius=False, shape=None,
                       reason="no answer" if q is None else "absent" if absent else "unit missing")
        else:
            rec.update(found=True, **score_unit(got, point))
            rec["estimate"] = (got.get("lat"), got.get("lon"))
        res["answers"].append(rec)
    # speeds of the exported tracks
    proc = run([convoy_bin, "export", "--format", "geojson", "--updates", log, "--convoy", convoy.id, "--db", db])
    if proc.returncode != 0:
        res["errors"].append(f"export exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    else:
        for f in json.loads(proc.stdout).get("features", []):
            props, geom = f.get("properties") or {}, f.get("geometry") or {}
            times = props.get("times")
            if geom.get("type") != "LineString" or not isinstance(times, list) or props.get("kind", "track") != "track":
                continue
            coords = geom["coordinates"]
            if len(times) != len(coords):
                res["errors"].append(f"export: {props.get('unit')}: {len(times)} times for {len(coords)} positions")
                continue
            for i in range(1, len(coords)):
                a, b = coords[i - 1], coords[i]
                d = distance((a[1], a[0]), (b[1], b[0]))
                dt = unix(times[i]) - unix(times[i - 1])
                v = d / dt * 3.6 if dt > 0 else (math.inf if d > 0.5 else 0.0)
                res["speeds"].append((v, props.get("unit"), times[i - 1], times[i], d))
    # anomalies
    proc = run([convoy_bin, "replay", "--updates", log, "--json", "--convoy", convoy.id, "--db", db])
    if proc.returncode not in (0, 1):
        res["errors"].append(f"replay exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    elif proc.stdout.strip():
        for state in json.loads(proc.stdout):
            for a in state.get("anomalies", []):
                res["anomalies"][a.get("kind")] = res["anomalies"].get(a.get("kind"), 0) + 1
    res["speeds"].sort(key=lambda x: -x[0])
    res["max_speed_kmh"] = res["speeds"][0][0] if res["speeds"] else 0.0
    # Over the maximum beyond what the export's rounding allows: positions to 1e-6° (≤ 0.15 m at
    # each end) and times to the millisecond.
    def over(v_kmh, d):
        if v_kmh <= max_speed:
            return False
        dt = d / (v_kmh / 3.6) if math.isfinite(v_kmh) else 0.0
        return d - 0.3 > max_speed / 3.6 * (dt + 0.001)
    res["segments_over"] = sum(1 for s in res["speeds"] if over(s[0], s[4]))
    res["speeds"] = res["speeds"][:3]
    res["max_true_speed_kmh"] = convoy.truth["max_true_speed_kmh"]
    return res


# ---------------------------------------------------------------------------------------- all

def pct(values, q):
    vals = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.percentile(vals, q)) if vals else None


def summarise(results, convoys, max_speed, manifest):
    answers = [a for r in results for a in r["answers"]]
    found = [a for a in answers if a["found"]]
    shapes = {a["shape"] for a in found}
    shape = "feasible" if shapes == {"feasible"} else "radius" if shapes == {"radius"} else "mixed" if shapes else "none"

    def share(items, key="contained"):
        return {"n": len(items), "contained": sum(1 for a in items if a[key]),
                "percent": round(100 * sum(1 for a in items if a[key]) / len(items), 2) if items else None}

    def by(key, words=None):
        label = lambda a: (words or {}).get(a.get(key), a.get(key)) if a.get("found") or key != "phase" else "(not answered)"
        return {k: share([a for a in answers if label(a) == k]) for k in sorted({label(a) for a in answers}, key=str)}

    speeds = [s for r in results for s in r["speeds"]]
    speeds.sort(key=lambda s: -s[0])
    speed_kinds = [k for r in results for k in r["anomalies"] if k and ("speed" in k or "contradict" in k)]
    over_truth = [r for r in results if r["max_true_speed_kmh"] > max_speed]
    flagged = [r for r in results if any(k and ("speed" in k or "contradict" in k) for k in r["anomalies"])]
    anomalies = {}
    for r in results:
        for k, n in r["anomalies"].items():
            anomalies[k] = anomalies.get(k, 0) + n
    s = {
        "shape": shape,
        "convoys": len(results), "units": sum(len(c.units) for c in convoys), "rows": sum(len(c.truth["rows"]) for c in convoys),
        "answers": len(answers), "found": len(found),
        "contained": share(answers),
        "contained_in_radius": share(answers, "in_radius"),
        "by_report_phase": by("report_phase"),
        "by_model_phase": by("phase"),
        "by_truth_state": by("state", STATE_WORDS),
        "missing": {k: sum(1 for a in answers if not a["found"] and a["reason"] == k) for k in ("absent", "unit missing", "no answer")},
        "uncertainty_m": {"median": pct([a["uncertainty_m"] for a in found], 50), "p90": pct([a["uncertainty_m"] for a in found], 90)},
        "error_m": {"median": pct([a["error_m"] for a in found], 50), "p90": pct([a["error_m"] for a in found], 90)},
        "feasible_length_m": {"median": pct([a.get("length_m") for a in found if a["shape"] == "feasible"], 50),
                              "p90": pct([a.get("length_m") for a in found if a["shape"] == "feasible"], 90)},
        "export_speed": {"max_kmh": speeds[0][0] if speeds else None, "model_max_kmh": max_speed,
                         "segments_over_max": sum(r["segments_over"] for r in results),
                         "convoys_over_max": sum(1 for r in results if r["segments_over"]),
                         "worst": sorted(({"convoy": r["convoy"], "unit": x[1], "from": x[2], "to": x[3],
                                           "distance_m": round(x[4], 1), "kmh": x[0] if math.isfinite(x[0]) else "inf"}
                                          for r in results for x in r["speeds"][:1]),
                                         key=lambda x: -(x["kmh"] if x["kmh"] != "inf" else math.inf))[:5]},
        "truth_speed": {"max_kmh": max(r["max_true_speed_kmh"] for r in results) if results else None,
                        "convoys_over_max": len(over_truth)},
        "anomalies": anomalies,
        "speed_anomalies": {"convoys_flagged": len(flagged),
                            "false_alarms": sum(1 for r in flagged if r["max_true_speed_kmh"] <= max_speed),
                            "detected": sum(1 for r in flagged if r["max_true_speed_kmh"] > max_speed),
                            "kinds": sorted(set(speed_kinds))},
        "errors": [f"{r['convoy']}: {e}" for r in results for e in r["errors"]],
        "generator": manifest.get("config"),
    }
    return s


def misses(results, convoys, limit):
    by_id = {c.id: c for c in convoys}
    out = []
    for r in results:
        for a in r["answers"]:
            if not a["contained"]:
                c = by_id[a["convoy"]]
                out.append({"convoy": a["convoy"], "unit": a["unit"], "time": a["time"], "report_phase": a["report_phase"],
                            "model_phase": a.get("phase"), "truth_state": a["state"],
                            "truth": [round(a["truth"][0], 6), round(a["truth"][1], 6)],
                            "estimate": a.get("estimate"), "uncertainty_m": a.get("uncertainty_m"),
                            "outside_m": round(a["outside_m"], 1) if a.get("found") else None,
                            "reason": a.get("reason", "outside"), "rows": c.rows_around(a["unit"], a["t"])})
    out.sort(key=lambda m: (m["outside_m"] is None, -(m["outside_m"] or 0.0)))
    return out[:limit] if limit is not None else out


def score(sim, convoy_bin, max_speed=100.0, jobs=2, progress=True):
    sim = Path(sim)
    manifest = json.loads((sim / "manifest.json").read_text(encoding="utf-8"))
    convoys = [Convoy(sim, e) for e in manifest["convoys"]]
    with tempfile.TemporaryDirectory(prefix="convoy-simulate-") as tmp:
        db = Path(tmp) / "convoy.sqlite"
        warm = run([convoy_bin, "places", "show", "Palmyra", "--db", db])  # builds the store once, before the parallel runs
        if warm.returncode != 0:
            sys.exit(f"score: {convoy_bin} places failed ({warm.returncode}): {warm.stderr.strip()}")
        results = []
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(score_convoy, c, convoy_bin, db, max_speed) for c in convoys]
            for i, f in enumerate(futures):
                results.append(f.result())
                if progress and (i + 1) % 25 == 0:
                    print(f"score: {i + 1}/{len(convoys)} convoys", file=sys.stderr, flush=True)
    return summarise(results, convoys, max_speed, manifest), results, convoys


def km(x):
    return "—" if x is None else f"{x / 1000:,.1f} km"


def table(s, miss_list):
    c, w = s["contained"], s["contained_in_radius"]
    lines = [
        f"where --json shape: {s['shape']}; {s['convoys']} convoys, {s['units']} units, {s['rows']} rows, "
        f"{s['answers']} unit-queries ({s['found']} answered)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| contained (the truth {'on the feasible set, ≤ 100 m' if s['shape'] == 'feasible' else 'within uncertainty_m of the estimate'}) "
        f"| {c['contained']} / {c['n']} = **{c['percent']} %** |",
    ]
    if s["shape"] in ("feasible", "mixed"):
        lines.append(f"| within uncertainty_m of the estimate (weaker) | {w['contained']} / {w['n']} = {w['percent']} % |")
    m = s["missing"]
    lines += [
        f"| not answered (absent / unit missing / no answer) | {m['absent']} / {m['unit missing']} / {m['no answer']} |",
        f"| uncertainty_m median / p90 | {km(s['uncertainty_m']['median'])} / {km(s['uncertainty_m']['p90'])} |",
        f"| best-estimate error median / p90 | {km(s['error_m']['median'])} / {km(s['error_m']['p90'])} |",
    ]
    if s["shape"] in ("feasible", "mixed"):
        lines.append(f"| feasible length median / p90 | {km(s['feasible_length_m']['median'])} / {km(s['feasible_length_m']['p90'])} |")
    e = s["export_speed"]
    mx = e["max_kmh"]
    lines += [
        f"| exported tracks: max implied speed (model max {e['model_max_kmh']:g} km/h) | "
        f"{'—' if mx is None else 'infinite' if not math.isfinite(mx) else f'{mx:,.0f} km/h'}; "
        f"{e['segments_over_max']} segments over the max in {e['convoys_over_max']} convoys |",
        f"| simulated truth: max speed | {s['truth_speed']['max_kmh']:.1f} km/h ({s['truth_speed']['convoys_over_max']} convoys over the max) |",
        f"| speed anomalies (replay): convoys flagged, of them false alarms | {s['speed_anomalies']['convoys_flagged']}, "
        f"{s['speed_anomalies']['false_alarms']} |",
        "",
        "| phase (from the reports' windows) | contained |",
        "|---|---|",
    ]
    for k, v in s["by_report_phase"].items():
        lines.append(f"| {k} | {v['contained']} / {v['n']} = {v['percent']} % |")
    lines += ["", "| model's phase | contained |", "|---|---|"]
    for k, v in s["by_model_phase"].items():
        lines.append(f"| {k} | {v['contained']} / {v['n']} = {v['percent']} % |")
    lines += ["", "| true state | contained |", "|---|---|"]
    for k, v in s["by_truth_state"].items():
        lines.append(f"| {k} | {v['contained']} / {v['n']} = {v['percent']} % |")
    if s["anomalies"]:
        lines += ["", "anomalies (replay): " + ", ".join(f"{k} {n}" for k, n in sorted(s["anomalies"].items()))]
    if s["errors"]:
        lines += ["", "ERRORS:"] + [f"  {e}" for e in s["errors"][:20]]
    if miss_list:
        lines += ["", f"misses (the {len(miss_list)} farthest outside):"]
        for mm in miss_list:
            out = "—" if mm["outside_m"] is None else f"{mm['outside_m'] / 1000:,.1f} km outside"
            lines.append(f"  {mm['convoy']}/{mm['unit']} at {mm['time']} ({mm['report_phase']}; model {mm['model_phase']}; truth "
                         f"{mm['truth_state']} at {mm['truth'][0]}, {mm['truth'][1]}): {mm['reason']}, {out}"
                         + (f", ±{mm['uncertainty_m'] / 1000:,.1f} km" if mm["uncertainty_m"] is not None else ""))
            for r in mm["rows"]:
                lines.append(f"      line {r['line']}: {r['time']} | {r['unit']} | {r['location'] or '(no location)'} | {r['status']}"
                             f" (true at {r['true_at']})")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("sim", nargs="?", help="a folder written by generate.py")
    ap.add_argument("--convoy-bin", default=os.environ.get("CONVOY_BIN", str(ROOT / ".build" / "debug" / "convoy")))
    ap.add_argument("--max-speed", type=float, default=None, help="the model's maximum, km/h (default: the generator's)")
    ap.add_argument("--jobs", type=int, default=2, help="convoy processes at once")
    ap.add_argument("--misses", type=int, default=20, help="list this many misses, farthest first (-1: all)")
    ap.add_argument("--json", action="store_true", help="print the summary and every miss as JSON")
    ap.add_argument("--probe-area-syntax", action="store_true",
                    help="print `in` if this convoy reads `in AREA`, else `at` (generate.py --area-syntax), and exit")
    args = ap.parse_args(argv)
    if args.probe_area_syntax:
        print(area_syntax(args.convoy_bin))
        return 0
    if not args.sim:
        ap.error("give the folder generate.py wrote")
    manifest = json.loads((Path(args.sim) / "manifest.json").read_text(encoding="utf-8"))
    max_speed = args.max_speed or manifest["config"]["max_speed"]
    summary, results, convoys = score(args.sim, args.convoy_bin, max_speed, args.jobs)
    miss_list = misses(results, convoys, None if args.misses < 0 else args.misses)
    summary["command"] = " ".join(["score.py", *(argv if argv is not None else sys.argv[1:])])
    if args.json:
        print(json.dumps({"summary": summary, "misses": miss_list}, indent=1, default=str))
    else:
        print(table(summary, miss_list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
