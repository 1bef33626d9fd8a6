"""The call practice: a win-back telephone call with a simulated lost customer, in a panel.

The learner sees what the firm's CRM shows of the customer, picks what to say at each of the five
steps of seed 000's script, reads the customer's answers, and then hears what the market did: in
how many of its possible futures the customer came back with this call, with every other offer
and with no call at all, what the call cost, a score with feedback for each step, and the truth
(why they really left, rational or emotional). "Next customer" calls another one. Presentation
only: the customer, the answers and the outcome come from ``experiment.winback_call``.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulation.charts.call import call_outcome_chart
from simulation.experiment.winback_call import LABELS, SCORE_MAX, STEP_TITLES, CallPractice
from simulation.labs.panel import Cards, ChartSlot, card, fmt
from simulation.messages import N_, on_language_change, t
from simulation.vocabulary import MOTIVE

PERSONA = {True: N_("call.lab.rational"), False: N_("call.lab.emotional")}


class CallLab:
    """A panel to practise win-back calls in (``CallLab().show()`` in a notebook).

    ``seed``: the market and the order of the customers; ``futures`` and ``weeks``: how many
    branches of the market's luck each outcome is counted on, and for how long (see
    ``CallPractice``)."""

    def __init__(
        self, seed: int = 0, futures: int = 10, weeks: int = 13, practice: CallPractice | None = None
    ):
        self.practice = practice or CallPractice(seed=seed, futures=futures, weeks=weeks)
        self.crm = Cards()
        self.transcript = w.HTML()
        self.step_title = w.HTML()
        self.options = w.VBox()
        self.status = w.HTML()
        self.result_cards = Cards()
        self.feedback = w.HTML()
        self.chart = ChartSlot()
        self.chart.widget.layout.display = "none"
        self.truth = w.HTML()
        self.next_button = w.Button(icon="phone", layout=w.Layout(width="220px"))
        self.next_button.on_click(lambda _: self.next_customer())
        self.total = w.HTML()
        self.title = w.HTML()
        self.panel = w.VBox(
            [
                self.title,
                self.crm.widget,
                self.transcript,
                self.step_title,
                self.options,
                self.status,
                self.result_cards.widget,
                self.feedback,
                self.chart.widget,
                self.truth,
                w.HBox([self.next_button, self.total]),
            ]
        )
        self.lines: list[tuple[str, str]] = []  # (who, key or text) of the call so far
        self.next_customer()
        on_language_change(self.relabel)

    def show(self):
        from IPython.display import display

        display(self.panel)

    # --- the call ---------------------------------------------------------------------------
    def next_customer(self) -> None:
        """Call the next lost customer."""
        self.call = self.practice.next_call()
        self.lines = []
        self.relabel()

    def say(self, option: str) -> None:
        """Say ``option`` at the call's current step (what a button does)."""
        call = self.call
        step = call.step
        answer = call.say(step, option)
        self.lines.append(("you", t(LABELS[step][option])))
        self.lines.append(("customer", answer))
        if call.step is None:
            self.options.children = ()
            self.step_title.value = ""
            self.status.value = _note(
                t("call.lab.running", runs=7 * self.practice.futures, weeks=self.practice.weeks)
            )
            self._draw_transcript()
            call.outcome()
            self.status.value = ""
        self.relabel()

    # --- drawing ----------------------------------------------------------------------------
    def relabel(self, language: str | None = None) -> None:
        """Draw everything from the call's state in the current language."""
        c = self.call.customer
        self.title.value = f"<h3 style='margin:4px 0'>{html.escape(t('call.lab.title'))}</h3>"
        self.crm.show(
            [
                card(t("call.lab.card.customer"), c.name),
                card(t("call.lab.card.purchases"), fmt(c.purchases)),
                card(t("call.lab.card.spend"), fmt(c.spend, "money")),
                card(t("call.lab.card.weeks"), fmt(c.weeks_since_purchase)),
                card(t("call.lab.card.complaint"), t("call.lab.yes" if c.complained else "call.lab.no")),
            ]
        )
        self._draw_transcript()
        step = self.call.step
        if step is not None:
            self.step_title.value = f"<b>{html.escape(t(STEP_TITLES[step]))}</b>"
            buttons = []
            for option, key in LABELS[step].items():
                button = w.Button(
                    description=t(key), tooltip=t(key), layout=w.Layout(width="auto", max_width="720px")
                )
                button.on_click(lambda _, option=option: self.say(option))
                buttons.append(button)
            self.options.children = buttons
        self._draw_result()
        self.next_button.description = t("call.lab.next")
        points, most = self.practice.score()
        done = sum(call.result is not None for call in self.practice.calls)
        self.total.value = _note(t("call.lab.total", points=points, most=most, calls=done)) if done else ""

    def _draw_transcript(self) -> None:
        name = self.call.customer.name
        rows = [
            f"<div style='margin:2px 0'><b>{html.escape(t('call.lab.you') if who == 'you' else name)}:</b> "
            f"{html.escape(text)}</div>"
            for who, text in self.lines
        ]
        self.transcript.value = (
            "<div style='font-family:system-ui,sans-serif;max-width:760px;padding:6px 0'>"
            + "".join(rows)
            + "</div>"
        )

    def _draw_result(self) -> None:
        o = self.call.result
        if o is None:
            self.result_cards.show([])
            self.feedback.value = self.truth.value = ""
            self.chart.widget.layout.display = "none"
            return
        self.result_cards.show(
            [
                card(t("call.lab.card.came_back"), t("call.lab.of", n=o.came_back, futures=o.futures)),
                card(t("call.lab.card.anyway"), t("call.lab.of", n=o.came_back_anyway, futures=o.futures)),
                card(t("call.lab.card.revenue", weeks=o.weeks), fmt(o.revenue, "money")),
                card(t("call.lab.card.cost"), fmt(o.cost, "money")),
                card(t("call.lab.card.score"), f"{o.score} / {SCORE_MAX}"),
            ]
        )
        items = "".join(f"<li>{html.escape(note)}</li>" for note in o.feedback)
        self.feedback.value = f"<ul style='font-family:system-ui,sans-serif;max-width:760px'>{items}</ul>"
        self.chart.show(call_outcome_chart(o, self.call.said["solution"], LABELS["solution"]))
        self.chart.widget.layout.display = None
        c = self.call.customer
        self.truth.value = _note(
            t("call.lab.truth", name=c.name, reason=t(MOTIVE[c.reason_key]), persona=t(PERSONA[c.rational]))
        )


def _note(text: str) -> str:
    return f"<div style='font-family:system-ui,sans-serif;color:#333;margin:4px 0'>{html.escape(text)}</div>"
