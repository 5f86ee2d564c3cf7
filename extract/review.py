"""Review page: one self-contained HTML page per report, for a person checking the audit.

Takes a Result; gives an HTML string: the report's cleaned text with every figure highlighted by kind
(displaCy's span style), the checks beside it, each linked to the figures it uses, problems first.
Everything taken from the document is escaped; the page needs no network and no external file.
"""
import html
import json
from pathlib import Path

from .pipeline import Result
from .verdicts import SEVERITY

KIND_COLOURS = {
    "money": "#f6c453", "percent": "#7cc6fe", "per_mille": "#a0e7e5", "ratio": "#c3a6ff",
    "count": "#9be39b", "quantity": "#ffb4a2",
}

STYLE = """
body { font: 15px/1.6 "Noto Serif", "Liberation Serif", Georgia, serif; margin: 0; color: #222; }
header { padding: 12px 24px; background: #263238; color: #fff; }
header h1 { font-size: 18px; margin: 0; }
header .meta { font: 12px monospace; opacity: .8; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(320px, 2fr); gap: 24px; padding: 16px 24px; }
article p { margin: 0 0 .8em; }
article p.heading { font-weight: bold; }
article h2, aside h2 { font: bold 14px sans-serif; text-transform: uppercase; letter-spacing: .05em; color: #555; }
mark.fig { padding: 1px 4px; border-radius: 4px; line-height: 2.2; }
mark.fig .label { font: bold 9px sans-serif; text-transform: uppercase; margin-left: 4px; opacity: .7; }
mark.fig.flagged { outline: 2px solid #d32f2f; }
mark.fig.focus { box-shadow: 0 0 0 3px #263238; }
aside { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto; }
aside ol { padding-left: 20px; }
li.check { margin-bottom: 10px; font: 13px/1.4 sans-serif; }
li.check .verdict { font-weight: bold; padding: 0 6px; border-radius: 3px; background: #e0e0e0; }
li.check.problem .verdict { background: #d32f2f; color: #fff; }
li.check.note .verdict { background: #ffb300; }
li.check .where { color: #777; }
table.cells { border-collapse: collapse; font: 13px sans-serif; margin-bottom: 1em; }
table.cells th, table.cells td { border: 1px solid #bbb; padding: 2px 6px; text-align: left; }
.legend span { display: inline-block; margin-right: 8px; padding: 0 6px; border-radius: 4px; font: 12px sans-serif; color: #222; }
"""

SCRIPT = """
document.querySelectorAll("li.check").forEach(function (item) {
  item.addEventListener("click", function () {
    document.querySelectorAll("mark.focus").forEach(function (m) { m.classList.remove("focus"); });
    JSON.parse(item.dataset.figures).forEach(function (id) {
      var mark = document.getElementById(id);
      if (mark) { mark.classList.add("focus"); }
    });
  });
});
"""


