"""The trainer's console of the classroom game: make or open a game, run its rounds, show the
leaderboard on the projector, reveal the truth in the debrief, export everything.

    from simulation.game.console_app import TrainerConsole
    TrainerConsole("classroom.sqlite").show()

Four tabs:

* **Game** — open a game with the trainer's code, or make one (preset, teams, markets, rounds,
  weeks per round, customers, seed, score); the teams' join codes and the address they type.
* **Round** — who has submitted (live), a deadline, *Run the round* (with its progress), an event
  for the next round (a scripted rival's price cut, number portability, a new entrant), *Undo the
  last round*, *Pause* / *Resume*.
* **Leaderboard** — a big chart and table for the projector, ranked by the score the trainer picks.
* **Debrief** — after any round: why customers really left, what each decision was worth, every
  team's decisions and results round by round, questions for the room
  (:mod:`simulation.game.debrief`); *Export everything* writes the report
  (:func:`simulation.game.report.write_report`) and the store's export as JSON into a folder.

Every refusal (a wrong code, a closed round, a bad value) shows as one line at the top.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import ipywidgets as w

from simulation.charts import typeface
from simulation.charts.game import (
    decision_value_bars,
    leaderboard_bars,
    over_rounds,
    truth_bars,
)
from simulation.config import load_preset, preset_names
from simulation.engine.accounting import MOTIVES
from simulation.game import debrief
from simulation.game.decisions import DECISION_TEXT
from simulation.game.report import write_report
from simulation.game.scores import SCORE_TEXT, SCORES
from simulation.game.serve import CONSOLE_PAGE, TEAM_PAGE, page_address
from simulation.game.session import Game, GameSetupError
from simulation.game.team_app import deadline_text
from simulation.game.widgets import (
    POLL_SECONDS,
    STYLE,
    Notice,
    Watcher,
    button,
    guarded,
    heading,
    open_store,
    server_addresses,
    store_location,
    table,
)
from simulation.labs.panel import ChartSlot, fmt, slider
from simulation.messages import N_, t, tn
from simulation.vocabulary import MOTIVE

EVENT_TEXT = {
    "price_cut": N_("game.app.event.price_cut"),
    "portability": N_("game.app.event.portability"),
    "entrant": N_("game.app.event.entrant"),
}


class TrainerConsole:
    """The trainer's console over the game store ``store`` (a path, a URL or a :class:`GameStore`;
    default: ``$RETENTION_LAB_GAME_DB``, else ``classroom.sqlite`` next to the notebook).
    ``export_folder``: where *Export everything* writes (a folder per game inside it)."""

    def __init__(
        self, store=None, *, poll_seconds: float = POLL_SECONDS, export_folder: str | Path = "exports"
    ):
        self.where = store if store is not None else store_location()
        self.store = None
        self.game: Game | None = None
        self.trainer = ""
        self.export_root = Path(export_folder)
        self.notice = Notice()
        self.game_line = w.HTML()
        self.watcher = Watcher(
            self._snapshot, guarded(self.notice, self._moved_on), self.notice, poll_seconds
        )
        self.tabs = w.Tab(
            children=[self._game_tab(), self._round_tab(), self._board_tab(), self._debrief_tab()]
        )
        self.tabs.titles = [
            t("game.app.console.tab_game"),
            t("game.app.console.tab_round"),
            t("game.app.console.tab_board"),
            t("game.app.console.tab_debrief"),
        ]
        self.panel = w.VBox(
            [w.HTML(STYLE), self.notice.widget, self.game_line, self.tabs]
        )  # the notebook has the title
        self._show_game_parts(False)

    # --- building the tabs ---------------------------------------------------------------
    def _game_tab(self) -> w.Widget:
        style, wide = {"description_width": "170px"}, w.Layout(width="360px")
        self.trainer_box = w.Text(
            description=t("game.app.console.trainer_code"),
            placeholder=t("game.app.console.trainer_placeholder"),
            style=style,
            layout=wide,
        )
        self.open_button = button(
            t("game.app.console.open"), self.open, self.notice, icon="folder-open", style="primary"
        )
        names = preset_names()
        self.preset = w.Dropdown(
            options=names,
            value="baseline" if "baseline" in names else names[0],
            description=t("game.app.console.preset"),
            style=style,
            layout=wide,
        )
        self.name = w.Text(
            description=t("game.app.console.name"),
            placeholder=t("game.app.console.name_placeholder"),
            style=style,
            layout=wide,
        )
        number = lambda label, value, low, high: w.BoundedIntText(
            value=value, min=low, max=high, description=label, style=style, layout=wide
        )  # noqa: E731
        self.teams = number(t("game.app.console.teams"), 3, 1, 60)
        self.markets = number(t("game.app.console.markets"), 1, 1, 20)
        self.rounds = number(t("game.app.console.rounds"), 8, 1, 40)
        self.weeks = number(t("game.app.console.weeks"), 13, 1, 52)
        self.customers = number(
            t("game.app.console.customers"), load_preset(self.preset.value).customers.count, 100, 200_000
        )
        self.seed = number(t("game.app.console.seed"), 1, 0, 10**9)
        self.score = w.Dropdown(
            options=[(t(SCORE_TEXT[s]), s) for s in SCORES],
            value="profit",
            description=t("game.app.console.score"),
            style=style,
            layout=wide,
        )
        self.preset.observe(
            guarded(
                self.notice,
                lambda _: setattr(self.customers, "value", load_preset(self.preset.value).customers.count),
            ),
            names="value",
        )
        self.create_button = button(
            t("game.app.console.create"), self.create, self.notice, icon="plus", style="success"
        )
        self.codes = w.HTML()
        return w.VBox(
            [
                heading(t("game.app.console.open_heading")),
                w.HBox([self.trainer_box, self.open_button]),
                heading(t("game.app.console.create_heading")),
                self.preset,
                self.name,
                self.teams,
                self.markets,
                self.rounds,
                self.weeks,
                self.customers,
                self.seed,
                self.score,
                self.create_button,
                self.codes,
            ]
        )

    def _round_tab(self) -> w.Widget:
        self.round_status = w.HTML()
        self.submitted = w.HTML()
        self.minutes = w.BoundedIntText(
            value=10,
            min=1,
            max=600,
            description=t("game.app.console.minutes"),
            style={"description_width": "170px"},
            layout=w.Layout(width="260px"),
        )
        self.deadline_button = button(
            t("game.app.console.set_deadline"), self.set_deadline, self.notice, icon="clock-o"
        )
        self.no_deadline_button = button(
            t("game.app.console.clear_deadline"), self.clear_deadline, self.notice
        )
        self.advance_button = button(
            t("game.app.console.advance"), self.advance, self.notice, icon="play", style="primary"
        )
        self.progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="300px"))
        self.progress_text = w.HTML()
        self.pause_button = button(
            t("game.app.console.pause"), self.pause_or_resume, self.notice, icon="pause"
        )
        self.undo_button = button(
            t("game.app.console.undo"), self.ask_undo, self.notice, icon="undo", style="warning"
        )
        self.undo_yes = button("", self.undo, self.notice, style="danger")
        self.undo_no = button(t("game.app.console.undo_cancel"), self.cancel_undo, self.notice)
        self.undo_confirm = w.HBox([self.undo_yes, self.undo_no])
        self.undo_confirm.layout.display = "none"
        style = {"description_width": "170px"}
        self.event_kind = w.Dropdown(
            options=[(t(EVENT_TEXT[k]), k) for k in EVENT_TEXT],
            value="price_cut",
            description=t("game.app.console.event"),
            style=style,
            layout=w.Layout(width="420px"),
        )
        self.event_firm = w.Dropdown(
            options=[],
            description=t("game.app.console.event_firm"),
            style=style,
            layout=w.Layout(width="420px"),
        )
        self.event_depth = slider("float", t("game.app.console.event_depth"), 0.2, 0.05, 0.6, 0.05, ".0%")
        self.event_market = w.Dropdown(
            options=[],
            description=t("game.app.console.event_market"),
            style=style,
            layout=w.Layout(width="420px"),
        )
        self.event_button = button(t("game.app.console.add_event"), self.add_event, self.notice, icon="bolt")
        self.events = w.HTML()
        self.event_kind.observe(lambda _: self._show_event_parts(), names="value")
        self._show_event_parts()
        self.round_parts = w.VBox(
            [
                self.round_status,
                self.submitted,
                w.HBox(
                    [self.advance_button, self.progress, self.progress_text],
                    layout=w.Layout(align_items="center"),
                ),
                heading(t("game.app.console.deadline_heading")),
                w.HBox([self.minutes, self.deadline_button, self.no_deadline_button]),
                heading(t("game.app.console.event_heading")),
                self.event_kind,
                self.event_firm,
                self.event_depth,
                self.event_market,
                self.event_button,
                self.events,
                heading(t("game.app.console.control_heading")),
                w.HBox([self.pause_button, self.undo_button]),
                self.undo_confirm,
            ]
        )
        return self._needs_game(self.round_parts)

    def _board_tab(self) -> w.Widget:
        self.board_score = w.ToggleButtons(
            options=[(t(SCORE_TEXT[s]), s) for s in SCORES],
            value="profit",
            description=t("game.app.console.board_score"),
            style={"description_width": "120px", "button_width": "180px"},
        )
        self.board_score.observe(guarded(self.notice, lambda _: self.draw_board()), names="value")
        self.board_chart = ChartSlot()
        self.board_table = w.HTML()
        self.board_parts = w.VBox([self.board_score, self.board_chart.widget, self.board_table])
        return self._needs_game(self.board_parts)

    def _debrief_tab(self) -> w.Widget:
        self.replications = w.BoundedIntText(
            value=3,
            min=2,
            max=30,
            description=t("game.app.console.replications"),
            style={"description_width": "170px"},
            layout=w.Layout(width="260px"),
        )
        self.debrief_button = button(
            t("game.app.console.debrief"), self.debrief, self.notice, icon="eye", style="primary"
        )
        self.export_button = button(t("game.app.console.export"), self.export, self.notice, icon="download")
        self.debrief_progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="300px"))
        self.exported = w.HTML()
        self.truth_chart, self.values_chart, self.profit_chart, self.share_chart = (
            ChartSlot(),
            ChartSlot(),
            ChartSlot(),
            ChartSlot(),
        )
        self.truth_table, self.values_table, self.timeline_table, self.questions = (
            w.HTML(),
            w.HTML(),
            w.HTML(),
            w.HTML(),
        )
        self.debrief_body = w.VBox(
            [
                heading(t("game.report.truth")),
                self.truth_chart.widget,
                self.truth_table,
                heading(t("game.report.values")),
                self.values_chart.widget,
                self.values_table,
                heading(t("game.app.console.rounds_heading")),
                w.HBox(
                    [self.profit_chart.widget, self.share_chart.widget], layout=w.Layout(flex_flow="row wrap")
                ),
                heading(t("game.report.timeline")),
                self.timeline_table,
                heading(t("game.report.questions")),
                self.questions,
            ]
        )
        self.debrief_body.layout.display = "none"
        self.debrief_parts = w.VBox(
            [
                w.HBox(
                    [self.replications, self.debrief_button, self.export_button, self.debrief_progress],
                    layout=w.Layout(align_items="center"),
                ),
                self.exported,
                self.debrief_body,
            ]
        )
        return self._needs_game(self.debrief_parts)

    def _needs_game(self, parts: w.Widget) -> w.Widget:
        """``parts``, hidden behind "open or make a game first" until a game is open."""
        hint = w.HTML(f"<div class='rl-status'>{html.escape(t('game.app.console.needs_game'))}</div>")
        self.__dict__.setdefault("_gated", []).append((parts, hint))
        return w.VBox([hint, parts])

    def _show_game_parts(self, shown: bool) -> None:
        for parts, hint in self._gated:
            parts.layout.display = "" if shown else "none"
            hint.layout.display = "none" if shown else ""

    def _show_event_parts(self) -> None:
        kind = self.event_kind.value
        self.event_firm.layout.display = "" if kind == "price_cut" else "none"
        self.event_depth.layout.display = "" if kind == "price_cut" else "none"

    # --- opening and making a game -------------------------------------------------------
    def _store(self):
        if self.store is None:
            self.store = open_store(self.where)
        return self.store

    def open(self, code: str | None = None) -> None:
        """Open the game whose trainer's code is ``code`` (else the one typed in the box)."""
        code = (code if code is not None else self.trainer_box.value).strip()
        if not code:
            self.notice.error(t("game.app.console.no_code"))
            return
        game = Game.for_trainer(self._store(), code)
        self._opened(game, code)
        self.notice.ok(t("game.app.console.opened", game=game.id, name=game.info["definition"]["name"]))

    def create(self) -> None:
        """Make a game from the form; its join codes and the trainer's code show on the Game tab."""
        scenario = load_preset(self.preset.value).with_changes({"customers.count": int(self.customers.value)})
        game, codes = Game.create(
            self._store(),
            scenario,
            int(self.teams.value),
            markets=int(self.markets.value),
            rounds=int(self.rounds.value),
            weeks_per_round=int(self.weeks.value),
            seed=int(self.seed.value),
            score=self.score.value,
            name=self.name.value.strip(),
        )
        self._opened(game, codes["trainer"])
        self.notice.ok(t("game.app.console.created", game=game.id, teams=len(codes["teams"])))

    def _opened(self, game: Game, code: str) -> None:
        self.game, self.trainer = game, code
        self.trainer_box.value = code
        self.board_score.value = game.score
        self._draw_codes()
        firms = self._rivals()
        self.event_firm.options = [(name, k) for k, name in firms] or [(t("game.app.console.no_rival"), -1)]
        self.event_firm.value = self.event_firm.options[0][1]
        self.event_market.options = [(t("game.app.console.all_markets"), -1)] + [
            (t("game.app.console.market", market=m + 1), m) for m in range(game.n_markets)
        ]
        self.event_market.value = -1
        self._show_game_parts(True)
        self.debrief_body.layout.display = "none"
        self.exported.value = ""
        self.refresh()
        self.watcher.start()

    def _draw_codes(self) -> None:
        rows = [
            (c["name"], c["market"] + 1, c["code"]) for c in self.store.team_codes(self.game.id, self.trainer)
        ]
        codes = table(
            [
                t("game.app.console.col_team"),
                t("game.app.console.col_market"),
                t("game.app.console.col_code"),
            ],
            rows,
            numeric=[1],
            css="rl-codes",
        )
        bases = server_addresses()
        if bases:
            where = "".join(f"<li><b>{html.escape(page_address(b, TEAM_PAGE))}</b></li>" for b in bases)
            address = html.escape(t("game.app.console.address")) + f"<ul>{where}</ul>"
            console = html.escape(
                t("game.app.console.console_address", address=page_address(bases[0], CONSOLE_PAGE))
            )
        else:
            address, console = html.escape(t("game.app.console.address_local")), ""
        trainer = (
            html.escape(t("game.app.console.trainer_is"))
            + f" <span class='rl-code rl-trainer-code'>{html.escape(self.trainer)}</span>"
        )
        self.codes.value = (
            f"<div class='rl-heading'>{html.escape(t('game.app.console.codes_heading', game=self.game.id))}</div>"
            f"{codes}<div class='rl-status rl-address'>{address}</div><div class='rl-status'>{console}</div><div class='rl-status'>{trainer}</div>"
        )

    def _rivals(self) -> list[tuple[int, str]]:
        """The scripted firms every market has (not played by a team, present from the start)."""
        played = max(len(self.game.market_teams(m)) for m in range(self.game.n_markets))
        return [(k, f.name) for k, f in enumerate(self.game.base.firms) if k >= played and not f.enters_week]

    # --- the round -----------------------------------------------------------------------
    def _snapshot(self) -> tuple:
        info = self.store.game(self.game.id)
        submitted = self.store.submitted(self.game.id, info["round"] + 1)
        return (
            info["round"],
            info["status"],
            info["deadline"],
            tuple(sorted(submitted.items())),
            deadline_text(info["deadline"]),
        )

    def refresh(self) -> None:
        """Read the game now and redraw (the watcher does it by itself every few seconds)."""
        snapshot = self._snapshot()
        self.watcher.seen(snapshot)
        self._moved_on(snapshot, force=True)

    def _moved_on(self, snapshot: tuple, force: bool = False) -> None:
        done, status, deadline, submitted, _ = snapshot
        new_round = force or done != getattr(self, "_drawn_round", None)
        self._drawn_round = done
        rounds = self.game.rounds
        state = {
            "open": t("game.app.console.state_open"),
            "paused": t("game.app.console.state_paused"),
            "finished": t("game.app.console.state_finished"),
        }[status]
        self.game_line.value = f"<div class='rl-status'>{html.escape(t('game.app.console.game_line', game=self.game.id, name=self.game.info['definition']['name'], done=done, rounds=rounds, state=state))}</div>"
        flags = dict(submitted)
        names = {team["id"]: team for team in self.game.teams}
        count = sum(flags.values())
        lines = []
        if done >= rounds:
            lines.append(t("game.app.console.all_run", rounds=rounds))
        else:
            lines.append(
                tn(
                    "game.app.console.submitted_count",
                    len(flags),
                    count=count,
                    teams=len(flags),
                    round=done + 1,
                )
            )
            if deadline is not None:
                lines.append(deadline_text(deadline))
        self.round_status.value = (
            "<div class='rl-status rl-round-status'>" + " · ".join(html.escape(x) for x in lines) + "</div>"
        )
        rows = [
            (
                names[k]["name"],
                names[k]["market"] + 1,
                t("game.app.console.has_submitted") if v else t("game.app.console.not_submitted"),
            )
            for k, v in flags.items()
        ]
        self.submitted.value = table(
            [
                t("game.app.console.col_team"),
                t("game.app.console.col_market"),
                t("game.app.console.col_submitted"),
            ],
            rows,
            numeric=[1],
            css="rl-submitted",
        )
        self.advance_button.disabled = done >= rounds or status == "finished"
        self.advance_button.description = t("game.app.console.advance_round", round=min(done + 1, rounds))
        self.pause_button.description = (
            t("game.app.console.resume") if status == "paused" else t("game.app.console.pause")
        )
        self.pause_button.icon = "play" if status == "paused" else "pause"
        self.undo_button.disabled = done == 0
        if new_round:
            self._draw_events()
            self.draw_board()

    def set_deadline(self) -> None:
        when = datetime.now(UTC) + timedelta(minutes=int(self.minutes.value))
        self.store.set_deadline(self.game.id, self.trainer, when)
        self.notice.ok(t("game.app.console.deadline_set", time=when.astimezone().strftime("%H:%M")))
        self.refresh()

    def clear_deadline(self) -> None:
        self.store.set_deadline(self.game.id, self.trainer, None)
        self.notice.ok(t("game.app.console.deadline_cleared"))
        self.refresh()

    def advance(self) -> None:
        """Run the open round in every market (the progress bar counts the markets)."""
        done = self.store.game(self.game.id)["round"]
        self.progress.max, self.progress.value = self.game.n_markets, 0
        self.progress.bar_style = "info"
        self.progress_text.value = html.escape(t("game.app.console.running", round=done + 1))
        self.advance_button.disabled = True

        def progress(markets_done: int, markets: int) -> None:
            self.progress.value = markets_done
            self.progress_text.value = html.escape(
                t("game.app.console.running_market", round=done + 1, done=markets_done, markets=markets)
            )

        try:
            results = self.game.advance(self.trainer, progress=progress)
        except Exception:
            self.progress.bar_style, self.progress_text.value = "danger", ""
            self.advance_button.disabled = False
            raise
        self.progress.bar_style = "success"
        self.progress_text.value = ""
        kept = [team["name"] for team in self.game.teams if results.get(team["id"], {}).get("carried")]
        text = t("game.app.console.advanced", round=done + 1, rounds=self.game.rounds)
        if kept:
            text += " " + tn("game.app.console.kept", len(kept), teams=", ".join(kept))
        self.notice.ok(text)
        self.refresh()

    def pause_or_resume(self) -> None:
        status = self.store.game(self.game.id)["status"]
        wanted = "open" if status == "paused" else "paused"
        self.store.set_status(self.game.id, self.trainer, wanted)
        self.notice.ok(t("game.app.console.resumed") if wanted == "open" else t("game.app.console.paused"))
        self.refresh()

    def ask_undo(self) -> None:
        done = self.store.game(self.game.id)["round"]
        if done == 0:
            self.notice.error(t("game.app.console.nothing_to_undo"))
            return
        self.undo_yes.description = t("game.app.console.undo_yes", round=done)
        self.undo_confirm.layout.display = ""

    def cancel_undo(self) -> None:
        self.undo_confirm.layout.display = "none"

    def undo(self) -> None:
        self.undo_confirm.layout.display = "none"
        done = self.game.undo(self.trainer)
        self.notice.ok(t("game.app.console.undone", round=done + 1))
        self.debrief_body.layout.display = "none"
        self.refresh()

    # --- events --------------------------------------------------------------------------
    def add_event(self) -> None:
        """The event the form describes, for the next round to run."""
        done = self.store.game(self.game.id)["round"]
        round = done + 1
        market = None if self.event_market.value in (None, -1) else int(self.event_market.value)
        kind = self.event_kind.value
        spec: dict = {"kind": kind}
        if kind == "price_cut":
            if self.event_firm.value in (None, -1):
                raise GameSetupError(t("game.app.console.no_rival_error"))
            spec.update(firm=int(self.event_firm.value), depth=round_to(self.event_depth.value))
        elif kind == "portability":
            spec["lock_in"] = 0.0
        elif kind == "entrant":
            self._check_entrant(round, market)
        if market is not None:
            spec["market"] = market
        self.store.add_event(self.game.id, self.trainer, round, spec)
        self.notice.ok(t("game.app.console.event_added", event=self._event_text(spec), round=round))
        self._draw_events()

    def _check_entrant(self, round: int, market: int | None) -> None:
        """An entrant needs a firm still waiting to enter when the round starts, in every market it is for."""
        week = (round - 1) * self.game.weeks + 1
        played = min(len(self.game.market_teams(m)) for m in range(self.game.n_markets))
        waiting = sum(
            1
            for k, f in enumerate(self.game.base.firms)
            if k >= played and f.enters_week and f.enters_week >= week
        )
        events = self.store.events(self.game.id)
        used = sum(
            1
            for r in events
            for e in events[r]
            if e.get("kind") == "entrant" and (market is None or e.get("market") in (None, market))
        )
        if waiting - used <= 0:
            raise GameSetupError(t("game.app.console.no_entrant"))

    def _event_text(self, spec: dict) -> str:
        kind = spec["kind"]
        if kind == "price_cut":
            text = t(
                "game.app.event.price_cut_text",
                firm=self.game.base.firms[spec["firm"]].name,
                depth=spec["depth"],
            )
        else:
            text = t(EVENT_TEXT[kind])
        where = (
            t("game.app.console.all_markets")
            if spec.get("market") is None
            else t("game.app.console.market", market=spec["market"] + 1)
        )
        return f"{text} ({where})"

    def _draw_events(self) -> None:
        events = self.store.events(self.game.id)
        rows = [(r, self._event_text(e)) for r in sorted(events) for e in events[r]]
        self.events.value = (
            table(
                [t("game.app.console.col_round"), t("game.app.console.col_event")],
                rows,
                numeric=[0],
                css="rl-events",
            )
            if rows
            else ""
        )

    # --- the leaderboard -----------------------------------------------------------------
    def draw_board(self) -> None:
        """The leaderboard by the chosen score: a big chart and a big table (for the projector)."""
        if self.game is None:
            return
        score = self.board_score.value
        board = self.game.leaderboard(score)
        label = t(SCORE_TEXT[score])
        chart = leaderboard_bars(board, score, label).properties(width=760, height=max(160, 64 * len(board)))
        self.board_chart.show(
            chart.configure_axis(labelFontSize=18, titleFontSize=18)
            .configure_title(fontSize=24)
            .configure_legend(labelFontSize=16, titleFontSize=16)
        )
        rows = [
            (
                int(r["rank"]),
                r["team"],
                int(r["market"]),
                fmt(r["profit"], "money"),
                fmt(r["equity"], "money"),
                fmt(r["share"], "percent"),
            )
            for _, r in board.iterrows()
        ]
        header = [
            t("game.app.board.rank"),
            t("game.app.board.team"),
            t("game.app.board.market"),
            t("game.app.board.profit"),
            t("game.app.board.equity"),
            t("game.app.board.share"),
        ]
        after = board.attrs.get("round", 0)
        caption = f"<div class='rl-status'>{html.escape(t('game.app.board.caption', score=label, round=after))}</div>"
        self.board_table.value = caption + table(
            header, rows, numeric=[0, 2, 3, 4, 5], css="rl-big rl-leaderboard"
        )

    # --- the debrief and the export ------------------------------------------------------
    def _progress(self, done: int, total: int) -> None:
        self.debrief_progress.max = max(total, 1)
        self.debrief_progress.value = done

    def debrief(self) -> None:
        """The truth, what each decision was worth, the timeline and the questions, after the rounds run so far."""
        game = self.game
        self.debrief_progress.bar_style = "info"
        truth = debrief.truth_table(game)
        values = debrief.decision_values(game, int(self.replications.value), self._progress)
        timeline = debrief.timeline(game)
        board = game.leaderboard()
        motives = {m: t(MOTIVE[m]) for m in MOTIVES}
        self.truth_chart.show(truth_bars(truth, motives))
        header = [
            t("game.app.board.team"),
            t("game.app.board.market"),
            t("game.app.debrief.crm_lost"),
            *motives.values(),
            t("game.app.debrief.interviewed"),
        ]
        rows = [
            (
                r["team"],
                int(r["market"]),
                int(r["crm_newly_lost"]),
                *(int(r[m]) for m in MOTIVES),
                int(r["interviewed"]),
            )
            for _, r in truth.iterrows()
        ]
        self.truth_table.value = table(header, rows, numeric=range(1, len(header)), css="rl-truth")
        if len(values):
            labels = {d: t(DECISION_TEXT[d]) for d in values.decision.unique()}
            self.values_chart.show(decision_value_bars(values, labels))
            self.values_chart.widget.layout.display = ""
            rows = [
                (
                    r["team"],
                    labels[r["decision"]],
                    fmt(r["mean"], "money"),
                    fmt(r["low"], "money"),
                    fmt(r["high"], "money"),
                )
                for _, r in values.iterrows()
            ]
            self.values_table.value = table(
                [
                    t("game.app.board.team"),
                    t("game.app.debrief.decision"),
                    t("game.app.debrief.worth"),
                    t("game.app.debrief.low"),
                    t("game.app.debrief.high"),
                ],
                rows,
                numeric=[2, 3, 4],
                css="rl-values",
            )
        else:
            self.values_chart.widget.layout.display = "none"
            self.values_table.value = (
                f"<div class='rl-status'>{html.escape(t('game.app.debrief.no_values'))}</div>"
            )
        if len(timeline):
            self.profit_chart.show(over_rounds(timeline, "profit", t("game.chart.profit")))
            self.share_chart.show(over_rounds(timeline, "share", t("game.chart.share")))
            rows = [
                (
                    int(r["round"]),
                    r["team"],
                    fmt(r["price"], "ratio"),
                    fmt(r["service"], "ratio"),
                    r["winback_rules"] or "–",
                    r["tactics"] or "–",
                    int(r["survey"]),
                    t("game.app.yes") if r["kept_last"] else "",
                    fmt(r["customers"]),
                    fmt(r["share"], "percent"),
                    fmt(r["profit"], "money"),
                )
                for _, r in timeline.iterrows()
            ]
            header = [
                t("game.app.history.round"),
                t("game.app.board.team"),
                t("game.app.history.price"),
                t("game.app.debrief.service"),
                t("game.app.debrief.rules"),
                t("game.app.debrief.tactics"),
                t("game.app.debrief.survey"),
                t("game.app.history.kept"),
                t("game.app.history.customers"),
                t("game.app.history.share"),
                t("game.app.history.profit"),
            ]
            self.timeline_table.value = table(header, rows, numeric=[0, 2, 3, 6, 8, 9, 10], css="rl-timeline")
        else:
            self.timeline_table.value = ""
        items = "".join(f"<li>{html.escape(q)}</li>" for q in debrief.questions(game, truth, values, board))
        self.questions.value = (
            f"<ol class='rl-questions' style=\"font-family:{typeface.PAGE_FONT};font-size:14px\">{items}</ol>"
        )
        self.debrief_body.layout.display = ""
        self.debrief_progress.bar_style = "success"
        done = self.store.game(game.id)["round"]
        self.notice.ok(t("game.app.console.debrief_done", round=done))

    def export(self) -> Path:
        """Write the report (leaderboard.csv, rounds.csv, decisions.csv, debrief.html) and the store's
        export (store-export.json) into a folder of the game; returns the folder."""
        done = self.store.game(self.game.id)["round"]
        folder = (self.export_root / f"game-{self.game.id}-round-{done}").resolve()
        self.debrief_progress.bar_style = "info"
        files = write_report(
            self.game, folder, replications=int(self.replications.value), progress=self._progress
        )
        (folder / "store-export.json").write_text(
            json.dumps(self.store.export(self.game.id), ensure_ascii=False, indent=1, default=str),
            encoding="utf-8",
        )
        files.append("store-export.json")
        self.debrief_progress.bar_style = "success"
        self.exported.value = f"<div class='rl-status rl-exported'>{html.escape(t('game.app.console.exported', files=', '.join(files), folder=str(folder)))}</div>"
        self.notice.ok(t("game.app.console.exported_short", folder=str(folder)))
        return folder

    # --- showing -------------------------------------------------------------------------
    def show(self):
        from IPython.display import display

        display(typeface.loader(), self.panel)  # the CJK font first: the join form may be Chinese

    def close(self) -> None:
        self.watcher.stop()


def round_to(value: float, places: int = 4) -> float:
    """A slider's float as the number it shows (0.15000000000000002 -> 0.15)."""
    return round(float(value), places)
