"""The exact prism of issue 19 (Benchmarks/simulate/exact.py) against `convoy where`.

On a small simulation, exact.py computes for every unit-query an inner bound of the exact feasible
set (positions from which a trajectory at no more than the maximum speed meets every report, read
independently of convoy and of the generator). Every sample of it must lie on convoy's answer — a
far stronger check of the prism arithmetic than "the truth is in the answer" — and the truth must
lie in it (the reading is right). A stand-in convoy whose answers are cut short shows the check
failing; a line of road with known answers checks the arithmetic itself.
"""
import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Benchmarks" / "simulate"))
os.environ["SIMULATE_NO_VENV"] = "1"
import exact  # noqa: E402
import generate  # noqa: E402
import score  # noqa: E402

CONVOY = os.environ.get("CONVOY_BIN", str(ROOT / ".build" / "debug" / "convoy"))
HOUR = 3600.0
KMH100 = 100 / 3.6


# ------------------------------------------------------------------------- the arithmetic by hand

KM = np.arange(0, 201) * 1000.0  # a straight road 200 km long, a sample every km
LINE = np.abs(KM[:, None] - KM[None, :])


def at_km(*kms):
    return np.isin(KM, np.array(kms) * 1000.0)


def inner_km(rows, t):
    """The km marks of the inner set at t (hours) for rows [(region mask, (a, b) in hours)]."""
    F, G = exact.prism(LINE, [m for m, _ in rows], [(a * HOUR, b * HOUR) for _, (a, b) in rows], KMH100)
    inside = ((F <= t * HOUR) & (t * HOUR <= G)).any(axis=0)
    return (KM[inside] / 1000).astype(int).tolist()


def km_range(a, b):
    return list(range(a, b + 1))


def test_the_prism_on_a_straight_road():
    at0, at100 = (at_km(0), (0, 0)), (at_km(100), (1.5, 1.5))
    assert inner_km([at0, at100], 1) == km_range(50, 100)  # 100 km/h from 0, 50 km from 100 at t = 1 h
    assert inner_km([at0, at100], -1) == km_range(0, 100)  # before the first report: 100 km back in time
    assert inner_km([at0, at100], 3) == km_range(0, 200)  # after the last: 150 km around km 100
    assert inner_km([at0, (at_km(100), (1.5, 4))], 1) == km_range(0, 100)  # the later window leaves time
    assert inner_km([at0, (at_km(0), (5, 5))], 2) == km_range(0, 200)  # out and back: waiting allowed
    assert inner_km([at0, (at_km(0), (5, 5))], 4) == km_range(0, 100)
    assert inner_km([at0, (at_km(200), (1, 1))], 0.5) == []  # 200 km in an hour: no trajectory
    # a region with a window: somewhere in km 40-60 between 1 h and 2 h, at km 0 at 0 h
    assert inner_km([at0, (at_km(*range(40, 61)), (1, 2))], 0.5) == km_range(0, 50)
    assert inner_km([at0, (at_km(*range(40, 61)), (1, 2))], 1.5) == km_range(0, 110)


def test_rows_of_one_window_are_met_in_either_order():
    """At km 0 and at km 200 within the same 3 hours (2 h apart at 100 km/h): half an hour in, the
    unit is within 50 km of the end it visits first, either end; one order alone gives one end."""
    masks, windows = [at_km(0), at_km(200)], [(0.0, 3 * HOUR)] * 2
    p = exact.Prism(exact.DenseSpace(LINE, KMH100), masks, windows)
    assert p.exact and sorted(p.family) == [0, 1, 2, 3]
    assert (KM[p.at(0.5 * HOUR)] / 1000).astype(int).tolist() == km_range(0, 50) + km_range(150, 200)
    assert inner_km([(at_km(0), (0, 3)), (at_km(200), (0, 3))], 0.5) == km_range(0, 50)  # that order alone
    # rows whose windows do not overlap are met in their order only
    assert exact.ideals([(0, 1), (2, 3), (2.5, 4)]) == [0, 1, 3, 5, 7]


def test_the_sampled_space_is_the_dense_one():
    """Arrivals through the vertices of the network equal those over the full distance matrix."""
    S = exact.Samples(exact.world(), 5000.0)
    dense, sampled = exact.DenseSpace(S.D, KMH100), exact.SampledSpace(S, KMH100)
    rng = np.random.default_rng(19)
    for _ in range(5):
        e = np.where(rng.random(len(S)) < 0.05, rng.uniform(0, 1e5, len(S)), np.inf)
        assert np.allclose(dense.forward(e), sampled.forward(e), rtol=0, atol=1e-6)
        assert np.allclose(dense.backward(-e), sampled.backward(-e), rtol=0, atol=1e-6)


