"""Word of mouth (step 6): satisfied customers bring prospects, dissatisfied ones turn people away.

Seed 002: one satisfied customer tells about 8 prospects a year and at least 1 of them
buys; one dissatisfied customer sways about 25 people against the firm. Each week a
satisfied customer sends a Poisson number of good words to random ties; a told prospect
with no supplier buys from that firm next week with chance ``referral_conversion``
(a referral, the bird dogs of Joe Girard in 001); a listener who already has a supplier
keeps it in mind (``positive_pull`` utility, fading). Dissatisfied customers do the
same with bad words (``negative_pull``). Long customers talk more (``relationship.referral_growth``,
``engine.tenure``: seed 003, Reichheld & Sasser 1990).

A referred prospect arrives with what the referrer told them (Van den Bulte, Bayer, Skiera &
Schmitt 2018, "social enrichment"): their expectation moves ``referral_expectation_share`` of the
way to the referrer's, which the referrer learned from buying there, and at their first purchase
they trust the firm with ``referral_trust_share`` of the referrer's trust, if that is more than a
stranger's. The ties run more among alike customers (``engine.network``), so the prospect is
often like the referrer. Whether referred customers then stay longer or spend more (Schmitt,
Skiera & Van den Bulte 2011 found both) is left to the market: the Loyalty Lab measures it.
"""

from __future__ import annotations

import numpy as np

from simulation.engine import compiled, tenure
from simulation.engine.population import EV_REFERRED, flat


