"""A small, safe HTML writer: every text escaped, attributes sorted, no template engine needed.

``el("td", "103.03", cls="num")`` gives ``<td class="num">103.03</td>``; children may be strings
(escaped), :class:`Raw` (already HTML) or lists of either. The page shell carries the print CSS
(A4, page breaks between sections) and, when asked, the vendored ECharts inline, so that one file
works offline.
"""
from __future__ import annotations

import html
import json

from ..assets import ECHARTS_VERSION, echarts_js
from ..messages import tr


class Raw(str):
    """Markup that is already HTML (never built from unescaped user text)."""


def el(tag: str, *children, **attrs) -> Raw:
    names = {"cls": "class", "for_": "for"}
    parts = [tag] + [f'{names.get(k, k).replace("_", "-")}="{html.escape(str(v), quote=True)}"'
                     for k, v in sorted(attrs.items()) if v is not None and v is not False]
    return Raw(f"<{' '.join(parts)}>{_children(children)}</{tag}>")


def _children(children) -> str:
    out = []
    for child in children:
        if child is None:
            continue
        if isinstance(child, (list, tuple)):
            out.append(_children(child))
        elif isinstance(child, Raw):
            out.append(child)
        else:
            out.append(html.escape(str(child), quote=False))
    return "".join(out)


def table(headers: list[str], rows: list[list], align: list[str] | None = None, row_classes=None, cls: str = "grid"
          ) -> Raw:
    align = align or ["left"] * len(headers)
    head = el("thead", el("tr", [el("th", h, cls="num" if a == "right" else None) for h, a in zip(headers, align)]))
    body = el("tbody", [el("tr", [el("td", c, cls="num" if a == "right" else None) for c, a in zip(row, align)],
                           cls=(row_classes[i] if row_classes else None)) for i, row in enumerate(rows)])
    return el("table", head, body, cls=cls)


def chart(chart_id: str, option: dict, height: int = 320) -> Raw:
    """A div and the script that draws an ECharts option into it (SVG, no animation: prints as drawn)."""
    data = json.dumps(option, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    script = (f"zsChart({json.dumps(chart_id)},{data});")
    return Raw(el("div", "", id=chart_id, cls="chart", style=f"height:{height}px") + f"<script>{script}</script>")


CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Noto Sans CJK SC", serif;
       color: #111; margin: 0 auto; max-width: 1100px; font-size: 14px; line-height: 1.45; }
h1 { font-size: 22px; text-align: center; margin: 8px 0 4px; }
h2 { font-size: 18px; border-bottom: 2px solid #333; padding-bottom: 2px; margin-top: 18px; }
h3 { font-size: 15px; margin: 12px 0 4px; }
.sub { text-align: center; color: #444; margin-bottom: 10px; }
table.grid { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
table.grid th, table.grid td { border: 1px solid #777; padding: 3px 6px; }
table.grid th { background: #eee; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.top td { background: #e6f4ea; } tr.bottom td { background: #fdecea; } tr.other td { background: #f3f3f3; }
.counts { display: flex; gap: 12px; flex-wrap: wrap; margin: 6px 0; }
.count { border: 1px solid #999; padding: 6px 12px; text-align: center; }
.count b { display: block; font-size: 22px; }
.chart { width: 100%; }
.cols { display: flex; gap: 16px; } .cols > div { flex: 1; min-width: 0; }
.note { color: #444; font-size: 12px; }
section.page { page-break-before: always; break-before: page; }
section.summary { page-break-after: always; break-after: page; }
section.unit { page-break-before: always; break-before: page; }
section.heading + section.unit, h1 + section.unit { page-break-before: auto; break-before: auto; }
section.unit h3 { margin: 8px 0 3px; } section.unit table.grid { margin: 4px 0 6px; }
section.unit table.grid th, section.unit table.grid td { padding: 2px 6px; }
.chart, table.grid tr { break-inside: avoid; page-break-inside: avoid; }
@media print { body { max-width: none; } .noprint { display: none; } }
"""

BOOT = """
function zsChart(id, option) {
  var node = document.getElementById(id);
  if (!window.echarts || !node) { return; }
  var chart = echarts.init(node, null, {renderer: 'svg'});
  option.animation = false;
  chart.setOption(option);
  window.zsCharts = (window.zsCharts || 0) + 1;
}
"""


GENERATOR = "zonescore"


def page(title: str, body, lang: str, with_charts: bool, kind: str = "report") -> str:
    """A complete, self-contained HTML document (ECharts inline when ``with_charts``); ``kind`` is
    named in the generator tag, by which a later run recognises its own previous output."""
    head = [Raw('<meta charset="utf-8">'), Raw(f'<meta name="generator" content="{GENERATOR} {kind}">'),
            el("title", title), el("style", Raw(CSS))]
    if with_charts:
        head.append(Raw(f"<!-- Apache ECharts {ECHARTS_VERSION}, Apache License 2.0 (see scoring/assets/echarts) -->"))
        head.append(el("script", Raw(echarts_js().replace("</script", "<\\/script"))))
        head.append(el("script", Raw(BOOT)))
    return "<!DOCTYPE html>\n" + el("html", el("head", head), el("body", body), lang="zh-CN" if lang == "zh" else "en") + "\n"


def recognise_page(kind: str):
    """For :func:`scoring.io.outputs.save`: None for a previous zonescore page of ``kind``, else what it is."""
    marker = f'<meta name="generator" content="{GENERATOR} {kind}">'.encode()

    def recognise(path) -> str | None:
        with open(path, "rb") as handle:
            head = handle.read(4096)
        return None if marker in head else tr("a file that is not a previous zonescore page ({kind})", kind=kind)
    return recognise
