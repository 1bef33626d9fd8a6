"""``retention-lab game serve``: the team page and the trainer's console as Voilà apps.

Voilà renders the notebooks of the repository's ``game/`` folder (``team.ipynb``,
``console.ipynb``) as apps, one kernel per open page; each kernel finds the store in
``$RETENTION_LAB_GAME_DB`` and the server's addresses in ``$RETENTION_LAB_GAME_ADDRESSES`` (the
console shows them to the teams). The server listens on the loopback address unless the trainer
asks for another (``--ip 0.0.0.0``: every address of this machine, e.g. the classroom network).

Nothing is fetched from outside the machine: the pages use this package's Voilà template
``retention_lab`` (``simulation/jupyter/voila/templates``), Voilà's lab template without its
Font Awesome links to a CDN (Voilà's own bundle carries the icons), MathJax comes from Voilà's
bundle rather than cdnjs, and charts render offline.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import subprocess
import sys
from pathlib import Path

from simulation.config import ScenarioError
from simulation.game.widgets import ADDRESS_VARIABLE, STORE_VARIABLE
from simulation.messages import ENVIRONMENT, language, t

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # simulation/
TEMPLATES = PACKAGE_ROOT / "jupyter"  # a Jupyter data folder: voila/templates/retention_lab
TEMPLATE = "retention_lab"
NOTEBOOKS = PACKAGE_ROOT.parent / "game"  # the repository's game/ folder
TEAM_PAGE, CONSOLE_PAGE = "team.ipynb", "console.ipynb"
PAGES = (TEAM_PAGE, CONSOLE_PAGE)


def page_address(base: str, notebook: str) -> str:
    """What to type to open a game notebook on the game server at ``base``."""
    return f"{base.rstrip('/')}/voila/render/{notebook}"


def notebooks_folder() -> Path:
    """game/, or its edition in the current language (game/zh_CN, made by simulation.editions)."""
    if not all((NOTEBOOKS / page).is_file() for page in PAGES):
        raise ScenarioError(t("game.app.serve.no_notebooks", folder=str(NOTEBOOKS)))
    edition = NOTEBOOKS / language()
    return edition if all((edition / page).is_file() for page in PAGES) else NOTEBOOKS


def machine_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (no packet is sent to find them)."""
    found: list[str] = []
    with contextlib.suppress(OSError):
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    try:  # the address of the default route: a UDP "connection" sends nothing
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    return sorted({a for a in found if not a.startswith("127.")})


def addresses(ip: str, port: int) -> list[str]:
    """The base addresses to type, for a server listening on ``ip``:``port``."""
    if ip in ("0.0.0.0", "::"):
        hosts = [*machine_addresses(), "127.0.0.1"]
    else:
        hosts = [f"[{ip}]" if ":" in ip else ip]
    return [f"http://{host}:{port}" for host in hosts]


def check_ip(ip: str) -> str:
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        raise ScenarioError(t("game.app.serve.bad_ip", value=ip)) from None
    return ip


def store_for_kernels(where: str) -> str:
    """``where`` as the kernels must read it: a file path made absolute (they run in game/)."""
    if "://" in where:
        return where
    return str(Path(where).expanduser().resolve())


def voila_command(folder: Path, ip: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={ip}",
        f"--template={TEMPLATE}",
        "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        # MathJax from Voilà's own bundle, not from cdnjs: it does so when both settings are "null"
        "--Voila.tornado_settings=mathjax_url=null",
        "--Voila.tornado_settings=mathjax_config=null",
    ]


def voila_environment(store: str, bases: list[str]) -> dict[str, str]:
    env = dict(os.environ)
    env[STORE_VARIABLE] = store
    env[ADDRESS_VARIABLE] = " ".join(bases)
    env[ENVIRONMENT] = language()  # the pages speak the language serve was started in (--lang)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATES), env.get("JUPYTER_PATH", "")) if p)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PACKAGE_ROOT.parent), env.get("PYTHONPATH", "")) if p
    )  # kernels import this package
    return env


def serve(db: str, ip: str = "127.0.0.1", port: int = 8866) -> int:
    """Check the store, print the addresses to type, then run Voilà until it is stopped."""
    from simulation.game.store import GameStore

    check_ip(ip)
    folder = notebooks_folder()
    store = store_for_kernels(db)
    GameStore(store).close()  # refuses a bad path or URL now, in one line, before the server starts
    bases = addresses(ip, port)
    print(t("game.app.serve.starting", db=db))
    for base in bases:
        print(t("game.app.serve.team_address", address=page_address(base, TEAM_PAGE)))
        print(t("game.app.serve.console_address", address=page_address(base, CONSOLE_PAGE)))
    if ip in ("0.0.0.0", "::"):
        print(t("game.app.serve.everyone"))
    print(t("game.app.serve.stop"), flush=True)
    command, env = voila_command(folder, ip, port), voila_environment(store, bases)
    if os.name == "posix":
        os.execve(sys.executable, command, env)  # Voilà takes this process's place (and its signals)
    return subprocess.call(command, env=env)  # pragma: no cover - other systems
