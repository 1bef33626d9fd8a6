"""The team page of the classroom game: join with a code, decide, submit, read the round's results.

    from simulation.game.team_app import TeamApp
    TeamApp("classroom.sqlite").show()

Once joined, the page shows the team's name and market, the round (k of R, the deadline if the
trainer set one, whether the team has submitted) and, side by side, the decision form and what
the team's CRM showed after each round: customers by stage, newly lost, complaints, the win-back
funnel (KPI cards), the profit and loss line by line, every firm's price and market share (public
information) and the answers of the research it bought. Never the truth about why customers left
and never another team's decisions: the page reads only :meth:`Game.team_results`.

The form starts from the team's last decisions (or the market's starting ones): price and service
sliders, the eight win-back rules and the loyalty tactics each a switch with its settings, and the
research survey; each with a one-line hint. Their limits are the scenario fields' own
(:data:`simulation.game.decisions.CHOICES`). The page redraws itself when the trainer runs a round
(:class:`simulation.game.widgets.Watcher`).
"""

from __future__ import annotations

import html
import math
from datetime import UTC, datetime
from typing import Any, Literal, get_args, get_origin

import ipywidgets as w

from simulation.charts import typeface
from simulation.charts.game import market_chart
from simulation.engine.accounting import COSTS
from simulation.game.decisions import (
    CHOICES,
    SECTIONS,
    Decisions,
    Research,
    decisions_from_dict,
)
from simulation.game.session import Game
from simulation.game.store import GameError
from simulation.game.widgets import (
    POLL_SECONDS,
    STYLE,
    Notice,
    Watcher,
    button,
    guarded,
    heading,
    open_store,
    store_location,
    table,
)
from simulation.labs.loyalty_lab import CHOICE_TEXT as TACTIC_TEXT
from simulation.labs.panel import Cards, ChartSlot, card, fmt, hint, layout, slider
from simulation.labs.winback_lab import RULE_TEXT
from simulation.messages import N_, t, tn
from simulation.vocabulary import LABEL, MOTIVE, OFFER

# the tactics the Loyalty Lab has no switch for: their switch and hint
TACTIC_TEXT = {
    **TACTIC_TEXT,
    "broad_contacts": (N_("game.app.tactic.broad_contacts"), N_("game.app.tactic.broad_contacts_hint")),
    "retention_offers": (N_("game.app.tactic.retention_offers"), N_("game.app.tactic.retention_offers_hint")),
    "quality_upgrade": (N_("game.app.tactic.quality_upgrade"), N_("game.app.tactic.quality_upgrade_hint")),
}
SWITCH_TEXT = {"winback": RULE_TEXT, "tactics": TACTIC_TEXT}

