"""`convoy view` with a hostile log (issue 17, finding 6): ids and quotes that try to run script, end
the page's script early, or fill the page's template, in a real Chromium driven by Playwright.
The page must draw every track, run no injected code, and show the hostile text literally."""
import csv
import io
import json
import re

import pytest
from conftest import open_in_chromium

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright drives Chromium (Tests/clients/requirements.txt)")

# Each payload, if it ran, would set document.title or a global that the test reads.
CONVOY = "c<img/src/onerror=document.title='pwned-convoy'>"
UNIT = "u<svg/onload=window.pwnedUnit=1>"
SECOND_CONVOY = "__proto__"
QUOTE = ("They left </script><script>window.pwnedQuote=1</script> and <!--<script> then {{LANDMARKS}} {{DATA}} "
         "{{NONCE}} line para <img src=x onerror=\"window.pwnedImg=1\">")
# (U+2028 and U+2029, which end a JavaScript string in old engines, are refused by the log itself:
# docs/route.md, "Checks"; ViewPageTests checks the page escapes them in any other text.)
SOURCE = "<a href=javascript:window.pwnedLink=1>src</a> & </style>"
HEADER = ["time", "convoy", "unit", "parent", "location", "status", "vehicles", "people", "source", "quote", "note", "road"]
ROWS = [
    ["2017-08-28T06:00", CONVOY, UNIT, "", "at Qara", "departed", "17 buses", "", SOURCE, QUOTE, "", ""],
    ["2017-08-29T06:00", CONVOY, UNIT, "", "at Palmyra", "moving", "", "~300 <b>people</b>", "s2", "second </SCRIPT >", "", ""],
    ["2017-08-28T08:00", SECOND_CONVOY, "constructor", "", "at Qara", "departed", "", "", "s3", "plain", "", ""],
    ["2017-08-30T08:00", SECOND_CONVOY, "constructor", "", "at As Sukhnah", "halted", "", "", "s3", "plain too", "", ""],
]
INJECTED = ["pwnedUnit", "pwnedQuote", "pwnedImg", "pwnedLink", "cspBreached"]


@pytest.fixture(scope="module")
def hostile(convoy, workdir):
    """The hostile log, its view page and its GeoJSON export."""
    log = workdir / "hostile.csv"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER] + ROWS)
    log.write_text(out.getvalue(), encoding="utf-8")
    page, geojson = workdir / "hostile.html", workdir / "hostile.geojson"
    convoy("view", "--updates", str(log), "-o", str(page))
    convoy("export", "--updates", str(log), "--format", "geojson", "-o", str(geojson))
    return page, json.loads(geojson.read_text(encoding="utf-8"))


def data_block(html, name):
    match = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no {name} block"
    return match.group(1)


def test_the_hostile_text_reaches_the_page_only_as_escaped_json(hostile):
    page, geojson = hostile
    html = page.read_text(encoding="utf-8")
    block = data_block(html, "convoy-data")
    for dangerous in ("<", ">", "&", "\u2028", "\u2029"):
        assert dangerous not in block
    # The block's data is the export's, unchanged by the escaping.
    assert json.loads(block) == geojson
    # The page's own markup is all there is: no element, comment or placeholder came from the log
    # (the head holds only the title, the policy and Leaflet, whose own comments show HTML).
    body = html.split("</head>", 1)[1]
    assert "<img" not in body and "<svg" not in body and "<!--" not in body
    assert len(re.findall(r"</script", body, re.I)) == len(re.findall(r"<script", body, re.I)) == 3
    assert "{{" not in body.replace(block, "")  # the quote keeps its braces, as data
    assert "<title>convoy</title>" in html


