"""Business accounts (step 3, B2B markets only): the contact person changes (001).

In a B2B market each customer is a client firm, and the relationship lives in the people
the supplier knows there. Now and then the contact person moves on. The newcomer does not
know the supplier: with ``k`` people known in the account (broad contacts, a loyalty
tactic) the account keeps ``(k - 1) / k`` of its trust and the rest starts afresh; and with
chance ``1 / k`` the newcomer reviews the suppliers at the next purchase occasion, which
is how a one-contact account is lost to a rival.
"""

from __future__ import annotations

import numpy as np


def rotate_contacts(model) -> None:
    accounts = model.settings.accounts
    if not accounts.b2b:
        return
    pop = model.pop
    weekly = 1.0 - (1.0 - accounts.rotation_per_year) ** (1.0 / 52.0)
    tied = np.flatnonzero(pop.supplier >= 0)
    moved = tied[model.chance("rotation", tied) < weekly]
    if moved.size == 0:
        return
    people = model.people_known[pop.supplier[moved]]
    kept = (people - 1.0) / people
    pop.trust[moved] = kept * pop.trust[moved] + (1.0 - kept) * model.settings.trust.initial
    reviews = moved[model.chance("review", moved) < 1.0 / people]
    model.prompted[reviews] = True
