"""A self-contained HTML report: tables and interactive charts that open with no network.

The Vega/Vega-Lite/vega-embed JavaScript comes inline from the ``vl-convert-python``
package (the same bundle Altair uses for ``chart.save(..., inline=True)``), once per page,
so a trainer can e-mail the file or open it in a classroom without internet.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from simulation.charts import typeface
from simulation.messages import t, tn
from simulation.vocabulary import label


@dataclass
class Section:
    heading: str
    body: alt.TopLevelMixin | pd.DataFrame | str


def _javascript() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script, for the Vega-Lite version Altair writes
    (``alt.SCHEMA_VERSION``, e.g. ``v6.4.1``; vl-convert names it ``v6_4``)."""
    import vl_convert as vlc

    return vlc.javascript_bundle(vl_version="_".join(alt.SCHEMA_VERSION.split(".")[:2]))


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, border=0, classes="kpi", float_format=lambda v: f"{v:,.4g}", na_rep="–")


def html_report(title: str, sections: list[Section], intro: str = "") -> str:
    """The whole page as a string."""
    parts, scripts = [], []
    for k, section in enumerate(sections):
        parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        body = section.body
        if isinstance(body, pd.DataFrame):
            parts.append(_table(body))
        elif isinstance(body, str):
            parts.append(f"<p>{html.escape(body)}</p>")
        else:
            div = f"chart{k}"
            parts.append(f'<div id="{div}" class="chart"></div>')
            spec = json.dumps(body.to_dict(), ensure_ascii=False).replace("</", "<\\/")
            scripts.append(
                f"vegaEmbed('#{div}', {spec}, {{mode: 'vega-lite', actions: false}}).catch(console.error);"
            )
    style = (
        f"body{{font-family:system-ui,{typeface.FONT};margin:2rem auto;max-width:1100px;color:#222}}"
        "table.kpi{border-collapse:collapse;font-size:0.9rem}table.kpi td,table.kpi th{padding:3px 10px;"
        "border-bottom:1px solid #ddd;text-align:right}table.kpi th{background:#f4f4f4}.chart{margin:1rem 0}"
    )
    words = title + intro + "".join(parts) + "".join(scripts) + t("report.footer")
    style += typeface.font_face_css(words)  # Chinese text gets the glyphs it uses, embedded
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{style}</style>"
        f"<script type='text/javascript'>{_javascript()}</script></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(intro)}</p>{''.join(parts)}"
        f"<p><small>{html.escape(t('report.footer'))}</small></p>"
        f"<script type='text/javascript'>{''.join(scripts)}</script></body></html>\n"
    )


def save_report(path: str | Path, title: str, sections: list[Section], intro: str = "") -> Path:
    path = Path(path)
    path.write_text(html_report(title, sections, intro), encoding="utf-8")
    return path


HEADLINE_KPIS = ["annual_churn_rate", "profit", "revenue", "customers_end", "market_share_end", "trust_end"]


def _interval_table(summary: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """KPIs as rows, one column per scenario: "mean [low, high]"."""
    by = [by] if isinstance(by, str) else by
    cells = summary.assign(
        value=[
            f"{m:,.4g} [{lo:,.4g}, {hi:,.4g}]" if pd.notna(m) else "–"
            for m, lo, hi in zip(summary["mean"], summary["low"], summary["high"])
        ],
        measure=summary.kpi.map(label),
    )
    key = cells[by].astype(str).agg(" / ".join, axis=1) if len(by) > 1 else cells[by[0]].astype(str)
    table = cells.assign(column=key).pivot_table(
        index="measure", columns="column", values="value", aggfunc="first", sort=False
    )
    table.columns.name = None
    return table.reset_index().rename(columns={"measure": t("chart.kpi")})


def comparison_report(comparison, path: str | Path, *, seed: int, replications: int) -> Path:
    """report.html for a comparison: tables with intervals, KPI bars, weekly bands."""
    from simulation.charts.comparison import kpi_bars, lifetime_curves, weekly_bands
    from simulation.charts.flow import customer_flow

    names = list(comparison.scenarios)
    sections = [
        Section(t("report.summary"), _interval_table(comparison.summary, "scenario")),
        Section(t("chart.kpi_bars_title"), kpi_bars(comparison.summary, HEADLINE_KPIS)),
    ]
    differences = comparison.differences
    if len(differences):
        heading = t("report.differences", reference=comparison.reference)
        sections += [
            Section(heading, _interval_table(differences, "scenario")),
            Section(
                heading,
                kpi_bars(
                    differences,
                    HEADLINE_KPIS,
                    title=t("chart.diff_bars_title", reference=comparison.reference),
                ),
            ),
        ]
    for metric in ("customers", "profit", "market_share"):
        sections.append(
            Section(
                t("chart.weekly_band_title", metric=label(metric)),
                weekly_bands(comparison.focal_bands(metric)),
            )
        )
    sections.append(Section(t("chart.flow_title"), customer_flow(comparison.weekly, by="scenario")))
    curves = comparison.survival()
    if len(curves):
        sections.append(Section(t("chart.lifetimes_title"), lifetime_curves(curves)))
    intro = tn("report.intro", replications, replications=replications, seed=seed)
    return save_report(path, t("report.compare_title", names=", ".join(names)), sections, intro)


def sweep_report(result, path: str | Path, *, seed: int, replications: int) -> Path:
    """report.html for a sweep: a table with intervals and a sensitivity line per headline KPI."""
    from simulation.charts.comparison import sweep_line

    param = result.params[0]
    sections = [Section(t("report.summary"), _interval_table(result.summary, result.params))]
    if len(result.params) == 1:
        sections += [Section(label(k), sweep_line(result.summary, param, k)) for k in HEADLINE_KPIS]
    intro = tn("report.intro", replications, replications=replications, seed=seed)
    return save_report(path, t("report.sweep_title", param=" x ".join(result.params)), sections, intro)
