"""Review page: one HTML page per report, for a person checking the audit, in Vietnamese or English.

Takes a Result; gives an HTML string (and, for a set of Results, the sheet of their checks that are not ok). A document read with pages (a PDF, a scan) is shown as its page images
with every figure outlined at its box; a text shows its cleaned text with every figure highlighted by kind
(displaCy's span style). The checks sit beside it, problems first, each linked to its figures (and page).
Everything taken from the document is escaped; the page needs no network.
"""
import base64
import html
import io
import json
from pathlib import Path

from . import labels
from .labels import check_label, sentence, verdict_label
from .pipeline import Result
from .verdicts import SEVERITY

KIND_COLOURS = {
    "money": "#f6c453", "percent": "#7cc6fe", "per_mille": "#a0e7e5", "ratio": "#c3a6ff",
    "count": "#9be39b", "quantity": "#ffb4a2",
}
# The outlines drawn over page images: colours used nowhere else on the page, so that they can be told apart.
FIGURE_OUTLINE = "#1e88e5"
FLAGGED_OUTLINE = "#e4002b"
PAGE_DPI = 100
# Past this many pages the images go into a folder beside the page instead of inside it.
MAX_EMBEDDED_PAGES = 40
# Outlines sit this many points outside a figure's box, so that they do not cover its characters.
BOX_MARGIN = 1.5
PAGED_FORMATS = {"pdf", "pdf+ocr", "image+ocr"}

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
section.page { position: relative; margin: 0 auto 20px; box-shadow: 0 1px 6px rgba(0,0,0,.35); background: #fff; }
section.page img { display: block; width: 100%; height: auto; }
section.page .number { position: absolute; right: 6px; top: 4px; font: 11px sans-serif; color: #777; }
div.box { position: absolute; box-sizing: border-box; border: 2px solid FIGURE_OUTLINE; scroll-margin: 40vh; }
div.box.flagged { border: 3px solid FLAGGED_OUTLINE; }
div.box.focus { box-shadow: 0 0 0 4px #ffb300; }
aside { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto; }
aside ol { padding-left: 20px; }
li.check { margin-bottom: 10px; font: 13px/1.4 sans-serif; cursor: pointer; }
li.check .verdict { font-weight: bold; padding: 0 6px; border-radius: 3px; background: #e0e0e0; }
li.check.problem .verdict { background: #d32f2f; color: #fff; }
li.check.note .verdict { background: #ffb300; }
li.check.focus { background: #fff8e1; }
li.check .where, li.check .code { color: #777; }
li.check .ocr { color: #8d6e00; font-style: italic; }
table.cells { border-collapse: collapse; font: 13px sans-serif; margin-bottom: 1em; }
table.cells th, table.cells td { border: 1px solid #bbb; padding: 2px 6px; text-align: left; }
.legend span { display: inline-block; margin-right: 8px; padding: 0 6px; border-radius: 4px; font: 12px sans-serif; color: #222; }
""".replace("FIGURE_OUTLINE", FIGURE_OUTLINE).replace("FLAGGED_OUTLINE", FLAGGED_OUTLINE)

# A click on a check (or a link to it, #C012) highlights its figures and scrolls to the first one.
SCRIPT = """
function focusCheck(item) {
  document.querySelectorAll(".focus").forEach(function (m) { m.classList.remove("focus"); });
  item.classList.add("focus");
  var first = null;
  JSON.parse(item.dataset.figures).forEach(function (id) {
    var mark = document.getElementById(id);
    if (mark) { mark.classList.add("focus"); first = first || mark; }
  });
  if (first) { first.scrollIntoView({block: "center"}); }
}
document.querySelectorAll("li.check").forEach(function (item) {
  item.addEventListener("click", function (event) {
    if (event.target.closest("a")) { return; }
    focusCheck(item);
  });
  item.querySelectorAll("a.goto").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); focusCheck(item); });
  });
});
var linked = location.hash && document.getElementById(location.hash.slice(1));
if (linked && linked.matches("li.check")) { focusCheck(linked); }
"""


def _esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def has_pages(result: Result) -> bool:
    """Whether a document is shown as its pages: a PDF, a scanned PDF or a scanned image whose figures carry
    pages and boxes."""
    doc = result.documents.iloc[0]
    pages = doc["pages"]
    return (doc["format"] in PAGED_FORMATS and labels.known(pages) and int(pages) > 0
            and bool(result.figures["page"].notna().any()))


def page_images(path: str, dpi: int = PAGE_DPI) -> list[tuple[bytes, float, float]]:
    """Every page of a PDF as a JPEG at DPI, or every frame of an image file as the OCR reader took it, with
    the page's width and height in points (as shown upright)."""
    import pypdfium2
    with open(path, "rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            return _frame_images(path)
    pdf = pypdfium2.PdfDocument(path)
    try:
        found = []
        for page in pdf:
            width, height = page.get_size()
            image = page.render(scale=dpi / 72, fill_color=(255, 255, 255, 255)).to_pil().convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80)
            found.append((out.getvalue(), width, height))
        return found
    finally:
        pdf.close()


def _frame_images(path: str) -> list[tuple[bytes, float, float]]:
    from .readers.ocr import image_file_pages
    found = []
    for _, grey, resolution in image_file_pages(path):
        out = io.BytesIO()
        grey.convert("RGB").save(out, "JPEG", quality=80)
        found.append((out.getvalue(), grey.width * 72 / resolution, grey.height * 72 / resolution))
    return found


def rendered_pages(result: Result) -> list[tuple[bytes, float, float]]:
    """The page images of a document, rendered in the sandbox every reader runs in."""
    from .sandbox import run_bounded
    return run_bounded(page_images, (str(result.source), PAGE_DPI), str(result.source))


def render(result: Result, lang: str = "vi", images: list[tuple[str, float, float]] | None = None) -> str:
    """The review page of one processed report, in LANG. A document with pages shows IMAGES, one
    (src, width, height in points) per page; without them they are rendered and embedded in the page."""
    if not result.ok:
        raise ValueError(f"{result.source}: {result.error}")
    checks = result.checks.to_dict("records")
    problems = [c for c in checks if c["consistent"] is False]
    flagged_ids = {f for c in checks if c["consistent"] is False for f in c["figure_ids"]}
    figures = {f["figure_id"]: f for f in result.figures.to_dict("records")}
    doc_row = result.documents.iloc[0]
    paged = has_pages(result)
    if paged:
        if images is None:
            images = [(f"data:image/jpeg;base64,{base64.b64encode(data).decode('ascii')}", width, height)
                      for data, width, height in rendered_pages(result)]
        body = f"<h2>{_esc(labels.text('pages', lang))}</h2>{_pages_html(images, figures, flagged_ids, lang)}"
    else:
        body = _text_html(result, flagged_ids, lang)
    ordered = sorted(checks, key=lambda c: (SEVERITY.index(c["verdict"]) if c["verdict"] in SEVERITY else 0,
                                            c["line"] or 0))
    items = "".join(_check_html(c, figures, doc_row, paged, lang) for c in ordered)
    legend = "".join(f'<span style="background:{colour}">{_esc(labels.text("kinds." + kind, lang))}</span>'
                     for kind, colour in KIND_COLOURS.items())
    title = Path(result.source).name
    return f"""<!DOCTYPE html>
<html lang="{_esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ward-extract {_esc(labels.text('review_title', lang))}: {_esc(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{_esc(title)}</h1>
<div class="meta">{_esc(result.source)} · doc_id {_esc(doc_row["doc_id"])} · {len(result.figures)} {_esc(labels.text('figures', lang))} ·
{len(checks)} {_esc(labels.text('checks', lang))} · <span id="problem-count">{len(problems)}</span> {_esc(labels.text('inconsistent', lang))}</div>
<div class="legend">{legend}</div>
</header>
<main>
<article>
{body}
</article>
<aside>
<h2>{_esc(labels.text('checks_heading', lang))}</h2>
<ol id="checks">{items}</ol>
</aside>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _text_html(result: Result, flagged_ids: set[str], lang: str) -> str:
    """The report's cleaned text, every figure highlighted by kind, then its footnotes and tables."""
    cleaned = result.cleaned
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
                          f'title="{_esc(placed.figure_id)} {_esc(fig.kind)} {_esc(_figure_value(fig, lang))}">'
                          f'{_esc(cleaned.text[fig.start:fig.end])}<span class="label">'
                          f'{_esc(labels.text("kinds." + fig.kind, lang))}</span></mark>')
            pos = fig.end
        pieces.append(_esc(cleaned.text[pos:block.end]))
        css = "heading" if block.start in heading_starts else ""
        line = f'<p class="{css}" data-line="{block.line}">{"".join(pieces)}</p>'
        if block.footnote is not None:
            footnotes.append(f'<p id="footnote-{block.footnote}"><sup>{block.footnote}</sup> {"".join(pieces)}</p>')
        else:
            paragraphs.append(line)
    notes = f"<h2>{_esc(labels.text('footnotes', lang))}</h2>" + "".join(footnotes) if footnotes else ""
    return (f"<h2>{_esc(labels.text('report', lang))}</h2>{''.join(paragraphs)}{notes}"
            f"{_tables_html(result.figures, flagged_ids, lang)}")


def _pages_html(images, figures: dict[str, dict], flagged_ids: set[str], lang: str) -> str:
    """Each page as its image, every figure on it outlined at its box (positions in % of the page)."""
    by_page: dict[int, list[dict]] = {}
    for f in figures.values():
        if labels.known(f["page"]) and labels.known(f["x0"]):
            by_page.setdefault(int(f["page"]), []).append(f)
    parts = []
    for number, (src, width, height) in enumerate(images, start=1):
        boxes = []
        for f in sorted(by_page.get(number, []), key=lambda f: f["figure_id"]):
            left, top = max(0.0, f["x0"] - BOX_MARGIN), max(0.0, f["top"] - BOX_MARGIN)
            right, bottom = min(width, f["x1"] + BOX_MARGIN), min(height, f["bottom"] + BOX_MARGIN)
            flagged = " flagged" if f["figure_id"] in flagged_ids else ""
            boxes.append(f'<div class="box kind-{_esc(f["kind"])}{flagged}" id="{_esc(f["figure_id"])}" '
                         f'style="left:{100 * left / width:.3f}%;top:{100 * top / height:.3f}%;'
                         f'width:{100 * (right - left) / width:.3f}%;height:{100 * (bottom - top) / height:.3f}%" '
                         f'title="{_esc(f["figure_id"])} {_esc(labels.text("kinds." + f["kind"], lang))}: '
                         f'{_esc(f["raw"])}"></div>')
        shown = round(width * PAGE_DPI / 72)
        parts.append(f'<section class="page" id="page-{number}" style="max-width:{shown}px">'
                     f'<img src="{_esc(src)}" alt="{_esc(labels.text("page", lang))} {number}" '
                     f'width="{shown}" height="{round(height * PAGE_DPI / 72)}">'
                     f'<span class="number">{_esc(labels.text("page", lang))} {number}</span>{"".join(boxes)}</section>')
    return "".join(parts)


def _check_html(c: dict, figures: dict[str, dict], doc_row, paged: bool, lang: str) -> str:
    """One check in the side list: its verdict's label, where it is, its sentence, its figures."""
    state = " problem" if c["consistent"] is False else (" note" if c["verdict"] != "ok" else "")
    links = ", ".join(f'<a href="#{_esc(f)}">{_esc(f)}</a>' for f in c["figure_ids"])
    page = c["page"] if labels.known(c["page"]) else None
    where = []
    if page is not None:
        target = f"#page-{int(page)}" if paged else f"#{c['figure_ids'][0]}"
        where.append(f'<a class="goto" href="{_esc(target)}" data-page="{int(page)}">'
                     f'{_esc(labels.text("page", lang))} {int(page)}</a>')
    where.append(f"{_esc(labels.text('line', lang))} {_esc(c['line'])}, {_esc(c['section'])}")
    note = labels.ocr_note(c, figures, doc_row, lang)
    return (f'<li class="check{state}" id="{_esc(c["check_id"])}" '
            f'data-figures="{_esc(json.dumps(list(c["figure_ids"])))}">'
            f'<span class="verdict" title="{_esc(c["verdict"])}">{_esc(verdict_label(c["verdict"], lang))}</span> '
            f'{_esc(check_label(c["check"], lang))} <span class="where">{", ".join(where)}</span><br>'
            f'{_esc(sentence(c, figures, lang))}<br>'
            + (f'<span class="ocr">{_esc(note)}</span><br>' if note else "")
            + f'<span class="where">{_esc(labels.text("figures", lang))}: {links}</span></li>')


def _tables_html(figures, flagged_ids: set[str], lang: str) -> str:
    """The figures read from a table's cells, laid out as their tables, so that checks can link to them."""
    cells = figures[figures["table_id"].notna()]
    if not len(cells):
        return ""
    parts = [f"<h2>{_esc(labels.text('tables', lang))}</h2>"]
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


def _figure_value(fig, lang: str) -> str:
    if fig.kind == "ratio":
        return f"{labels.number(fig.numerator, lang)}/{labels.number(fig.denominator, lang)} {fig.unit or ''}".strip()
    return f"{labels.number(fig.value, lang)} {fig.unit or ''}".strip()


def write_review(result: Result, path: str | Path, lang: str = "vi", max_embedded_pages: int = MAX_EMBEDDED_PAGES) -> Path:
    """The review page at PATH. The page images of a document of more than MAX_EMBEDDED_PAGES go into the
    folder NAME_pages/ beside PATH, linked relatively; a shorter one's are inside the page."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images = None
    if has_pages(result) and int(result.documents.iloc[0]["pages"]) > max_embedded_pages:
        folder = path.with_name(f"{path.name.split('.')[0]}_pages")
        folder.mkdir(exist_ok=True)
        images = []
        for number, (data, width, height) in enumerate(rendered_pages(result), start=1):
            (folder / f"page-{number:03d}.jpg").write_bytes(data)
            images.append((f"{folder.name}/page-{number:03d}.jpg", width, height))
    path.write_text(render(result, lang, images), encoding="utf-8")
    return path


SHEET_COLUMNS = ["document", "page", "line", "section", "sentence", "check", "stated", "computed", "verdict",
                 "verdict_label", "explanation", "check_id"]
# Characters wide of the sheet's columns in a spreadsheet, the rest 14.
SHEET_WIDTHS = {"document": 30, "section": 28, "sentence": 60, "explanation": 60, "verdict_label": 24}


def audit_sheet(results: list[Result], lang: str = "vi"):
    """The checks that are not ok of RESULTS, one row each, worst first within a document, with the sentence
    of the report they come from; the columns named in LANG (SHEET_COLUMNS in that order)."""
    import pandas as pd
    rows = []
    for result in results:
        if not result.ok:
            continue
        figures = {f["figure_id"]: f for f in result.figures.to_dict("records")}
        doc_row = result.documents.iloc[0]
        checks = [c for c in result.checks.to_dict("records") if c["verdict"] != "ok"]
        checks.sort(key=lambda c: (SEVERITY.index(c["verdict"]) if c["verdict"] in SEVERITY else 0, c["line"] or 0))
        for c in checks:
            first = figures.get(c["figure_ids"][0]) if len(c["figure_ids"]) else None
            explanation = sentence(c, figures, lang)
            note = labels.ocr_note(c, figures, doc_row, lang)
            rows.append({
                "document": result.source, "page": c["page"], "line": c["line"], "section": c["section"],
                "sentence": first["sentence"] if first else None, "check": check_label(c["check"], lang),
                "stated": c["stated"], "computed": c["computed"], "verdict": c["verdict"],
                "verdict_label": verdict_label(c["verdict"], lang),
                "explanation": f"{explanation} ({note})" if note else explanation, "check_id": c["check_id"]})
    sheet = pd.DataFrame(rows, columns=SHEET_COLUMNS).astype({"page": "Int64", "line": "Int64"})
    return sheet.rename(columns={name: labels.text(f"columns.{name}", lang) for name in SHEET_COLUMNS})


def write_sheet(sheet, path: str | Path) -> Path:
    """The audit sheet as CSV (UTF-8 with a BOM, which Excel needs to read Vietnamese) or, for a .xlsx PATH,
    a workbook with its header row frozen, its columns sized and an autofilter."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() != ".xlsx":
        sheet.to_csv(path, index=False, encoding="utf-8-sig")
        return path
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    book = Workbook()
    ws = book.active
    ws.title = "audit"
    ws.append(list(sheet.columns))
    for row in sheet.astype(object).itertuples(index=False):
        ws.append([None if pd.isna(value) else value for value in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, name in enumerate(SHEET_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = SHEET_WIDTHS.get(name, 14)
        if name in ("sentence", "explanation", "section"):
            for (cell,) in ws.iter_rows(min_row=2, min_col=n, max_col=n):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    book.save(path)
    return path
