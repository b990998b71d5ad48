#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus (Fuzz/corpus/TARGET/) from the repository's own data: the seed
reports and update log, the bundled gazetteer, the test fixtures, and a few hostile inputs of the
kinds issue 17 lists. Deterministic; run it again when those files change. The cache target's seeds
are written by the cache harness itself (scripts/fuzz.sh --cache-seeds), since they are the
index's own files."""
import csv
import hashlib
import io
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT / "Fuzz" / "corpus"


def put(target, data, name=None, finding=False):
    """A seed, or with `finding` an input known to crash today (issue 17's findings), which goes to
    Fuzz/findings/TARGET/ so that CI's short runs are not failed by bugs fixed elsewhere; move it
    into the corpus once it is fixed."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = (ROOT / "Fuzz" / "findings" if finding else CORPUS) / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (name or hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)


def log_seeds():
    text = (ROOT / "seeds" / "updates.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    put("log-csv", text, "seed-updates.csv")

    def as_csv(records):
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header] + records)
        return out.getvalue()

    def as_jsonl(records, crlf=False):
        lines = [json.dumps({k: v for k, v in zip(header, r) if v}, ensure_ascii=False) for r in records]
        return ("\r\n" if crlf else "\n").join(lines) + "\n"

    for start in range(0, len(body), 4):
        put("log-csv", as_csv(body[start:start + 4]))
        put("log-jsonl", as_jsonl(body[start:start + 4]))
    put("log-jsonl", as_jsonl(body), "seed-updates.jsonl")
    put("log-jsonl", as_jsonl(body[:3], crlf=True), "crlf.jsonl")
    # Shapes the log reader and the model must take in their stride (issue 17, findings 1-4, 11, 14, 15).
    base = ["2017-08-28T06:00", "c", "main", "", "at Qara", "departed", "17 buses", "", "src", "q", "", ""]
    known = {  # issue 17's findings 1, 2 and 4: they trap today (Fuzz/FINDINGS.md)
        "issue17-f1-within-1e306-km": ["2017-08-28", "c", "main", "", "near Palmyra within 1e306 km", "moving", "", "", "s", "q", "", ""],
        "issue17-f1-1e305-km-ESE": ["2017-08-29", "c", "main", "", "1e305 km ESE of Palmyra", "moving", "", "", "s", "q", "", ""],
        "issue17-f2-count-overflow": ["2017-08-29", "c", "main", "", "at Palmyra", "moving", "9223372036854775807 buses + 1 ambulances", "", "s", "q", "", ""],
        "issue17-f4-year-0": ["0000-01-01", "c", "main", "", "at Palmyra", "moving", "", "", "s", "q", "", ""],
    }
    for name, row in known.items():
        put("log-csv", as_csv([base, row]), name + ".csv", finding=True)
        put("log-jsonl", as_jsonl([base, row]), name + ".jsonl", finding=True)
    hostile = [
        ["9999-12-31T23:59-14:00", "c", "main", "", "at Palmyra", "moving", "", "", "s", "q", "", ""],
        ["2017-08-29", "c", "b", "main", "at Humayma", "split", "6 buses", "", "s", "q", "", ""],
        ["2017-08-29", "c", "main", "b", "at Humayma", "split", "6 buses", "", "s", "q", "", ""],
        ["2017-08-29", "c<img/src/onerror=alert(1)>", "u</script>", "", "at Palmyra", "moving", "", "", "s", "<!--<script> {{LANDMARKS}} \u2028", "", ""],
        ["2017-08-29", "c", "main", "", "between Palmyra and Humayma", "halted", "", "", "s", "q\u0000nul", "", ""],
    ]
    for row in hostile:
        put("log-csv", as_csv([base, row]))
        put("log-jsonl", as_jsonl([base, row]))
    put("log-jsonl", '{"time":"2017-08-28","convoy":"c","location":"at Qara","status":"departed","vehicles":1e308,"people":true,"source":"s","quote":"q"}\n')
    put("log-jsonl", '{"time":"2017-08-28","convoy":"c","location":"at Qara","status":"departed","source":"s","quote":"\\ud800"}\n')


def gazetteer_seeds():
    collection = json.loads((ROOT / "Gazetteer" / "places.geojson").read_text(encoding="utf-8"))
    features = collection["features"]
    for size, step in ((1, 7), (2, 11), (5, 13)):
        for start in range(0, len(features), step * size):
            part = dict(collection, features=features[start:start + size])
            put("gazetteer", json.dumps(part, ensure_ascii=False, indent=1))
    put("gazetteer", json.dumps(dict(collection, features=[])), "empty-features.json")
    one = dict(features[0])
    one["properties"] = dict(one["properties"], uncertainty_m=1e308)
    put("gazetteer", json.dumps(dict(collection, features=[one])), "huge-uncertainty.json")


def geonames_seeds():
    lines = (ROOT / "Tests" / "ConvoyGazetteerTests" / "Fixtures" / "geonames-sample.txt").read_text(encoding="utf-8").splitlines(True)
    for start in range(0, len(lines), 3):
        put("geonames", "".join(lines[start:start + 3]))
    put("geonames", "".join(lines), "sample.txt")
    put("geonames", "# comment\n\n" + lines[0].replace("\t", ",", 3))


def check_seeds():
    # The first byte picks the format (0 text, 1 markdown, 2 html) and, with its high bit, small blocks.
    for report in sorted((ROOT / "seeds").glob("*.txt")):
        put("check", b"\x00" + report.read_bytes(), "seed-" + report.stem)
    fixtures = ROOT / "Tests" / "ConvoyCheckTests" / "Fixtures"
    for fixture in sorted(fixtures.iterdir()):
        control = {".md": 1, ".html": 2}.get(fixture.suffix, 0)
        put("check", bytes([control]) + fixture.read_bytes(), "fixture-" + fixture.name)
        put("check", bytes([control | 0x80]) + fixture.read_bytes(), "small-blocks-" + fixture.name)
    hostile = [
        (2, "<p>The convoy reached Palmyr&#97; and Arsaal&#39;s hills; Tadmur (Palmyra), &lt;Homs&gt;, Yormouk camp.</p>"),
        (2, "<p>Via <b>Abul</b> Kamal, <a href='x'>Deir ez-Zor</a>, Sh&eacute;ikh, &#x0627;&#x0644;</p><!-- Palmyra --><script>Homs</script>"),
        (1, "Near [Palmyra](https://x.org/Palmyra) and `Homs`, ```\nHama\n```\nTadmur (Palmyra) and تدمر and Yormouk."),
        (0, "Toward Abu Kamal (Albukamal), in Deir Ezzour, بحمص وحماة, near Ḩumaymah, at Palmira, in Yormouk camp.\n\n"),
        (0x42, "<div>In Yormouk&nbsp;camp &amp; Abul Kamal&rsquo;s edge, Tadmor (Palmyra)</div>"),
    ]
    for control, text in hostile:
        put("check", bytes([control]) + text.encode("utf-8"))
    put("check", b"\x00in Palm\xffyra near \xc3 Homs\xe2\x80", "invalid-utf8")


if __name__ == "__main__":
    log_seeds()
    gazetteer_seeds()
    geonames_seeds()
    check_seeds()
    for folder in sorted(CORPUS.iterdir()):
        print(f"{folder.name}: {len(list(folder.iterdir()))} seeds")
