"""The game's export: leaderboard.csv, rounds.csv, decisions.csv and debrief.html.

``debrief.html`` is one self-contained page (charts included, no network): the leaderboard,
every team's results round by round, the truth about its lost customers beside its CRM, what
each of its decisions was worth, the timeline and the discussion questions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from simulation.charts.game import (
    decision_value_bars,
    leaderboard_bars,
    over_rounds,
    truth_bars,
)
from simulation.charts.report import Section, save_report
from simulation.engine.accounting import MOTIVES
from simulation.game import debrief
from simulation.game.decisions import DECISION_TEXT
from simulation.game.scores import SCORE_TEXT
from simulation.messages import t
from simulation.output_folder import OutputFolder
from simulation.vocabulary import MOTIVE

FILES = ("leaderboard.csv", "rounds.csv", "decisions.csv", "debrief.html")


def rounds_frame(game) -> pd.DataFrame:
    """team x round: the KPIs a team saw, and the truth."""
    rows = []
    results = game.results()
    names = {team["id"]: (team["name"], team["market"] + 1) for team in game.teams}
    for r in sorted(results):
        for team_id, view in results[r].items():
            name, market = names[team_id]
            row = {
                "team": name,
                "market": market,
                "round": r,
                "kept_last_decisions": bool(view.get("carried")),
            }
            row.update({f"crm_{k}": v for k, v in view["crm"].items() if k != "winback"})
            row.update({f"winback_{k}": v for k, v in view["crm"]["winback"].items()})
            row.update({f"pnl_{k}": v for k, v in view["pnl"].items()})
            row["price"] = view["market"]["price"][view["firm"]]
            row["market_share"] = view["market"]["market_share"][view["firm"]]
            row.update({f"truth_defections_{m}": view["truth"]["defections"][m] for m in MOTIVES})
            row.update({f"research_{k}": v for k, v in view.get("research", {}).get("answers", {}).items()})
            rows.append(row)
    return pd.DataFrame(rows)


def decisions_frame(game) -> pd.DataFrame:
    names = {team["id"]: team["name"] for team in game.teams}
    rows = [
        {
            "team": names[row["team"]],
            "round": row["round"],
            "carried": row["carried"],
            "submitted_at": row["submitted_at"],
            "by": row["by"],
            "decisions": json.dumps(row["decisions"], sort_keys=True),
        }
        for row in game.store.history(game.id)
    ]
    return pd.DataFrame(rows, columns=["team", "round", "carried", "submitted_at", "by", "decisions"])


def write_report(game, out: Path, replications: int = 5, progress: bool = False) -> list[str]:
    """Write the four files into ``out`` (created if missing) through an :class:`OutputFolder`:
    all four at once when every one is written, never two reports at once, never over a file
    the trainer made; returns their names."""
    with OutputFolder(out, FILES) as folder:
        _write(game, folder, replications, progress)
    return list(FILES)


def _write(game, folder: OutputFolder, replications: int, progress: bool) -> None:
    board = game.leaderboard()
    board.to_csv(folder.path("leaderboard.csv"), index=False)
    rounds = rounds_frame(game)
    rounds.to_csv(folder.path("rounds.csv"), index=False)
    decisions_frame(game).to_csv(folder.path("decisions.csv"), index=False)
    truth = debrief.truth_table(game)
    values = debrief.decision_values(game, replications, progress)
    timeline = debrief.timeline(game)
    motive_labels = {m: t(MOTIVE[m]) for m in MOTIVES}
    decision_labels = {d: t(DECISION_TEXT[d]) for d in values.get("decision", pd.Series(dtype=str)).unique()}
    score = board.attrs["score"]
    sections = [
        Section(t("game.report.leaderboard"), board),
        Section(t("game.report.leaderboard"), leaderboard_bars(board, score, t(SCORE_TEXT[score]))),
    ]
    if len(timeline):
        sections += [
            Section(t("game.report.profit"), over_rounds(timeline, "profit", t("game.chart.profit"))),
            Section(t("game.report.share"), over_rounds(timeline, "share", t("game.chart.share"))),
            Section(t("game.report.truth"), truth_bars(truth, motive_labels)),
            Section(t("game.report.truth"), truth.rename(columns=motive_labels)),
        ]
    if len(values):
        sections += [
            Section(t("game.report.values"), decision_value_bars(values, decision_labels)),
            Section(t("game.report.values"), values.assign(decision=values.decision.map(decision_labels))),
        ]
    sections.append(Section(t("game.report.timeline"), timeline))
    sections += [
        Section(t("game.report.questions") if k == 0 else "", q)
        for k, q in enumerate(debrief.questions(game, truth, values, board))
    ]
    save_report(
        folder.path("debrief.html"),
        t("game.report.title", name=game.info["definition"]["name"]),
        sections,
        t("game.report.intro", rounds=game.store.game(game.id)["round"], replications=replications),
    )
