"""What retention is worth, with and without a long relationship's economics
(``experiment.retention``; ``engine.tenure``)."""

from __future__ import annotations

import pytest

from simulation.charts import to_svg
from simulation.charts.retention import retention_chart, retention_table
from simulation.experiment.retention import EFFECTS, fewer_leave, value_of_retention
from simulation.messages import set_language, t
from tests.conftest import market


@pytest.fixture(scope="module")
def table():
    """A market where only the share of wallet grows with tenure, and strongly."""
    only_wallet = {
        "relationship.wallet_growth": 1.5,
        "relationship.serve_cost_drop": 0.0,
        "relationship.price_sensitivity_drop": 0.0,
        "relationship.referral_growth": 0.0,
    }
    return value_of_retention(
        market(count=3000, weeks=104, burn_in=26, **only_wallet), replications=4, progress=False
    )


def test_fewer_leave_is_the_focal_firms_leaving_factor_and_nothing_else():
    base = market()
    half = fewer_leave(base, 0.5)
    assert [f.leaving_factor for f in half.firms] == [
        0.5 if i == base.focal_index else 1.0 for i in range(len(base.firms))
    ]
    assert half.with_changes({f"firms.{base.focal_index}.leaving_factor": 1.0}) == base


def test_halving_every_reason_to_leave_halves_the_focal_firms_churn_and_pays_more_when_old_customers_buy_more(
    table,
):
    assert list(table.variant) == ["all", *EFFECTS, "none"]
    ratio = table.annual_churn_rate_fewer_leave / table.annual_churn_rate
    assert ratio.between(0.35, 0.65).all()  # churn did halve, near enough
    assert (table.value_low > 0).all() and (table.gain_low > 0).all()  # keeping customers pays
    by = table.set_index("variant")
    # an old customer buys more, so keeping customers longer is worth more
    assert by.loc["all", "value"] > 1.05 * by.loc["none", "value"]
    whole = by.loc["all", "value"]
    assert by.loc["all", "share"] == pytest.approx((whole - by.loc["none", "value"]) / whole)
    assert by.loc["wallet_growth", "share"] == pytest.approx(by.loc["all", "share"])
    assert by.loc["wallet_growth", "share_low"] > 0.05
    # switching off an effect that is already off changes nothing: the same runs, the same luck
    for effect in ("serve_cost_drop", "price_sensitivity_drop", "referral_growth"):
        assert by.loc[effect, "share"] == 0.0 and by.loc[effect, "profit"] == by.loc["all", "profit"]


def test_the_value_of_retention_reads_as_a_table_and_a_chart_in_both_languages(table):
    readable = retention_table(table)
    assert list(readable.index) == [
        t(f"retention.variant_{'without_' if v in EFFECTS else ''}{v}") for v in table.variant
    ]
    assert readable.iloc[0, 0].endswith("%") and readable.iloc[-1, -1] == ""  # no share for "none"
    assert t("retention.chart_title") in to_svg(retention_chart(table))
    try:
        set_language("zh_CN")
        svg = to_svg(
            retention_chart(
                table.assign(
                    label=[
                        t(f"retention.variant_{v}")
                        if v in ("all", "none")
                        else t(f"retention.variant_without_{v}")
                        for v in table.variant
                    ]
                )
            )
        )
        assert "你的客户离开的所有原因都减半时的利润增长" in svg
    finally:
        set_language("en")


def test_a_factor_outside_0_to_1_gets_one_clear_message():
    with pytest.raises(ValueError, match=r"factor: 1\.5 is not allowed; allowed: .*from 0 to 1"):
        value_of_retention(market(count=100, weeks=4), replications=1, factor=1.5, progress=False)
