"""The message catalog: every text a learner reads, in one place.

Widgets, charts, the command line and error messages look their words up here
with :func:`t`, so a Chinese edition is a second catalog, not a rewrite.
Keys are stable identifiers; values are ``str.format`` templates.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        # --- market vocabulary -------------------------------------------------
        "motive.natural_moved": "natural: moved / need ended",
        "motive.natural_drifted": "natural: drifted away",
        "motive.complaint": "complaint not handled",
        "motive.competitor": "lured by a competitor",
        "motive.repositioned": "dropped by the firm",
        "stage.active": "active",
        "stage.silent": "silent",
        "stage.forgotten": "forgotten",
        "stage.lost": "lost",
        "stage.never": "never bought",
        "supplier.none": "none",
        "persona.rational": "rational",
        "persona.emotional": "emotional",
        # --- customer story ----------------------------------------------------
        "story.purchase": "bought from {firm} for {paid:.2f}",
        "story.switched_in": "became a customer of {firm}",
        "story.failure": "had a service failure",
        "story.complaint": "complained",
        "story.resolved": "complaint resolved",
        "story.referred": "was referred by a satisfied customer of {firm}",
        "story.loyal": "trust passed the loyalty threshold",
        "story.left": "left {firm} ({motive})",
        "story.dropped": "was dropped by {firm}",
        "story.arrived": "moved into the market",
        # --- charts --------------------------------------------------------------
        "chart.week": "Week",
        "chart.customers": "Customers",
        "chart.profit": "Profit per week",
        "chart.firm": "Firm",
        "chart.tour_customers_title": "Customers of each firm, week by week",
        "chart.tour_profit_title": "Weekly profit of each firm",
        # --- command line ------------------------------------------------------
        "cli.description": "Retention Lab: simulate a market of customers, churn and win-back.",
        "cli.run_help": "Run one scenario and write summary.json, weekly.csv and customers.csv.",
        "cli.compare_help": "Compare scenarios over replications; write comparison.csv, comparison_summary.csv and report.html.",
        "cli.sweep_help": "Vary one or two parameters over values; write sweep.csv, sweep_summary.csv and report.html.",
        "cli.presets_help": "List the shipped presets, or show one as YAML.",
        "cli.wrote": "Wrote {files} to {out}",
        "cli.summary_line": (
            "Focal firm: annual churn {churn:.1%}, motives natural {natural:.0%} / "
            "complaint {complaint:.0%} / competitor {competitor:.0%} / "
            "repositioned {repositioned:.0%}; top 20% bring {top20:.0%} of revenue; "
            "profit {profit:,.0f}."
        ),
        "cli.error": "error: {message}",
        # --- comparison charts, labels of KPIs and weekly metrics ------------------
        "chart.scenario": "Scenario",
        "chart.kpi": "Measure",
        "chart.mean": "Mean",
        "chart.low": "95% interval from",
        "chart.high": "95% interval to",
        "chart.replications": "Replications",
        "chart.point": "Grid point",
        "chart.mean_with_interval": "Mean (95% interval)",
        "chart.kpi_bars_title": "Each scenario's result, with its 95% interval over replications",
        "chart.diff_bars_title": "Difference to {reference}, with its 95% interval",
        "chart.weekly_band_title": "{metric}, week by week (band: 95% interval)",
        "chart.sweep_title": "{kpi} as {param} changes (band: 95% interval)",
        "report.compare_title": "Retention Lab: comparison of {names}",
        "report.sweep_title": "Retention Lab: sweep of {param}",
        "report.intro": "{replications} replications per scenario, seed {seed}; intervals are 95% intervals of the mean over replications.",
        "report.summary": "Results per scenario",
        "report.differences": "Difference to {reference} (paired by replication)",
        "report.footer": "Made with Retention Lab. Opens offline: all charts are inside this file.",
        "label.annual_churn_rate": "Annual churn rate",
        "label.churn_share_natural": "Share of losses: natural",
        "label.churn_share_complaint": "Share of losses: complaint",
        "label.churn_share_competitor": "Share of losses: competitor",
        "label.churn_share_repositioned": "Share of losses: repositioned",
        "label.top20_revenue_share": "Revenue share of the top 20%",
        "label.active_customers_end": "Active customers at the end",
        "label.customers_end": "Customers at the end",
        "label.average_customers": "Average customers",
        "label.market_share_end": "Market share at the end",
        "label.revenue": "Revenue",
        "label.profit": "Profit",
        "label.acquisitions": "New customers",
        "label.acquisition_conversion": "Prospects converted by acquisition",
        "label.cost_per_acquisition": "Cost per acquired customer",
        "label.retention_cost_per_customer_year": "Retention cost per customer-year",
        "label.satisfaction_end": "Satisfaction at the end",
        "label.trust_end": "Trust at the end",
        "label.loyal_share_end": "Loyal share at the end",
        "label.costs_cost_of_goods": "Cost of goods",
        "label.costs_acquisition_cost": "Acquisition spend",
        "label.costs_retention_cost": "Retention spend",
        "label.costs_winback_cost": "Win-back spend",
        "label.costs_reward_cost": "Rewards paid",
        "label.costs_fixed_cost": "Fixed costs",
        "label.customers": "Customers",
        "label.active": "Active customers",
        "label.market_share": "Market share",
        "label.satisfaction": "Satisfaction",
        "label.trust": "Trust",
        "label.price": "Price index",
        "label.reference_price": "Reference price",
        "label.deal_seeker_share": "Deal-seeker share",
        "label.defections": "Customers lost",
        # --- labs (shared) --------------------------------------------------------
        "lab.save_name": "Name",
        "lab.save_name_placeholder": "e.g. Rules 1-3",
        "lab.save": "Save this scenario",
        "lab.compare": "Compare saved",
        "lab.clear": "Clear saved",
        "lab.scenario": "Scenario",
        "lab.saved": "Saved '{name}' ({count} of {limit}) to {path}",
        "lab.shelf_full": "You can compare up to {limit} saved scenarios: clear the shelf first.",
        "lab.cleared": "The shelf is empty.",
        "lab.compare_heading": "Save and compare",
        "lab.interval": "95% interval {low} to {high}",
        "lab.response_time": "Updated in {seconds:.1f} s ({replications} replications)",
        "lifetime.first": "first lifetime",
        "lifetime.second": "second lifetime (came back)",
        "motive.not_lost": "never left (slow buyer)",
        "funnel.lost": "lost (as the CRM sees it)",
        "funnel.targeted": "targeted",
        "funnel.contacted": "contacted",
        "funnel.won_back": "won back",
        "funnel.still_active_26w": "still customers 26 weeks later",
        "chart.stage": "Stage",
        "chart.customers_per_run": "Customers (mean per run)",
        "chart.funnel_title": "The lost-customer funnel",
        "chart.sltv_class": "SLTV class",
        "chart.motive": "Why they left (the truth)",
        "chart.motive_class_title": "Lost customers by reason and SLTV class",
        "chart.won_back_per_week": "Won back per week",
        "chart.won_back_title": "Customers won back, week by week",
        "chart.weeks_since_start": "Weeks since the relationship began",
        "chart.lifetime": "Lifetime",
        "chart.still_customers": "Still customers",
        "chart.survival_title": "Second lifetimes: how long won-back customers stay",
        "chart.profit_difference": "Profit minus doing nothing (104 weeks)",
        "chart.profit_vs_baseline_title": "Profit against doing nothing (95% interval)",
        # --- the Win-back Lab -----------------------------------------------------
        "winback_lab.title": "Win-back Lab: the eight golden rules of winning back lost customers",
        "winback_lab.rules_heading": "Switch the rules on one by one",
        "winback_lab.this_programme": "This programme",
        "winback_lab.rule1_value": "1. Value lost customers: invite them back",
        "winback_lab.rule1_value_hint": "A weekly budget for invitations and offers. Without it there is no programme.",
        "winback_lab.rule2_team": "2. A win-back team",
        "winback_lab.rule2_team_hint": "A weekly cost; complaints solved faster, root causes fixed, offers coordinated.",
        "winback_lab.rule3_early": "3. Find them early",
        "winback_lab.rule3_early_hint": "Surveys after each purchase cycle and recency alerts instead of waiting 26 weeks.",
        "winback_lab.rule4_segment": "4. Classify and segment",
        "winback_lab.rule4_segment_hint": "Pursue only the SLTV classes chosen below, and only the reasons worth pursuing.",
        "winback_lab.rule5_needs": "5. Learn their needs first",
        "winback_lab.rule5_needs_hint": "A contact before the offer: the real reason, and who moved away or never left.",
        "winback_lab.rule6_mix": "6. Match the offer to the reason",
        "winback_lab.rule6_mix_hint": "Apology and the fix for complaints, a discount for price leavers, a personal touch for drifters.",
        "winback_lab.rule7_aftercare": "7. After-care for those who come back",
        "winback_lab.rule7_aftercare_hint": "Follow-up contacts and small gifts in the unstable weeks after returning.",
        "winback_lab.rule8_pilot": "8. Pilot with a holdout first",
        "winback_lab.rule8_pilot_hint": "Try it on part of the lost customers, keep some as a control, roll out if it works.",
        "winback_lab.budget": "Budget per week",
        "winback_lab.alert_after": "Alert after (purchase cycles)",
        "winback_lab.classes": "Pursue classes",
        "winback_lab.classes_A": "A only (top 10%)",
        "winback_lab.classes_AB": "A and B (top 30%)",
        "winback_lab.classes_ABC": "A, B and C (top 60%)",
        "winback_lab.classes_ABCD": "everyone",
        "winback_lab.discount": "Discount depth",
        "winback_lab.staged": "Staged discount (three steps)",
        "winback_lab.aftercare_weeks": "After-care weeks",
        "winback_lab.pilot_share": "Share in the pilot",
        "winback_lab.kpi.winback_win_back_rate": "Win-back rate (truly lost)",
        "winback_lab.kpi.winback_won_back": "Won back",
        "winback_lab.kpi.winback_cost_per_win_back": "Cost per win-back",
        "winback_lab.kpi.winback_program_cost": "Programme cost",
        "winback_lab.kpi.winback_rechurn_26w_rate": "Left again within 26 weeks",
        "winback_lab.kpi.winback_roi": "Return on the programme",
        "winback_lab.kpi.profit_gain": "Profit vs doing nothing",
        "winback_lab.compare_title": "Saved scenarios side by side (95% intervals)",
        "label.profit_gain": "Profit vs doing nothing",
        "label.winback_win_back_rate": "Win-back rate (truly lost)",
        "label.winback_won_back": "Won back",
        "label.winback_program_cost": "Programme cost",
        "label.winback_cost_per_win_back": "Cost per win-back",
        "label.winback_roi": "Return on the programme",
        # --- customer flow -------------------------------------------------------
        "flow.start": "customers at the start",
        "flow.new": "+ new customers",
        "flow.returned": "+ came back",
        "flow.natural_moved": "- moved / need ended",
        "flow.natural_drifted": "- drifted away",
        "flow.complaint": "- complaint not handled",
        "flow.competitor": "- lured by a competitor",
        "flow.repositioned": "- dropped by the firm",
        "flow.end": "customers at the end",
        "chart.flow_title": "Where your customers came from and why they left",
        "chart.lifetimes_title": "How long relationships last: first and second lifetimes (Kaplan-Meier, 95% band)",
        # --- lesson charts --------------------------------------------------------
        "lesson.simulated": "simulated (your firm)",
        "lesson.griffin": "Griffin (seed 000)",
        "lesson.source": "Source",
        "lesson.share_of_losses": "Share of customers lost",
        "lesson.motives_title": "Why customers leave: the simulation against Griffin's 68 / 14 / 9 / 9",
        "lesson.stage": "CRM stage",
        "lesson.stages_title": "Your firm's customers by life-cycle stage (seed 004: lost after 180 days)",
        "lesson.with_you": "still your customer",
        "lesson.with_rival": "with a rival",
        "lesson.with_nobody": "with no one",
        "lesson.truth": "The truth",
        "lesson.crm_says": "What your CRM says",
        "lesson.crm_title": "Your CRM against the truth (end of the run)",
        "motive.natural": "natural (no particular reason)",
        # --- errors ------------------------------------------------------------
        "error.unknown_preset": "unknown preset '{name}'; allowed: {allowed}",
        "error.missing_file": "scenario file '{path}' does not exist",
        "error.not_a_file": "'{path}' is not a readable file",
        "error.bad_yaml": "scenario file '{path}' is not valid YAML: {problem}",
        "error.not_mapping": "scenario file '{path}' must hold a mapping of fields, got {kind}",
        "error.field": "{where}{field}: {value!s} is not allowed: {allowed}",
        "error.unknown_field": "{where}{field}: unknown field; allowed fields here: {allowed}",
        "error.missing_field": "{where}{field}: required field is missing",
        "error.path": "{path}: not a field of the scenario; allowed at {where}: {allowed}",
        "error.cli_number": "{option}: {value} is not allowed: {allowed}",
        "error.focal_count": "firms: exactly one firm must have role 'focal', found {count}",
        "error.firm_count": "firms: {count} firms given; allowed: 2 to 4 (the focal firm and 1-3 competitors)",
        "error.firm_names": "firms: names must be unique, '{name}' appears twice",
        "error.event_firm": "events[{index}].firm: '{name}' is not allowed: must name one of the firms ({allowed})",
        "error.stage_order": (
            "life_cycle: silent_after_weeks < forgotten_after_weeks < lost_after_weeks is required, "
            "got {silent} / {forgotten} / {lost}"
        ),
        # --- charts and KPI text (tour) ------------------------------------------
        "chart.tour_title": "Your market, week by week",
        "chart.tour_subtitle": "The reported weeks after the burn-in. Hover a week to read each firm's numbers.",
        "error.chart_columns": "weekly: the columns {missing} are missing; these charts need {needed} (pass result.weekly)",
        "kpi.heading": "Your firm in scenario '{scenario}', {weeks} weeks, seed {seed}",
        "kpi.churn": "Annual churn: {churn:.1%} of its customers a year (most firms lose 20-40%)",
        "kpi.lost": "Customers who left: {total:,.0f}, for these reasons:",
        "kpi.motive": "Why they left",
        "kpi.this_run": "This run",
        "kpi.griffin": "Griffin (seed 000)",
        "kpi.top20": "The top 20% of customers bring {share:.0%} of revenue (the 80/20 rule: 60-80%)",
        "kpi.profit": "Profit over the {weeks} weeks: {profit:,.0f}",
    }
}

_language = "en"


def set_language(code: str) -> None:
    """Switch the catalog used by :func:`t` (only ``en`` ships today)."""
    global _language
    if code not in CATALOG:
        raise ValueError(f"language '{code}' is not available; allowed: {', '.join(CATALOG)}")
    _language = code


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the current language, filled with ``values``."""
    template = CATALOG[_language].get(key) or CATALOG["en"][key]
    return template.format(**values) if values else template


def label(key: str) -> str:
    """A readable label for a KPI, metric or parameter path; falls back to the key itself."""
    text = CATALOG[_language].get(f"label.{key}") or CATALOG["en"].get(f"label.{key}")
    return text if text else key.replace("_", " ").capitalize()
