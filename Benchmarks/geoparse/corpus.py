"""The annotated geoparsing corpus: loading, rendering, validation and scoring (standard library only).

    python3 Benchmarks/geoparse/corpus.py            # validate every paragraph, print a summary
    python3 Benchmarks/geoparse/corpus.py --stats    # also counts by part, language and type

Layout (corpus/README.md is the annotation guideline): corpus/<part>/<id>.<txt|md|html> holds one
paragraph exactly as pasted, corpus/<part>/<id>.json its standoff annotations. Offsets are Unicode
scalar offsets into the file's text (Python str indices), `end` exclusive. corpus/places.json lists
every place the toponyms name.

The scorer is here too so that the CI test can check it without spaCy or convoy: a prediction is a
(start, end) span in the same coordinates; `score` gives exact and lenient (one-to-one overlap)
matches against the gold toponyms.
"""
import html
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
PARTS = ("dev", "test", "fresh", "blind", "general", "society", "civic", "local", "economy", "relief")
# Every part but dev is held out: measured, never tuned against (corpus/README.md).
HELD_OUT = tuple(p for p in PARTS if p != "dev")
LANGS = ("en", "ar")
FORMATS = {".txt": "text", ".md": "markdown", ".html": "html"}
GENRES = {"wire", "monitor", "sitrep", "liveblog", "analysis", "brief"}
# Gold types. TOPONYM and METONYM are the place names a system must find (see the README's metonymy
# rule); the others are the hard negatives, annotated so that a false positive on them is named.
POSITIVE = ("TOPONYM", "METONYM")
NEGATIVE = ("PERSON", "ORG", "OUTLET", "DEMONYM", "OPERATION")
TYPES = POSITIVE + NEGATIVE
# Arabic proclitics that may stand, attached, before a name: wa, fa, bi, li, ka (at most two: وب).
PROCLITICS = set("وفبلك")
ID_RE = re.compile(r"^(%s)-(%s)-\d{3}$" % ("|".join(PARTS), "|".join(LANGS)))
URL_RE = re.compile(r"https?://[^\s<>()\"]+")
# Generic words that, right after a name, make one name with it (README: "Deir ez-Zor province" is one
# span: the province, not the city). Not after the second name of a pair ("the Damascus-Baghdad highway").
DESIGNATORS = ("province", "governorate", "district", "sub-district", "subdistrict", "countryside", "city", "camp",
               "border crossing", "crossing", "checkpoint", "dam", "air base", "airbase", "base", "military airport",
               "airport", "river", "valley", "desert", "mountains", "plain", "highway", "oil field", "gas field",
               "pumping station")
DESIGNATOR_AFTER = re.compile(r"[ \u00a0](?:%s)(?![\w-])" % "|".join(re.escape(w) for w in DESIGNATORS), re.I)


@dataclass
class Doc:
    id: str
    part: str
    lang: str
    format: str
    genre: str
    path: Path
    text: str
    annotations: list = field(default_factory=list)

    def positives(self):
        return [a for a in self.annotations if a["type"] in POSITIVE]


def load(parts=PARTS, root=CORPUS):
    """Every paragraph of the given parts, in id order. Raises ValueError on a file that cannot be read."""
    docs = []
    for part in parts:
        for meta_path in sorted((root / part).glob("*.json")):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            text_path = meta_path.with_name(meta["file"])
            raw = text_path.read_bytes()
            docs.append(Doc(meta["id"], meta["part"], meta["lang"], meta["format"], meta["genre"], text_path,
                            raw.decode("utf-8"), meta["annotations"]))
    return docs


def load_places(root=CORPUS):
    return json.loads((root / "places.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------ rendering

HTML_TOKEN = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);",
                        re.S | re.I)
HTML_BLOCK = re.compile(r"</?(p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|hr)\b", re.I)


