"""The typeface of every chart, so that Chinese renders on a machine with no Chinese fonts, offline.

A classroom computer often has only Latin fonts (this project's test machines: DejaVu and
Liberation), and then a chart titled 流失客户 shows empty boxes. The toolkit therefore ships
its own: **Noto Sans CJK SC Regular** (Google and Adobe, version 1.004, SIL Open Font License
1.1, see ``fonts/OFL.txt``), cut down to what Chinese text needs — the 6,763 characters of
GB 2312 (the common simplified characters), Latin, punctuation, CJK symbols and full-width
forms, and every character of the Chinese catalog — 3.4 MB instead of 16 MB.

It reaches every place a chart is drawn:

- **SVG and PNG export** (vl-convert, in Python): :func:`register` adds the folder to
  vl-convert's fonts once per process; a picture's text is drawn with it where the system's
  own fonts have no glyph.
- **The charts' theme** names it after the browser's own sans-serif (:data:`FONT`), so Latin
  text looks as before and Chinese falls through to it.
- **JupyterLab and Voilà**: :func:`loader` is a tiny invisible widget that hands the font to the
  page (``document.fonts``) and appends it to JupyterLab's font variables, so that widgets and
  Markdown show Chinese too; the labs' chart slots carry it, and ``enable_offline()`` shows it.
- **Self-contained HTML** (``report.html``, ``debrief.html``): :func:`font_face_css` embeds a
  subset holding only the characters of that page (tens of kB, not megabytes).

``python -m simulation.charts.typeface build NotoSansCJKsc-Regular.otf`` remakes the shipped
subset from the full font (after new Chinese texts bring new characters; a test says when).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import sys
from pathlib import Path

FAMILY = "Noto Sans CJK SC"
FONT = f"sans-serif, '{FAMILY}'"  # the charts' font: the system's sans-serif, then ours for what it lacks
PAGE_FONT = f"system-ui, sans-serif, '{FAMILY}'"  # the same for the widgets' and pages' own HTML text
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILE = FONT_DIR / "NotoSansCJKsc-Regular-GB2312.otf"


def page_css(css: str) -> str:
    """``css`` with every ``font-family:system-ui,sans-serif`` given the shipped font as a last
    resort, so HTML text written for widgets shows Chinese where the system has no CJK font."""
    return css.replace("font-family:system-ui,sans-serif", f"font-family:{PAGE_FONT}")


@functools.cache
def register() -> None:
    """Give vl-convert (SVG/PNG export) the shipped font, once per process."""
    import vl_convert as vlc

    vlc.register_font_directory(str(FONT_DIR))


@functools.cache
def _font_bytes() -> bytes:
    return FONT_FILE.read_bytes()


def subset(text: str) -> bytes:
    """The shipped font cut down to the characters of ``text`` (OpenType/CFF bytes)."""
    from fontTools import subset as cut
    from fontTools.ttLib import TTFont

    options = cut.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = TTFont(io.BytesIO(_font_bytes()))
    subsetter = cut.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text) | set(" 0123456789"))))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def needs_font(text: str) -> bool:
    """Whether ``text`` holds CJK characters (from U+2E80: radicals, punctuation, kana, hanzi,
    full-width forms), which the usual system fonts lack; Latin, Greek, Cyrillic, € and – they have."""
    return any(ord(c) >= 0x2E80 for c in text)


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule embedding the characters of ``text``, or "" when none need it."""
    if not needs_font(text):
        return ""
    data = base64.b64encode(subset(text)).decode("ascii")
    return f"@font-face{{font-family:'{FAMILY}';src:url(data:font/otf;base64,{data}) format('opentype');}}"


_LOADER_JS = """
export default {
  async render({ model, el }) {
    el.style.display = "none";
    const family = model.get("family");
    const root = document.documentElement;
    if (root.dataset.retentionLabFont) return;  // once per page
    root.dataset.retentionLabFont = "1";
    const bytes = model.get("font");
    // for CJK characters only (unicode-range), so it can come first: Latin keeps the page's font,
    // and no system font that only pretends to have a CJK glyph (seen at weight 500) is asked
    const face = new FontFace(family, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), {
      unicodeRange: "U+2E80-A4CF, U+F900-FAFF, U+FE10-FE1F, U+FE30-FE4F, U+FF00-FFEF",
    });
    document.fonts.add(await face.load());
    // JupyterLab's and Voila's own text (widgets, Markdown, code) takes it first, for CJK
    const style = getComputedStyle(root);
    for (const name of ["--jp-ui-font-family", "--jp-content-font-family", "--jp-code-font-family"]) {
      const current = style.getPropertyValue(name).trim() || "sans-serif";
      root.style.setProperty(name, `'${family}', ${current}`);
    }
    // form controls (a dropdown's choices) take the system's font, not the page's; the widgets'
    // tab titles and JupyterLab's table of contents a fixed list: give them the font too
    const controls = document.createElement("style");
    controls.textContent = `select, option, input, textarea, button, .jp-tocItem-content { font-family: '${family}', var(--jp-ui-font-family, sans-serif); }
      .lm-TabBar-tab, .lm-TabBar-tabLabel { font-family: '${family}', Helvetica, Arial, sans-serif; }`;
    document.head.appendChild(controls);
  },
};
"""


@functools.cache
def loader():
    """An invisible widget that adds the font to the page it is shown in (once per page)."""
    import anywidget
    import traitlets

    class FontLoader(anywidget.AnyWidget):
        _esm = _LOADER_JS
        family = traitlets.Unicode(FAMILY).tag(sync=True)
        font = traitlets.Bytes(_font_bytes()).tag(sync=True)

    return FontLoader()


def characters_to_cover() -> set[str]:
    """What the shipped subset must hold: all of GB 2312 (its 6,763 hanzi and its punctuation,
    full-width forms, pinyin, Greek and Cyrillic), ASCII, and every character of every translated
    catalog (so no text the toolkit itself writes can fall outside it)."""
    from simulation.messages import LOCALE_DIR

    wanted = {chr(c) for c in range(0x20, 0x7F)} | set("€£×÷–—‘’“”…·•")
    for first in range(0xA1, 0xF8):  # GB 2312's rows: symbols (1-9), hanzi level 1 (16-55) and 2 (56-87)
        for second in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                wanted.add(bytes([first, second]).decode("gb2312"))
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        if po.parent.parent.name != "en":
            wanted |= set(po.read_text(encoding="utf-8"))
    return {c for c in wanted if c.isprintable()}


def covered() -> set[str]:
    """The characters the shipped font has glyphs for."""
    from fontTools.ttLib import TTFont

    return {chr(code) for code in TTFont(io.BytesIO(_font_bytes())).getBestCmap()}


def build(source: Path) -> Path:
    """Remake the shipped subset from the full Noto Sans CJK SC font at ``source`` (written to a
    temporary file, then moved into place)."""
    from fontTools import subset as cut
    from fontTools.ttLib import TTFont

    options = cut.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG", "VORG", "vhea", "vmtx", "BASE"]
    font = TTFont(source)
    subsetter = cut.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters_to_cover())))
    subsetter.subset(font)
    temporary = FONT_FILE.with_suffix(".tmp")
    font.save(temporary)
    temporary.replace(FONT_FILE)
    return FONT_FILE


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    if len(sys.argv) != 3 or sys.argv[1] != "build":
        sys.exit("usage: python -m simulation.charts.typeface build NotoSansCJKsc-Regular.otf")
    print(f"wrote {build(Path(sys.argv[2]))} ({FONT_FILE.stat().st_size:,} bytes)")
