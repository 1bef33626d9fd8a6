"""What the team page and the trainer's console share: where the store is, the one-line notice,
tables, and the watcher that refreshes a page when the game moves on.

Presentation only: the game's logic is :class:`simulation.game.session.Game`; the look (KPI
cards, chart slots, the two-column layout) is the labs' (``simulation.labs.panel``).
"""

from __future__ import annotations

import asyncio
import html
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import ipywidgets as w

from simulation.charts import typeface
from simulation.game.store import GameStore
from simulation.messages import t

STORE_VARIABLE = "RETENTION_LAB_GAME_DB"  # the store the notebooks open (set by `retention-lab game serve`)
ADDRESS_VARIABLE = "RETENTION_LAB_GAME_ADDRESSES"  # the server's addresses, space-separated (set by serve)
DEFAULT_STORE = "classroom.sqlite"  # next to the notebooks: game/classroom.sqlite
POLL_SECONDS = 3.0

STYLE = (
    "<style>"
    ".rl-notice{font-family:system-ui,sans-serif;font-size:14px;padding:4px 8px;border-radius:4px;min-height:20px}"
    ".rl-notice.rl-error{background:#fdecea;color:#b42318;border:1px solid #f5c2c0}"
    ".rl-notice.rl-ok{background:#e8f5e9;color:#1a7f37;border:1px solid #b7dfbf}"
    ".rl-notice.rl-note{background:#fff8e1;color:#7a5a00;border:1px solid #f0dc9a}"
    ".rl-status{font-family:system-ui,sans-serif;font-size:15px;margin:4px 0}"
    ".rl-status b{font-weight:600}"
    "table.rl-table{border-collapse:collapse;font-family:system-ui,sans-serif;font-size:13px;margin:4px 0}"
    "table.rl-table th,table.rl-table td{padding:3px 10px;border-bottom:1px solid #e3e8ef;text-align:left}"
    "table.rl-table td.rl-num,table.rl-table th.rl-num{text-align:right;font-variant-numeric:tabular-nums}"
    "table.rl-table tr.rl-total td{font-weight:600;border-top:2px solid #8896a8}"
    "table.rl-table tr.rl-own td{background:#eef4ff}"
    "table.rl-big{font-size:24px}table.rl-big th,table.rl-big td{padding:8px 18px}"
    ".rl-code{font-family:ui-monospace,monospace;font-size:16px;letter-spacing:1px}"
    ".rl-heading{font-family:system-ui,sans-serif;font-weight:600;margin:10px 0 2px 0}"
    "</style>"
)
STYLE = typeface.page_css(STYLE)  # Chinese shows with the shipped font where the system has none


def store_location(default: str = DEFAULT_STORE) -> str:
    """The game store the apps open: ``$RETENTION_LAB_GAME_DB``, else ``default`` (a file next to
    the notebook, i.e. ``game/classroom.sqlite``)."""
    return os.environ.get(STORE_VARIABLE) or default


def server_addresses() -> list[str]:
    """The addresses the game server answers on (``retention-lab game serve`` sets them), or []."""
    return os.environ.get(ADDRESS_VARIABLE, "").split()


def open_store(where: str | os.PathLike | GameStore) -> GameStore:
    return where if isinstance(where, GameStore) else GameStore(where)


def one_line(error: BaseException) -> str:
    """An error as one line for a person: the store's and the game's messages as they are, anything
    else with what it was (never a traceback)."""
    from simulation.config.errors import ScenarioError
    from simulation.game.session import GameSetupError
    from simulation.game.store import GameError

    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = "; ".join(lines[:3]) if isinstance(error, ScenarioError) else (lines[0] if lines else "")
    if isinstance(error, GameError | GameSetupError | ScenarioError):
        return text or type(error).__name__
    return t("game.app.unexpected", kind=type(error).__name__, error=text or "-")


