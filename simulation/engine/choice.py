"""Purchase occasions and the choice of where to buy (step 4 of the week).

At a purchase occasion a customer with a supplier usually buys from it out of habit;
with a chance that grows with dissatisfaction (and for deal-seekers, 001) they look
around. Whoever looks around, and every customer without a supplier, chooses by a
random-utility (multinomial logit) rule over:

* product quality and service, weighted by persona (rational vs emotional, 004);
* brand strength;
* price against the customer's internal reference price, where a price above the
  reference is a loss and weighs ``loss_aversion`` times a gain (000: price wars pull
  reference prices down); price sensitivity is higher for deal-seekers and falls with
  trust (relationship investment lowers price sensitivity, 000);
* what they have heard (word of mouth) and any personal offer or message this week;
* for the current supplier: habit, switching costs (procedural, financial) and trust
  (relational switching cost; the carrot and the stick of 001); deal-seekers feel only part
  of the habit and the trust (little loyalty, 001).

Customers without a supplier may also buy outside the modelled firms (the outside
option). Leaving the current supplier for a rival is a competitor defection (000: 9%).
"""

from __future__ import annotations

import numpy as np

from simulation.engine import compiled, tenure


def logit_probabilities(utility: np.ndarray) -> np.ndarray:
    """Choice probabilities for each column (customer) over rows (alternatives); -inf = unavailable."""
    top = utility.max(axis=0)
    weights = np.exp(utility - top)
    return weights / weights.sum(axis=0)


