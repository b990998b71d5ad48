"""Runs the calling script inside Benchmarks/simulate/.venv (created, with requirements.txt from
PyPI, on first use). Set SIMULATE_NO_VENV=1 to run in the current interpreter instead (the client
tests do: their virtualenv has the same packages)."""
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
PY = VENV / "bin" / "python"
PROBE = "import networkx, geographiclib, numpy"


def ensure_venv():
    if os.environ.get("SIMULATE_NO_VENV") == "1" or Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not PY.exists():
        print(f"simulate: creating {VENV}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([str(PY), "-c", PROBE], capture_output=True).returncode != 0:
        print(f"simulate: installing {HERE / 'requirements.txt'} into {VENV}", file=sys.stderr, flush=True)
        subprocess.run([str(PY), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
                        str(HERE / "requirements.txt")], check=True)
    os.execv(str(PY), [str(PY), *sys.argv])
