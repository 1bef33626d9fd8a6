"""Charts that work in a classroom without internet.

Altair's default renderer asks a CDN for the Vega JavaScript; with no network a learner sees
only an error. Here the JavaScript comes from the ``vl-convert-python`` package instead:

- :func:`enable_offline` — interactive charts in JupyterLab and Voilà: every chart a cell shows
  becomes an ``alt.JupyterChart`` widget (anywidget) whose Vega code is bundled locally;
- :func:`to_svg` — a static picture (for slides, or where widgets do not run);
- :func:`save_html` — one self-contained HTML file a trainer can e-mail.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import altair as alt

from simulation.charts import typeface


def enable_offline() -> None:
    """Show every chart in this kernel as an interactive widget that needs no internet.

    Two switches, both needed: the ``jupyter`` renderer with ``offline=True`` wraps each chart a
    cell displays in a ``JupyterChart`` (and would otherwise switch it back to the CDN), and
    ``JupyterChart.enable_offline()`` gives charts made explicitly with ``alt.JupyterChart(...)``
    the locally bundled JavaScript as well. The first call takes a second or two (the bundle is
    built once per kernel).
    """
    alt.JupyterChart.enable_offline()
    alt.renderers.enable("jupyter", offline=True)
    from IPython.display import display

    display(typeface.loader())  # the charts' CJK font, handed to the page (no system font needed)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG document (rendered in Python by vl-convert, no browser or network).
    Text beyond Latin comes with the glyphs it uses (an embedded ``@font-face``), so the picture
    shows Chinese wherever it is opened."""
    buffer = StringIO()
    chart.save(buffer, format="svg")
    svg = buffer.getvalue()
    face = typeface.font_face_css(_svg_text(svg))
    if face:
        at = svg.index(">", svg.index("<svg")) + 1
        svg = f"{svg[:at]}<defs><style>{face}</style></defs>{svg[at:]}"
    return svg


def _svg_text(svg: str) -> str:
    import html
    import re

    return html.unescape("".join(re.findall(r">([^<]+)<", svg)))


def save_html(chart: alt.TopLevelMixin, path: str | Path) -> Path:
    """Write the chart as one HTML file with the Vega JavaScript inside; it opens offline."""
    path = Path(path)
    chart.save(str(path), format="html", inline=True)
    return path
