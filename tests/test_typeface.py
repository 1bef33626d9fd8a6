"""Chinese renders in every chart with no Chinese system font: the shipped font, in pictures and pages.

This machine has only DejaVu and Liberation fonts; before, a chart titled 流失客户 exported to PNG
showed empty boxes. A missing glyph is drawn as the same box whatever the character, so two
different Chinese titles of the same length rendering to the same pixels means missing glyphs.
"""

import re

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

from simulation.charts import to_svg, typeface
from simulation.charts.report import Section, html_report


def chart(title: str, x: str = "周", y: str = "客户") -> alt.Chart:
    data = pd.DataFrame({"week": [1, 2, 3], "customers": [3, 1, 2], "motive": ["投诉", "竞争", "自然"]})
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("week:O", title=x),
            y=alt.Y("customers:Q", title=y),
            color=alt.Color("motive:N", title="流失原因"),
        )
        .properties(title=title, width=160, height=80)
    )


def png(c: alt.Chart) -> bytes:
    return vlc.vegalite_to_png(c.to_dict(), scale=1)


def test_chinese_titles_axes_and_legends_render_as_glyphs_not_boxes():
    typeface.register()
    one, other = png(chart("流失客户赢回")), png(chart("价格战口碑"[:5] + "度"))
    boxes = png(chart("\ue000" * 6))  # private-use characters: no font has them, always boxes
    assert one != other, "two different Chinese titles rendered alike: the glyphs are missing"
    assert one != boxes and other != boxes
    # the axis and legend titles too (the same chart with only the axis title changed differs)
    assert png(chart("赢回", x="周")) != png(chart("赢回", x="月"))
    assert png(chart("赢回", x="周")) != png(chart("赢回", x="\ue000"))


def test_the_theme_names_the_font_after_the_systems_sans_serif():
    config = alt.theme.get()()["config"]
    assert config["font"] == "sans-serif, 'Noto Sans CJK SC'"


def test_the_shipped_font_covers_gb2312_and_every_translated_text():
    missing = typeface.characters_to_cover() - typeface.covered()
    assert not missing, (
        f"{len(missing)} characters are not in {typeface.FONT_FILE.name} (e.g. {''.join(sorted(missing)[:20])}): "
        "run python -m simulation.charts.typeface build <the full NotoSansCJKsc-Regular.otf>"
    )
    assert (typeface.FONT_DIR / "OFL.txt").read_text().count("SIL Open Font License") >= 1


def test_an_svg_carries_the_glyphs_of_its_chinese_text():
    svg = to_svg(chart("流失客户赢回"))
    assert "@font-face{font-family:'Noto Sans CJK SC'" in svg
    english = to_svg(chart("Churn", x="Week", y="Customers").transform_calculate(motive="'x'"))
    assert "@font-face" in english  # the legend's Chinese motives are still there


def test_a_report_embeds_only_the_glyphs_it_uses():
    page = html_report("赢回报告", [Section("流失客户", chart("流失客户赢回"))])
    face = re.search(r"base64,([A-Za-z0-9+/=]+)", page).group(1)
    assert 1_000 < len(face) < 60_000  # a subset of a few dozen glyphs, not the 3.4 MB font
    plain = html_report("Win-back report", [Section("Lost customers", pd.DataFrame({"a": [1]}))])
    assert "@font-face" not in plain


@pytest.mark.parametrize(
    "text, needed", [("Churn 12%", False), ("Café – 5 €", False), ("流失", True), ("¥", False)]
)
def test_only_text_beyond_latin_needs_the_font(text, needed):
    assert typeface.needs_font(text) is needed