# each setting a team chooses: its label, and its slider's step and readout (readout None: a
# number box, for settings whose limits are too wide for a slider). Limits: the field's own.
SETTINGS: dict[str, tuple[str, float | None, str | None]] = {
    "winback.rule1_value.budget_per_week": (N_("winback_lab.budget"), 50.0, None),
    "winback.rule1_value.offer_weeks": (N_("game.app.setting.offer_weeks"), 1, "d"),
    "winback.rule3_early.alert_after_cycles": (N_("winback_lab.alert_after"), 0.5, ".1f"),
    "winback.rule4_segment.target_classes": (N_("winback_lab.classes"), None, None),
    "winback.rule4_segment.target_motives": (N_("game.app.setting.target_motives"), None, None),
    "winback.rule6_mix.match_offer_to_motive": (N_("game.app.setting.match_offer_to_motive"), None, None),
    "winback.rule6_mix.offer": (N_("game.app.setting.offer"), None, None),
    "winback.rule6_mix.discount_depth": (N_("winback_lab.discount"), 0.05, ".0%"),
    "winback.rule6_mix.staged": (N_("winback_lab.staged"), None, None),
    "winback.rule7_aftercare.weeks": (N_("winback_lab.aftercare_weeks"), 1, "d"),
    "winback.rule8_pilot.pilot_share": (N_("winback_lab.pilot_share"), 0.05, ".0%"),
    "tactics.referral.reward_per_sale": (N_("game.app.setting.reward_per_sale"), 0.5, None),
    "tactics.points.reward_share": (N_("game.app.setting.reward_share"), 0.005, ".1%"),
    "tactics.key_accounts.top_share": (N_("game.app.setting.key_accounts_top_share"), 0.05, ".0%"),
    "tactics.contacts.active_per_month": (N_("game.app.setting.active_per_month"), 0.5, ".1f"),
    "tactics.contacts.silent_per_month": (N_("game.app.setting.silent_per_month"), 0.5, ".1f"),
    "tactics.contacts.forgotten_per_month": (N_("loyalty.forgotten_slider"), 0.5, ".1f"),
    "tactics.contacts.lost_per_month": (N_("game.app.setting.lost_per_month"), 0.5, ".1f"),
    "tactics.broad_contacts.people": (N_("game.app.setting.people"), 1, "d"),
    "tactics.retention_offers.only_in_price_war": (N_("game.app.setting.only_in_price_war"), None, None),
    "tactics.retention_offers.top_share": (N_("game.app.setting.retention_top_share"), 0.05, ".0%"),
    "tactics.retention_offers.depth": (N_("game.app.setting.retention_depth"), 0.05, ".0%"),
    "tactics.retention_offers.uses": (N_("game.app.setting.uses"), 1, "d"),
    "tactics.relationship.every_weeks": (N_("game.app.setting.every_weeks"), 1, "d"),
    "tactics.welcome_offer.depth": (N_("loyalty.welcome_depth"), 0.05, ".0%"),
    "tactics.welcome_offer.budget_per_week": (N_("game.app.setting.welcome_budget"), None, None),
}
# the words for the values of a setting that picks from a list
OPTION_TEXT = {
    "A": N_("game.app.class.A"),
    "B": N_("game.app.class.B"),
    "C": N_("game.app.class.C"),
    "D": N_("game.app.class.D"),
    **OFFER,
    **{m: MOTIVE[m] for m in ("natural_moved", "natural_drifted", "complaint", "competitor", "repositioned")},
}
CRM_CARDS = (  # a card per count of the team's CRM at the end of the round (or over it)
    ("customers", N_("game.app.crm.customers")),
    ("active", N_("game.app.crm.active")),
    ("silent", N_("game.app.crm.silent")),
    ("forgotten", N_("game.app.crm.forgotten")),
    ("lost", N_("game.app.crm.lost")),
    ("newly_lost", N_("game.app.crm.newly_lost")),
    ("acquisitions", N_("game.app.crm.acquisitions")),
    ("complaints", N_("game.app.crm.complaints")),
)
FUNNEL_CARDS = (
    ("recognised", N_("game.app.funnel.recognised")),
    ("targeted", N_("game.app.funnel.targeted")),
    ("contacted", N_("game.app.funnel.contacted")),
    ("came_back", N_("game.app.funnel.came_back")),
)
PNL_TEXT = {
    "revenue": LABEL["revenue"],
    "profit": LABEL["profit"],
    "research_cost": N_("game.app.pnl.research_cost"),
    **{line: LABEL[f"costs_{line}"] for line in COSTS if line != "research_cost"},
}
ANSWER_TEXT = {
    **{m: MOTIVE[m] for m in ("natural_moved", "natural_drifted", "complaint", "competitor", "repositioned")},
    "still_buying": MOTIVE["not_lost"],
    "unknown": N_("game.app.research.unknown"),
}


# --- the decision form ---------------------------------------------------------------------


def _limits(info) -> tuple[float | None, float | None, bool]:
    """A field's lower and upper limits, and whether the lower one is excluded (``gt``)."""
    low = high = None
    open_low = False
    for rule in info.metadata:
        if getattr(rule, "ge", None) is not None:
            low = rule.ge
        if getattr(rule, "gt", None) is not None:
            low, open_low = rule.gt, True
        if getattr(rule, "le", None) is not None:
            high = rule.le
        if getattr(rule, "lt", None) is not None:
            high = rule.lt
    return low, high, open_low


class Toggles:
    """A setting that picks several values from a list: one toggle button per value."""

    def __init__(self, options: tuple[str, ...], description: str):
        self.options = options
        self.buttons = {
            o: w.ToggleButton(description=t(OPTION_TEXT[o]), layout=w.Layout(width="auto")) for o in options
        }
        self.widget = w.VBox(
            [
                w.HTML(f"<span style='font-size:13px'>{html.escape(description)}</span>"),
                w.HBox(list(self.buttons.values()), layout=w.Layout(flex_flow="row wrap")),
            ]
        )

        self._order: list[str] = []

    @property
    def value(self) -> list[str]:
        """The values pressed: those loaded in their order, then the newly pressed ones."""
        pressed = [o for o in self.options if self.buttons[o].value]
        return [o for o in self._order if o in pressed] + [o for o in pressed if o not in self._order]

    @value.setter
    def value(self, chosen: list[str]) -> None:
        self._order = list(chosen)
        for o, b in self.buttons.items():
            b.value = o in chosen


