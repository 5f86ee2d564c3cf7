"""Load stage for PDFs: characters with their layout to lines, roles, footnote markers and boxes.

Takes a PDF path; gives a PdfText: the document's extracted text (lines joined by newlines, pages by
form feeds, superscript footnote markers taken out), one record per line with its page, box, size,
weight and role (body, footnote, page_number, running), the markers with the footnote they point to,
and a box for every character of the text. Two readers give the same characters: pdfplumber (the
reference) and PDFium through pypdfium2's raw functions (fast).
"""
import statistics
from collections import Counter
from dataclasses import dataclass, field

import regex

from .load import InputError

SUPERSCRIPT_RATIO = 0.85        # a character this much smaller than its line and raised is a superscript
MARGIN_ZONE = 0.09              # top and bottom share of the page where page numbers and running heads sit
PAGE_NUMBER = regex.compile(r"^\s*(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*-)?(?:\s*/\s*\d{1,3})?\s*$")


@dataclass
class PdfLine:
    page: int                   # 1-based
    text: str
    start: int                  # offsets in PdfText.text
    end: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float                 # dominant font size
    bold: bool
    role: str = "body"          # body | footnote | page_number | running
    footnote: int | None = None # for footnote lines: the footnote's number


@dataclass
class PdfText:
    text: str
    lines: list[PdfLine]
    boxes: list[tuple[int, float, float, float, float] | None]   # per character: (page, x0, top, x1, bottom)
    markers: list[tuple[int, int]] = field(default_factory=list)  # (footnote number, offset in text)
    pages: int = 0
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    tables: list = field(default_factory=list)


def _is_bold(fontname: str) -> bool:
    return "bold" in fontname.lower() or "black" in fontname.lower() or fontname.lower().endswith(",b")


def group_lines(chars: list[dict]) -> list[list[dict]]:
    """Characters of one page to lines in reading order; raised small characters join the line below them."""
    if not any(c["text"].strip() for c in chars):
        return []
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["baseline"], 1), c["x0"])):
        placed = False
        for row in rows[-3:]:
            ref = row[0]
            if abs(ref["baseline"] - c["baseline"]) <= max(1.5, 0.2 * ref["size"]):
                row.append(c)
                placed = True
                break
        if not placed:
            rows.append([c])
    rows = [sorted(r, key=lambda c: c["x0"]) for r in rows]
    # superscripts sit on their own raised baseline: fold them into the line whose text they interrupt
    merged: list[list[dict]] = []
    for row in sorted(rows, key=lambda r: r[0]["baseline"]):
        size = max(c["size"] for c in row)
        merged.append(row)
        if len(merged) >= 2:
            upper = merged[-2]
            upper_size = max(c["size"] for c in upper)
            if upper_size < SUPERSCRIPT_RATIO * size and all(c["text"].strip().isdigit() or not c["text"].strip()
                                                              for c in upper) \
                    and row[0]["baseline"] - upper[0]["baseline"] < 0.6 * size:
                merged.pop(-2)
                merged[-1] = sorted(upper + row, key=lambda c: c["x0"])
    return merged


@dataclass
class _LineDraft:
    chars: list[dict]
    text: str = ""
    marks: list[tuple[int, int]] = field(default_factory=list)   # (number, offset in line text) of superscripts
    leading_mark: int | None = None


def _line_text(row: list[dict], body_size: float) -> _LineDraft:
    """The text of one line with spaces where the gaps are, and its superscript digit runs taken out."""
    size = statistics.median([c["size"] for c in row if c["text"].strip()] or [body_size])
    baseline = statistics.median([c["baseline"] for c in row if c["size"] >= SUPERSCRIPT_RATIO * size] or
                                 [row[0]["baseline"]])
    draft = _LineDraft(row)
    kept: list[dict] = []
    pieces: list[str] = []
    run_digits = ""
    prev = None

    def flush_run():
        nonlocal run_digits
        if run_digits:
            if not pieces and not draft.marks:
                draft.leading_mark = int(run_digits)
            else:
                draft.marks.append((int(run_digits), len("".join(pieces))))
            run_digits = ""

    for c in row:
        is_sup = (c["size"] < SUPERSCRIPT_RATIO * size and baseline - c["baseline"] > 0.15 * size
                  and c["text"].isdigit())
        if is_sup:
            run_digits += c["text"]
            prev = c
            continue
        flush_run()
        if prev is not None and c["text"] != " " and (not pieces or pieces[-1] != " "):
            gap = c["x0"] - prev["x1"]
            if gap > 0.2 * c["size"]:
                pieces.append(" ")
                kept.append(None)
        if c["text"] == " " and (not pieces or pieces[-1] == " "):
            prev = c
            continue
        pieces.append(c["text"])
        kept.append(c)
        prev = c
    flush_run()
    while pieces and pieces[-1] == " ":
        pieces.pop()
        kept.pop()
    draft.text = "".join(pieces)
    draft.chars = kept
    return draft