def render(text, fmt):
    """What a reader sees of the paragraph: markup removed, entities decoded.

    Returns (rendered, starts, ends): rendered[i] comes from text[starts[i]:ends[i]] (one character,
    or a whole entity), so a span (s, e) of the rendered text is text[starts[s]:ends[e - 1]]."""
    if fmt == "text":
        return text, list(range(len(text))), list(range(1, len(text) + 1))
    out, starts, ends = [], [], []

    def emit(chars, s, e):
        for ch in chars:
            out.append(ch)
            starts.append(s)
            ends.append(e)

    if fmt == "html":
        pos = 0
        for m in HTML_TOKEN.finditer(text):
            for i in range(pos, m.start()):
                emit(text[i], i, i + 1)
            tok = m.group(0)
            if tok.startswith("&"):
                emit(html.unescape(tok), m.start(), m.end())
            elif HTML_BLOCK.match(tok):
                emit(" ", m.start(), m.start())  # a block boundary separates words
            pos = m.end()
        for i in range(pos, len(text)):
            emit(text[i], i, i + 1)
    elif fmt == "markdown":
        hidden = markdown_hidden(text)
        for i, ch in enumerate(text):
            if not hidden[i]:
                emit(ch, i, i + 1)
    else:
        raise ValueError(f"unknown format {fmt}")
    return "".join(out), starts, ends


MD_LINK = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(([^)\n]*)\)")  # one level of [] inside
MD_AUTOLINK = re.compile(r"<https?://[^>\s]*>")
MD_CODE = re.compile(r"`[^`\n]*`")
MD_FENCE = re.compile(r"^```.*?^```[^\n]*$", re.S | re.M)
MD_LINE_MARK = re.compile(r"^(?:\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d+\.\s))+", re.M)


def markdown_hidden(text):
    """A flag per character: True for Markdown syntax a reader does not see as text."""
    hidden = [False] * len(text)

    def hide(s, e):
        for i in range(s, e):
            hidden[i] = True

    for m in MD_FENCE.finditer(text):
        hide(m.start(), m.end())
    for m in MD_CODE.finditer(text):
        hide(m.start(), m.end())
    for m in MD_AUTOLINK.finditer(text):
        hide(m.start(), m.end())
    for m in MD_LINK.finditer(text):
        hide(m.start(), m.start(2))          # ![ or [
        hide(m.end(2), m.end())              # ](target)
    for m in MD_LINE_MARK.finditer(text):
        hide(m.start(), m.end())
    for i, ch in enumerate(text):
        if ch == "*":
            hidden[i] = True
        elif ch == "_":
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if not (before.isalnum() and after.isalnum()):
                hidden[i] = True
        elif ch == "|":
            hidden[i] = True
    return hidden


def visible_mask(text, fmt):
    """True for each character of text that belongs to what a reader sees (an entity counts whole)."""
    _, starts, ends = render(text, fmt)
    mask = [False] * len(text)
    for s, e in zip(starts, ends):
        for i in range(s, e):
            mask[i] = True
    return mask


# ----------------------------------------------------------------------------------- validation

def is_word_char(ch):
    return ch.isalnum() or unicodedata.category(ch) in ("Mn", "Mc")


