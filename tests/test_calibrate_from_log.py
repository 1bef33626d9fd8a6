"""Starting from your own customers: a scenario calibrated to CDNOW, and its holdout forecast set
beside BG/NBD's on the same split (calibrate on weeks 1-39, compare weeks 40-78)."""

from __future__ import annotations

import pytest

from simulation.data import load_cdnow
from simulation.data.calibrate import holdout, scenario_from_log


def test_the_calibrated_market_holds_the_logs_customers():
    tx = load_cdnow()
    scenario, fit = scenario_from_log(tx, "1997-09-30", weeks=78)
    assert scenario.customers.count == 23_570
    assert scenario.firms[scenario.focal_index].initial_share == 1.0 and scenario.customers.initial_unattached_share == 0
    assert scenario.customers.purchase_rate_median == pytest.approx(fit.r / fit.alpha, rel=1.0)  # the same order
    assert 10 < scenario.customers.basket_median < 40  # CDNOW: a CD or two, $10-30


def test_cdnow_holdout_error_of_the_simulation_beside_bgnbd():
    result = holdout(load_cdnow(), "1997-01-01", 39, 78, seed=1)
    sim, bg = result["simulation_error"], result["bgnbd_error"]
    assert result["weekly"].shape == (78, 3)
    assert sim["cumulative_mape"] < 0.25 and bg["cumulative_mape"] < 0.2