class Setting:
    """One setting of a rule or a tactic: a control made from its field (type and limits) and its hint."""

    def __init__(self, path: str, info):
        label_key, step, readout = SETTINGS[path]
        label = t(label_key)
        annotation = info.annotation
        style = {"description_width": "150px"}
        if annotation is bool:
            self.control = w.Checkbox(description=label, indent=False, layout=w.Layout(width="340px"))
            shown = self.control
        elif get_origin(annotation) is Literal:
            self.control = w.Dropdown(
                options=[(t(OPTION_TEXT[o]), o) for o in get_args(annotation)],
                description=label,
                style=style,
                layout=w.Layout(width="340px"),
            )
            shown = self.control
        elif get_origin(annotation) is list:
            self.control = Toggles(get_args(get_args(annotation)[0]), label)
            shown = self.control.widget
        else:
            low, high, open_low = _limits(info)
            kind = "int" if annotation is int else "float"
            if readout is None:  # limits too wide for a slider: a number box within them
                box = w.BoundedIntText if kind == "int" else w.BoundedFloatText
                self.control = box(
                    min=low,
                    max=high,
                    step=step,
                    description=label,
                    style=style,
                    layout=w.Layout(width="340px"),
                )
            else:
                start = math.ceil(low / step - 1e-9) * step  # a slider's values are start + k * step
                if open_low and start <= low:
                    start += step
                top = math.floor(high / step + 1e-9) * step
                self.control = slider(kind, label, start, start, top, step, readout)
                if kind == "int":
                    self.control.readout_format = readout
            shown = self.control
        if shown is self.control:
            self.control.layout.width = "322px"  # the form's column, less the indent
        self.widget = w.VBox([shown, hint(t(info.description))], layout=w.Layout(margin="0 0 0 18px"))

    @property
    def value(self) -> Any:
        value = self.control.value
        return list(value) if isinstance(value, list | tuple) else value

    @value.setter
    def value(self, value: Any) -> None:
        control = self.control
        if isinstance(control, w.FloatSlider | w.IntSlider | w.BoundedFloatText | w.BoundedIntText):
            value = min(max(value, control.min), control.max)
        control.value = value


class Switch:
    """A win-back rule or a loyalty tactic: a switch, its hint, and its settings (shown when on)."""

    def __init__(self, group: str, name: str):
        label_key, hint_key = SWITCH_TEXT[group][name]
        self.box = w.Checkbox(description=t(label_key), indent=False, layout=w.Layout(width="340px"))
        source = SECTIONS[group].model_fields[name].annotation
        self.settings = {
            f: Setting(f"{group}.{name}.{f}", source.model_fields[f])
            for f in CHOICES[group][name]
            if f != "enabled"
        }
        self.details = w.VBox([s.widget for s in self.settings.values()])
        self.widget = w.VBox([self.box, hint(t(hint_key)), self.details])
        self.box.observe(lambda _: self._show_details(), names="value")
        self._show_details()

    def _show_details(self) -> None:
        self.details.layout.display = "" if self.box.value else "none"

    def read(self) -> dict:
        return {"enabled": bool(self.box.value), **{f: s.value for f, s in self.settings.items()}}

    def load(self, section) -> None:
        for f, s in self.settings.items():
            s.value = getattr(section, f)
        self.box.value = bool(section.enabled)