def validate(docs, places, check_coverage=True):
    """Every problem found, as 'path: message' strings (empty when the corpus is sound)."""
    errors = []
    seen_ids = {}
    for d in docs:
        def err(msg, d=d):
            errors.append(f"{d.path.relative_to(d.path.parents[2]) if len(d.path.parents) > 2 else d.path}: {msg}")

        if not ID_RE.match(d.id):
            err(f"id '{d.id}' is not <{'|'.join(PARTS)}>-<{'|'.join(LANGS)}>-NNN")
        else:
            part, lang = d.id.split("-")[:2]
            if part != d.part or lang != d.lang:
                err(f"id '{d.id}' does not match part '{d.part}' / lang '{d.lang}'")
        if d.id in seen_ids:
            err(f"id '{d.id}' also used by {seen_ids[d.id]}")
        seen_ids[d.id] = d.path.name
        if d.path.parent.name != d.part:
            err(f"part '{d.part}' but the file is in {d.path.parent.name}/")
        if d.path.stem != d.id:
            err(f"file name {d.path.name} does not match id '{d.id}'")
        if FORMATS.get(d.path.suffix) != d.format:
            err(f"format '{d.format}' does not match the extension {d.path.suffix}")
        if d.genre not in GENRES:
            err(f"genre '{d.genre}' is not one of {sorted(GENRES)}")
        if "\r" in d.text or d.text.startswith("\ufeff"):
            err("the text has a CR or a byte-order mark (offsets must not depend on line endings)")
        if not d.text.endswith("\n") or d.text.endswith("\n\n"):
            err("the text must end with exactly one line break")
        try:
            mask = visible_mask(d.text, d.format)
        except ValueError as e:
            err(str(e))
            continue
        last_end = -1
        last = None
        for n, a in enumerate(d.annotations):
            where = f"annotation {n} ({a.get('type')} '{a.get('text')}')"
            missing = {"start", "end", "text", "type"} - set(a)
            if missing:
                err(f"{where}: missing {sorted(missing)}")
                continue
            s, e, t = a["start"], a["end"], a["type"]
            if t not in TYPES:
                err(f"{where}: type must be one of {TYPES}")
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(d.text)):
                err(f"{where}: offsets [{s}, {e}) outside the text (length {len(d.text)})")
                continue
            if d.text[s:e] != a["text"]:
                err(f"{where}: text at [{s}, {e}) is '{d.text[s:e]}'")
                continue
            if a["text"] != a["text"].strip() or not is_word_char(a["text"][0]) or not is_word_char(a["text"][-1]):
                err(f"{where}: a span starts and ends on a letter or digit")
            if s < last_end:
                err(f"{where}: overlaps or is out of order with '{last['text']}' [{last['start']}, {last['end']})")
            last_end, last = e, a
            if not all(mask[s:e]):
                err(f"{where}: part of the span is markup, not text a reader sees")
            # whole words: no letter glued on either side, except Arabic proclitics before a name
            if not starts_word(d.text, s, d.lang):
                err(f"{where}: starts inside a word ('{d.text[max(0, s - 8):e]}')")
            if e < len(d.text) and is_word_char(d.text[e]):
                err(f"{where}: ends inside a word ('{d.text[s:e + 8]}')")
            if t == "TOPONYM" and d.lang == "en" and DESIGNATOR_AFTER.match(d.text, e):
                pair = s > 0 and d.text[s - 1] in "-\u2013" and any(b["end"] == s - 1 for b in d.annotations)
                if not pair:
                    err(f"{where}: the designator after it belongs to the span ('{d.text[s:e + 16]}…')")
            if t in POSITIVE:
                if not a.get("place"):
                    err(f"{where}: a {t} names its place")
                elif a["place"] not in places:
                    err(f"{where}: place '{a['place']}' is not in places.json")
            elif "place" in a:
                err(f"{where}: only toponyms and metonyms name a place")
    if check_coverage:
        errors += coverage_errors(docs)
    return errors


def starts_word(text, i, lang):
    """True when text[i] starts a word: nothing glued before it, or (Arabic) only one or two proclitics."""
    if i == 0 or not is_word_char(text[i - 1]):
        return True
    if lang != "ar":
        return False
    k = i
    while k > 0 and text[k - 1] in PROCLITICS and i - k < 2:
        k -= 1
    return k < i and (k == 0 or not is_word_char(text[k - 1]))


def occurrences(text, surface, lang):
    """Start offsets of surface in text as a whole word (after up to two proclitics in Arabic)."""
    found = []
    i = text.find(surface)
    while i >= 0:
        e = i + len(surface)
        if (e >= len(text) or not is_word_char(text[e])) and starts_word(text, i, lang):
            found.append(i)
        i = text.find(surface, i + 1)
    return found


