"""Shared set-up for the client tests: the convoy binary, a scratch store, and the exports of the
bundled seed log in every format (made once per session)."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONVOY = os.environ.get("CONVOY_BIN", str(ROOT / ".build" / "debug" / "convoy"))

FORMATS = {
    "geojson": "seed.geojson",
    "geojsonseq": "seed.geojsonl",
    "mfjson": "seed.mf.json",
    "mfjson-trajectory": "seed.mf-trajectory.json",
    "gpx": "seed.gpx",
    "kml": "seed.kml",
    "csv": "seed-legs.csv",
    "kepler": "seed.kepler.json",
}


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("exports")


@pytest.fixture(scope="session")
def convoy(workdir):
    """Runs convoy with a scratch store; returns CompletedProcess."""
    env = dict(os.environ, CONVOY_DB=str(workdir / "convoy.sqlite"))

    def run(*args, check=True):
        result = subprocess.run([CONVOY, *args], capture_output=True, text=True, env=env)
        if check and result.returncode != 0:
            raise AssertionError(f"convoy {' '.join(args)} exited {result.returncode}: {result.stderr}")
        return result

    return run


@pytest.fixture(scope="session")
def exports(convoy, workdir):
    """Path of the seed log exported in each format (format taken from --format, not the name)."""
    paths = {}
    for fmt, name in FORMATS.items():
        path = workdir / name
        convoy("export", "--format", fmt, "-o", str(path))
        paths[fmt] = path
    return paths


@pytest.fixture(scope="session")
def geojson_doc(exports):
    return json.loads(exports["geojson"].read_text(encoding="utf-8"))


def open_in_chromium(path, ready):
    """Yields `path` open in headless Chromium (Debian's, driven by Playwright; no network: the
    tiles fail, the page still draws) once `ready` (a selector) matches, with the page errors and
    Content Security Policy reports it logged."""
    from playwright.sync_api import sync_playwright

    executable = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if executable is None:
        pytest.fail("headless Chromium is needed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"], headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.route(re.compile(r"^https?://"), lambda route: route.abort())
        page = context.new_page()
        errors, violations = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(path.as_uri())
        page.wait_for_selector(ready, timeout=15_000)
        yield page, errors, violations
        browser.close()
