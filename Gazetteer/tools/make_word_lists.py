#!/usr/bin/env python3
"""Writes the word lists `convoy check`'s rulebook (Gazetteer/rules/check-rules.txt) refers to:

- Gazetteer/rules/english-words.txt — English words: every entry of Debian's `wamerican` 2020.12.07
  (/usr/share/dict/american-english, SCOWL size 50; SCOWL's permissive copyright, see
  /usr/share/doc/wamerican/copyright) that is all lower-case ASCII letters, and the British spellings
  of `wbritish` 2020.12.07 (/usr/share/dict/british-english, the same SCOWL size and copyright:
  "equaliser", "organisation", "defence") that no GeoNames layer place is named ("tyre" is Tyre).
  Capitalised entries (proper nouns: "Aleppo", "Jordan") are left out, so a word is here because it
  is a common word.
- Gazetteer/rules/first-names.txt — given names: the US Census 1990 first-name lists shipped by the
  PyPI package `names` 0.3.0 (MIT), male and female (all of them), lower-cased.
- Gazetteer/rules/first-names-regional.txt — given names of the region: every one-word name of
  Jörg Michael's first-name dictionary (nam_dict.txt, GNU Free Documentation License 1.2 or later; as
  shipped by PyPI `gender-guesser` 0.4.0) that has a frequency in its "Arabia/Persia" or "Turkey"
  column, in ASCII letters, lower-cased, minus every word of a name of a place of any layer ("Erbil",
  "Nasib", "Jaber" are given names too, but here places) and the particles. The list is released
  under the same licence (Gazetteer/LICENSE-GFDL-1.2.txt).
- Gazetteer/rules/demonyms.txt — the one-word demonyms of every country in PyPI `countryinfo` 1.0.1
  (MIT, Copyright (c) 2018 Porimol Chandro; its data "sourced primarily from Wikipedia"), lower-cased: "italian", "brazilian", "japanese" — an
  origin word before a noun ("Italian engineers"), not a place; minus every name of a layer.
- Gazetteer/rules/arabic-words.txt — the 10,000 most frequent Arabic words of PyPI `wordfreq` 3.1.1
  (code Apache-2.0, data CC BY-SA 4.0; attribution in Gazetteer/README.md), single words only.
- Gazetteer/rules/arabic-common-words.txt — the 3,000 most frequent of them: so common that a town
  named like one is not meant even after a preposition ("في المدينة" is "in the city"), where a rarer
  frequent word is the town ("من درعا", from Daraa).

A one-word name the curated places or the countries record is removed from every list (so "Homs" or "Hama" can never
be read as a common word), and from the Arabic list a country's name also behind one or two proclitic letters
("وتركيا", "and Turkey"):
the lists only decide about names the gazetteer does not know. So is, from the Arabic
list, a one-word name of a GeoNames layer place that is a capital (feature code PPLC) or has a million people or
more (بيروت، موسكو، واشنطن، الموصل): a frequent word as often as it is, such a name is the city. Smaller towns'
names stay frequent words when they are (دوما is also "always", الباب "the door").

Run (see Gazetteer/README.md, "Regenerating the layers"):
  apt-get install wamerican wbritish
  python3 -m venv /tmp/wl && /tmp/wl/bin/pip install names==0.3.0 wordfreq==3.1.1 countryinfo==1.0.1 gender-guesser==0.4.0
  /tmp/wl/bin/python Gazetteer/tools/make_word_lists.py
"""
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = HERE.parent / "rules"
DICT = Path("/usr/share/dict/american-english")
# How many of wordfreq's most frequent Arabic words are frequent words, and how many of them so
# common that a town named like one is not meant even after a preposition.
ARABIC_WORDS, ARABIC_COMMON_WORDS = 10_000, 3_000
BRITISH = Path("/usr/share/dict/british-english")


