"""What keeping customers is worth, and how much of it a long relationship's economics bring.

Seed 003 claims that halving churn doubles profit; Reichheld & Sasser (1990) found that cutting
defections by 5 points raised profits by 25-85% in the industries they studied, because an old
customer is worth more each year (``engine.tenure``: share of wallet, a lower cost to serve, less
price sensitivity, more referrals). :func:`value_of_retention` puts the claim to the market: it
runs a scenario as it is and with every reason the focal firm's customers have to leave at half
its rate (:func:`fewer_leave`; the rivals' customers leave as before),
first with the four effects of tenure on, then with each of them off, then with none, and
reports the focal firm's profit gained each time (the value of retention), paired by
replication (the same customers meet the same luck in both runs). An effect's share of the value
of retention is what halving churn gains with all four on less what it gains without that
effect, over what it gains with all four. The answer is the model's, with its interval; nothing
in the code says what it should be.
"""

from __future__ import annotations

import pandas as pd

from simulation.config.scenario import Scenario
from simulation.experiment.compare import compare
from simulation.messages import N_, t
from simulation.statistics.intervals import t_interval

EFFECTS = ("wallet_growth", "serve_cost_drop", "price_sensitivity_drop", "referral_growth")
VARIANT_TEXT = {
    "all": N_("retention.variant_all"),
    "wallet_growth": N_("retention.variant_without_wallet_growth"),
    "serve_cost_drop": N_("retention.variant_without_serve_cost_drop"),
    "price_sensitivity_drop": N_("retention.variant_without_price_sensitivity_drop"),
    "referral_growth": N_("retention.variant_without_referral_growth"),
    "none": N_("retention.variant_none"),
}
COLUMNS = (
    "variant",
    "label",
    "profit",
    "profit_fewer_leave",
    "value",
    "value_low",
    "value_high",
    "gain",
    "gain_low",
    "gain_high",
    "share",
    "share_low",
    "share_high",
    "annual_churn_rate",
    "annual_churn_rate_fewer_leave",
    "replications",
)


def fewer_leave(scenario: Scenario, factor: float = 0.5) -> Scenario:
    """``scenario`` with every reason the focal firm's customers have to leave at ``factor`` of
    its rate (``Firm.leaving_factor``: moving away and the need ending, drift, complaint churn,
    looking around at a rival); the rivals' customers leave as before."""
    return scenario.with_changes({f"firms.{scenario.focal_index}.leaving_factor": factor})


def _variants(scenario: Scenario) -> dict[str, Scenario]:
    off = {f"relationship.{effect}": 0.0 for effect in EFFECTS}
    variants = {"all": scenario}
    variants.update({effect: scenario.with_changes({f"relationship.{effect}": 0.0}) for effect in EFFECTS})
    variants["none"] = scenario.with_changes(off)
    return variants


def value_of_retention(
    scenario: Scenario,
    replications: int = 10,
    seed: int = 0,
    *,
    factor: float = 0.5,
    workers: int | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """The focal firm's profit gain when every reason its customers have to leave is at ``factor``
    of its rate, with
    the four effects of tenure on (``all``), without each one, and with none (``none``).

    One row per variant (``COLUMNS``): mean profit as it is and with fewer leaving; ``value``,
    the profit gained, and ``gain``, the same relative to profit as it is, each with its 95%
    interval over paired replications; ``share``, an effect's share of the value of retention
    with its interval (for ``all``: the share of all four together, against ``none``); and the
    annual churn rate both ways (so you can see that churn did halve)."""
    if not 0.0 <= factor <= 1.0:
        raise ValueError(t("retention.error_factor", value=factor))
    variants = _variants(scenario)
    runs = {}
    for name, variant in variants.items():
        runs[f"{name}|as_is"] = variant
        runs[f"{name}|fewer_leave"] = fewer_leave(variant, factor)
    kpis = compare(runs, replications, seed, workers=workers, progress=progress).kpis.set_index(
        ["scenario", "replication"]
    )
    values, rows = {}, []
    for name in variants:
        as_is, fewer = kpis.loc[f"{name}|as_is"], kpis.loc[f"{name}|fewer_leave"]
        values[name] = (fewer.profit - as_is.profit).to_numpy()
        value = _interval(values[name])
        gain = _interval(values[name] / as_is.profit.abs().to_numpy())
        rows.append(
            {
                "variant": name,
                "label": t(VARIANT_TEXT[name]),
                "profit": float(as_is.profit.mean()),
                "profit_fewer_leave": float(fewer.profit.mean()),
                **dict(zip(("value", "value_low", "value_high"), value)),
                **dict(zip(("gain", "gain_low", "gain_high"), gain)),
                "annual_churn_rate": float(as_is.annual_churn_rate.mean()),
                "annual_churn_rate_fewer_leave": float(fewer.annual_churn_rate.mean()),
                "replications": len(values[name]),
            }
        )
    whole = values["all"].mean()
    for row in rows:
        without = "none" if row["variant"] == "all" else row["variant"]
        share = (
            _interval((values["all"] - values[without]) / whole)
            if row["variant"] != "none"
            else [float("nan")] * 3
        )
        row.update(zip(("share", "share_low", "share_high"), share))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _interval(values) -> tuple[float, float, float]:
    return tuple(float(v[0]) for v in t_interval(values[:, None]))


__all__ = ["EFFECTS", "fewer_leave", "value_of_retention"]
