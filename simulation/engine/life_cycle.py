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


class LifeCycle:
    def __init__(self, model):
        self.model = model
        p = model.scenario.life_cycle
        self.bounds = np.array([p.silent_after_weeks, p.forgotten_after_weeks, p.lost_after_weeks])
        # losses the firm will see later among customers whose slot was already renewed
        self.pending = np.zeros((model.n_firms, model.total_weeks + p.lost_after_weeks + 1), dtype=np.int64)

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
        pop, week, lost_after = self.model.pop, self.model.week, self.bounds[2]
        for f in range(self.model.n_firms):
            last = pop.crm_last[f, slots]
            due = last[(last != NEVER) & (week - last < lost_after)] + lost_after
            np.add.at(self.pending[f], np.clip(due, 0, self.pending.shape[1] - 1), 1)

    def update(self) -> None:
        model, week = self.model, self.model.week
        for f in range(model.n_firms):
            code = self.stages(f)
            counts = np.bincount(code + 1, minlength=5)
            row = model.ledger.row(f)
            for k, stage in enumerate(STAGES):
                row[model.ledger.index[stage]] = counts[k + 1]
            newly = np.count_nonzero(week - model.pop.crm_last[f] == self.bounds[2]) + self.pending[f, week]
            row[model.ledger.index["newly_lost"]] = newly
