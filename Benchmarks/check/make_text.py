#!/usr/bin/env python3
"""Generates the benchmark text and the keyword list, from a fixed seed.

usage: make_text.py STORE.sqlite OUT_DIR MEGABYTES

- OUT_DIR/names.tsv: every gazetteer name and its place id (the peer's keyword list);
- OUT_DIR/text.txt: English-like news prose, ~MEGABYTES MB, one paragraph per line, with place
  names from the gazetteer (bundled and GeoNames, any script) in about one word in twelve, some of
  them misspelt, some accented or Arabic, some in possessive form.
"""
import random
import sqlite3
import sys

store, out_dir, megabytes = sys.argv[1], sys.argv[2], float(sys.argv[3])
rng = random.Random(20170828)
db = sqlite3.connect(store)
rows = db.execute("SELECT p.id, n.text FROM place_name n JOIN place p ON p.rowid = n.place_rowid").fetchall()
with open(f"{out_dir}/names.tsv", "w", encoding="utf-8") as f:
    for pid, text in rows:
        f.write(f"{text}\t{pid}\n")
names = [t for _, t in rows]
bundled = [t for pid, t in rows if not pid.startswith("gn-")]

vocabulary = """the a of and to in on at for with from by as is was were has had have be been said says reported
convoy buses fighters militants families civilians road highway bridge desert town village city province governorate
border crossing checkpoint army forces government regime coalition strikes airstrike ceasefire agreement deal talks
evacuation evacuated moved heading toward towards near outskirts east west north south between after before during
monday tuesday wednesday thursday friday saturday sunday week day night morning hours kilometres miles area region
officials sources media statement according spokesman observatory report reports witnesses local residents aid food
water trucks ambulances wounded killed dozens hundreds thousands several many some most all other new old first last
""".split()
capitalised = "Reuters Hezbollah Coalition Observatory Ministry President Monday August September Russian Syrian Lebanese Iraqi".split()
cues = ["in", "near", "from", "to", "toward", "at", "outside", "east of", "west of", "south of", "north of"]


def misspell(word):
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1:]
    if op == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aeiou") + word[i:]


def place():
    name = rng.choice(bundled if rng.random() < 0.3 else names)
    r = rng.random()
    if r < 0.03:
        name = misspell(name)
    elif r < 0.06:
        name = name + "’s"
    return name


target = int(megabytes * 1_000_000)
written = 0
with open(f"{out_dir}/text.txt", "w", encoding="utf-8") as f:
    while written < target:
        sentences = []
        for _ in range(rng.randrange(3, 8)):
            words = [rng.choice(capitalised) if rng.random() < 0.1 else rng.choice(vocabulary) for _ in range(rng.randrange(8, 20))]
            for _ in range(rng.randrange(1, 3)):
                words.insert(rng.randrange(len(words) + 1), rng.choice(cues) + " " + place())
            s = " ".join(words)
            sentences.append(s[0].upper() + s[1:] + rng.choice([".", ".", ".", ",", ";"]))
        line = " ".join(sentences) + "\n"
        f.write(line)
        written += len(line.encode("utf-8"))
print(f"{out_dir}/text.txt: {written} bytes; {len(names)} names", file=sys.stderr)
