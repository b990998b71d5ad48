"""`convoy view`'s time slider (issue 19): at the slider's time each unit shows its feasible stretch
(the export's `feasible` sample standing for that time), its best estimate (the model's track,
interpolated) and its track drawn only up to that time. Checked in a real Chromium against the
GeoJSON export of the same log, read independently here; the page's CSP stays intact."""
import json
import re
from datetime import datetime

import pytest
from conftest import open_in_chromium

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright drives Chromium (Tests/clients/requirements.txt)")


def ms(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000


@pytest.fixture(scope="module")
def seed_page(convoy, workdir):
    """The bundled log's view page and its GeoJSON export (the same model)."""
    page, geojson = workdir / "slider.html", workdir / "slider.geojson"
    convoy("view", "-o", str(page))
    convoy("export", "--format", "geojson", "-o", str(geojson))
    return page, json.loads(geojson.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser(seed_page):
    yield from open_in_chromium(seed_page[0], "body[data-state]")


def expected_state(geojson, t):
    """What the page should draw at t (ms), from the export: per unit the feasible sample whose
    [valid_from, valid_to) holds t, and per track the vertices up to t and the interpolated estimate."""
    expected = {}
    by_unit = {}
    for f in geojson["features"]:
        p = f["properties"]
        if p["kind"] == "feasible":
            by_unit.setdefault((p["convoy"], p["unit"]), []).append(f)
    for key, samples in by_unit.items():
        samples.sort(key=lambda f: ms(f["properties"]["time"]))
        chosen = [f for f in samples if ms(f["properties"]["valid_from"]) <= t < ms(f["properties"]["valid_to"])]
        if not chosen and ms(samples[-1]["properties"]["valid_to"]) == t:
            chosen = [samples[-1]]
        if chosen:
            g = chosen[0]["geometry"]
            parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
            expected[("feasible",) + key] = (chosen[0]["properties"]["time"].replace(".000Z", "Z"), sum(len(q) for q in parts))
        else:
            expected[("feasible",) + key] = (None, 0)
    for f in geojson["features"]:
        p = f["properties"]
        if p["kind"] != "track" or f["geometry"]["type"] != "LineString":
            continue
        times = [ms(s) for s in p["times"]]
        coords = [[c[1], c[0]] for c in f["geometry"]["coordinates"]]
        if t < times[0]:
            expected[("track", p["convoy"], p["unit"])] = (0, None)
            continue
        before = sum(1 for x in times if x <= t)
        if t >= times[-1]:
            point, count = coords[-1], len(coords)
        else:
            lo = before - 1
            hi = lo + 1
            frac = 0 if times[hi] == times[lo] else (t - times[lo]) / (times[hi] - times[lo])
            point = [coords[lo][0] + (coords[hi][0] - coords[lo][0]) * frac, coords[lo][1] + (coords[hi][1] - coords[lo][1]) * frac]
            count = before + (0 if point == coords[lo] else 1)
        expected[("track", p["convoy"], p["unit"])] = (count, point)
    return expected


def page_state(page, value):
    page.locator("#slider").fill(str(value))
    t = float(page.get_attribute("body", "data-time-ms"))
    state = json.loads(page.get_attribute("body", "data-state"))
    got = {}
    for s in state:
        if s["kind"] == "feasible":
            got[("feasible", s["convoy"], s["unit"])] = (s["sample"], s["points"])
        else:
            got[("track", s["convoy"], s["unit"])] = (s["points"], s["estimate"])
    return t, got


def test_at_two_slider_times_each_unit_shows_the_models_stretch_estimate_and_track_so_far(browser, seed_page):
    page, errors, violations = browser
    geojson = seed_page[1]
    states = []
    for value in (250, 600):
        t, got = page_state(page, value)
        want = expected_state(geojson, t)
        assert set(got) == set(want)
        for key, (a, b) in want.items():
            if key[0] == "feasible":
                assert got[key] == (a, b), (key, got[key], (a, b))
            else:
                assert got[key][0] == a, (key, got[key], (a, b))
                if b is None:
                    assert got[key][1] is None
                else:
                    assert max(abs(got[key][1][0] - b[0]), abs(got[key][1][1] - b[1])) < 1e-9, key
        # The map draws exactly that: one shaded stretch per unit with a sample, the others empty
        # (Leaflet draws an empty line as "M0 0").
        drawn = [d for d in page.locator("path.convoy-feasible").evaluate_all("ps => ps.map(p => p.getAttribute('d'))")]
        with_sample = sum(1 for k, v in want.items() if k[0] == "feasible" and v[0] is not None)
        assert with_sample > 0
        assert sum(1 for d in drawn if d and d != "M0 0") == with_sample, drawn
        states.append((t, got))
    (ta, a), (tb, b) = states
    assert ta < tb
    # The two times show different things, as the model says: some unit's stretch is another
    # sample, and some track is drawn further.
    assert any(a[k][0] != b[k][0] for k in a if k[0] == "feasible")
    assert any(b[k][0] > a[k][0] for k in a if k[0] == "track")
    assert errors == [], errors
    assert violations == [], violations


def test_the_slider_page_keeps_its_csp_and_has_no_inline_handlers(seed_page):
    html = seed_page[0].read_text(encoding="utf-8")
    body = html.split("</head>", 1)[1]
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", body, re.I), "an inline event handler"
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html).group(1).replace("&#39;", "'")
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert re.search(r"script-src 'nonce-[0-9a-f]{32}'", policy)
