"""Charts that work in a classroom without internet.

Altair's default renderer asks a CDN for the Vega JavaScript; with no network a learner sees
only an error. Here the JavaScript comes from the ``vl-convert-python`` package instead:

- :func:`enable_offline` — interactive charts in JupyterLab and Voilà: every chart a cell shows
  becomes an ``alt.JupyterChart`` widget (anywidget) whose Vega code is bundled locally;
- :func:`to_svg` — a static picture (for slides, or where widgets do not run);
- :func:`save_html` — one self-contained HTML file a trainer can e-mail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from importlib.metadata import version
from io import StringIO
from pathlib import Path

import altair as alt

from simulation.charts import typeface
from simulation.output_folder import write_atomic


def cache_folder() -> Path:
    """Where Retention Lab keeps what it can make again but would rather not wait for:
    ``RETENTION_LAB_CACHE``, else ``$XDG_CACHE_HOME/retention-lab`` (``~/.cache/retention-lab``)."""
    if os.environ.get("RETENTION_LAB_CACHE"):
        return Path(os.environ["RETENTION_LAB_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "retention-lab"


def offline_charts() -> None:
    """``alt.JupyterChart.enable_offline()``, with its JavaScript kept on disk.

    vl-convert bundles the Vega JavaScript the first time a kernel asks (a second or more, the
    biggest part of opening a lab); the same Altair, vl-convert and widget code give the same
    bundle, so it is saved in :func:`cache_folder` (written whole or not at all) and later kernels
    read it back. Where the cache cannot be read or written, Altair builds the bundle as before."""
    chart = alt.JupyterChart
    if getattr(chart, "_is_offline", True):  # already offline (or an Altair without the switch)
        chart.enable_offline()
        return
    from altair.jupyter.jupyter_chart import load_js_src

    key = hashlib.sha256(
        "\0".join([version("altair"), version("vl-convert-python"), load_js_src()]).encode()
    ).hexdigest()[:16]
    path = cache_folder() / f"jupyter-chart-{key}.js"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        bundle = path.read_text(encoding="utf-8")
        if bundle:
            chart._esm, chart._is_offline = bundle, True
            return
    chart.enable_offline()
    with contextlib.suppress(OSError):
        write_atomic(path, chart._esm)


def enable_offline() -> None:
    """Show every chart in this kernel as an interactive widget that needs no internet.

    Two switches, both needed: the ``jupyter`` renderer with ``offline=True`` wraps each chart a
    cell displays in a ``JupyterChart`` (and would otherwise switch it back to the CDN), and
    ``JupyterChart.enable_offline()`` gives charts made explicitly with ``alt.JupyterChart(...)``
    the locally bundled JavaScript as well. The bundle is built once on a machine (a second or
    two) and then read from the cache (:func:`offline_charts`).
    """
    offline_charts()
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
