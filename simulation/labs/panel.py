"""Building blocks every lab shares: KPI cards, chart slots, the scenario shelf, the layout.

A lab is one panel: controls on the left, KPI cards and charts on the right, a shelf to
save scenarios and compare up to four side by side. Presentation only: numbers come from
the experiment layer, words from the message catalog.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from pathlib import Path

import altair as alt
import ipywidgets as w

from simulation.charts import typeface
from simulation.charts.offline import offline_charts
from simulation.config import Scenario, ScenarioError, save_scenario
from simulation.messages import format_number, t, tn
from simulation.output_folder import sha256

CARD_STYLE = (
    "<style>.rl-kpi{display:inline-block;min-width:150px;margin:4px;padding:8px 10px;border-radius:6px;"
    "background:#f3f6fa;border:1px solid #d8e0ea;font-family:system-ui,sans-serif}"
    ".rl-kpi .rl-label{font-size:11px;color:#555}.rl-kpi .rl-value{font-size:20px;font-weight:600}"
    ".rl-kpi .rl-interval{font-size:11px;color:#666}.rl-kpi.rl-good .rl-value{color:#1a7f37}"
    ".rl-kpi.rl-bad .rl-value{color:#b42318}</style>"
)
CARD_STYLE = typeface.page_css(CARD_STYLE)  # Chinese shows with the shipped font where the system has none


def card(label: str, value: str, interval: str = "", tone: str = "") -> str:
    """One KPI card as HTML (class ``rl-kpi``, which the browser tests read)."""
    tone_class = f" rl-{tone}" if tone else ""
    return (
        f'<div class="rl-kpi{tone_class}"><div class="rl-label">{html.escape(label)}</div>'
        f'<div class="rl-value">{html.escape(value)}</div><div class="rl-interval">{html.escape(interval)}</div></div>'
    )


def fmt(value: float | None, kind: str = "number") -> str:
    """A KPI value as a learner reads it."""
    if value is None or value != value:  # None or NaN
        return "–"
    if kind == "percent":
        return format_number(value, ".0%")
    if kind == "money":
        return format_number(value, ",.0f")
    if kind == "ratio":
        return format_number(value, ".2f")
    return format_number(value, ",.0f") if abs(value) >= 100 else format_number(value, ".3g")


class Cards:
    """A row of KPI cards that redraws in one go."""

    def __init__(self):
        self.widget = w.HTML(CARD_STYLE)

    def show(self, cards: list[str]) -> None:
        self.widget.value = CARD_STYLE + "".join(cards)


class ChartSlot:
    """A place for one chart that renders offline (``alt.JupyterChart``) and can be redrawn.

    A redraw sends the new specification straight to the widget, unvalidated: checking it against
    Vega-Lite's JSON schema costs as long as making it (about 5 ms a chart, a tenth of a lab's
    redraw), and each chart's specification is validated by the tests instead (``chart``, the
    chart shown, is kept for them). A chart with parameters (selections) goes the widget's own way,
    which wires them up."""

    def __init__(self, chart: alt.TopLevelMixin | None = None):
        offline_charts()
        self.chart = chart if chart is not None else alt.Chart().mark_point()
        self._chart = alt.JupyterChart(self.chart)
        self.widget = w.Box([typeface.loader(), self._chart])  # the CJK font comes with the chart

    def show(self, chart: alt.TopLevelMixin) -> None:
        self.chart = chart
        spec = chart.to_dict(validate=False)
        if _has_params(spec) or _has_params(self._chart.spec or {}):
            self._chart.chart = chart
        else:
            self._chart.spec = spec


def _has_params(spec: dict) -> bool:
    """Whether a chart specification (or one of its layers or panels) declares parameters."""
    if spec.get("params"):
        return True
    return any(
        _has_params(part) for key in ("layer", "hconcat", "vconcat", "concat") for part in spec.get(key, ())
    ) or ("spec" in spec and _has_params(spec["spec"]))


class Shelf:
    """Saved scenarios of a lab: save the current one (to a YAML file too) and compare up to four.

    A file is never overwritten unless it is the one this shelf wrote for the same name and
    nobody changed it since (saving a name again updates it). A name whose file is taken — the
    user's own ``baseline.yaml``, another saved scenario whose name makes the same file name
    ("My plan" and "My_plan"), a file of an earlier session ("Scenario 1" after Clear or a
    restart) — is saved under a new name ("My plan (2)"), and the status line says so. What
    cannot be saved (a name too long, a folder that cannot be written) is said in the status
    line, and is not put on the shelf.

    *Your names* (a learner, or a pair) puts the files in a folder of their own inside ``folder``,
    so that a class's plans never meet in one folder and a trainer can collect them all
    (``retention-lab compare --collect``)."""

    LIMIT = 4
    NAME_LIMIT = 80  # Scenario.name's max_length

    def __init__(self, folder: str | Path, on_compare: Callable[[dict[str, Scenario]], None]):
        self.folder = Path(folder)
        self.saved: dict[str, Scenario] = {}
        self.files: dict[str, tuple[Path, str]] = {}  # name -> the file this shelf wrote, its sha256
        self.on_compare = on_compare
        self.name = w.Text(
            placeholder=t("lab.save_name_placeholder"),
            description=t("lab.save_name"),
            layout=w.Layout(width="260px"),
        )
        self.author = w.Text(
            placeholder=t("lab.save_author_placeholder"),
            description=t("lab.save_author"),
            layout=w.Layout(width="260px"),
        )
        self.save_button = w.Button(description=t("lab.save"), icon="save", button_style="info")
        self.compare_button = w.Button(description=t("lab.compare"), icon="columns", disabled=True)
        self.clear_button = w.Button(description=t("lab.clear"), icon="trash")
        self.status = w.HTML()
        self.widget = w.VBox(
            [
                self.author,
                w.HBox([self.name, self.save_button]),
                w.HBox([self.compare_button, self.clear_button]),
                self.status,
            ]
        )
        self.clear_button.on_click(lambda _: self.clear())
        self.compare_button.on_click(lambda _: self.on_compare(dict(self.saved)))
        self.current: Callable[[], Scenario] | None = None
        self.save_button.on_click(lambda _: self.save())

    def adopt(self, old: Shelf) -> None:
        """Carry on what ``old`` saved (the lab was built again, e.g. in another language)."""
        self.saved, self.files = old.saved, old.files
        self.author.value = old.author.value
        self.compare_button.disabled = len(self.saved) < 2

    def save(self) -> None:
        """Save the current scenario under the typed name (or "Scenario <n>"); never raises: every
        outcome is shown in the status line."""
        if self.current is None:
            return
        typed = self.name.value.strip()
        try:
            self._save(typed)
        except ScenarioError as error:
            self._error(t("files.shelf_not_saved", name=_short(typed), problem=str(error)))
        except OSError as error:
            self._error(
                t(
                    "files.shelf_cannot_write",
                    name=_short(typed),
                    folder=str(self.folder),
                    problem=error.strerror or str(error),
                )
            )
        except Exception as error:  # noqa: BLE001 - a button callback: whatever it is, the learner sees it
            self._error(
                t("files.shelf_not_saved", name=_short(typed), problem=f"{type(error).__name__}: {error}")
            )

    def _save(self, typed: str) -> None:
        if typed and len(typed) > self.NAME_LIMIT:
            raise ScenarioError(t("files.shelf_name_too_long", limit=self.NAME_LIMIT, length=len(typed)))
        again = typed in self.saved and self._still_ours(typed)
        if not again and len(self.saved) >= self.LIMIT:
            self.status.value = html.escape(tn("lab.shelf_full", self.LIMIT, limit=self.LIMIT))
            return
        current = self.current()
        if again:  # the same name again: update its own file
            name = typed
            scenario = current.with_changes({"name": name})
            path = save_scenario(scenario, self.files[name][0])
        else:
            name, scenario, path = self._save_new(typed, current)
        self.saved[name] = scenario
        self.files[name] = (path, sha256(path))
        if typed and name != typed:
            text = t(
                "files.shelf_renamed",
                asked=typed,
                name=name,
                path=str(path),
                count=len(self.saved),
                limit=self.LIMIT,
            )
        else:
            text = t("lab.saved", name=name, path=str(path), count=len(self.saved), limit=self.LIMIT)
        self.status.value = html.escape(text)
        self.compare_button.disabled = len(self.saved) < 2
        self.name.value = ""

    def _save_new(self, typed: str, current: Scenario) -> tuple[str, Scenario, Path]:
        """Save under the first free name — ``typed``, ``typed (2)``, … (or ``Scenario <n>``) —
        whose file does not exist yet; the file is created only if it does not exist."""
        for name in self._candidates(typed):
            if name in self.saved:
                continue
            path = self.author_folder() / f"{_file_name(name)}.yaml"
            if path.exists():
                continue
            scenario = current.with_changes({"name": name})
            try:
                return name, scenario, save_scenario(scenario, path, replace=False)
            except FileExistsError:  # made a moment ago by someone else: the next name
                continue
        raise OSError(17, t("files.shelf_no_free_name"))  # pragma: no cover - 10,000 taken names

    def author_folder(self) -> Path:
        """Where this shelf saves: ``folder``, or the folder of the names typed in *Your names*."""
        author = self.author.value.strip()
        return self.folder / _folder_name(author) if author else self.folder

    def _candidates(self, typed: str):
        if not typed:
            for number in range(len(self.saved) + 1, len(self.saved) + 10_000):
                yield t("lab.default_name", number=number)
            return
        yield typed
        for number in range(2, 10_000):
            suffix = f" ({number})"
            yield typed[: self.NAME_LIMIT - len(suffix)].rstrip() + suffix

    def _still_ours(self, name: str) -> bool:
        """True if the file saved for ``name`` is still what this shelf wrote (or is gone)."""
        path, sha = self.files.get(name, (None, ""))
        if path is None:
            return False
        try:
            return not path.exists() or sha256(path) == sha
        except OSError:
            return False

    def _error(self, text: str) -> None:
        self.status.value = f'<span class="rl-error" style="color:#b42318">{html.escape(text)}</span>'

    def clear(self) -> None:
        self.saved.clear()
        self.files.clear()
        self.compare_button.disabled = True
        self.status.value = html.escape(t("lab.cleared"))


def _file_name(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.strip())
    return keep[:60] or "scenario"


def _folder_name(names: str) -> str:
    """A learner's (or a pair's) folder: their names as typed, less what a file system refuses
    (``/ \\ : * ? " < > |``, control characters, a leading dot), at most 60 characters."""
    keep = "".join(c if (c.isalnum() or c in " -_&,.()'+") else "_" for c in names.strip())
    while ".." in keep:
        keep = keep.replace("..", ".")
    return keep.lstrip(".").strip()[:60] or "learner"


def _short(name: str) -> str:
    return name if len(name) <= 40 else name[:37] + "..."


class Timer:
    """Measures how long a lab took to respond (shown to the learner, read by the benchmark)."""

    def __init__(self):
        self.last = 0.0

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.last = time.perf_counter() - self._start
        return False


def layout(controls: list[w.Widget], right: list[w.Widget], title: str) -> w.Widget:
    """The lab panel: a title (none if empty), controls left, results right."""
    left = w.VBox(controls, layout=w.Layout(width="360px", min_width="320px", padding="0 12px 0 0"))
    columns = w.HBox([left, w.VBox(right, layout=w.Layout(flex="1"))])
    return w.VBox(
        [w.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>"), columns] if title else [columns]
    )


def hint(text: str) -> w.HTML:
    """A control's one-line explanation under its switch (from the catalog)."""
    return w.HTML(f"<div style='font-size:11px;color:#555;margin:-4px 0 2px 22px'>{html.escape(text)}</div>")


def slider(kind, description, value, low, high, step, fmt_=None):
    """A labelled slider that updates on release (``kind``: "int" or "float")."""
    cls = w.IntSlider if kind == "int" else w.FloatSlider
    options = {
        "value": value,
        "min": low,
        "max": high,
        "step": step,
        "description": description,
        "continuous_update": False,
        "style": {"description_width": "150px"},
        "layout": w.Layout(width="340px"),
    }
    if fmt_ and kind == "float":
        options["readout_format"] = fmt_
    return cls(**options)