def coverage_errors(docs):
    """A name annotated as a toponym anywhere must be annotated (with some type) wherever it stands as
    a word in visible text: an unannotated 'Raqqa' would make a correct prediction a false positive."""
    surfaces = {}
    for d in docs:
        for a in d.annotations:
            if a["type"] in POSITIVE and len(a["text"]) >= 3:
                surfaces.setdefault(a["text"], d.id)
    errors = []
    for d in docs:
        mask = visible_mask(d.text, d.format)
        urls = [(m.start(), m.end()) for m in URL_RE.finditer(d.text)]
        spans = [(a["start"], a["end"]) for a in d.annotations]
        for surface in surfaces:
            for i in occurrences(d.text, surface, d.lang):
                e = i + len(surface)
                if not all(mask[i:e]) or any(s <= i < ue for s, ue in urls):
                    continue
                if not any(s <= i and e <= ae for s, ae in spans):
                    line = d.text.count("\n", 0, i) + 1
                    errors.append(f"{d.part}/{d.path.name}:{line}: '{surface}' (a toponym in {surfaces[surface]}) "
                                  f"is not annotated here: '…{d.text[max(0, i - 30):e + 30]}…'")
    return errors


# -------------------------------------------------------------------------------------- scoring

def overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def max_matching(preds, golds):
    """Largest one-to-one pairing of predictions with gold spans they overlap (augmenting paths):
    one long prediction covering three names finds one of them, not three."""
    adj = [[j for j, g in enumerate(golds) if overlap(p, g)] for p in preds]
    gold_of = {}

    def augment(i, seen):
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in gold_of or augment(gold_of[j], seen):
                gold_of[j] = i
                return True
        return False

    for i in range(len(preds)):
        augment(i, set())
    return {i: j for j, i in gold_of.items()}  # prediction index → gold index


def score(golds, preds, neutral=()):
    """golds, preds: lists of (start, end); neutral: gold spans that count neither way (a prediction
    on one is dropped, a miss of one is not a miss). Returns counts and the matched pairs."""
    preds = sorted(set(preds))
    neutral = list(neutral)
    if neutral:
        preds = [p for p in preds if not any(overlap(p, n) for n in neutral)]
    gold_set = set(golds)
    exact = [p for p in preds if p in gold_set]
    lenient = max_matching(preds, golds)
    return {"gold": len(golds), "predicted": len(preds), "exact_tp": len(exact), "lenient_tp": len(lenient),
            "lenient_pairs": [(preds[i], golds[j]) for i, j in sorted(lenient.items())],
            "predictions": preds}


def prf(tp, gold, predicted):
    r = tp / gold if gold else 0.0
    p = tp / predicted if predicted else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return r, p, f


# --------------------------------------------------------------------------------------- summary

def stats(docs):
    out = {}
    for d in docs:
        key = (d.part, d.lang)
        s = out.setdefault(key, {"paragraphs": 0, "words": 0, "types": {t: 0 for t in TYPES}})
        s["paragraphs"] += 1
        s["words"] += len(re.findall(r"\w+", render(d.text, d.format)[0]))
        for a in d.annotations:
            s["types"][a["type"]] += 1
    return out


def unseen_in_dev(docs):
    """Held-out toponyms (test, fresh, blind, general, society, civic, local, economy and relief: every part but dev) whose place, and
    whose written form, no dev paragraph has."""
    dev_places = {a["place"] for d in docs if d.part == "dev" for a in d.positives()}
    dev_texts = {a["text"] for d in docs if d.part == "dev" for a in d.positives()}
    test = [a for d in docs if d.part != "dev" for a in d.positives()]
    return (sum(1 for a in test if a["place"] not in dev_places), sum(1 for a in test if a["text"] not in dev_texts),
            len(test))


def main(argv):
    docs = load()
    errors = validate(docs, load_places())
    for e in errors:
        print(e, file=sys.stderr)
    total = sum(len(d.positives()) for d in docs)
    print(f"{len(docs)} paragraphs, {total} toponym and metonym spans, "
          f"{sum(len(d.annotations) for d in docs) - total} negatives; {len(errors)} problems")
    if "--stats" in argv:
        for (part, lang), s in sorted(stats(docs).items()):
            types = ", ".join(f"{t} {n}" for t, n in s["types"].items())
            print(f"  {part:7} {lang}: {s['paragraphs']} paragraphs, {s['words']} words; {types}")
        places, texts, n = unseen_in_dev(docs)
        print(f"  held-out ({', '.join(HELD_OUT)}) toponyms whose place no dev paragraph names: {places} of {n}; "
              f"whose spelling no dev paragraph has: {texts} of {n}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
