"""The three labs on one base (``simulation.labs.lab.PolicyLab``): their cards show what the
simulation gives for the same settings (computed here from warm-started runs and the metrics,
not from the labs), the controls reach the scenario, the shelf compares, and the shared
statistics (mean and interval of one array, paired differences) are the ones the cards use."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from simulation import load_preset
from simulation.experiment.tasks import flat_kpis
from simulation.experiment.warm import WarmStart
from simulation.labs.panel import fmt
from simulation.messages import t
from simulation.metrics import loyalty
from simulation.metrics.outputs import summary, weekly_frame
from simulation.statistics.intervals import mean_interval, t_interval

SIZE = {"customers": 800, "replications": 2, "seed": 0}
CARD = re.compile(
    r'<div class="rl-kpi(?: rl-(\w+))?"><div class="rl-label">(.*?)</div><div class="rl-value">(.*?)</div><div class="rl-interval">(.*?)</div></div>'
)


# --- what the cards should say, from the simulation directly ---------------------------------
def shown(lab) -> list[tuple[str, str, str, str]]:
    """The cards on screen: (label, value, interval, tone)."""
    return [
        (html.unescape(label), html.unescape(value), html.unescape(interval), tone)
        for tone, label, value, interval in CARD.findall(lab.cards.widget.value)
    ]


def expected(label: str, values, kind: str = "number", gain: bool = False) -> tuple[str, str, str, str]:
    """A card as the labs drew it before they shared a base: mean, 95% t-interval over
    replications (hidden when it collapses), a paired gain green above zero and red below."""
    mean, low, high = (float(v[0]) for v in t_interval(np.asarray(values, dtype=float)[:, None]))
    interval = (
        t("lab.interval", low=fmt(low, kind), high=fmt(high, kind)) if low == low and low != high else ""
    )
    tone = ("good" if low > 0 else "bad" if high < 0 else "") if gain else ""
    return label, fmt(mean, kind), interval, tone


def finished(warm: WarmStart, scenario) -> list[dict]:
    """Replications of ``scenario`` from the burned-in markets: KPIs, weekly frame, the model."""
    runs = []
    for model in warm.run(scenario):
        weekly = weekly_frame(model)
        runs.append({"kpis": flat_kpis(summary(model, weekly)), "weekly": weekly, "model": model})
    return runs


def column(runs: list[dict], key: str) -> np.ndarray:
    return np.array([r["kpis"].get(key, np.nan) for r in runs], dtype=float)


def profit_gain(runs: list[dict], against: list[dict]) -> np.ndarray:
    return np.array([r["kpis"]["profit"] - b["kpis"]["profit"] for r, b in zip(runs, against)])


@pytest.fixture(scope="module")
def base():
    return load_preset("baseline").with_changes({"customers.count": SIZE["customers"]})


@pytest.fixture(scope="module")
def warm(base):
    return WarmStart(base, SIZE["replications"], SIZE["seed"])


# --- Win-back Lab --------------------------------------------------------------------------------
WINBACK_CARDS = (
    ("winback_win_back_rate", "percent"),
    ("winback_won_back", "number"),
    ("winback_cost_per_win_back", "money"),
    ("winback_program_cost", "money"),
    ("winback_rechurn_26w_rate", "percent"),
    ("winback_roi", "ratio"),
)


def winback_cards(warm, scenario, baseline) -> list[tuple]:
    runs = finished(warm, scenario)
    cards = [expected(t(f"winback_lab.kpi.{key}"), column(runs, key), kind) for key, kind in WINBACK_CARDS]
    return cards + [
        expected(t("winback_lab.kpi.profit_gain"), profit_gain(runs, baseline), "money", gain=True)
    ]


def test_winback_lab_cards_are_the_simulations_and_the_discount_depth_reaches_the_scenario(
    base, warm, tmp_path
):
    from simulation.labs import WinbackLab

    baseline = finished(warm, base)
    lab = WinbackLab(save_folder=tmp_path, **SIZE)
    assert shown(lab) == winback_cards(warm, lab.scenario(), baseline)
    assert shown(lab)[-1][2]  # the profit against doing nothing has an interval

    lab.switch["rule6_mix"].value = True
    before = lab.cards.widget.value
    assert lab.scenario().firms[0].winback.rule6_mix.discount_depth == pytest.approx(0.15)
    lab.depth.value = 0.45
    assert lab.scenario().firms[0].winback.rule6_mix.enabled
    assert lab.scenario().firms[0].winback.rule6_mix.discount_depth == pytest.approx(0.45)
    assert lab.cards.widget.value != before
    assert shown(lab) == winback_cards(warm, lab.scenario(), baseline)
    assert [r["kpis"] for r in lab.last] == [r["kpis"] for r in finished(warm, lab.scenario())]


def test_winback_lab_compares_saved_scenarios_and_draws_their_profit_against_doing_nothing(
    base, warm, tmp_path
):
    from simulation.labs import WinbackLab

    lab = WinbackLab(save_folder=tmp_path, **SIZE)
    for name, rule in (("value only", None), ("with after-care", "rule7_aftercare")):
        if rule:
            lab.switch[rule].value = True
        lab.shelf.name.value = name
        lab.shelf.save()
    lab.shelf.compare_button.click()
    assert "value only" in str(lab.comparison.chart.to_dict()) and "with after-care" in str(
        lab.comparison.chart.to_dict()
    )
    baseline = finished(warm, base)
    for name, scenario in lab.shelf.saved.items():
        assert lab.saved_results[name]["gain"] == pytest.approx(
            mean_interval(profit_gain(finished(warm, scenario), baseline))
        )
    profit = str(lab.profit.chart.to_dict())
    assert (
        "value only" in profit and "with after-care" in profit and t("winback_lab.this_programme") in profit
    )


# --- Loyalty Lab ---------------------------------------------------------------------------------
def test_loyalty_lab_cards_are_the_simulations(base, warm, tmp_path):
    from simulation.labs import LoyaltyLab

    lab = LoyaltyLab(save_folder=tmp_path, **SIZE)
    lab.switch["referral"].value = True
    runs, baseline = finished(warm, lab.scenario()), finished(warm, base)
    focal = [loyalty.focal_rows(r["weekly"]) for r in runs]
    per_week = loyalty.tactic_cost_per_week([r["kpis"] for r in runs], base.run.weeks).mean()
    budget = float(lab.budget.value)
    relationships = pd.concat([r["model"].relationships() for r in runs], ignore_index=True)
    kept = loyalty.kept_by(relationships, base.firms[base.focal_index].name)
    spend = loyalty.spend_by(relationships, base.firms[base.focal_index].name)
    note = t("loyalty.over_budget" if per_week > budget else "loyalty.of_budget", budget=fmt(budget, "money"))
    assert shown(lab) == [
        expected(t("loyalty.kpi.profit_gain"), profit_gain(runs, baseline), "money", gain=True),
        expected(t("loyalty.kpi.churn"), column(runs, "annual_churn_rate"), "percent"),
        (t("loyalty.kpi.cost_per_week"), fmt(per_week, "money"), note, "bad" if per_week > budget else ""),
        expected(t("loyalty.kpi.referral_sales"), [f.referral_sales.sum() for f in focal]),
        (
            t("loyalty.kpi.referred_kept"),
            fmt(kept["came"], "percent"),
            t("loyalty.others_kept", share=fmt(kept["others"], "percent")),
            "",
        ),
        (
            t("loyalty.kpi.referred_spend"),
            fmt(spend["came"]),
            t("loyalty.others_spend", amount=fmt(spend["others"])),
            "",
        ),
        expected(t("loyalty.kpi.loyal_share"), column(runs, "loyal_share_end"), "percent"),
        expected(t("loyalty.kpi.blocked"), [f.blocked.sum() for f in focal]),
        expected(t("loyalty.kpi.top20"), column(runs, "top20_revenue_share"), "percent"),
    ]
    lab.shelf.name.value = "referrals"
    lab.shelf.save()
    lab.compare(dict(lab.shelf.saved))  # one saved scenario: the button needs two
    assert lab.saved_results["referrals"]["gain"] == pytest.approx(mean_interval(profit_gain(runs, baseline)))


# --- Price-War Lab -------------------------------------------------------------------------------
def test_price_war_lab_cards_are_the_simulations_against_holding_the_price(warm, tmp_path):
    from simulation.labs import PriceWarLab
    from simulation.labs.price_war_lab import attacker, hold_version
    from simulation.metrics.price_war import replication_kpis, war_window

    lab = PriceWarLab(save_folder=tmp_path, **SIZE)
    lab.response.value = "retention_offers"
    scenario = lab.scenario()
    assert scenario.firms[scenario.focal_index].tactics.retention_offers.enabled
    runs, hold = finished(warm, scenario), finished(warm, hold_version(scenario))
    weekly = pd.concat([r["weekly"].assign(replication=k) for k, r in enumerate(runs)], ignore_index=True)
    kpis = replication_kpis(weekly, war_window(scenario))
    mine = kpis[kpis.role == "focal"].sort_values("replication")
    rival = kpis[kpis.firm == attacker(scenario)].sort_values("replication")
    assert shown(lab) == [
        expected(t("war.kpi.profit_vs_hold"), profit_gain(runs, hold), "money", gain=True),
        expected(t("war.kpi.share_end_of_war"), mine.share_end_of_war, "percent"),
        expected(t("war.kpi.share_last_weeks"), mine.share_end, "percent"),
        expected(t("war.kpi.deal_seekers_war"), mine.deal_seeker_share_during, "percent"),
        expected(t("war.kpi.reference_price_war"), mine.reference_price_during, "ratio"),
        expected(t("war.kpi.rival_profit", rival=attacker(scenario)), rival.profit, "money"),
    ]
    assert shown(lab)[0][1] != fmt(0.0, "money")  # an answer that changes profit


# --- the shelf's files ---------------------------------------------------------------------------


def _shelf(folder):
    from simulation.labs.panel import Shelf

    shelf = Shelf(folder, lambda saved: None)
    shelf.current = lambda: load_preset("baseline")
    return shelf


def _save(shelf, name: str) -> str:
    shelf.name.value = name
    shelf.save()
    return html.unescape(shelf.status.value)


def test_the_shelf_never_overwrites_another_saved_scenario_or_a_users_file(tmp_path):
    from simulation.config import load_scenario

    (tmp_path / "baseline.yaml").write_text("# my own notes\n")
    shelf = _shelf(tmp_path)
    _save(shelf, "My plan")
    said = _save(shelf, "My_plan")  # the same file name as "My plan"
    assert "My_plan (2)" in said and set(shelf.saved) == {"My plan", "My_plan (2)"}
    said = _save(shelf, "baseline")
    assert "baseline (2)" in said and "baseline" not in shelf.saved
    assert (tmp_path / "baseline.yaml").read_text() == "# my own notes\n"
    for name in shelf.saved:  # every saved scenario has its own file, holding it
        assert load_scenario(shelf.files[name][0]).name == name
    assert len({path for path, _ in shelf.files.values()}) == 3


def test_the_shelf_does_not_reuse_a_default_name_after_clear_or_a_restart(tmp_path):
    first = _shelf(tmp_path)
    _save(first, "")
    assert set(first.saved) == {t("lab.default_name", number=1)}
    written = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    first.clear()
    _save(first, "")
    restarted = _shelf(tmp_path)
    _save(restarted, "")
    for name, content in written.items():
        assert (tmp_path / name).read_bytes() == content
    assert len(list(tmp_path.glob("*.yaml"))) == 3


def test_saving_a_name_again_updates_its_own_file_but_not_once_the_user_edited_it(tmp_path):
    from simulation.config import load_scenario

    shelf = _shelf(tmp_path)
    _save(shelf, "Mine")
    path = shelf.files["Mine"][0]
    shelf.current = lambda: load_preset("baseline").with_changes({"customers.count": 1234})
    _save(shelf, "Mine")
    assert list(shelf.saved) == ["Mine"] and load_scenario(path).customers.count == 1234
    path.write_text(path.read_text() + "# my edit\n")
    _save(shelf, "Mine")
    assert path.read_text().endswith("# my edit\n") and "Mine (2)" in shelf.saved


@pytest.mark.parametrize("problem", ["long name", "folder is a file", "cannot write"])
def test_what_the_shelf_cannot_save_is_said_in_the_panel_and_not_listed(tmp_path, monkeypatch, problem):
    from simulation.labs import panel

    folder, name = tmp_path / "shelf", "a plan"
    if problem == "long name":
        name = "x" * 81
    elif problem == "folder is a file":
        folder.write_text("not a folder")
    else:

        def refuse(scenario, path, **_):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(panel, "save_scenario", refuse)
    shelf = _shelf(folder)
    shelf.name.value = name
    shelf.save()  # never raises inside the button callback
    assert "rl-error" in shelf.status.value and "is not saved" in html.unescape(shelf.status.value)
    assert shelf.saved == {} and shelf.compare_button.disabled
    assert problem != "cannot write" or str(folder) in html.unescape(shelf.status.value)


def test_save_scenario_writes_through_a_temporary_file_and_can_refuse_to_replace(tmp_path, monkeypatch):
    import os

    from simulation.config import load_scenario, save_scenario

    path = save_scenario(load_preset("baseline"), tmp_path / "a.yaml")
    before = path.read_bytes()
    monkeypatch.setattr(
        os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left on device"))
    )
    with pytest.raises(OSError):
        save_scenario(load_preset("baseline").with_changes({"name": "other"}), path)
    monkeypatch.undo()
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
    with pytest.raises(FileExistsError):
        save_scenario(load_preset("baseline"), path, replace=False)
    assert load_scenario(path).name == load_preset("baseline").name


# --- the charts on screen -----------------------------------------------------------------------
@pytest.mark.parametrize("which", ["winback", "loyalty", "price_war"])
def test_every_chart_a_lab_draws_is_valid_vega_lite_and_is_the_one_on_screen(which):
    """A redraw sends its chart to the widget unvalidated (``ChartSlot.show``: validation costs as
    long as making the chart): so each chart every lab draws, after a control change too, is checked
    against Vega-Lite's schema here, and the widget must show exactly that chart."""
    from simulation.labs.loyalty_lab import LoyaltyLab
    from simulation.labs.panel import ChartSlot
    from simulation.labs.price_war_lab import PriceWarLab
    from simulation.labs.winback_lab import WinbackLab

    lab_class, change = {
        "winback": (WinbackLab, lambda lab: setattr(lab.switch["rule6_mix"], "value", True)),
        "loyalty": (LoyaltyLab, lambda lab: setattr(lab.switch["referral"], "value", True)),
        "price_war": (PriceWarLab, lambda lab: setattr(lab.response, "value", "match")),
    }[which]
    lab = lab_class(customers=400, replications=2, seed=0, save_folder="unused")
    for redraw in (False, True):
        if redraw:
            change(lab)
        slots = [v for v in vars(lab).values() if isinstance(v, ChartSlot)]
        drawn = [s for s in slots if "datasets" in (s._chart.spec or {})]  # not the empty placeholders
        assert len(drawn) >= 3, which
        for slot in drawn:
            assert slot.chart.to_dict() == slot._chart.spec  # to_dict() validates: it raises if invalid