# ------------------------------------------------------------------------------ the simulation

@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    """6 convoys × 10 queries (seed 19), in the grammar this convoy reads."""
    out = tmp_path_factory.mktemp("exact-simulation")
    syntax = score.area_syntax(CONVOY, out / "probe.sqlite")
    generate.generate(generate.Config(convoys=6, queries=(10, 10), seed=19, area_syntax=syntax, split_share=0.25,
                                      turnback_share=0.5), out, quiet=True)
    return out


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    return tmp_path_factory.mktemp("exact-answers")


@pytest.fixture(scope="module")
def measured(sim, answers):
    """exact.py's measures, `where`'s answers kept in `answers`."""
    return exact.measure(sim, CONVOY, spacing=1000.0, jobs=2, progress=False, answers_dir=answers)


def test_the_truth_is_in_every_inner_set(measured):
    summary, _ = measured
    assert not summary["errors"], summary["errors"]
    assert summary["unit_queries"] >= 6 * 10
    t = summary["truth_within_spacing"]
    assert t["ok"] == t["n"] and summary["empty_inner_sets"] == 0, exact.table(summary, [])
    assert summary["toward_previous_agrees"]["agree"] == summary["toward_previous_agrees"]["n"]


def test_every_inner_sample_is_on_wheres_answer(measured):
    summary, results = measured
    listing = exact.table(summary, exact.worst(results, 10))
    assert summary["unanswered"] == 0, listing
    assert summary["samples_checked"] > 10_000, listing
    assert summary["samples_outside"] == 0, listing


def cut_in_half(stretch):
    """Shortens the stretch's longest line (of its `parts`, else its `geometry`) to its first half."""
    lines = stretch.get("parts") or [stretch["geometry"]]
    length = lambda a, b: exact.wgs84_inverse((a[1], a[0]), (b[1], b[0]))[0]
    k = max(range(len(lines)), key=lambda i: sum(length(a, b) for a, b in zip(lines[i], lines[i][1:])))
    coords = lines[k]
    half, run = sum(length(a, b) for a, b in zip(coords, coords[1:])) / 2, 0.0
    for i, (a, b) in enumerate(zip(coords, coords[1:])):
        if run + length(a, b) >= half:
            r = exact.GEOD.InverseLine(a[1], a[0], b[1], b[0]).Position(half - run)
            lines[k] = coords[:i + 1] + [[r["lon2"], r["lat2"]]]
            break
        run += length(a, b)
    if stretch.get("parts"):
        stretch["parts"] = lines
    else:
        stretch["geometry"] = lines[0]


def test_the_check_fails_when_an_answer_is_cut_short(sim, measured, answers, tmp_path):
    """`where`'s own answers with the longest line of every stretch cut in half: the samples of the
    removed halves are listed, each more than 100 m from the shortened answer and on the real one."""
    real = {}
    for path in sorted(answers.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for q in doc.get("queries", [doc]):
            for unit in q["units"]:
                real[(unit["convoy"], unit["unit"], round(score.unix(q["at"])))] = json.loads(json.dumps(unit["feasible"]))
                for stretch in unit["feasible"]["stretches"]:
                    cut_in_half(stretch)
        (tmp_path / path.name).write_text(json.dumps(doc), encoding="utf-8")
    assert len(real) >= measured[0]["unit_queries"]  # convoy also answers a parent until its split window ends
    summary, results = exact.measure(sim, "/nonexistent/convoy-is-not-run", spacing=1000.0, jobs=2, progress=False,
                                     answers_dir=tmp_path)
    outside = exact.worst(results, None)
    listing = exact.table(summary, outside[:5])
    assert not summary["errors"], summary["errors"]
    assert summary["samples_outside"] > 0.02 * summary["samples_checked"], listing
    assert summary["queries_with_samples_outside"] > 0.9 * summary["unit_queries"], listing
    # Every listed sample is truly outside the cut answer; a spread of them (every 25th: the
    # distance to the set is slow in Python) lies on the real one.
    for a in outside:
        for s in a["outside_samples"]:
            assert s["outside_m"] > score.ON_SET_M
    for a in outside:
        for s in a["outside_samples"][::25]:
            assert score.distance_to_set(real[(a["convoy"], a["unit"], round(a["t"]))], (s["lat"], s["lon"])) <= score.ON_SET_M
