"""The geoparsing corpus (Benchmarks/geoparse/corpus) is sound, and its validator and scorer catch what
they must. Standard library only: the benchmark itself (convoy and spaCy) is not run in CI."""
import copy
import pathlib
import shutil
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Benchmarks" / "geoparse"))
import annotate  # noqa: E402
import corpus as C  # noqa: E402


@pytest.fixture(scope="module")
def docs():
    return C.load()


@pytest.fixture(scope="module")
def places():
    return C.load_places()


def test_corpus_validates(docs, places):
    assert C.validate(docs, places) == []


def test_corpus_size_and_split(docs):
    parts = {p: [d for d in docs if d.part == p] for p in C.PARTS}
    assert len(docs) >= 80 and sum(len(d.positives()) for d in docs) >= 800
    assert 0.3 <= len(parts["dev"]) / len(docs) <= 0.55  # dev grows by batches (README "Changes"); the held-out parts stay 45 %+
    for p in C.PARTS:
        assert {d.lang for d in parts[p]} == {"en", "ar"}
        assert {a["type"] for d in parts[p] for a in d.annotations} >= {"TOPONYM", "METONYM", "PERSON", "ORG",
                                                                        "OUTLET", "DEMONYM"}
    unseen_places, unseen_texts, n = C.unseen_in_dev(docs)
    # The held-out parts are unseen news: a fifth of their place names name places no dev paragraph
    # names (the share falls as dev grows: 27 % with dev batch 4, 25 % with batch 5).
    assert unseen_places / n > 0.2 and unseen_texts / n > 0.35


def test_offsets_point_at_the_file_bytes(docs):
    # the offsets are Unicode scalars into the file as stored: re-read the bytes independently
    for d in docs:
        text = d.path.read_bytes().decode("utf-8")
        for a in d.annotations:
            assert text[a["start"]:a["end"]] == a["text"], (d.id, a)


def test_render_then_build_gives_the_same_files(tmp_path, docs):
    draft = tmp_path / "all.txt"
    draft.write_text(annotate.render([]), encoding="utf-8")
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(C.CORPUS / "places.json", root / "places.json")
    assert annotate.build([draft], root) == 0
    for d in docs:
        for suffix in (d.path.suffix, ".json"):
            built = (root / d.part / (d.id + suffix)).read_bytes()
            assert built == (d.path.with_suffix(suffix)).read_bytes(), (d.id, suffix)


def mutated(docs, doc_id, change):
    out = copy.deepcopy(docs)
    d = next(x for x in out if x.id == doc_id)
    change(d)
    return out


def first_toponym(d):
    return next(a for a in d.annotations if a["type"] == "TOPONYM")


@pytest.mark.parametrize("change, message", [
    (lambda d: first_toponym(d).update(start=first_toponym(d)["start"] + 1), "text at"),
    (lambda d: first_toponym(d).update(end=len(d.text) + 5), "outside the text"),
    (lambda d: first_toponym(d).update(type="CITY"), "type must be"),
    (lambda d: first_toponym(d).update(place="Atlantis, XX"), "not in places.json"),
    (lambda d: d.annotations.insert(1, dict(d.annotations[0])), "overlaps"),
    (lambda d: d.annotations.remove(first_toponym(d)), "is not annotated here"),
])
def test_validator_catches(docs, places, change, message):
    errors = C.validate(mutated(docs, "dev-en-001", change), places)
    assert any(message in e for e in errors), errors


def test_validator_catches_a_span_inside_a_word(docs, places):
    def change(d):
        a = first_toponym(d)
        a.update(end=a["end"] - 1, text=a["text"][:-1])
    errors = C.validate(mutated(docs, "dev-en-001", change), places, check_coverage=False)
    assert any("ends inside a word" in e for e in errors), errors


def test_validator_catches_a_designator_left_out(docs, places):
    # "Deir ez-Zor province" is one span: cutting it to "Deir ez-Zor" breaks the rule
    def change(d):
        a = next(a for a in d.annotations if a["text"] == "Homs countryside")
        a.update(end=a["start"] + 4, text="Homs")
    errors = C.validate(mutated(docs, "dev-en-008", change), places, check_coverage=False)
    assert any("designator" in e for e in errors), errors


def test_validator_catches_a_span_in_markup(docs, places):
    d = next(x for x in docs if x.id == "dev-en-006")
    i = d.text.index("href")
    bad = mutated(docs, "dev-en-006", lambda d: d.annotations.insert(0, {"start": i, "end": i + 4, "text": "href",
                                                                          "type": "ORG"}))
    errors = C.validate(bad, places, check_coverage=False)
    assert any("markup" in e for e in errors), errors


def test_arabic_proclitics_are_outside_the_span(docs):
    # "وحماة" (and Hama), "بحمص" (in Homs): the name's span starts after the proclitic
    found = [(d.text[a["start"] - 1], a["text"]) for d in docs if d.lang == "ar" for a in d.positives()
             if a["start"] > 0 and C.is_word_char(d.text[a["start"] - 1])]
    assert ("و", "حماة") in found and ("ب", "حمص") in found
    assert all(p in C.PROCLITICS for p, _ in found)


def test_render_maps_back_to_the_file():
    html = "<p>Shelling on <b>Raq</b>qa&rsquo;s edge &amp; <!-- Homs --> Homs.</p>\n"
    text, starts, ends = C.render(html, "html")
    assert text.count("Homs") == 1  # the comment is gone
    i = text.index("Raqqa")
    assert html[starts[i]:ends[i + 4]] == "Raq</b>qa"
    j = text.index("’")
    assert html[starts[j]:ends[j]] == "&rsquo;"
    md = "**10:42** — see [the [Tabqa] map](https://example.org/Raqqa) and `Homs`\n"
    text, starts, ends = C.render(md, "markdown")
    assert "Raqqa" not in text and "Homs" not in text and "Tabqa" in text and "*" not in text


def test_scorer_exact_and_lenient():
    gold = [(0, 5), (10, 20), (30, 35)]
    # an exact hit, an overlapping hit with other boundaries, and one long span over two names
    r = C.score(gold, [(0, 5), (12, 20), (28, 40), (50, 55)])
    assert (r["exact_tp"], r["lenient_tp"], r["predicted"]) == (1, 3, 4)
    # one prediction covering every name finds one of them, not three
    r = C.score(gold, [(0, 40)])
    assert r["lenient_tp"] == 1
    # two predictions on one name: one matches, the other is a false positive
    r = C.score(gold, [(0, 3), (3, 5)])
    assert (r["lenient_tp"], r["predicted"]) == (1, 2)
    # duplicates count once; neutral spans drop predictions on them
    r = C.score(gold, [(0, 5), (0, 5), (60, 65)], neutral=[(60, 65)])
    assert (r["exact_tp"], r["predicted"]) == (1, 1)
    assert C.prf(1, 3, 2) == pytest.approx((1 / 3, 0.5, 0.4))


def test_matching_finds_the_largest_pairing():
    # greedy would pair prediction 0 with gold 0 and leave gold 1 unmatched
    gold = [(0, 10), (10, 20)]
    preds = [(5, 15), (0, 3)]
    assert len(C.max_matching(preds, gold)) == 2
