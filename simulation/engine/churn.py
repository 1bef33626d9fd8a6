"""Natural churn (step 3): moving away, newcomers, and drifting apart; and repositioning.

Seed 000 (Griffin): 68% of lost customers leave for no particular reason. Two kinds:

* **moved / need ended** — the customer leaves the market for good (a weekly hazard from
  ``move_rate_per_year``, or a chance after each repeat purchase, ``end_needs``); a
  newcomer with no supplier takes their slot. No win-back can bring them back.
* **drifted** — nothing happened, the relationship just faded: the weekly hazard falls
  with the square of trust, so a firm that keeps in touch keeps trust and loses fewer
  ("forget the customer and the customer forgets you", 001). Drifters stay in the market
  and often come back if simply invited (rule 1).

Repositioning (000: 9%) is the firm ending relationships on purpose: at each account
review it drops part of its lowest-spending established customers, who then cannot buy
from it for ``ban_weeks``.
"""

from __future__ import annotations

import numpy as np

from simulation.engine.life_cycle import weekly_value
from simulation.engine.population import DRIFTED, MOVED, REPOSITIONED, SlotLuck, renew


def move_away(model) -> None:
    pop = model.pop
    weekly = 1.0 - (1.0 - model.settings.natural_churn.move_rate_per_year) ** (1.0 / 52.0)
    movers = np.flatnonzero((model.chance("moves") < model.leaving_scaled(weekly)) | pop.need_ended)
    if model.absent is not None:  # only customers who are in the market can leave it
        movers = movers[~model.absent[movers]]
    if movers.size == 0:
        return
    model.life_cycle.forget(movers)  # first: the firms keep their records of who is leaving
    model.defect(movers[pop.supplier[movers] >= 0], MOVED)
    model.archive_spend(movers)
    model.next_id = renew(pop, movers, model.settings, SlotLuck(model, movers), model.week, model.next_id)
    # this week's prompts and offers were meant for the people who left, not the newcomers
    model.prompted[movers] = False
    model.reminded[movers] = False
    model.reached_by[movers] = -1
    pop.offer[:, movers] = 0.0


def end_needs(model, buyers: np.ndarray) -> None:
    """After a repeat purchase the customer's need may end (BG/NBD's drop-out, Fader, Hardie &
    Lee 2005): with their own chance ``need_end_chance`` they leave the market next week. A
    first purchase never ends the need (as in BG/NBD), so ``buyers`` are this week's repeat
    buyers. Heavy buyers buy more often, so they reach their last purchase sooner."""
    if model.settings.natural_churn.need_ends_after_purchase <= 0 or buyers.size == 0:
        return
    pop = model.pop
    chance = model.leaving_scaled(pop.need_end_chance[buyers], buyers)
    pop.need_ended[buyers] |= model.chance("need_ends", buyers) < chance


def drift(model) -> None:
    pop = model.pop
    tied = np.flatnonzero(pop.supplier >= 0)
    hazard = model.leaving_scaled(
        model.settings.natural_churn.drift_hazard * (1.0 - pop.trust[tied]) ** 2, tied
    )
    model.defect(tied[model.chance("drift", tied) < hazard], DRIFTED)


def reposition(model, firm: int) -> None:
    """The firm's account review: drop part of its lowest-spending established customers."""
    params = model.firms[firm].params.repositioning
    pop, week = model.pop, model.week
    if params.drop_share <= 0 or week % params.review_every_weeks:
        return
    mine = np.flatnonzero((pop.supplier == firm) & (week - pop.since_week >= params.min_tenure_weeks))
    if mine.size == 0:
        return
    spend_rate = weekly_value(model, firm, mine)
    cutoff = np.quantile(spend_rate, params.low_value_share)
    low = mine[spend_rate <= cutoff]
    dropped = low[model.chance(f"reposition/{firm}", low) < params.drop_share]
    model.defect(dropped, REPOSITIONED)
    pop.banned_by[dropped] = firm
    pop.banned_until[dropped] = week + params.ban_weeks
