"""The message catalog: every text a learner reads, in one place.

Widgets, charts, the command line and error messages look their words up here
with :func:`t`, so a Chinese edition is a second catalog, not a rewrite.
Keys are stable identifiers; values are ``str.format`` templates.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        # --- market vocabulary -------------------------------------------------
        "motive.natural": "natural",
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
        "cli.presets_help": "List the shipped presets, or show one as YAML.",
        "cli.wrote": "Wrote {files} to {out}",
        "cli.summary_line": (
            "Focal firm: annual churn {churn:.1%}, motives natural {natural:.0%} / "
            "complaint {complaint:.0%} / competitor {competitor:.0%} / "
            "repositioned {repositioned:.0%}; top 20% bring {top20:.0%} of revenue; "
            "profit {profit:,.0f}."
        ),
        "cli.error": "error: {message}",
        # --- errors ------------------------------------------------------------
        "error.unknown_preset": "unknown preset '{name}'; allowed: {allowed}",
        "error.missing_file": "scenario file '{path}' does not exist",
        "error.not_a_file": "'{path}' is not a readable file",
        "error.bad_yaml": "scenario file '{path}' is not valid YAML: {problem}",
        "error.not_mapping": "scenario file '{path}' must hold a mapping of fields, got {kind}",
        "error.field": "{where}{field}: {value!s} is not allowed: {allowed}",
        "error.unknown_field": "{where}{field}: unknown field; allowed fields here: {allowed}",
        "error.missing_field": "{where}{field}: required field is missing",
        "error.cli_number": "{option}: {value} is not allowed: {allowed}",
        "error.focal_count": "firms: exactly one firm must have role 'focal', found {count}",
        "error.firm_count": "firms: {count} firms given; allowed: 2 to 4 (the focal firm and 1-3 competitors)",
        "error.firm_names": "firms: names must be unique, '{name}' appears twice",
        "error.event_firm": "events[{index}].firm: '{name}' is not allowed: must name one of the firms ({allowed})",
        "error.stage_order": (
            "life_cycle: silent_after_weeks < forgotten_after_weeks < lost_after_weeks is required, "
            "got {silent} / {forgotten} / {lost}"
        ),
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