class DecisionForm:
    """Everything a team decides for a round, as controls; :meth:`decisions` reads them back."""

    def __init__(self):
        fields = Decisions.model_fields
        self.price = self._number(fields["price"], t("game.app.price"), 0.01, ".2f")
        self.service = self._number(fields["service"], t("game.app.service"), 0.01, ".2f")
        self.switches = {group: {name: Switch(group, name) for name in CHOICES[group]} for group in CHOICES}
        survey = Research.model_fields["lost_survey"]
        self.survey = self._number(survey, t("game.app.survey"), 5, "d", kind="int")
        self.widgets = [
            heading(t("game.app.form.price_heading")),
            self.price,
            hint(t(fields["price"].description)),
            self.service,
            hint(t(fields["service"].description)),
            heading(t("game.app.form.winback_heading")),
            *[s.widget for s in self.switches["winback"].values()],
            heading(t("game.app.form.tactics_heading")),
            *[s.widget for s in self.switches["tactics"].values()],
            heading(t("game.app.form.research_heading")),
            self.survey,
            hint(t(survey.description)),
        ]

    @staticmethod
    def _number(info, label: str, step: float, readout: str, kind: str = "float"):
        low, high, _ = _limits(info)
        made = slider(kind, label, info.default, low, high, step, readout)
        if kind == "int":
            made.readout_format = readout
        return made

    def switch(self, group: str, name: str) -> Switch:
        return self.switches[group][name]

    def decisions(self) -> Decisions:
        """The decisions the controls show, validated (a bad value is one clear line)."""
        data: dict[str, Any] = {
            "price": float(self.price.value),
            "service": float(self.service.value),
            "research": {"lost_survey": int(self.survey.value)},
        }
        for group, switches in self.switches.items():
            data[group] = {name: s.read() for name, s in switches.items()}
        return decisions_from_dict(data, t("game.app.form.source"))

    def load(self, decisions: Decisions) -> None:
        """Show ``decisions`` (values outside a slider's range show at its end)."""
        self.price.value = min(max(decisions.price, self.price.min), self.price.max)
        self.service.value = min(max(decisions.service, self.service.min), self.service.max)
        self.survey.value = min(max(decisions.research.lost_survey, self.survey.min), self.survey.max)
        for group, switches in self.switches.items():
            for name, s in switches.items():
                s.load(getattr(getattr(decisions, group), name))


def last_decisions(game: Game, team: dict) -> Decisions:
    """The team's latest decisions in the store (submitted for the open round, else the last round
    played), or the market's starting decisions."""
    open_round = min(game.store.game(game.id)["round"] + 1, game.rounds)
    for r in range(open_round, 0, -1):
        stored = game.store.decisions(game.id, r).get(team["id"])
        if stored is not None:
            return decisions_from_dict(stored)
    return game.starting_decisions(team)


# --- the page ------------------------------------------------------------------------------


def deadline_text(deadline: datetime | None, now: datetime | None = None) -> str:
    """'Deadline 14:35 (12 minutes left)' in the server's local time, or '' for none."""
    if deadline is None:
        return ""
    now = now or datetime.now(UTC)
    at = deadline.astimezone().strftime("%H:%M")
    minutes = math.ceil((deadline - now).total_seconds() / 60)
    if minutes <= 0:
        return t("game.app.deadline_passed", time=at)
    return t("game.app.deadline", time=at, left=tn("game.app.minutes_left", minutes, minutes=minutes))


