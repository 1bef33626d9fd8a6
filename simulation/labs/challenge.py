"""Each lab's challenge: a goal and a budget, a plan committed, judged on markets never seen.

A lab is a sandbox: toggle, look, undo. Its challenge makes the learner decide. The goal is a
profit against the lab's reference (doing nothing; in the Price-War Lab, holding your price
against the same cut) over the whole run, within a budget a week. *Commit this plan* runs the
plan and its reference on fresh markets (replications the lab never showed: their seeds are
spawned from another root), paired by replication, and judges it by the mean and the 95%
interval: *surely met* when the whole interval is above the goal, *met* when the mean is, *not
met* otherwise; a plan over the budget is *not allowed*, whatever its profit (the budget is
enforced, not only coloured). The commitment is written to ``<lab folder>/<your names>/
challenge.json``, and the panel lists the class's commitments found in the lab's folder, all
judged on the same fresh markets, so the class compares like with like.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w
import numpy as np

from simulation.labs.panel import fmt
from simulation.messages import N_, t
from simulation.statistics.intervals import mean_interval

FRESH_SEED = 1_000_003  # the fresh markets' seeds are spawned from this root plus the lab's seed
FRESH_REPLICATIONS = 5
MARK = "retention_lab_challenge"  # a commitment file this project wrote (and may replace)
VERDICTS = {
    "surely_met": N_("challenge.verdict.surely_met"),
    "met": N_("challenge.verdict.met"),
    "not_met": N_("challenge.verdict.not_met"),
    "over_budget": N_("challenge.verdict.over_budget"),
}


COLUMNS = (
    N_("challenge.col.names"),
    N_("challenge.col.plan"),
    N_("challenge.col.gain"),
    N_("challenge.col.cost"),
    N_("challenge.col.verdict"),
)


@dataclass(frozen=True)
class Goal:
    """Profit against the reference of at least ``min_gain`` over the run, spending at most
    ``budget_per_week`` a week (None: no budget; a callable: read from the lab, e.g. its slider)."""

    text_key: str  # the goal in words: {gain} and {budget}
    min_gain: float
    budget_per_week: float | None = None


def judge(gains: np.ndarray, cost_per_week: float, min_gain: float, budget: float | None) -> dict:
    """The verdict on a plan's paired profit gains (one per fresh replication) and its cost a week."""
    mean, low, high = mean_interval(gains)
    if budget is not None and cost_per_week > budget + 1e-9:
        verdict = "over_budget"
    elif low >= min_gain:
        verdict = "surely_met"
    elif mean >= min_gain:
        verdict = "met"
    else:
        verdict = "not_met"
    return {"gain": mean, "low": low, "high": high, "cost_per_week": cost_per_week, "verdict": verdict}