def _esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def render(result: Result) -> str:
    """The review page of one processed report."""
    if not result.ok:
        raise ValueError(f"{result.source}: {result.error}")
    cleaned = result.cleaned
    checks = result.checks.to_dict("records")
    problems = [c for c in checks if c["consistent"] is False]
    flagged_ids = {f for c in checks if c["consistent"] is False for f in c["figure_ids"]}
    marks_by_block: dict[int, list] = {}
    for placed in result.placed:
        marks_by_block.setdefault(placed.block, []).append(placed)
    heading_starts = {int(s.clean_start) for s in result.section_objects if s.type != "footnote"}

    paragraphs, footnotes = [], []
    for bi, block in enumerate(cleaned.blocks):
        pieces, pos = [], block.start
        for placed in sorted(marks_by_block.get(bi, []), key=lambda p: p.fig.start):
            fig = placed.fig
            pieces.append(_esc(cleaned.text[pos:fig.start]))
            classes = f"fig kind-{fig.kind}" + (" flagged" if placed.figure_id in flagged_ids else "")
            pieces.append(f'<mark class="{classes}" id="{placed.figure_id}" style="background:{KIND_COLOURS[fig.kind]}" '
                          f'title="{_esc(placed.figure_id)} {_esc(fig.kind)} {_esc(_figure_value(fig))}">'
                          f'{_esc(cleaned.text[fig.start:fig.end])}<span class="label">{_esc(fig.kind)}</span></mark>')
            pos = fig.end
        pieces.append(_esc(cleaned.text[pos:block.end]))
        css = "heading" if block.start in heading_starts else ""
        line = f'<p class="{css}" data-line="{block.line}">{"".join(pieces)}</p>'
        if block.footnote is not None:
            footnotes.append(f'<p id="footnote-{block.footnote}"><sup>{block.footnote}</sup> {"".join(pieces)}</p>')
        else:
            paragraphs.append(line)

    ordered = sorted(checks, key=lambda c: (SEVERITY.index(c["verdict"]) if c["verdict"] in SEVERITY else 0,
                                            c["line"] or 0))
    items = []
    for c in ordered:
        state = " problem" if c["consistent"] is False else (" note" if c["verdict"] != "ok" else "")
        links = ", ".join(f'<a href="#{_esc(f)}">{_esc(f)}</a>' for f in c["figure_ids"])
        items.append(
            f'<li class="check{state}" id="{_esc(c["check_id"])}" '
            f'data-figures="{_esc(json.dumps(list(c["figure_ids"])))}">'
            f'<span class="verdict">{_esc(c["verdict"])}</span> {_esc(c["check"])} '
            f'<span class="where">line {_esc(c["line"])}, {_esc(c["section"])}</span><br>'
            f'{_esc(c["explanation"])}<br><span class="where">figures: {links}</span></li>')
    doc_row = result.documents.iloc[0]
    legend = "".join(f'<span style="background:{colour}">{kind}</span>' for kind, colour in KIND_COLOURS.items())
    title = Path(result.source).name
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ward-extract review: {_esc(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{_esc(title)}</h1>
<div class="meta">{_esc(result.source)} · doc_id {_esc(doc_row["doc_id"])} · {len(result.figures)} figures ·
{len(checks)} checks · <span id="problem-count">{len(problems)}</span> inconsistent</div>
<div class="legend">{legend}</div>
</header>
<main>
<article>
<h2>Report</h2>
{"".join(paragraphs)}
{"<h2>Footnotes</h2>" + "".join(footnotes) if footnotes else ""}
{_tables_html(result.figures, flagged_ids)}
</article>
<aside>
<h2>Checks, problems first</h2>
<ol id="checks">{"".join(items)}</ol>
</aside>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _tables_html(figures, flagged_ids: set[str]) -> str:
    """The figures read from a PDF's table cells, laid out as their tables, so that checks can link to them."""
    cells = figures[figures["table_id"].notna()]
    if not len(cells):
        return ""
    parts = ["<h2>Tables</h2>"]
    for table_id, table in cells.groupby("table_id", sort=True):
        headers = table.drop_duplicates("col").sort_values("col")
        parts.append(f'<table class="cells" id="table-{_esc(table_id)}"><tr><th>{_esc(table_id)}</th>'
                     + "".join(f"<th>{_esc(h)}</th>" for h in headers["col_header"]) + "</tr>")
        for _, row in table.groupby("row", sort=True):
            by_col = {r["col"]: r for r in row.to_dict("records")}
            cells_html = []
            for col in headers["col"]:
                r = by_col.get(col)
                if r is None:
                    cells_html.append("<td></td>")
                    continue
                flagged = " flagged" if r["figure_id"] in flagged_ids else ""
                cells_html.append(f'<td><mark class="fig kind-{_esc(r["kind"])}{flagged}" id="{_esc(r["figure_id"])}" '
                                  f'style="background:{KIND_COLOURS.get(r["kind"], "#ddd")}">{_esc(r["raw"])}</mark></td>')
            label = row["row_label"].iloc[0]
            parts.append(f"<tr><th>{_esc(label)}</th>{''.join(cells_html)}</tr>")
        parts.append("</table>")
    return "".join(parts)


def _figure_value(fig) -> str:
    if fig.kind == "ratio":
        return f"{fig.numerator:g}/{fig.denominator:g} {fig.unit or ''}".strip()
    return f"{fig.value:g} {fig.unit or ''}".strip()


def write_review(result: Result, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(result), encoding="utf-8")
    return path
