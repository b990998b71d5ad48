#!/usr/bin/env python3
"""The peer: Python flashtext over the same names and text, read line by line (bounded memory).

usage: flashtext_peer.py names.tsv text.txt   → prints JSON: load_s, scan_s, mb_per_s, mentions, peak_rss_mb
"""
import json
import resource
import sys
import time

from flashtext import KeywordProcessor

names_path, text_path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
kp = KeywordProcessor(case_sensitive=False)
with open(names_path, encoding="utf-8") as f:
    for line in f:
        text, pid = line.rstrip("\n").split("\t")
        kp.add_keyword(text, pid)
t1 = time.perf_counter()
mentions = 0
size = 0
with open(text_path, encoding="utf-8") as f:
    for line in f:
        size += len(line.encode("utf-8"))
        mentions += len(kp.extract_keywords(line))
t2 = time.perf_counter()
print(json.dumps({
    "peer": "flashtext", "load_s": round(t1 - t0, 3), "scan_s": round(t2 - t1, 3), "bytes": size,
    "mb_per_s": round(size / 1e6 / (t2 - t1), 2), "mentions": mentions,
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