def _messages(
    model, senders: np.ndarray, per_year: float, talk: np.ndarray | float = 1.0, kind: str = "good"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """This week's ``kind`` messages: (sender, listener, a number in [0, 1) of each good message
    (None for bad ones)), sender by sender. ``talk``: a multiplier for each of ``senders`` (or one for all).

    A sender's Poisson number of messages, the tie each goes to and the message's own number (does
    the listener act on it?) are each sender's luck (``model.chance``): keyed by the sender and the
    message's place among theirs, so a policy that makes one customer talk more changes no other
    customer's messages (common random numbers). The compiled loops (``engine.compiled``) give the
    same messages as the NumPy reference, ``_messages_numpy``."""
    if _COUNTS is None:
        return _messages_numpy(model, senders, per_year, talk, kind)
    net = model.network
    senders, rate = _rates(model, senders, per_year, talk)
    counts = _COUNTS(np.uint64(model.draw_key(f"word_of_mouth/{kind}")), senders, np.exp(-rate), rate)
    most = int(counts.max(initial=0))
    if most == 0:
        return senders[:0], senders[:0], np.zeros(0, dtype=np.float32)
    ties = np.array([model.draw_key(f"word_of_mouth/{kind}/tie/{k}") for k in range(most)], dtype=np.uint64)
    heeds = np.array(
        [model.draw_key(f"word_of_mouth/{kind}/heed/{k}") for k in range(most)] if kind == "good" else [],
        dtype=np.uint64,
    )
    who, listener, heed = _MESSAGES(counts, ties, heeds, senders, net.offsets, net.neighbours)
    return who, listener, heed if kind == "good" else None


def _rates(model, senders: np.ndarray, per_year: float, talk: np.ndarray | float):
    """The connected ``senders`` and each one's expected messages this week."""
    connected = model.network.degree[senders] > 0
    rate = per_year / 52.0 * (talk[connected] if isinstance(talk, np.ndarray) else talk)
    return senders[connected], np.broadcast_to(np.asarray(rate, dtype=float), (int(connected.sum()),))


def _messages_numpy(model, senders, per_year, talk=1.0, kind="good"):
    """The reference of :func:`_messages`, in NumPy."""
    net = model.network
    senders, rate = _rates(model, senders, per_year, talk)
    counts = poisson_by_inversion(model.chance(f"word_of_mouth/{kind}", senders), rate)
    who, listener, luck = [], [], []
    for k in range(int(counts.max(initial=0))):  # each sender's k-th message this week
        sending = senders[counts > k]
        who.append(sending)
        listener.append(net.random_ties(sending, model.chance(f"word_of_mouth/{kind}/tie/{k}", sending)))
        if kind == "good":  # only a good word can bring a referral
            luck.append(model.chance(f"word_of_mouth/{kind}/heed/{k}", sending))
    if not who:
        return senders[:0], senders[:0], np.zeros(0, dtype=np.float32)
    order = np.argsort(np.concatenate(who), kind="stable")  # sender by sender, first message first
    heed = np.concatenate(luck)[order] if luck else None
    return np.concatenate(who)[order], np.concatenate(listener)[order], heed


def poisson_by_inversion(uniform: np.ndarray, rate: np.ndarray | float) -> np.ndarray:
    """Poisson numbers with mean ``rate`` from one uniform each (inverting the distribution
    function: the smallest k whose cumulative probability exceeds the uniform). Rates here are a
    few messages a week at most, so the loop runs a handful of times."""
    rate = np.broadcast_to(np.asarray(rate, dtype=float), uniform.shape)
    term = np.exp(-rate)
    cumulative = term.copy()
    counts = np.zeros(uniform.shape, dtype=np.int64)
    going = np.flatnonzero(uniform >= cumulative)
    k = 0
    while going.size:
        k += 1
        term[going] *= rate[going] / k
        cumulative[going] += term[going]
        counts[going] = k
        going = going[uniform[going] >= cumulative[going]]
    return counts


def _counts_loop(key, senders, first_term, rate):  # pragma: no cover - compiled
    """poisson_by_inversion of each sender's number under draw ``key``, one sender at a time."""
    counts = np.zeros(senders.size, dtype=np.int64)
    for i in range(senders.size):
        uniform = np.float64(compiled.unit(key, senders[i]))
        term = first_term[i]
        cumulative = term
        k = 0
        while uniform >= cumulative:
            k += 1
            term = term * (rate[i] / k)
            cumulative = cumulative + term
        counts[i] = k
    return counts


def _messages_loop(counts, tie_keys, heed_keys, senders, offsets, neighbours):  # pragma: no cover - compiled
    """Each sender's messages in turn: the k-th goes to the tie its number under ``tie_keys[k]``
    picks (SocialNetwork.random_ties), with its own number under ``heed_keys[k]`` (if any)."""
    total = counts.sum()
    who = np.empty(total, dtype=np.int64)
    listener = np.empty(total, dtype=neighbours.dtype)
    heed = np.empty(total if heed_keys.size else 0, dtype=np.float32)
    at = 0
    for i in range(senders.size):
        sender = senders[i]
        start = offsets[sender]
        width = np.float64(offsets[sender + 1] - start)
        for k in range(counts[i]):
            who[at] = sender
            listener[at] = neighbours[
                start + np.int64(np.float64(compiled.unit(tie_keys[k], sender)) * width)
            ]
            if heed_keys.size:
                heed[at] = compiled.unit(heed_keys[k], sender)
            at += 1
    return who, listener, heed


_COUNTS = compiled.kernel(_counts_loop)  # None without Numba: _messages takes the NumPy path
_MESSAGES = compiled.kernel(_messages_loop)


def _listeners_and_talkers_numpy(model) -> tuple[np.ndarray, np.ndarray]:
    """What was heard fades, and so does a complaint leaver's grudge; returns who talks this
    week: the satisfied and the dissatisfied customers (with a supplier)."""
    pop, p = model.pop, model.settings.word_of_mouth
    pop.heard *= 1.0 - p.weekly_fading
    pop.grudge *= 1.0 - model.settings.service_failures.grudge_fading  # a complaint leaver's memory
    tied = pop.supplier >= 0
    happy = np.flatnonzero(tied & (pop.satisfaction >= p.satisfied_threshold))
    unhappy = np.flatnonzero(tied & (pop.satisfaction <= p.dissatisfied_threshold))
    return happy, unhappy


def _listeners_and_talkers_loop(
    heard, keep_heard, grudge, keep_grudge, supplier, satisfaction, satisfied, dissatisfied
):  # pragma: no cover - compiled
    """_listeners_and_talkers_numpy in one pass over the slots."""
    firms, n = heard.shape
    happy = np.empty(n, dtype=np.int64)
    unhappy = np.empty(n, dtype=np.int64)
    h = u = 0
    for f in range(firms):  # (firm by firm: the rows are contiguous)
        for i in range(n):
            heard[f, i] *= keep_heard
    for i in range(n):
        grudge[i] *= keep_grudge
        tied = supplier[i] >= 0
        happy[h] = i  # written always, kept only if it counts: no branch to mispredict
        h += tied & (satisfaction[i] >= satisfied)
        unhappy[u] = i
        u += tied & (satisfaction[i] <= dissatisfied)
    return happy[:h], unhappy[:u]


def _add_at_loop(flat_array, positions, amount):  # pragma: no cover - compiled
    for k in range(positions.size):
        flat_array[positions[k]] += amount


_LISTEN = compiled.kernel(_listeners_and_talkers_loop)
_ADD_AT = compiled.kernel(_add_at_loop)


def _listeners_and_talkers(model) -> tuple[np.ndarray, np.ndarray]:
    if _LISTEN is None:
        return _listeners_and_talkers_numpy(model)
    pop, p = model.pop, model.settings.word_of_mouth
    return _LISTEN(
        pop.heard,
        1.0 - p.weekly_fading,
        pop.grudge,
        1.0 - model.settings.service_failures.grudge_fading,
        pop.supplier,
        pop.satisfaction,
        float(p.satisfied_threshold),
        float(p.dissatisfied_threshold),
    )


def _add_at(flat_array: np.ndarray, positions: np.ndarray, amount: float) -> None:
    """np.add.at(flat_array, positions, amount): one listener may hear several words in a week,
    and each counts (added one by one, in order, by either)."""
    if _ADD_AT is None:
        np.add.at(flat_array, positions, amount)
    else:
        _ADD_AT(flat_array, positions.astype(np.int64, copy=False), float(amount))


def spread(model) -> None:
    pop, p = model.pop, model.settings.word_of_mouth
    n, heard = pop.n, flat(pop.heard)  # heard[f * n + i]: what customer i heard about firm f
    happy, unhappy = _listeners_and_talkers(model)

    # long customers talk more (engine.tenure), and a referral reward makes satisfied customers
    # talk more (Joe Girard's bird dogs, 001)
    talk = tenure.talk(model, happy)
    if (model.talk != 1.0).any():
        talk = talk * model.talk[pop.supplier[happy]]
    who, listener, heed = _messages(model, happy, p.positive_contacts_per_year, talk)
    firm = pop.supplier[who]
    model.book("word_of_mouth_positive", firm)
    their_supplier = pop.supplier[listener]
    other = their_supplier != firm  # a good word about one's own supplier changes nothing
    who, listener, heed = who[other], listener[other], heed[other]
    firm, their_supplier = firm[other], their_supplier[other]
    prospect = their_supplier < 0
    # added at each position, not +=: one listener may hear several good words in a week, and each counts
    _add_at(heard, firm[~prospect].astype(np.intp) * n + listener[~prospect], p.positive_pull)
    allowed = ~((pop.banned_by[listener] == firm) & (pop.banned_until[listener] > model.week))
    converts = prospect & allowed & (pop.referred_to[listener] < 0) & (heed < p.referral_conversion)
    if model.absent is not None:  # a prospect who has not joined the market yet does not buy
        converts &= ~model.absent[listener]
    new = listener[converts]
    if new.size:
        # a prospect told by several customers follows the first of them
        new, first = np.unique(new, return_index=True)
        referrer = who[converts][first]
        pop.referred_to[new] = firm[converts][first]
        # what the referrer told them: how it is to buy there, and the referrer's trust in the firm
        pop.expectation[new] += p.referral_expectation_share * (
            pop.expectation[referrer] - pop.expectation[new]
        )
        pop.referral_trust[new] = p.referral_trust_share * pop.trust[referrer]
        pop.events[new] |= EV_REFERRED
        model.prompted[new] = True
        model.book("referrals", pop.referred_to[new])

    who, listener, _ = _messages(model, unhappy, p.negative_contacts_per_year, kind="bad")
    firm = pop.supplier[who]
    model.book("word_of_mouth_negative", firm)
    _add_at(heard, firm.astype(np.intp) * n + listener, -p.negative_pull)