class ChallengePanel:
    """The challenge's widgets under a lab: the goal, *Commit this plan*, the verdict, the class."""

    def __init__(self, lab):
        self.lab = lab
        self.goal = w.HTML()
        self.commit_button = w.Button(icon="flag-checkered", button_style="success")
        self.commit_button.on_click(lambda _: self.commit())
        self.result = w.HTML()
        self.board = w.HTML()
        self.widget = w.VBox([self.goal, self.commit_button, self.result, self.board])
        self.relabel()

    def budget(self) -> float | None:
        return self.lab.challenge_budget()

    def relabel(self) -> None:
        self.show_goal()
        self.commit_button.description = t("challenge.commit")
        self.show_board()

    def show_goal(self) -> None:
        """The goal in words (the budget may follow a slider of the lab)."""
        goal = self.lab.goal
        text = t(goal.text_key, gain=fmt(goal.min_gain, "money"), budget=fmt(self.budget(), "money"))
        self.goal.value = (
            f"<h4 style='margin:8px 0 2px'>{html.escape(t('challenge.title'))}</h4>{html.escape(text)}"
        )

    def commit(self) -> None:
        """Judge the current plan on fresh markets and write the commitment (never raises: what
        goes wrong is said in the panel)."""
        shelf = self.lab.shelf
        names = shelf.author.value.strip()
        if not names:
            self.result.value = _error(t("challenge.no_names"))
            return
        self.result.value = _note(t("challenge.running", replications=FRESH_REPLICATIONS))
        try:
            scenario = self.lab.scenario()
            runs = self.lab.run(scenario, fresh=True)
            reference = self.lab.run(self.lab.challenge_reference(scenario), fresh=True)
            gains = self.lab.gains(runs, against=reference)
            cost = float(np.mean(self.lab.challenge_cost(runs)))
            verdict = judge(gains, cost, self.lab.goal.min_gain, self.budget())
            record = {
                MARK: 1,
                "names": names,
                "plan": shelf.name.value.strip() or scenario.name,
                **verdict,
                "goal": self.lab.goal.min_gain,
                "budget": self.budget(),
            }
            path = shelf.author_folder() / "challenge.json"
            _write(path, record)
        except OSError as error:
            self.result.value = _error(t("challenge.cannot_write", problem=error.strerror or str(error)))
            return
        except Exception as error:  # noqa: BLE001 - a button callback: whatever it is, the learner sees it
            self.result.value = _error(f"{type(error).__name__}: {error}")
            return
        self.last = verdict
        self.result.value = _note(self._sentence(verdict))
        self.show_board()

    def _sentence(self, v: dict) -> str:
        return t(
            "challenge.result",
            verdict=t(VERDICTS[v["verdict"]]),
            gain=fmt(v["gain"], "money"),
            low=fmt(v["low"], "money"),
            high=fmt(v["high"], "money"),
            cost=fmt(v["cost_per_week"], "money"),
            replications=FRESH_REPLICATIONS,
        )

    def show_board(self) -> None:
        """The class's commitments in the lab's folder, best first."""
        rows = commitments(self.lab.shelf.folder)
        if not rows:
            self.board.value = ""
            return
        mine = self.lab.shelf.author.value.strip()
        head = "".join(
            f"<th style='text-align:left;padding:2px 8px'>{html.escape(t(k))}</th>" for k in COLUMNS
        )
        body = ""
        for r in rows:
            style = "font-weight:600" if r["names"] == mine else ""
            cells = (
                r["names"],
                r["plan"],
                t(
                    "challenge.gain_interval",
                    gain=fmt(r["gain"], "money"),
                    low=fmt(r["low"], "money"),
                    high=fmt(r["high"], "money"),
                ),
                fmt(r["cost_per_week"], "money"),
                t(VERDICTS.get(r["verdict"], VERDICTS["not_met"])),
            )
            body += (
                f"<tr style='{style}'>"
                + "".join(f"<td style='padding:2px 8px'>{html.escape(str(c))}</td>" for c in cells)
                + "</tr>"
            )
        self.board.value = (
            f"<div style='font-size:12px;margin-top:6px'><b>{html.escape(t('challenge.class'))}</b>"
            f"<table class='rl-challenge'><tr>{head}</tr>{body}</table></div>"
        )


def commitments(folder: Path) -> list[dict]:
    """Every commitment under a lab's folder (one per learner or pair), best gain first; files
    that are not commitments this project wrote are left out."""
    found = []
    for path in sorted(Path(folder).glob("*/challenge.json")):
        record = _read(path)
        if record is not None:
            found.append(record)
    return sorted(found, key=lambda r: -float(r.get("gain", 0.0)))


def _read(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get(MARK) == 1 else None


def _write(path: Path, record: dict) -> None:
    """Write through a temporary file and move it into place; a ``challenge.json`` this project
    did not write is never replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and _read(path) is None:
        raise FileExistsError(17, t("challenge.not_ours", path=str(path)))
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".challenge-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False, indent=1)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _note(text: str) -> str:
    return f"<div style='font-size:12px;color:#333;margin:4px 0'>{html.escape(text)}</div>"


def _error(text: str) -> str:
    return (
        f"<div class='rl-error' style='font-size:12px;color:#b42318;margin:4px 0'>{html.escape(text)}</div>"
    )