class TeamApp:
    """The team page over the game store ``store`` (a path, a URL or a :class:`GameStore`;
    default: ``$RETENTION_LAB_GAME_DB``, else ``classroom.sqlite`` next to the notebook)."""

    def __init__(self, store=None, *, poll_seconds: float = POLL_SECONDS):
        self.where = store if store is not None else store_location()
        self.store = None
        self.game: Game | None = None
        self.team: dict | None = None
        self.code = ""
        self.open_round = 0
        self.seen: dict[int, dict] = {}
        self.notice = Notice()
        self.code_box = w.Text(
            placeholder=t("game.app.team.code_placeholder"),
            description=t("game.app.team.code"),
            style={"description_width": "110px"},
            layout=w.Layout(width="360px"),
        )
        self.join_button = button(
            t("game.app.team.join"), self.join, self.notice, icon="sign-in", style="primary"
        )
        self.join_row = w.HBox([self.code_box, self.join_button])
        self.title = w.HTML()  # the notebook has the page's title; the team's name shows here once joined
        self.status = w.HTML()
        self.form = DecisionForm()
        self.submit_button = button(
            t("game.app.team.submit"), self.submit, self.notice, icon="paper-plane", style="success"
        )
        self.round_choice = w.Dropdown(
            description=t("game.app.team.round_shown"),
            options=[],
            style={"description_width": "110px"},
            layout=w.Layout(width="260px"),
        )
        self._quiet = False  # True while the page itself changes the round shown
        self.round_choice.observe(
            guarded(self.notice, lambda _: self._quiet or self._draw_round()), names="value"
        )
        self.kept = w.HTML()
        self.crm = Cards()
        self.funnel = Cards()
        self.pnl = w.HTML()
        self.market = ChartSlot()
        self.research = w.HTML()
        self.history = w.HTML()
        self.waiting = w.HTML()
        self.results = w.VBox(
            [
                self.round_choice,
                self.kept,
                heading(t("game.app.team.crm_heading")),
                self.crm.widget,
                heading(t("game.app.team.funnel_heading")),
                self.funnel.widget,
                heading(t("game.app.team.pnl_heading")),
                self.pnl,
                heading(t("game.app.team.market_heading")),
                self.market.widget,
                heading(t("game.app.team.research_heading")),
                self.research,
                heading(t("game.app.team.history_heading")),
                self.history,
            ]
        )
        self.results.add_class("rl-results")
        self.body = w.VBox([])
        self.body.layout.display = "none"
        self.panel = w.VBox([w.HTML(STYLE), self.title, self.join_row, self.notice.widget, self.body])
        self.watcher = Watcher(
            self._snapshot, guarded(self.notice, self._moved_on), self.notice, poll_seconds
        )

    # --- joining -------------------------------------------------------------------------
    def join(self, code: str | None = None) -> None:
        """Join the team whose code is ``code`` (else the one typed in the box)."""
        code = (code if code is not None else self.code_box.value).strip()
        if not code:
            self.notice.error(t("game.app.team.no_code"))
            return
        if self.store is None:
            self.store = open_store(self.where)
        self.game, self.team = Game.for_team(self.store, code)
        self.code = code
        self.form.load(last_decisions(self.game, self.team))
        self.title.value = f"<h2 style='margin:4px 0'>{html.escape(t('game.app.team.joined_title', team=self.team['name'], market=self.team['market'] + 1))}</h2>"
        self.body.children = [
            w.HBox(
                [self.status, self.submit_button],
                layout=w.Layout(align_items="center", justify_content="space-between"),
            ),
            layout(
                [heading(t("game.app.team.form_heading")), *self.form.widgets],
                [self.waiting, self.results],
                "",
            ),
        ]
        self.join_row.layout.display = "none"
        self.body.layout.display = ""
        self.notice.ok(t("game.app.team.welcome", team=self.team["name"]))
        self.refresh()
        self.watcher.start()

    # --- submitting ----------------------------------------------------------------------
    def submit(self) -> None:
        if self.game is None:
            self.notice.error(t("game.app.team.join_first"))
            return
        decisions = self.form.decisions()
        try:
            stored = self.game.submit(self.code, decisions, for_round=max(self.open_round, 1), by="team-app")
        except GameError:
            self.refresh()  # the game moved on (paused, over): show where it is, with the refusal
            raise
        if stored["moved"]:
            self.notice.note(t("game.app.team.moved", asked=stored["asked"], round=stored["round"]))
        else:
            self.notice.ok(t("game.app.team.stored", round=stored["round"]))
        self.refresh()

    # --- reading the game ----------------------------------------------------------------
    def _snapshot(self) -> tuple:
        info = self.store.game(self.game.id)
        submitted = self.store.submitted(self.game.id, info["round"] + 1).get(self.team["id"], False)
        return (
            info["round"],
            info["status"],
            info["deadline"],
            submitted,
            deadline_text(info["deadline"]),
        )  # the last: minutes left

    def refresh(self) -> None:
        """Read the game now and redraw (the watcher does this by itself when the game moves on)."""
        snapshot = self._snapshot()
        self.watcher.seen(snapshot)
        self._moved_on(snapshot, force=True)

    def _moved_on(self, snapshot: tuple, force: bool = False) -> None:
        done, status, deadline, submitted, _ = snapshot
        before = max(self.seen, default=0)
        new_round = done != before or force
        if done > before and not force:
            self.notice.ok(t("game.app.team.round_ran", round=done))
        elif done < before:
            self.notice.note(t("game.app.team.round_undone", round=before))
        self.open_round = done + 1
        self._draw_status(done, status, deadline, submitted)
        if new_round:
            self.seen = self.game.team_results(self.code)
            rounds = sorted(self.seen)
            self._quiet = True
            try:
                self.round_choice.options = [(t("game.app.team.round_option", round=r), r) for r in rounds]
                self.round_choice.value = rounds[-1] if rounds else None
            finally:
                self._quiet = False
            self.results.layout.display = "" if rounds else "none"
            self.waiting.value = (
                "" if rounds else f"<div class='rl-status'>{html.escape(t('game.app.team.no_results'))}</div>"
            )
            self._draw_round()

    def _draw_status(self, done: int, status: str, deadline, submitted: bool) -> None:
        rounds = self.game.rounds
        parts = []
        if done >= rounds:
            parts.append(t("game.app.team.over", rounds=rounds))
        elif status == "paused":
            parts += [t("game.app.team.round_paused", round=done + 1, rounds=rounds)]
        elif status == "finished":
            parts.append(t("game.app.team.finished"))
        else:
            parts.append(t("game.app.team.round_open", round=done + 1, rounds=rounds))
            if deadline is not None:
                parts.append(deadline_text(deadline))
            parts.append(t("game.app.team.submitted") if submitted else t("game.app.team.not_submitted"))
        self.submit_button.disabled = done >= rounds or status != "open"
        css = "rl-status rl-submitted" if submitted else "rl-status"
        self.status.value = f"<div class='{css}'>" + " · ".join(html.escape(p) for p in parts) + "</div>"

    def _draw_round(self) -> None:
        r = self.round_choice.value
        if r is None or r not in self.seen:
            return
        view = self.seen[r]
        crm, pnl = view["crm"], view["pnl"]
        if view.get("carried"):
            self.kept.value = (
                f"<div class='rl-notice rl-note'>{html.escape(t('game.app.team.kept', round=r))}</div>"
            )
        else:
            self.kept.value = ""
        resolved = t("game.app.crm.resolved", count=fmt(crm["complaints_resolved"]))
        self.crm.show(
            [
                card(t(label), fmt(crm[key]), resolved if key == "complaints" else "")
                for key, label in CRM_CARDS
            ]
        )
        funnel = crm["winback"]
        self.funnel.show(
            [card(t(label), fmt(funnel[key])) for key, label in FUNNEL_CARDS]
            + [card(t("game.app.funnel.cost"), fmt(funnel["cost"], "money"))]
        )
        self.pnl.value = self._pnl_table(pnl)
        self.market.show(market_chart(view["market"], view["firm"]))
        self.research.value = self._research(view.get("research") or {})
        self.history.value = self._history()

    @staticmethod
    def _pnl_table(pnl: dict) -> str:
        rows = [(t(PNL_TEXT["revenue"]), fmt(pnl["revenue"], "money"))]
        rows += [
            (t(PNL_TEXT[line]), fmt(-pnl[line], "money")) for line in COSTS if abs(pnl.get(line, 0.0)) >= 0.5
        ]
        rows.append((t(PNL_TEXT["profit"]), fmt(pnl["profit"], "money")))
        classes = [""] * (len(rows) - 1) + ["rl-total"]
        return table(
            [t("game.app.pnl.line"), t("game.app.pnl.amount")],
            rows,
            numeric=[1],
            css="rl-pnl",
            row_classes=classes,
        )

    @staticmethod
    def _research(research: dict) -> str:
        if not research.get("interviewed"):
            return f"<div class='rl-status'>{html.escape(t('game.app.research.none'))}</div>"
        intro = t("game.app.research.asked", interviewed=research["interviewed"], lost=research["lost"])
        rows = [(t(ANSWER_TEXT[a]), n) for a, n in research["answers"].items() if n]
        return f"<div class='rl-status'>{html.escape(intro)}</div>" + table(
            [t("game.app.research.answer"), t("game.app.research.count")],
            rows,
            numeric=[1],
            css="rl-research",
        )

    def _history(self) -> str:
        rows = []
        for r, view in sorted(self.seen.items()):
            own = view["firm"]
            rows.append(
                (
                    r,
                    fmt(view["crm"]["customers"]),
                    fmt(view["crm"]["newly_lost"]),
                    fmt(view["market"]["price"][own], "ratio"),
                    fmt(view["market"]["market_share"][own], "percent"),
                    fmt(view["pnl"]["profit"], "money"),
                    t("game.app.yes") if view.get("carried") else "",
                )
            )
        header = [
            t("game.app.history.round"),
            t("game.app.history.customers"),
            t("game.app.history.newly_lost"),
            t("game.app.history.price"),
            t("game.app.history.share"),
            t("game.app.history.profit"),
            t("game.app.history.kept"),
        ]
        return table(header, rows, numeric=[0, 1, 2, 3, 4, 5], css="rl-history")

    # --- showing -------------------------------------------------------------------------
    def show(self):
        from IPython.display import display

        display(typeface.loader(), self.panel)  # the CJK font first: the join form may be Chinese

    def close(self) -> None:
        self.watcher.stop()
