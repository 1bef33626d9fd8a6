"""The firm's CRM life cycle (step 7): what the firm can see, not the truth.

Seed 004: after a first purchase a customer is *active*, then *silent* (keep in touch,
small offers), then *forgotten* (high risk; few contacts, too many annoy), and *lost*
after 180 days (26 weeks) without a purchase. The firm only sees purchases: a customer
who quietly switched to a rival or moved away looks exactly like one who is just slow,
until enough weeks have passed. Stages are counted over every customer in the firm's
CRM, current or former.
"""

from __future__ import annotations

import numpy as np

from simulation.engine.population import NEVER

STAGES = ("active", "silent", "forgotten", "lost")
NEVER_BOUGHT = -1


def usual_interval(model, firm: int, idx=slice(None)) -> np.ndarray:
    """Each customer's usual weeks between purchases, from the firm's customer database (000,
    rule 3); the market's median rhythm for those who bought only once."""
    pop = model.pop
    count = pop.crm_count[firm, idx]
    span = np.maximum(pop.crm_last[firm, idx] - pop.crm_first[firm, idx], 1)
    return np.where(
        count >= 2, span / np.maximum(count - 1, 1), 1.0 / model.settings.customers.purchase_rate_median
    )


def weekly_value(model, firm: int, idx: np.ndarray) -> np.ndarray:
    """What each customer has spent with the firm per week since their first purchase (its CRM
    view of their value: who is a key account, who is dropped at a review)."""
    pop = model.pop
    weeks_known = np.maximum(model.week - pop.crm_first[firm, idx], 1)
    return pop.crm_spend[firm, idx] / weeks_known


def top_customers(model, firm: int, share: float) -> np.ndarray:
    """The firm's current customers in the top ``share`` by weekly value (80/20, 001/002)."""
    mine = np.flatnonzero(model.pop.supplier == firm)
    if mine.size == 0:
        return mine
    value = weekly_value(model, firm, mine)
    return mine[value >= np.quantile(value, 1.0 - share)]


class LifeCycle:
    def __init__(self, model):
        self.model = model
        p = model.settings.life_cycle
        self.bounds = np.array([p.silent_after_weeks, p.forgotten_after_weeks, p.lost_after_weeks])
        # losses the firm will see later among customers whose slot was already renewed
        # (one list per firm: a firm without a win-back programme never takes its own, and they
        # must not slow down the firm that does)
        self._ghosts: list[list[dict[str, np.ndarray]]] = [[] for _ in range(model.n_firms)]
        self.pending = np.zeros((model.n_firms, model.total_weeks + p.lost_after_weeks + 1), dtype=np.int64)

    def resize(self, weeks: int) -> None:
        lost_after = int(self.bounds[2])
        pending = np.zeros((self.pending.shape[0], weeks + lost_after + 1), dtype=self.pending.dtype)
        keep = min(pending.shape[1], self.pending.shape[1])
        pending[:, :keep] = self.pending[:, :keep]
        self.pending = pending

    def stages(self, firm: int, week: int | None = None) -> np.ndarray:
        """Stage code (index into STAGES, or NEVER_BOUGHT) of every slot in ``firm``'s CRM."""
        week = self.model.week if week is None else week
        last = self.model.pop.crm_last[firm]
        gap = week - last
        code = (gap >= self.bounds[0]).astype(np.int8) + (gap >= self.bounds[1]) + (gap >= self.bounds[2])
        code[last == NEVER] = NEVER_BOUGHT
        return code

    def forget(self, slots: np.ndarray) -> None:
        """Slots about to be renewed: their former occupants will still turn 'lost' in the CRM."""
        pop, week, lost_after = self.model.pop, self.model.week, int(self.bounds[2])
        last = pop.crm_last[:, slots]  # (firms, movers): one gather for every firm at once
        firm, mover = np.nonzero((last != NEVER) & (week - last < lost_after))
        # the week each will turn 'lost': after this week and within the pending table,
        # since week - lost_after < last <= week
        due = last[firm, mover] + lost_after
        np.add.at(self.pending, (firm, due), 1)
        if firm.size:  # their CRM records stay with the firm: a win-back list may still invite them
            who = slots[mover]
            records = {
                "firm": firm,
                "slot": who,
                "customer_id": pop.customer_id[who],
                "first": pop.crm_first[firm, who],
                "last": last[firm, mover],
                "spend": pop.crm_spend[firm, who],
                "complaint": pop.complaint_open[who],
                "was_customer": pop.supplier[who] == firm,
                "due": due,
                "due_early": np.maximum(week + 1, np.minimum(due, last[firm, mover] + 13)),
            }
            for f in np.unique(firm):
                of_f = firm == f
                self._ghosts[f].append({k: v[of_f] for k, v in records.items()})

    def written_once(self) -> list[dict[str, np.ndarray]]:
        """The moved-away records kept so far: each is made once and only ever replaced (MarketModel.fork)."""
        return [g for ghosts in self._ghosts for g in ghosts]

    def take_ghosts(self, firm: int, week: int, early: bool = False) -> dict | None:
        """Records of customers who moved away that ``firm`` now sees as lost (each given once).

        ``early``: the firm runs early identification (recency alerts) and sees them sooner."""
        ghosts = self._ghosts[firm]
        if not ghosts:
            return None
        merged = (
            {k: np.concatenate([g[k] for g in ghosts]) for k in ghosts[0]} if len(ghosts) > 1 else ghosts[0]
        )
        when = merged["due_early"] if early else merged["due"]
        now = when <= week
        if not now.any():
            self._ghosts[firm] = [merged]
            return None
        keep = ~now
        self._ghosts[firm] = [{k: v[keep] for k, v in merged.items()}] if keep.any() else []
        return {k: v[now] for k, v in merged.items()}

    def update(self) -> None:
        """Count each firm's CRM by stage this week, and the customers it sees turn 'lost' now.

        Same stages as :meth:`stages`, counted without building the stage of every slot: a
        slot is active if its last purchase is later than ``week - silent_after``, and so on.
        A slot that never bought (``NEVER``, far in the past) falls below every bound, so
        ``lost`` is what is left once the never-bought slots are taken out.
        """
        model, week, ledger = self.model, self.model.week, self.model.ledger
        # plain Python ints: comparing the int32 CRM column with a NumPy int64 would first
        # convert the whole column to int64, for every comparison
        silent, forgotten, lost = self.bounds.tolist()
        index = ledger.index
        crm_last = model.pop.crm_last
        n = crm_last.shape[1]
        for f in range(model.n_firms):
            last = crm_last[f]
            within_silent = np.count_nonzero(last > week - silent)
            within_forgotten = np.count_nonzero(last > week - forgotten)
            within_lost = np.count_nonzero(last > week - lost)
            never = np.count_nonzero(last == NEVER)
            row = ledger.row(f)
            row[index["active"]] = within_silent
            row[index["silent"]] = within_forgotten - within_silent
            row[index["forgotten"]] = within_lost - within_forgotten
            row[index["lost"]] = n - within_lost - never
            row[index["newly_lost"]] = np.count_nonzero(last == week - lost) + self.pending[f, week]