def test_the_page_has_a_csp_without_inline_handlers_or_foreign_scripts(hostile):
    html = hostile[0].read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert meta, "no Content-Security-Policy"
    policy = meta.group(1).replace("&#39;", "'")
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    nonce = re.fullmatch(r"'nonce-([0-9a-f]{32})'", directives["script-src"])
    assert nonce, directives["script-src"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "unsafe-hashes" not in policy
    # Every executable script carries the nonce; the data blocks are not executable.
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'type="application/json"' in tag or f'nonce="{nonce.group(1)}"' in tag, tag
    # Offline: Leaflet is inlined from libjs-leaflet, nothing is loaded from elsewhere.
    assert "<script src=" not in html and "<link" not in html


@pytest.fixture(scope="module")
def browser_page(hostile):
    """The page open in Chromium, with what it logged."""
    yield from open_in_chromium(hostile[0], "body[data-tracks]")


def injected(page):
    return {name: page.evaluate(f"window[{json.dumps(name)}]") for name in INJECTED}


def test_chromium_draws_every_track_and_runs_no_injected_code(browser_page, hostile):
    page, errors, violations = browser_page
    tracks = [f for f in hostile[1]["features"] if f["properties"]["kind"] == "track" and f["geometry"]["type"] == "LineString"]
    observations = [f for f in hostile[1]["features"] if f["properties"]["kind"] == "observation"]
    assert len(tracks) == 2
    assert page.get_attribute("body", "data-tracks") == str(len(tracks))
    assert page.locator("path.convoy-track").count() == len(tracks)
    assert page.locator("path.convoy-observation").count() == len(observations)
    assert page.locator("path.convoy-place").count() > 0  # landmarks, for orientation offline
    assert errors == [], errors
    assert violations == [], violations
    assert page.title() == "convoy"
    assert injected(page) == {name: None for name in INJECTED}
    # The legend names both convoys as written.
    rows = [row.text_content() for row in page.locator("#legend > div").all()]
    assert sorted(rows) == sorted([CONVOY, SECOND_CONVOY])


def test_the_unit_tooltip_shows_the_ids_literally(browser_page):
    page = browser_page[0]
    shown = []
    for marker in page.locator("path.convoy-unit").all():
        marker.dispatch_event("mouseover")
        shown.append(page.locator(".leaflet-tooltip:not(.convoy-place-label)").last.text_content())
        marker.dispatch_event("mouseout")
    assert sorted(shown) == sorted([f"{CONVOY} / {UNIT}", f"{SECOND_CONVOY} / constructor"])
    assert page.locator(".leaflet-tooltip img, .leaflet-tooltip svg").count() == 0
    assert page.title() == "convoy" and injected(page)["pwnedUnit"] is None


def test_the_observation_popup_shows_the_quote_and_source_literally(browser_page):
    page = browser_page[0]
    texts = []
    for marker in page.locator("path.convoy-observation").all():
        marker.dispatch_event("click")
        popup = page.locator(".leaflet-popup-content").last
        popup.wait_for(timeout=5_000)
        texts.append(popup.text_content())
        assert popup.locator("img, script, svg, a, b").count() == 0
        page.locator(".leaflet-popup-close-button").last.click()
    joined = "\n".join(texts)
    assert f"“{QUOTE}”" in joined
    assert SOURCE in joined
    assert "people: ~300 <b>people</b>" in joined
    assert injected(page) == {name: None for name in INJECTED}
    assert page.title() == "convoy"


def test_the_csp_blocks_an_inline_handler_even_if_markup_got_in(browser_page):
    # Defence in depth: were escaping ever to fail, the policy still stops inline handlers.
    page, _, violations = browser_page
    page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', e => { window.lastViolation = e.violatedDirective; resolve(); }, { once: true });
        document.body.insertAdjacentHTML('beforeend', '<img src="data:," onerror="window.cspBreached=1" onload="window.cspBreached=1">');
        setTimeout(resolve, 2000);
    })""")
    assert page.evaluate("window.cspBreached") is None
    assert page.evaluate("window.lastViolation") in ("script-src-attr", "script-src", "script-src-elem")