def test_the_offline_chart_javascript_is_bundled_once_and_read_back_from_the_cache(tmp_path, monkeypatch):
    """Bundling Vega's JavaScript for offline charts takes a second or more: the first kernel
    saves the bundle, later ones read it (``charts.offline.offline_charts``), and get the same."""
    import altair as alt
    import vl_convert

    from simulation.charts.offline import offline_charts

    monkeypatch.setenv("RETENTION_LAB_CACHE", str(tmp_path))
    monkeypatch.setattr(alt.JupyterChart, "_is_offline", False)
    monkeypatch.setattr(alt.JupyterChart, "_esm", alt.JupyterChart._esm)
    offline_charts()
    built = alt.JupyterChart._esm
    assert alt.JupyterChart._is_offline and "vega" in built.lower()
    (saved,) = tmp_path.glob("jupyter-chart-*.js")
    assert saved.read_text(encoding="utf-8") == built

    def not_again(*args, **kwargs):
        raise AssertionError("the bundle was built again")

    monkeypatch.setattr(vl_convert, "javascript_bundle", not_again)
    monkeypatch.setattr(alt.JupyterChart, "_is_offline", False)
    alt.JupyterChart._esm = ""
    offline_charts()
    assert alt.JupyterChart._is_offline and alt.JupyterChart._esm == built