def analyse(pages: list[tuple[float, float, list[dict]]]) -> PdfText:
    """Pages of characters (width, height, chars) to a PdfText with roles, markers and boxes."""
    all_sizes = Counter(round(c["size"], 1) for _, _, chars in pages for c in chars if c["text"].strip())
    body_size = all_sizes.most_common(1)[0][0] if all_sizes else 12.0
    drafts: list[tuple[int, _LineDraft, float, float]] = []
    for page_no, (width, height, chars) in enumerate(pages, start=1):
        for row in group_lines(chars):
            draft = _line_text(row, body_size)
            if draft.text.strip() or draft.leading_mark is not None:
                drafts.append((page_no, draft, width, height))

    running = _running_lines(drafts, len(pages))
    text_parts: list[str] = []
    boxes: list = []
    lines: list[PdfLine] = []
    markers: list[tuple[int, int]] = []
    pos = 0
    current_page = 1
    for page_no, draft, width, height in drafts:
        if page_no != current_page:
            text_parts.append("\f")
            boxes.append(None)
            pos += 1
            current_page = page_no
        elif lines:
            text_parts.append("\n")
            boxes.append(None)
            pos += 1
        real = [c for c in draft.chars if c is not None]
        size = statistics.median([c["size"] for c in real]) if real else body_size
        bold = bool(real) and sum(_is_bold(c["fontname"]) for c in real) > 0.6 * len(real)
        x0 = min((c["x0"] for c in real), default=0.0)
        x1 = max((c["x1"] for c in real), default=0.0)
        top = min((c["top"] for c in real), default=0.0)
        bottom = max((c["bottom"] for c in real), default=0.0)
        line = PdfLine(page_no, draft.text, pos, pos + len(draft.text), x0, top, x1, bottom, size, bold)
        in_margin = top < MARGIN_ZONE * height or bottom > (1 - MARGIN_ZONE) * height
        if in_margin and PAGE_NUMBER.match(draft.text):
            line.role = "page_number"
        elif (page_no, draft.text) in running:
            line.role = "running"
        if draft.leading_mark is not None:
            line.footnote = draft.leading_mark
        for number, offset in draft.marks:
            markers.append((number, pos + offset))
        text_parts.append(draft.text)
        for c in draft.chars:
            boxes.append(None if c is None else (page_no, c["x0"], c["top"], c["x1"], c["bottom"]))
        pos += len(draft.text)
        lines.append(line)

    _mark_footnotes(lines, body_size)
    return PdfText("".join(text_parts), lines, boxes, markers, len(pages), [(w, h) for w, h, _ in pages])


def _running_lines(drafts, page_count: int) -> set[tuple[int, str]]:
    """Lines in the margins that repeat on most pages (digits aside): running heads and feet."""
    if page_count < 3:
        return set()
    seen: dict[str, set[int]] = {}
    for page_no, draft, width, height in drafts:
        top = min((c["top"] for c in draft.chars if c), default=0)
        bottom = max((c["bottom"] for c in draft.chars if c), default=0)
        if top < MARGIN_ZONE * height or bottom > (1 - MARGIN_ZONE) * height:
            key = regex.sub(r"\d+", "#", draft.text.strip())
            seen.setdefault(key, set()).add(page_no)
    repeated = {k for k, pages in seen.items() if len(pages) >= max(3, page_count // 2) and k != "#"}
    return {(p, d.text) for p, d, _, _ in drafts if regex.sub(r"\d+", "#", d.text.strip()) in repeated}


def _mark_footnotes(lines: list[PdfLine], body_size: float) -> None:
    """Footnote bodies: smaller lines at a page foot, the first one led by its superscript number."""
    by_page: dict[int, list[PdfLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    for page_lines in by_page.values():
        current = None
        for line in page_lines:
            if line.role != "body":
                continue
            small = line.size < 0.92 * body_size
            if line.footnote is not None and small:
                current = line.footnote
                line.role = "footnote"
            elif current is not None and small:
                line.role, line.footnote = "footnote", current
            else:
                current = None
                if line.footnote is not None and not small:
                    line.footnote = None


# --- readers ---------------------------------------------------------------------------------------

def check_pdf_bytes(data: bytes, source: str) -> None:
    if not data:
        raise InputError(source, "empty file")
    if b"%PDF-" not in data[:1024]:
        raise InputError(source, "not a PDF file (no %PDF header)")


def chars_pdfplumber(path: str) -> list[tuple[float, float, list[dict]]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect:
        raise InputError(path, "encrypted PDF: a password is needed") from None
    except Exception as err:  # pdfminer raises many kinds for broken files
        raise InputError(path, f"corrupt or truncated PDF ({type(err).__name__})") from None
    with pdf:
        pages = []
        for page in pdf.pages:
            chars = []
            for c in page.chars:
                a, b, cc, d, e, f = c["matrix"]
                chars.append({"text": c["text"], "fontname": c["fontname"], "size": round(c["size"], 2),
                              "x0": c["x0"], "x1": c["x1"], "top": c["top"], "bottom": c["bottom"],
                              "baseline": page.height - f})
            pages.append((float(page.width), float(page.height), chars))
        return pages