def sample_choice(probabilities: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Index of the chosen row for each column, by inverse CDF with one uniform draw each."""
    cumulative = np.cumsum(probabilities, axis=0)
    chosen = (cumulative < uniform[None, :] * cumulative[-1]).sum(axis=0)
    return np.minimum(chosen, probabilities.shape[0] - 1)


# A persona weighs its own side fully and the other half (004): rational customers quality and
# price, emotional ones service and the relationship. Column 0 of a per-persona array is the
# emotional persona, column 1 the rational (``pop.rational`` as an index).
SECONDARY_WEIGHT = 0.5
RELATIONSHIP_WEIGHT = np.array([1.0, SECONDARY_WEIGHT])  # how much a personal contact counts, by persona


def standing(model) -> np.ndarray:
    """What each firm's product, service and brand are worth to each persona: (firms, 2), in
    utility units. The same for everyone of a persona, so choices look it up per customer."""
    p = model.settings.choice
    w_quality = np.array([SECONDARY_WEIGHT * p.quality_weight, p.quality_weight])
    w_service = np.array([p.service_weight, SECONDARY_WEIGHT * p.service_weight])
    return (
        model.quality[:, None] * w_quality
        + model.service[:, None] * w_service
        + p.brand_weight * model.brand[:, None]
    )


def utilities(model, idx: np.ndarray) -> np.ndarray:
    """Utility of each firm (rows) for customers ``idx`` (columns), without the logit noise."""
    pop, p = model.pop, model.settings.choice
    # quality, service and brand, by persona
    v = np.take(standing(model), pop.rational[idx], axis=1)  # (firms, customers); True picks column 1

    # price against the reference price; a loss weighs ``loss_aversion`` times a gain
    beta = p.price_weight * (1.0 - p.trust_lowers_price_sensitivity * pop.trust[idx])
    beta = beta * tenure.price_sensitivity(model, idx)  # long customers mind price less (003)
    beta = beta * np.where(pop.deal_seeker[idx], model.settings.customers.deal_seeker_price_multiplier, 1.0)
    ref = pop.reference_price[idx]
    price = model.prices[:, None]
    holders = np.flatnonzero(pop.coupon_uses[idx] > 0)
    if holders.size:  # a personal discount (a win-back promotion) lowers that firm's price for them
        price = np.repeat(price, idx.size, axis=1)
        price[pop.coupon_firm[idx[holders]], holders] *= 1.0 - pop.coupon_depth[idx[holders]]
    gap = (price - ref) / ref
    v += -beta * np.where(gap > 0, p.loss_aversion * gap, gap)
    # word of mouth heard and this week's personal offers (np.take: pop.heard[:, idx], faster)
    v += np.take(pop.heard, idx, axis=1)
    v += np.take(pop.offer, idx, axis=1)
    # a complaint leaver's grudge against the firm they left (engine.experience)
    sore = np.flatnonzero(pop.grudge[idx] > 0)
    if sore.size:
        v[pop.grudge_firm[idx[sore]], sore] -= pop.grudge[idx[sore]]

    # the ties to the current supplier: habit, switching costs, trust
    current = pop.supplier[idx]
    tied = np.flatnonzero(current >= 0)
    who = idx[tied]
    loyalty = np.where(pop.deal_seeker[who], model.settings.customers.deal_seeker_loyalty, 1.0)
    v[current[tied], tied] += (
        loyalty * (p.habit + p.relational_switching_cost * pop.trust[who])
        + model.lock_in
        + pop.procedural_cost[who]
        + pop.financial_cost[who]
    )
    # a customer dropped by a firm (repositioning) cannot buy from it until the ban ends
    banned_by = pop.banned_by[idx]
    banned = np.flatnonzero((banned_by >= 0) & (pop.banned_until[idx] > model.week))
    v[banned_by[banned], banned] = -np.inf
    if not model.present.all():  # a firm that has not entered the market yet
        v[~model.present] = -np.inf
    return v


def _price_alarm(model, idx: np.ndarray, current: np.ndarray) -> np.ndarray | float:
    """Extra chance of looking around because of prices: the supplier's price is above the
    customer's reference price (a loss, e.g. when a discount ends), and, for deal-seekers, some
    firm advertises a cut below their reference price (001). Zero in a market at rest."""
    p, pop = model.settings.choice, model.pop
    prices = model.prices
    ref = pop.reference_price[idx]
    if idx.size == 0:
        return 0.0
    lowest = prices[model.present].min()
    if (prices == model.regular_prices).all() and lowest >= 0.95 * ref.min() and prices.max() <= ref.min():
        return 0.0  # nothing to notice for anyone (the common case: checked once, not per customer)
    deal = pop.deal_seeker[idx]
    sensitivity = np.where(deal, model.settings.customers.deal_seeker_price_multiplier, 1.0)
    paid = prices[np.maximum(current, 0)]
    loss = np.where(current >= 0, np.maximum(paid / ref - 1.0, 0.0), 0.0)
    return p.search_on_loss * sensitivity * loss + p.deal_alert * (deal & (lowest <= 0.95 * ref))


def _occasions_numpy(model) -> np.ndarray:
    """Who has a purchase occasion this week: their purchase chance (higher in their first weeks
    with a supplier, ``tenure.first_weeks``), or a prompt or a reminder; not those who have not
    joined the market yet."""
    rate = model.pop.purchase_rate * tenure.first_weeks(model)
    occasion = (model.chance("occasions") < rate) | model.prompted | model.reminded
    if model.absent is not None:  # customers who have not joined the market yet
        occasion &= ~model.absent
    return np.flatnonzero(occasion)


def _occasions_loop(
    key, rate, first_weeks, since, supplier, week, prompted, reminded, absent
):  # pragma: no cover - compiled
    """_occasions_numpy in one pass: each slot's number is drawn (engine.luck) and compared there."""
    out = np.empty(rate.size, dtype=np.int64)
    found = 0
    for i in range(rate.size):
        if absent.size and absent[i]:
            continue
        chance = rate[i]
        if first_weeks.size and supplier[i] >= 0:
            chance = chance * first_weeks[week - since[i]]
        out[found] = i  # written always, kept only if it counts: no branch to mispredict
        found += prompted[i] | reminded[i] | (compiled.unit(key, i) < chance)
    return out[:found]


_OCCASIONS = compiled.kernel(_occasions_loop)
NOBODY = np.zeros(0, dtype=bool)
NO_TABLE = np.zeros(0)


def _occasions(model) -> np.ndarray:
    """:func:`_occasions_numpy`, by the compiled loop when there is one."""
    if _OCCASIONS is None:
        return _occasions_numpy(model)
    pop = model.pop
    first_weeks = tenure.first_weeks_by_tenure(model)
    return _OCCASIONS(
        np.uint64(model.draw_key("occasions")),
        pop.purchase_rate,
        NO_TABLE if first_weeks is None else first_weeks,
        pop.since_week,
        pop.supplier,
        model.week,
        model.prompted,
        model.reminded,
        NOBODY if model.absent is None else model.absent,
    )


def purchase_occasions(model) -> tuple[np.ndarray, np.ndarray]:
    """Who buys this week and from which firm: (customer slots, firm index)."""
    pop, p = model.pop, model.settings.choice
    idx = _occasions(model)
    # a referred prospect makes a trial purchase from the firm they were told about (002)
    is_referred = pop.referred_to[idx] >= 0
    referred = idx[is_referred]
    model.referred_now = referred
    buyers = [referred]
    firms = [pop.referred_to[referred].astype(np.int64)]
    pop.referred_to[referred] = -1
    idx = idx[~is_referred]

    current = pop.supplier[idx]
    search = (
        p.search_base
        + p.search_if_dissatisfied * (1.0 - pop.satisfaction[idx]) ** 2
        + p.search_deal_seeker * pop.deal_seeker[idx]
    )
    search += _price_alarm(model, idx, current)
    search = model.leaving_scaled(search, idx)  # the thought experiment of Firm.leaving_factor
    # a prompt this week (an acquisition message, a win-back invitation) makes even a creature of
    # habit look around; otherwise an open offer counts only when they look around by themselves
    # a reminder from their own supplier brings a purchase there without shopping around
    habitual = (
        (current >= 0)
        & ((model.chance("search", idx) >= search) | model.reminded[idx])
        & ~model.prompted[idx]
    )
    buyers.append(idx[habitual])
    firms.append(current[habitual].astype(np.int64))

    looking = idx[~habitual]
    if looking.size:
        v = utilities(model, looking)
        outside = np.where(pop.supplier[looking] < 0, p.outside_option, -np.inf)
        probs = logit_probabilities(np.vstack([v, outside[None, :]]))
        chosen = sample_choice(probs, model.chance("choice", looking))
        buys = chosen < model.n_firms
        buyers.append(looking[buys])
        firms.append(chosen[buys])
    return np.concatenate(buyers), np.concatenate(firms)