class Notice:
    """One line of news at the top of a page: a confirmation, a note, or what went wrong."""

    def __init__(self):
        self.widget = w.HTML()

    def _show(self, tone: str, text: str) -> None:
        self.widget.value = f"<div class='rl-notice rl-{tone}'>{html.escape(text)}</div>"

    def ok(self, text: str) -> None:
        self._show("ok", text)

    def note(self, text: str) -> None:
        self._show("note", text)

    def error(self, text: str) -> None:
        self._show("error", text)

    def clear(self) -> None:
        self.widget.value = ""

    @property
    def text(self) -> str:
        """What the notice says (for tests)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self.widget.value)).strip()


def guarded(notice: Notice, action: Callable[..., Any]) -> Callable[..., Any]:
    """``action`` for a button or an observer: whatever it raises shows as one line in ``notice``."""

    def run(*args, **kwargs):
        try:
            return action(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - a page shows one line, never a traceback
            notice.error(one_line(error))
            return None

    return run


def button(
    text: str, action: Callable[[], Any], notice: Notice, *, icon: str = "", style: str = "", width: str = ""
) -> w.Button:
    """A button whose click runs ``action`` (errors go to ``notice``)."""
    made = w.Button(
        description=text,
        icon=icon,
        button_style=style,
        layout=w.Layout(width=width) if width else w.Layout(width="auto"),
    )
    made.on_click(guarded(notice, lambda _: action()))
    return made


def heading(text: str) -> w.HTML:
    return w.HTML(f"<div class='rl-heading'>{html.escape(text)}</div>")


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    numeric: Iterable[int] = (),
    css: str = "",
    row_classes: Sequence[str] | None = None,
) -> str:
    """An HTML table (class ``rl-table``): ``numeric`` columns align right; texts are escaped."""
    numeric = set(numeric)
    cell = lambda k, v, tag: f"<{tag}{' class=rl-num' if k in numeric else ''}>{html.escape(str(v))}</{tag}>"  # noqa: E731
    head = "".join(cell(k, h, "th") for k, h in enumerate(header))
    body = []
    for n, row in enumerate(rows):
        klass = f" class='{row_classes[n]}'" if row_classes and row_classes[n] else ""
        body.append(f"<tr{klass}>" + "".join(cell(k, v, "td") for k, v in enumerate(row)) + "</tr>")
    return (
        f"<table class='rl-table {css}'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


class Watcher:
    """Calls ``changed(snapshot)`` whenever ``read()`` gives something new, every ``seconds``.

    An asyncio task on the kernel's event loop (the loop Voilà and JupyterLab run cells on):
    ``read`` runs in a worker thread (a store query must not hold up the page), ``changed`` on
    the loop, where widgets are updated. Without a running loop (a plain script, a test) nothing
    is started; :meth:`check` does one round by hand. The task ends with the kernel, or on
    :meth:`stop`."""

    def __init__(
        self,
        read: Callable[[], Any],
        changed: Callable[[Any], None],
        notice: Notice,
        seconds: float = POLL_SECONDS,
    ):
        self.read, self.changed, self.notice, self.seconds = read, changed, notice, seconds
        self.last: Any = None
        self.task: asyncio.Task | None = None
        self._failed = False

    def start(self) -> bool:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        if self.task is None or self.task.done():
            self.task = loop.create_task(self._run())
        return True

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def seen(self, snapshot: Any) -> None:
        """Take ``snapshot`` as already shown (after the page drew it itself)."""
        self.last = snapshot

    def check(self) -> bool:
        """One look now (in this thread): True if something changed and the page was redrawn."""
        return self._compare(self.read())

    def _compare(self, snapshot: Any) -> bool:
        if snapshot == self.last:
            return False
        self.last = snapshot
        self.changed(snapshot)
        return True

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.seconds)
            try:
                snapshot = await loop.run_in_executor(None, self.read)
                self._compare(snapshot)
                self._failed = False
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - keep watching; say it once
                if not self._failed:
                    self.notice.error(one_line(error))
                self._failed = True
