"""One customer's story: follow a few customers week by week, and look any one up.

The market is a column store, but every customer is an individual: ``model.customer(i)``
gives the state of the customer in slot ``i`` (persona, satisfaction, trust, supplier,
the firm's CRM record, how and why their last relationship ended). Customers named in
``follow`` when the model is built also keep a diary: what happened to them each week,
which reads as their story from first purchase to loss (and back).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.engine import population as P
from simulation.messages import t
from simulation.vocabulary import MOTIVE


@dataclass
class CustomerView:
    slot: int
    customer_id: int
    persona: str
    deal_seeker: bool
    purchase_rate: float
    basket: float
    supplier: str
    customer_since_week: int | None
    satisfaction: float
    expectation: float
    trust: float
    reference_price: float
    complaint_open: bool
    failures: int
    last_left: str | None
    last_left_week: int | None
    last_left_motive: str | None
    crm: dict = field(default_factory=dict)
    story: pd.DataFrame | None = None

    def narrative(self) -> list[str]:
        """The story as sentences, one per week in which something happened."""
        if self.story is None or self.story.empty:
            return []
        return [t("story.week", week=row.week, what=row.what) for row in self.story.itertuples() if row.what]

    def __str__(self) -> str:
        head = t(
            "story.customer_deal_seeker" if self.deal_seeker else "story.customer",
            customer=self.customer_id,
            persona=self.persona,
            supplier=self.supplier,
            satisfaction=self.satisfaction,
            trust=self.trust,
        )
        return "\n".join([head, *self.narrative()])


class Diary:
    """Weekly records of the followed customers."""

    def __init__(self, model, follow):
        self.model = model
        self.slots = np.asarray(sorted({int(s) for s in follow}), dtype=np.int64)
        if self.slots.size and (self.slots.min() < 0 or self.slots.max() >= model.pop.n):
            raise ValueError(f"follow: slots must be between 0 and {model.pop.n - 1}")
        self.rows: list[dict] = []
        self._spent = model.pop.crm_spend[:, self.slots].sum(axis=0)  # what they had spent before we followed

    def record(self) -> None:
        if self.slots.size == 0:
            return
        m, pop = self.model, self.model.pop
        s = self.slots
        spent = pop.crm_spend[:, s].sum(axis=0)
        paid = np.where(pop.events[s] & P.EV_ARRIVED, spent, spent - self._spent)
        self._spent = spent
        for k, slot in enumerate(s):
            ev = int(pop.events[slot])
            firm = int(pop.supplier[slot])
            firm_name = m.firms[firm].name if firm >= 0 else t("supplier.none")
            self.rows.append(
                {
                    "week": m.reported_week,
                    "slot": int(slot),
                    "customer_id": int(pop.customer_id[slot]),
                    "supplier": firm_name,
                    "paid": float(paid[k]) if ev & P.EV_PURCHASE else 0.0,
                    "satisfaction": float(pop.satisfaction[slot]),
                    "trust": float(pop.trust[slot]),
                    "complaint_open": bool(pop.complaint_open[slot]),
                    "events": ev,
                    "what": self._describe(slot, ev, firm_name, float(paid[k]), self._bought_from(slot, ev)),
                }
            )

    def _bought_from(self, slot: int, ev: int) -> str:
        """The firm of this week's purchase (the customer may have left it later the same week)."""
        if not ev & P.EV_PURCHASE:
            return ""
        firms = np.flatnonzero(self.model.pop.crm_last[:, slot] == self.model.week)
        return self.model.firms[int(firms[0])].name if firms.size else t("supplier.none")

    def _describe(self, slot: int, ev: int, firm_name: str, paid: float, bought_from: str = "") -> str:
        m, pop = self.model, self.model.pop
        parts = []
        if ev & P.EV_ARRIVED:
            parts.append(t("story.arrived"))
        left = ""
        if ev & P.EV_LEFT and pop.ended_week[slot] == m.week:
            firm, motive = m.firms[int(pop.ended_firm[slot])].name, int(pop.ended_motive[slot])
            left = (
                t("story.dropped", firm=firm)
                if motive == P.REPOSITIONED
                else t("story.left", firm=firm, motive=t(MOTIVE[P.MOTIVE_KEYS[motive]]))
            )
            # in the order of the week (model.step): dropped, moved, drifted or lured away before
            # the purchase; a complaint-driven exit after the failure and the complaint
            if motive != P.COMPLAINT:
                parts.append(left)
        if ev & P.EV_SWITCHED_IN:
            parts.append(t("story.switched_in", firm=firm_name))
        if ev & P.EV_PURCHASE:
            parts.append(t("story.purchase", firm=bought_from or firm_name, paid=paid))
        if ev & P.EV_FAILURE:
            parts.append(t("story.failure"))
        if ev & P.EV_COMPLAINT:
            parts.append(t("story.complaint"))
        if ev & P.EV_RESOLVED:
            parts.append(t("story.resolved"))
        if left and int(pop.ended_motive[slot]) == P.COMPLAINT:
            parts.append(left)
        if ev & P.EV_LOYAL:
            parts.append(t("story.loyal"))
        if ev & P.EV_REFERRED:
            referrer = int(pop.referred_to[slot])
            parts.append(t("story.referred", firm=m.firms[referrer].name if referrer >= 0 else "?"))
        return "; ".join(parts)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.rows,
            columns=[
                "week",
                "slot",
                "customer_id",
                "supplier",
                "paid",
                "satisfaction",
                "trust",
                "complaint_open",
                "events",
                "what",
            ],
        )

    def view(self, slot: int) -> CustomerView:
        m, pop = self.model, self.model.pop
        if not 0 <= slot < pop.n:
            raise IndexError(f"slot {slot} is not allowed: must be between 0 and {pop.n - 1}")
        firm = int(pop.supplier[slot])
        ended = int(pop.ended_firm[slot])
        crm = {}
        for f, firm_obj in enumerate(m.firms):
            if pop.crm_last[f, slot] != P.NEVER:
                crm[firm_obj.name] = {
                    "first_purchase_week": int(pop.crm_first[f, slot]) - m.burn_in + 1,
                    "last_purchase_week": int(pop.crm_last[f, slot]) - m.burn_in + 1,
                    "purchases": int(pop.crm_count[f, slot]),
                    "spend": float(pop.crm_spend[f, slot]),
                }
        story = None
        if slot in set(self.slots.tolist()):
            frame = self.frame()
            story = frame[(frame.slot == slot) & (frame.customer_id == pop.customer_id[slot])].reset_index(
                drop=True
            )
        return CustomerView(
            slot=slot,
            customer_id=int(pop.customer_id[slot]),
            persona=t("persona.rational") if pop.rational[slot] else t("persona.emotional"),
            deal_seeker=bool(pop.deal_seeker[slot]),
            purchase_rate=float(pop.purchase_rate[slot]),
            basket=float(pop.basket[slot]),
            supplier=m.firms[firm].name if firm >= 0 else t("supplier.none"),
            customer_since_week=int(pop.since_week[slot]) - m.burn_in + 1 if firm >= 0 else None,
            satisfaction=float(pop.satisfaction[slot]),
            expectation=float(pop.expectation[slot]),
            trust=float(pop.trust[slot]),
            reference_price=float(pop.reference_price[slot]),
            complaint_open=bool(pop.complaint_open[slot]),
            failures=int(pop.failures[slot]),
            last_left=m.firms[ended].name if ended >= 0 else None,
            last_left_week=int(pop.ended_week[slot]) - m.burn_in + 1 if ended >= 0 else None,
            last_left_motive=t(MOTIVE[P.MOTIVE_KEYS[int(pop.ended_motive[slot])]]) if ended >= 0 else None,
            crm=crm,
            story=story,
        )