def key(text):
    """Lower-case, accents and Arabic marks removed: near enough to NameKey for exclusion."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def gazetteer_words(files=("places.geojson", "countries.geojson")):
    """Every one-word name (and alias) in places.geojson and countries.geojson (or `files`)."""
    words = set()
    for f in files:
        data = json.loads((HERE.parent / f).read_text(encoding="utf-8"))
        for feature in data["features"]:
            p = feature["properties"]
            names = [p.get("name", "")]
            for n in p.get("names", []) or []:
                names.append(n["text"] if isinstance(n, dict) else n)
            for n in names:
                if re.fullmatch(r"\w+", key(n)):
                    words.add(key(n))
    return words


def geonames_rows():
    """The GeoNames layer's rows, as lists of columns."""
    for line in (HERE.parent / "geonames-cities500.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            yield line.split("\t")


def geonames_words():
    """Every name (and alternate name) of the GeoNames layer, lower-cased."""
    return {n.lower() for columns in geonames_rows() for n in [columns[1], columns[2]] + columns[3].split(",")}


def big_city_words():
    """Every one-word name of a capital or a city of a million people or more in the GeoNames layer."""
    words = set()
    for columns in geonames_rows():
        if columns[7] == "PPLC" or int(columns[14] or 0) >= 1_000_000:
            for n in [columns[1]] + [a for a in columns[3].split(",") if a]:
                if re.fullmatch(r"\w+", key(n)):
                    words.add(key(n))
    return words


def place_name_words():
    """Every word of every name and alternate name of a GeoNames layer place and of the curated places
    and countries, lower-cased: "nasib", "jaber", "bab" (of Bab al-Hawa), "tamim"."""
    words = set()
    names = [n for columns in geonames_rows() for n in [columns[1], columns[2]] + columns[3].split(",")]
    for f in ("places.geojson", "countries.geojson"):
        for feature in json.loads((HERE.parent / f).read_text(encoding="utf-8"))["features"]:
            p = feature["properties"]
            names += [p.get("name", "")] + [n["text"] if isinstance(n, dict) else n for n in p.get("names", []) or []]
    for n in names:
        words.update(re.findall(r"[a-z]+", key(n)))
    return words


def regional_first_names():
    """The one-word ASCII names of gender-guesser's nam_dict.txt with a frequency in its Arabia/Persia
    or Turkey column (the columns are found by the header lines that name them, as the file draws them)."""
    import gender_guesser
    lines = (Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt").read_bytes().split(b"\n")

    def column(label):
        for i, line in enumerate(lines):
            if line.startswith(b"#") and line.rstrip(b"$ \r").endswith(label):
                return lines[i + 1].index(b"|")
        sys.exit(f"make_word_lists: no column {label!r} in nam_dict.txt")

    columns = [column(b"Arabia/Persia"), column(b"Turkey")]
    found = set()
    for line in lines:
        if line.startswith(b"#") or len(line) <= max(columns):
            continue
        name = line[3:29].strip()
        if re.fullmatch(rb"[A-Za-z]+", name) and any(line[c:c + 1] != b" " for c in columns):
            found.add(name.decode("ascii").lower())
    return found


# The Arabic proclitic letters (check-rules.txt, [arabic-proclitics]): "وتركيا" is "and Turkey".
PROCLITICS = "وفبلك"


def names_with_proclitics(word, names):
    """Whether an Arabic word is one of `names` (the countries'), also behind one or two proclitic
    letters ("وتركيا", "and Turkey", "لإيران"): the frequency list has those as often as the names.
    Only countries: a village's name behind one is often a word ("بصدد", regarding, is ب and Sadad;
    "باراك", Barack, is ب and Arak), and so is a city's GeoNames variant ("بأمان", safely)."""
    for strip in range(3):
        if key(word) in names:
            return True
        if len(word) < 4 or word[0] not in PROCLITICS:
            return False
        word = word[1:]
    return False


def write(name, header, words):
    path = RULES / name
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        for line in header.strip().splitlines():
            out.write(f"# {line}\n")
        for w in sorted(words):
            out.write(w + "\n")
    os.replace(tmp, path)
    print(f"{path}: {len(words)} words", file=sys.stderr)


def main():
    import names
    import wordfreq

    known = gazetteer_words()
    english = set()
    for line in DICT.read_text(encoding="utf-8").splitlines():
        if re.fullmatch(r"[a-z]+", line) and len(line) >= 2:
            english.add(line)
    american = set(english)
    for line in BRITISH.read_text(encoding="utf-8").splitlines():
        if re.fullmatch(r"[a-z]+", line) and len(line) >= 2 and line not in american:
            english.add(line)
    english -= known
    english -= geonames_words() - american  # British spellings that name no place
    write("english-words.txt", f"""
English words from Debian wamerican ({DICT}) and wbritish ({BRITISH}; its spellings that no GeoNames
layer place is named), lower-case entries only, minus gazetteer names.
Generated by Gazetteer/tools/make_word_lists.py; do not edit (edit check-rules.txt instead).""", english)

    firsts = set()
    base = Path(names.__file__).parent
    for f in ("dist.male.first", "dist.female.first"):
        lines = (base / f).read_text().splitlines()
        for line in lines:
            firsts.add(line.split()[0].lower())
    # Name particles and Arabic article forms are no given names here ("Al Mayadin", "Abu Kamal").
    firsts -= known | {"al", "el", "ad", "as", "an", "ar", "az", "at", "ash", "abu", "umm", "ibn", "bin", "del", "de", "la", "le", "van", "von"}
    write("first-names.txt", """
Given names: US Census 1990 lists of PyPI names 0.3.0 (MIT), every male and female name.
Generated by Gazetteer/tools/make_word_lists.py; do not edit (edit check-rules.txt instead).""", firsts)

    from importlib.metadata import version
    if version("gender-guesser") != "0.4.0":
        sys.exit(f"make_word_lists: gender-guesser {version('gender-guesser')}, not 0.4.0")
    particles = {"al", "el", "ad", "as", "an", "ar", "az", "at", "ash", "abu", "umm", "ibn", "bin"}
    write("first-names-regional.txt", """
Given names of the region: the one-word names of Joerg Michael's nam_dict.txt (gender-guesser 0.4.0)
with a frequency in its Arabia/Persia or Turkey column, lower-cased, minus every word of a name of a
curated place, a country or a GeoNames layer place.
nam_dict.txt: Copyright (c) 2007-2008 Joerg Michael, under the GNU Free Documentation License 1.2 or
later (no Invariant Sections, no Front-Cover Texts, no Back-Cover Texts); this list is derived from
it and released under the same licence: see Gazetteer/LICENSE-GFDL-1.2.txt.
Generated by Gazetteer/tools/make_word_lists.py; do not edit (edit check-rules.txt instead).""",
          regional_first_names() - known - place_name_words() - particles)

    import countryinfo
    demonyms = set()
    for f in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        for d in (json.loads(f.read_text(encoding="utf-8")).get("demonym") or "").split(","):
            if re.fullmatch(r"[A-Za-z]+", d.strip()):
                demonyms.add(d.strip().lower())
    demonyms -= known | geonames_words()
    write("demonyms.txt", """
One-word demonyms of every country: PyPI countryinfo 1.0.1 (MIT), lower-cased, minus the layers' names.
Generated by Gazetteer/tools/make_word_lists.py; do not edit (edit check-rules.txt instead).""", demonyms)

    arabic = set()
    common = set()
    names_left_out = known | big_city_words()
    countries = gazetteer_words(("countries.geojson",))
    for rank, w in enumerate(wordfreq.top_n_list("ar", ARABIC_WORDS)):
        if re.fullmatch(r"[\u0621-\u064A]+", w) and len(w) >= 2 and key(w) not in names_left_out and not names_with_proclitics(w, countries):
            arabic.add(w)
            if rank < ARABIC_COMMON_WORDS:
                common.add(w)
    write("arabic-words.txt", f"""
Frequent Arabic words: PyPI wordfreq 3.1.1 top {ARABIC_WORDS:,} (data CC BY-SA 4.0, see Gazetteer/README.md).
Generated by Gazetteer/tools/make_word_lists.py; do not edit (edit check-rules.txt instead).""", arabic)
    write("arabic-common-words.txt", f"""
The {ARABIC_COMMON_WORDS:,} most frequent of arabic-words.txt (PyPI wordfreq 3.1.1, data CC BY-SA 4.0).
Generated by Gazetteer/tools/make_word_lists.py; do not edit (edit check-rules.txt instead).""", common)


if __name__ == "__main__":
    main()
