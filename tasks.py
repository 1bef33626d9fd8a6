#!/usr/bin/env python3
"""The two commands of Retention Lab.

    python3 tasks.py lab     set up, then open JupyterLab on notebooks/
    python3 tasks.py test    set up, then run every test (extra arguments go to pytest)

Set-up makes a virtual environment in .venv (Python's own venv module) and installs the
package with its lab and test extras from the package registry. It remembers what it
installed in .venv/.setup-stamp (a hash of pyproject.toml), so later runs start at once
and nothing is downloaded until pyproject.toml changes. Standard library only; works on
Linux, macOS and Windows.
"""

import hashlib
import os
import platform
import subprocess
import sys
from pathlib import Path

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".setup-stamp"
PYPROJECT = ROOT / "pyproject.toml"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

USAGE = """usage: python3 tasks.py lab  [jupyter lab options]
       python3 tasks.py test [pytest options]

  lab    set up .venv, then open JupyterLab on notebooks/
  test   set up .venv, then run every test: tests/ and the notebooks
"""


def say(message):
    print(f"[tasks] {message}", flush=True)


def require_python():
    """Stop with a clear message on a Python older than 3.11."""
    if sys.version_info < MIN_PYTHON:
        need = ".".join(map(str, MIN_PYTHON))
        sys.exit(
            f"Retention Lab needs Python {need} or newer; this is Python {platform.python_version()} "
            f"({sys.executable}).\nInstall a newer Python and run e.g. `python{need} tasks.py ...`."
        )


def create_venv():
    """Make .venv with the standard library's venv module (with pip), unless it is there."""
    if PYTHON.exists():
        return
    import venv

    say(f"creating the virtual environment {VENV.name}/ with Python {platform.python_version()}")
    try:
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    except subprocess.CalledProcessError:
        sys.exit(
            "Could not create .venv with pip: this Python has no `ensurepip`.\n"
            "On Debian/Ubuntu install it with `apt install python3-venv`, then run this again."
        )


def pyproject_hash():
    return hashlib.sha256(PYPROJECT.read_bytes()).hexdigest()


def install():
    """pip install -e ".[lab,test]" into .venv, skipped while pyproject.toml is unchanged."""
    wanted = pyproject_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say('installing the package and its dependencies: pip install -e ".[lab,test]"')
    command = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-e", ".[lab,test]"]
    if subprocess.call(command, cwd=ROOT) != 0:
        STAMP.unlink(missing_ok=True)
        sys.exit("[tasks] installation failed (see pip's message above); nothing was marked as done.")
    STAMP.write_text(wanted + "\n")


def set_up():
    require_python()
    create_venv()
    install()


def run(args, env=None):
    """Run a command with the .venv's Python from the repository root; return its exit code."""
    try:
        return subprocess.call([str(PYTHON), *args], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        return 130


# Voilà's own lab template links Font Awesome from a CDN (icons vanish offline); the labs rendered
# with Voilà ("/voila/render/notebooks/...") use the package's template without those links.
VOILA_TEMPLATES = ROOT / "simulation" / "jupyter"  # a Jupyter data folder: voila/templates/retention_lab


# Voilà's pages load MathJax 2 from cdnjs unless its URL and configuration are both "null"; then
# they use the MathJax 3 that Voilà's own bundle carries (formulas render offline).
VOILA_OWN_MATHJAX = (
    "--ServerApp.tornado_settings=mathjax_url=null",
    "--ServerApp.tornado_settings=mathjax_config=null",
)


def notebooks_folder():
    """notebooks/zh_CN (the Chinese edition) when RETENTION_LAB_LANG asks for Chinese, else notebooks."""
    wanted = os.environ.get("RETENTION_LAB_LANG", "").replace("-", "_")
    edition = ROOT / "notebooks" / "zh_CN"
    return "notebooks/zh_CN" if wanted.startswith("zh") and edition.is_dir() else "notebooks"


def lab_command(extra=()):
    """The JupyterLab server of the labs (the browser tests start the same one)."""
    return [
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.default_url=/lab/tree/{notebooks_folder()}",
        "--VoilaConfiguration.template=retention_lab",
        *VOILA_OWN_MATHJAX,
        *extra,
    ]


def lab_environment():
    path = os.pathsep.join(p for p in (str(VOILA_TEMPLATES), os.environ.get("JUPYTER_PATH", "")) if p)
    return {**os.environ, "JUPYTER_PATH": path}


def lab(extra):
    # The server starts at the repository root (so exercises/ and datasets/ are reachable)
    # and the browser opens on notebooks/.
    return run(lab_command(extra), env=lab_environment())


def test(extra):
    # What is collected (tests/ and notebooks/ via nbval) is set in pyproject.toml.
    return run(["-m", "pytest", *extra])


COMMANDS = {"lab": lab, "test": test}


def main(argv):
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE, end="")
        return 0
    if not argv or argv[0] not in COMMANDS:
        sys.stderr.write(USAGE)
        return 2
    set_up()
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
