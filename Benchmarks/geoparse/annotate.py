"""Authoring tool for the geoparsing corpus: inline-marked drafts ↔ text files with standoff annotations.

    python3 Benchmarks/geoparse/annotate.py build DRAFT…       # write corpus/<part>/<id>.* from drafts
    python3 Benchmarks/geoparse/annotate.py render [ID…|--part P] > DRAFT   # the inline view, to edit

Nobody computes offsets by hand: a paragraph is written (or edited) with its names marked inline, and
`build` writes the text exactly as a reader would see it plus the JSON standoff. `render` turns the
standoff back into the inline form (build ∘ render is the identity; the CI test checks it).

Draft syntax: paragraphs, each under a header line `=== ID FORMAT GENRE` (ID dev-en-001 …, FORMAT
text | markdown | html, GENRE one of corpus.GENRES); the paragraph is every line up to the next
header, trailing blank lines dropped. Inside it:

    [[Tabqa]]                 a TOPONYM; its place is the places.json entry with that name
    [[Humayma|=Humayma, JO]]  a TOPONYM of the place given (a name several places have)
    [[Damascus|X]]            a METONYM (place looked up the same way; |X=Place, CC to give it)
    [[Bashar al-Assad|P]]     PERSON     [[Jaish al-Islam|O]]   ORG
    [[Al Jazeera|M]]          OUTLET     [[Syrian|D]]           DEMONYM
    [[Euphrates Shield|E]]    OPERATION (a named military operation)
"""
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as C  # noqa: E402

CODES = {"T": "TOPONYM", "X": "METONYM", "P": "PERSON", "O": "ORG", "M": "OUTLET", "D": "DEMONYM", "E": "OPERATION"}
LETTER = {v: k for k, v in CODES.items()}
EXT = {v: k for k, v in C.FORMATS.items()}
MARK = re.compile(r"\[\[([^\[\]|]+?)(?:\|([A-Z]?)(?:=([^\]]+))?)?\]\]")
HEADER = re.compile(r"^=== (\S+) (\S+) (\S+)\s*$")


def name_index(places):
    index = {}
    for place, entry in places.items():
        for name in entry["names"]:
            index.setdefault(name, set()).add(place)
    return index


def parse_paragraph(body, places, index):
    """(text, annotations, problems) of one inline-marked paragraph."""
    out, anns, problems = [], [], []
    pos = 0
    length = 0
    for m in MARK.finditer(body):
        chunk = body[pos:m.start()]
        out.append(chunk)
        length += len(chunk)
        surface, code, place = m.group(1), m.group(2) or "T", m.group(3)
        if code not in CODES:
            problems.append(f"unknown code |{code} in {m.group(0)}")
            code = "T"
        kind = CODES[code]
        ann = {"start": length, "end": length + len(surface), "text": surface, "type": kind}
        if kind in C.POSITIVE:
            if place is None:
                found = index.get(surface, set())
                if len(found) != 1:
                    problems.append(f"'{surface}': {'no place has this name' if not found else 'names ' + ', '.join(sorted(found))}")
                    place = "?"
                else:
                    place = next(iter(found))
            elif place not in places:
                problems.append(f"'{surface}': place '{place}' is not in places.json")
            ann["place"] = place
        elif place is not None:
            problems.append(f"'{surface}': only toponyms and metonyms name a place")
        anns.append(ann)
        out.append(surface)
        length += len(surface)
        pos = m.end()
    out.append(body[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        problems.append("an unclosed [[ or ]] is left in the text")
    return text, anns, problems


def read_drafts(paths):
    paragraphs = []
    for path in paths:
        current = None
        for line in Path(path).read_text(encoding="utf-8").splitlines(keepends=True):
            m = HEADER.match(line)
            if m:
                current = {"id": m.group(1), "format": m.group(2), "genre": m.group(3), "lines": [], "src": path}
                paragraphs.append(current)
            elif current is not None:
                current["lines"].append(line)
            elif line.strip():
                raise SystemExit(f"{path}: text before the first '=== ID FORMAT GENRE' header")
    return paragraphs


def build(paths, root=C.CORPUS):
    places = C.load_places(root)
    index = name_index(places)
    problems = 0
    written = []
    for p in read_drafts(paths):
        body = "".join(p["lines"]).rstrip("\n") + "\n"
        text, anns, issues = parse_paragraph(body, places, index)
        for issue in issues:
            print(f"{p['src']}: {p['id']}: {issue}", file=sys.stderr)
        problems += len(issues)
        if p["format"] not in EXT:
            print(f"{p['src']}: {p['id']}: format must be one of {sorted(EXT)}", file=sys.stderr)
            problems += 1
            continue
        part, lang = p["id"].split("-")[:2]
        folder = root / part
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(p["id"] + ".*"):
            old.unlink()
        name = p["id"] + EXT[p["format"]]
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
        meta = {"id": p["id"], "part": part, "lang": lang, "format": p["format"], "genre": p["genre"], "file": name,
                "offsets": "unicode scalars, end exclusive", "annotations": anns}
        (folder / (p["id"] + ".json")).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8", newline="\n")
        written.append(p["id"])
    print(f"wrote {len(written)} paragraphs; {problems} problems", file=sys.stderr)
    return problems


def render_doc(d, index):
    out, pos = [], 0
    for a in d.annotations:
        out.append(d.text[pos:a["start"]])
        code = LETTER[a["type"]]
        suffix = "" if code == "T" else "|" + code
        if a["type"] in C.POSITIVE and index.get(a["text"]) != {a["place"]}:
            suffix = ("|" if code == "T" else suffix) + "=" + a["place"]
        out.append(f"[[{a['text']}{suffix}]]")
        pos = a["end"]
    out.append(d.text[pos:])
    return f"=== {d.id} {d.format} {d.genre}\n" + "".join(out)


def render(args, root=C.CORPUS):
    parts = C.PARTS
    if args[:1] == ["--part"]:
        parts, args = (args[1],), args[2:]
    index = name_index(C.load_places(root))
    docs = [d for d in C.load(parts, root) if not args or d.id in args]
    return "".join(render_doc(d, index) for d in docs)


def main(argv):
    if not argv or argv[0] not in ("build", "render"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "build":
        return 1 if build(argv[1:]) else 0
    sys.stdout.write(render(argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
