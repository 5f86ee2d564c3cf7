"""Load stage for PDFs: characters with their layout to lines, roles, footnote markers and boxes.

Takes a PDF path; gives a PdfText: the document's extracted text (lines joined by newlines, pages by
form feeds, superscript footnote markers taken out), one record per line with its page, box, size,
weight and role (body, footnote, page_number, running), the markers with the footnote they point to,
and a box for every character of the text, the cells of its ruled tables, and the pages that are images
only. Two readers give the same characters and tables: pdfplumber with its table finder (the reference),
and PDFium through pypdfium2's raw functions with a grid built from the page's drawn lines (extract.grid,
fast).
"""
import contextlib
import functools
import math
import sys
import types
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import regex

from . import rulebook as rules
from .grid import find_grids
from .load import InputError

LEADING_NUMBER = regex.compile(r"^\s*(?P<number>\d{1,2})\s*:?\s*(?=\S)")
SUPERSCRIPT_RATIO = 0.85        # a character this much smaller than its line and raised is a superscript
MARGIN_ZONE = 0.09              # top and bottom share of the page where page numbers and running heads sit
# legacy glyphs and the page-number line, as rules/cleaning.yaml gives them for text input
GLYPHS = rules.load("cleaning")["glyphs"]
PAGE_NUMBER = regex.compile(rules.load("cleaning")["page_number"]["pattern"])
# a raised 2 or 3 after a unit of length is an exponent, not a footnote marker
EXPONENT_BASE = regex.compile(rules.load("cleaning")["exponent_base"]["pattern"])


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
    bold_start: bool = False    # its first characters are bold (a heading, or an inline heading's title)


@dataclass
class PdfText:
    text: str
    lines: list[PdfLine]
    boxes: list[tuple[int, float, float, float, float] | None]   # per character: (page, x0, top, x1, bottom)
    markers: list[tuple[int, int]] = field(default_factory=list)  # (footnote number, offset in text)
    pages: int = 0
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    tables: list = field(default_factory=list)
    pages_without_text: list[int] = field(default_factory=list)   # images only (scanned): OCR needed


@functools.lru_cache(maxsize=256)
def _is_bold(fontname: str) -> bool:
    return "bold" in fontname.lower() or "black" in fontname.lower() or fontname.lower().endswith(",b")


def group_lines(chars: list[dict]) -> list[list[dict]]:
    """Characters of one page to lines in reading order; raised small characters join the line below them."""
    if not any(c["text"].strip() for c in chars):
        return []
    # characters on one exact baseline (a text object's) go together; baselines a little apart make a line
    by_baseline: dict[float, list[dict]] = {}
    for c in chars:
        by_baseline.setdefault(c["baseline"], []).append(c)
    rows: list[list[dict]] = []
    for baseline in sorted(by_baseline, key=lambda b: (round(b, 1), b)):
        group = by_baseline[baseline]
        for row in rows[-3:]:
            ref = row[0]
            if abs(ref["baseline"] - baseline) <= max(1.5, 0.2 * ref["size"]):
                row.extend(group)
                break
        else:
            rows.append(sorted(group, key=_x0))
    rows = [sorted(r, key=_x0) for r in rows]
    # superscripts sit on their own raised baseline: fold them into the line whose text they interrupt
    merged: list[list[dict]] = []
    sizes: list[float] = []
    for row in sorted(rows, key=lambda r: r[0]["baseline"]):
        size = max(c["size"] for c in row)
        if merged and sizes[-1] < SUPERSCRIPT_RATIO * size and row[0]["baseline"] - merged[-1][0]["baseline"] < 0.6 * size \
                and all(c["text"].strip().isdigit() or not c["text"].strip() for c in merged[-1]):
            row = sorted(merged.pop() + row, key=_x0)
            sizes.pop()
        merged.append(row)
        sizes.append(size)
    return merged


def _x0(c: dict) -> float:
    return c["x0"]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@dataclass
class _LineDraft:
    chars: list[dict]
    text: str = ""
    marks: list[tuple[int, int]] = field(default_factory=list)   # (number, offset in line text) of superscripts
    leading_mark: int | None = None
    cells: list[dict] = field(default_factory=list)               # for a table row: its cells
    table: dict | None = None


def _table_row_draft(table: dict, row: int, cells: list) -> _LineDraft:
    """A table row as one line of text, cells separated by " | ", each cell keeping its offsets and box."""
    draft = _LineDraft([], table=table)
    pieces, chars = [], []
    for col, (text, bbox) in enumerate(cells):
        if col:
            pieces.append(" | ")
            chars.extend([None] * 3)
        start = sum(len(p) for p in pieces)
        text = unicodedata.normalize("NFC", text)
        pieces.append(text)
        box = None if bbox is None else {"x0": bbox[0], "top": bbox[1], "x1": bbox[2], "bottom": bbox[3]}
        chars.extend([box] * len(text))
        draft.cells.append({"row": row, "col": col, "text": text, "start": start, "end": start + len(text),
                            "box": bbox})
    draft.text, draft.chars = "".join(pieces), chars
    return draft


def _line_text(row: list[dict], body_size: float) -> _LineDraft:
    """The text of one line with spaces where the gaps are, and its superscript digit runs taken out."""
    size = _median([c["size"] for c in row if c["text"].strip()] or [body_size])
    baseline = _median([c["baseline"] for c in row if c["size"] >= SUPERSCRIPT_RATIO * size] or
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

    small, raised = SUPERSCRIPT_RATIO * size, 0.15 * size
    combining = unicodedata.combining
    for c in row:
        t = c["text"]
        if c["size"] < small and baseline - c["baseline"] > raised and t.isdigit() \
                and not (not run_digits and t in "23" and EXPONENT_BASE.match("".join(pieces[-4:]))):
            run_digits += t
            prev = c
            continue
        if run_digits:
            flush_run()
        if t == " ":
            if pieces and pieces[-1] != " ":
                pieces.append(" ")
                kept.append(c)
            prev = c
            continue
        if prev is not None and (not pieces or pieces[-1] != " ") and c["x0"] - prev["x1"] > 0.2 * c["size"]:
            pieces.append(" ")
            kept.append(None)
        if not t.isascii():
            if pieces and kept[-1] is not None and combining(t[:1] or " "):
                # a decomposed diacritic: compose it into the letter before, box and all
                pieces[-1] = unicodedata.normalize("NFC", pieces[-1] + t)
                kept[-1] = dict(kept[-1], x1=max(kept[-1]["x1"], c["x1"]), top=min(kept[-1]["top"], c["top"]))
                prev = c
                continue
            t = GLYPHS.get(t, unicodedata.normalize("NFC", t))
        if len(t) == 1:
            pieces.append(t)
            kept.append(c)
        else:
            for ch in t:
                pieces.append(ch)
                kept.append(c)
        prev = c
    flush_run()
    while pieces and pieces[-1] == " ":
        pieces.pop()
        kept.pop()
    draft.text = "".join(pieces)
    draft.chars = kept
    return draft


def _inside(c: dict, bbox) -> bool:
    x0, top, x1, bottom = bbox
    middle_x, middle_y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def analyse(pages: list[tuple[float, float, list[dict]]], tables: list[dict] = ()) -> PdfText:
    """Pages of characters (width, height, chars), and the tables found on them, to a PdfText with roles,
    markers, boxes and table cells (a table's text is in its own lines, role "table")."""
    all_sizes: Counter = Counter()
    for size, n in Counter(c["size"] for _, _, chars in pages for c in chars if c["text"].strip()).items():
        all_sizes[round(size, 1)] += n
    body_size = all_sizes.most_common(1)[0][0] if all_sizes else 12.0
    drafts: list[tuple[int, _LineDraft, float, float]] = []
    for page_no, (width, height, chars) in enumerate(pages, start=1):
        boxes_here = [t["bbox"] for t in tables if t["page"] == page_no]
        outside = [c for c in chars if not any(_inside(c, b) for b in boxes_here)] if boxes_here else chars
        rows = [(row[0]["top"], _line_text(row, body_size)) for row in group_lines(outside)]
        for table in (t for t in tables if t["page"] == page_no):
            for r, cells in enumerate(table["rows"]):
                tops = [bbox[1] for _, bbox in cells if bbox]
                rows.append((min(tops) if tops else table["bbox"][1], _table_row_draft(table, r, cells)))
        for _, draft in sorted(rows, key=lambda item: item[0]):
            if draft.text.strip() or draft.leading_mark is not None or draft.cells:
                drafts.append((page_no, draft, width, height))

    running = _running_lines(drafts, len(pages))
    text_parts: list[str] = []
    boxes: list = []
    lines: list[PdfLine] = []
    markers: list[tuple[int, int]] = []
    pos = 0
    current_page = 1
    tables_seen: list[dict] = []
    table_cells: list[dict] = []
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
        size = _median([c["size"] for c in real if "size" in c] or [body_size])
        bold = bool(real) and sum(map(_is_bold, [c.get("fontname", "") for c in real])) > 0.6 * len(real)
        x0 = min((c["x0"] for c in real), default=0.0)
        x1 = max((c["x1"] for c in real), default=0.0)
        top = min((c["top"] for c in real), default=0.0)
        bottom = max((c["bottom"] for c in real), default=0.0)
        line = PdfLine(page_no, draft.text, pos, pos + len(draft.text), x0, top, x1, bottom, size, bold,
                       bold_start=bool(real) and all(_is_bold(c.get("fontname", "")) for c in real[:4]))
        in_margin = top < MARGIN_ZONE * height or bottom > (1 - MARGIN_ZONE) * height
        if draft.table is not None:
            line.role = "table"
            table_id = _table_id(draft.table, tables_seen, page_no, height)
            for cell in draft.cells:
                table_cells.append({**cell, "table_id": table_id, "page": page_no,
                                    "start": pos + cell["start"], "end": pos + cell["end"]})
        elif in_margin and PAGE_NUMBER.match(draft.text):
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

    _mark_footnotes(lines, markers, body_size, {n: h for n, (_, h, _) in enumerate(pages, start=1)})
    return PdfText("".join(text_parts), lines, boxes, markers, len(pages), [(w, h) for w, h, _ in pages],
                   table_cells)


def _table_id(table: dict, seen: list[dict], page_no: int, page_height: float) -> str:
    """A table continuing from the foot of the previous page with the same columns keeps that table's id."""
    if "id" in table:
        return table["id"]
    columns = len(table["rows"][0])
    previous = seen[-1] if seen else None
    if previous and previous["page"] == page_no - 1 and len(previous["rows"][0]) == columns \
            and table["bbox"][1] < 0.25 * page_height and all(abs(a - b) < 3 for a, b in
                                                      zip(_column_edges(previous), _column_edges(table))):
        table["id"] = previous["id"]
    else:
        table["id"] = f"T{len({t['id'] for t in seen}) + 1}"
    seen.append(table)
    return table["id"]


def _column_edges(table: dict) -> list[float]:
    return [bbox[0] for _, bbox in table["rows"][0] if bbox]


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


def _mark_footnotes(lines: list[PdfLine], markers: list[tuple[int, int]], body_size: float,
                    page_heights: dict[int, float]) -> None:
    """Footnote bodies: lines in smaller type led by the next footnote's number, whose marker came before.

    The number leads as a superscript (taken out already) or as plain digits (left in the text). A body
    too long for its page goes on at the foot of the next one, unnumbered."""
    marker_at = {number: offset for number, offset in markers}
    # a continued body sits at the very foot: after the page's last line in body type
    last_full = {}
    for i, line in enumerate(lines):
        if line.role == "body" and line.size >= 0.92 * body_size:
            last_full[line.page] = i
    sizes: dict[int, float] = {}
    expected, current, carried, page = 1, None, None, None
    for i, line in enumerate(lines):
        if line.role != "body":
            continue
        if line.page != page:
            carried, current, page = current, None, line.page
        lead = line.footnote
        line.footnote = None
        if line.size >= 0.92 * body_size:
            current = None
            continue
        if lead is None:
            m = LEADING_NUMBER.match(line.text)
            lead = int(m.group("number")) if m else None
        if lead == expected and marker_at.get(lead, len(line.text) + line.start + 1) < line.start:
            line.role, line.footnote, current, carried = "footnote", lead, lead, None
            sizes[lead] = line.size
            expected += 1
        elif current is not None:
            line.role, line.footnote = "footnote", current
        elif (carried is not None and i > last_full.get(line.page, -1) and abs(line.size - sizes[carried]) < 0.3
              and line.top > 0.6 * page_heights.get(line.page, 842)):
            line.role, line.footnote, current = "footnote", carried, carried


# --- readers ---------------------------------------------------------------------------------------

def check_pdf_bytes(data: bytes, source: str) -> None:
    if not data:
        raise InputError(source, "empty file")
    if b"%PDF-" not in data[:1024]:
        raise InputError(source, "not a PDF file (no %PDF header)")


def find_tables(pdf, page_numbers) -> list[dict]:
    """Ruled tables on the given pages (1-based) of an open pdfplumber PDF: bbox and cells with their boxes."""
    found = []
    for page_no in page_numbers:
        page = pdf.pages[page_no - 1]
        for table in page.find_tables():
            rows = []
            for row, texts in zip(table.rows, table.extract()):
                rows.append([(" ".join((text or "").split()), tuple(bbox) if bbox else None)
                             for bbox, text in zip(row.cells, texts)])
            found.extend(_table_record(page_no, table.bbox, rows))
    return found


def _unturned(page) -> None:
    """Read a page that /Rotate turns for display in its own upright space, as PDFium's text API does:
    the text of a page turned for viewing is still written in lines across its own space."""
    if page.rotation:
        x0, y0, x1, y1 = (float(v) for v in page.page_obj.mediabox)
        page.page_obj.rotate = 0
        page.rotation = 0
        page.mediabox = page.cropbox = page.bbox = (x0, 0.0, x1, y1 - y0)


def chars_pdfplumber(path: str) -> list[tuple[float, float, list[dict]]]:
    import pdfplumber
    try:
        pdf = pdfplumber.open(path)
    except Exception as err:  # pdfminer raises many kinds for broken files, wrapped by pdfplumber
        causes = " ".join(type(e).__name__ for e in (err, *err.args) if isinstance(e, BaseException))
        if "Password" in causes or "Encrypt" in causes:
            raise InputError(path, "encrypted PDF: a password is needed") from None
        raise InputError(path, f"corrupt or truncated PDF ({causes})") from None
    with pdf:
        pages = []
        for page in pdf.pages:
            _unturned(page)
            chars = []
            for c in page.chars:
                a, b, cc, d, e, f = c["matrix"]
                chars.append({"text": c["text"], "fontname": c["fontname"], "size": round(c["size"], 2),
                              "x0": c["x0"], "x1": c["x1"], "top": c["top"], "bottom": c["bottom"],
                              "baseline": page.height - f})
            pages.append((float(page.width), float(page.height), chars))
        ruled = [n for n, page in enumerate(pdf.pages, start=1) if len(page.edges) >= 4]
        return pages, find_tables(pdf, ruled)


_VOID = None


def _pdfium_calls():
    """The PDFium functions called once per character, bound with plain pointer arguments: the typed
    bindings check and convert their arguments on every call, which costs more than the call itself."""
    global _VOID
    if _VOID is None:
        import ctypes

        import pypdfium2.raw as c_api
        void = ctypes.c_void_p

        def bind(function, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, void).value)

        _VOID = {
            "text_object": bind(c_api.FPDFText_GetTextObject, void, void, ctypes.c_int),
            "generated": bind(c_api.FPDFText_IsGenerated, ctypes.c_int, void, ctypes.c_int),
            "font_size": bind(c_api.FPDFText_GetFontSize, ctypes.c_double, void, ctypes.c_int),
            "loose_box": bind(c_api.FPDFText_GetLooseCharBox, ctypes.c_int, void, ctypes.c_int,
                              ctypes.POINTER(c_api.FS_RECTF)),
            "origin": bind(c_api.FPDFText_GetCharOrigin, ctypes.c_int, void, ctypes.c_int,
                           ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_double)),
            "matrix": bind(c_api.FPDFPageObj_GetMatrix, ctypes.c_int, void, ctypes.POINTER(c_api.FS_MATRIX)),
        }
    return _VOID


def _pdfium_page_chars(page, height: float) -> list[dict]:
    """The characters of one PDFium page, as chars_pdfplumber gives them."""
    import ctypes

    import pypdfium2.raw as c_api
    call = _pdfium_calls()
    text_object, generated, font_size = call["text_object"], call["generated"], call["font_size"]
    loose_box, origin, object_matrix = call["loose_box"], call["origin"], call["matrix"]
    textpage = page.get_textpage()
    raw = textpage.raw
    handle = ctypes.cast(raw, ctypes.c_void_p).value
    count = c_api.FPDFText_CountChars(raw)
    buffer = (ctypes.c_ushort * (count + 1))()
    c_api.FPDFText_GetText(raw, 0, count, buffer)
    text = bytes(buffer)[:2 * count].decode("utf-16-le", "replace")
    rect = c_api.FS_RECTF()
    rect_p = ctypes.pointer(rect)
    matrix = c_api.FS_MATRIX()
    matrix_p = ctypes.pointer(matrix)
    x, y = ctypes.c_double(), ctypes.c_double()
    x_p, y_p = ctypes.pointer(x), ctypes.pointer(y)
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    chars = []
    fonts: dict[bytes, str] = {}        # font handles are the page's own
    last_object, fontname, size, baseline = None, "", 0.0, 0.0
    for i, ch in enumerate(text):
        if ch == "\ufffe" and c_api.FPDFText_GetUnicode(raw, i) == 2:
            ch = "-"            # a hyphen at a line's end: U+0002 in PDFium, U+FFFE in the page's text
        if ch in "\r\n\x00\ufffe\uffff":
            continue
        if ch == " " and generated(handle, i) == 1:
            continue
        obj = text_object(handle, i)
        if obj != last_object:
            # font, size and baseline change only between text objects (PDFium makes a new object for a
            # new text state or rise): look them up once per object
            last_object = obj
            # the size on the page: the font's size scaled by the object's matrix (text matrix and CTM),
            # as pdfplumber gives it; "/F1 1 Tf 12 0 0 12 x y Tm" is 12-point text
            size = font_size(handle, i)
            if obj and object_matrix(obj, matrix_p):
                size *= math.hypot(matrix.c, matrix.d)
            size = round(size, 2)
            origin(handle, i, x_p, y_p)
            baseline = height - y.value
            key = bytes(c_api.FPDFTextObj_GetFont(c_api.FPDFText_GetTextObject(raw, i)))
            if key not in fonts:
                length = c_api.FPDFText_GetFontInfo(raw, i, name, 256, flags)
                fonts[key] = name.raw[:max(0, length - 1)].decode("utf-8", "replace")
            fontname = fonts[key]
        loose_box(handle, i, rect_p)
        chars.append({"text": ch, "fontname": fontname, "size": size, "x0": rect.left, "x1": rect.right,
                      "top": height - rect.top, "bottom": height - rect.bottom, "baseline": baseline})
    textpage.close()
    return chars


def _pdfium_page_shapes(page, height: float) -> list[tuple[tuple[float, float, float, float], bool]]:
    """The page's drawn paths as (box, is a rectangle), boxes top-down like the characters'."""
    import ctypes

    import pypdfium2.raw as c_api
    shapes = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for k in range(c_api.FPDFPage_CountObjects(page.raw)):
        obj = c_api.FPDFPage_GetObject(page.raw, k)
        if c_api.FPDFPageObj_GetType(obj) != c_api.FPDF_PAGEOBJ_PATH:
            continue
        if not c_api.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        segments = c_api.FPDFPath_CountSegments(obj)
        straight = all(c_api.FPDFPathSegment_GetType(c_api.FPDFPath_GetPathSegment(obj, n)) != c_api.FPDF_SEGMENT_BEZIERTO
                       for n in range(segments))
        shapes.append(((left.value, height - top.value, right.value, height - bottom.value),
                       straight and 4 <= segments <= 5))
    return shapes


def grid_tables(page_no: int, shapes: list, chars: list[dict]) -> list[dict]:
    """The ruled tables that a page's drawn shapes make (extract.grid), with the text of every cell."""
    found = []
    for grid in find_grids(shapes):
        boxes = [box for row in grid for box in row if box]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        in_table = [c for c in chars if _inside(c, bbox)]
        rows = []
        for row in grid:
            cells = [box for box in row if box]
            band = (bbox[0], min(b[1] for b in cells), bbox[2], max(b[3] for b in cells))
            in_row = [c for c in in_table if _inside(c, band)]
            rows.append([("", None) if box is None else (_cell_text(in_row, box), box) for box in row])
        found.extend(_table_record(page_no, bbox, rows))
    return found


def _cell_text(chars: list[dict], box) -> str:
    inside = [c for c in chars if _inside(c, box)]
    size = Counter(c["size"] for c in inside).most_common(1)[0][0] if inside else 12.0
    return " ".join(" ".join(_line_text(row, size).text for row in group_lines(inside)).split())


def _table_record(page_no: int, bbox, rows: list) -> list[dict]:
    """A table as the layout analysis takes it, if it has at least two rows and two columns."""
    if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
        return [{"page": page_no, "bbox": tuple(bbox), "rows": rows}]
    return []


def chars_pdfium(path: str) -> list[tuple[float, float, list[dict]]]:
    """The same characters as chars_pdfplumber, through PDFium's text API, and the ruled tables that
    the pages' drawn lines make."""
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise InputError(path, "encrypted PDF: a password is needed") from None
        # PDFium says little about why a file fails (a zero-page file "fails" too): ask the reference
        return chars_pdfplumber(path)
    pages, tables = [], []
    try:
        for page_no, page in enumerate(pdf, start=1):
            width, height = page.get_size()
            if page.get_rotation() in (90, 270):
                width, height = height, width   # the text API works in the page's own, unturned space
            chars = _pdfium_page_chars(page, height)
            tables += grid_tables(page_no, _pdfium_page_shapes(page, height), chars)
            page.close()
            pages.append((float(width), float(height), chars))
    finally:
        pdf.close()
    return pages, tables


READERS = {"pdfium": chars_pdfium, "pdfplumber": chars_pdfplumber}
CID_OR_PRIVATE = regex.compile(r"\(cid:\d+\)|[\p{Co}\p{Cc}\ufffd]")
# Latin-1 signs that Vietnamese text never uses but legacy TCVN3/VNI fonts without a Unicode map yield
# ("B¸o c¸o t×nh h×nh"): their share tells garbled text from real text
LEGACY_GARBAGE = regex.compile(r"[¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ]")


def read_pdf(path: str, reader: str = "pdfium") -> PdfText:
    """A PDF file to its PdfText, or an InputError naming the file and what is wrong with it."""
    from pathlib import Path
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(path, err.strerror or "cannot be read") from None
    check_pdf_bytes(data, path)
    try:
        pages, tables = READERS[reader](path)
    except OSError as err:
        raise InputError(path, err.strerror or "cannot be read") from None
    if not pages:
        raise InputError(path, "PDF has no pages")
    if not any(c["text"].strip() for _, _, chars in pages for c in chars):
        raise InputError(path, "no text layer, OCR needed (the pages are images)")
    pdf_text = analyse(pages, tables)
    textless = [n for n, (_, _, chars) in enumerate(pages, start=1) if not any(c["text"].strip() for c in chars)]
    pdf_text.pages_without_text = _image_pages(path, textless) if textless else []
    visible = regex.sub(r"\s", "", pdf_text.text)
    unreadable = sum(len(m.group()) for m in CID_OR_PRIVATE.finditer(visible))
    legacy = len(LEGACY_GARBAGE.findall(visible))
    if not visible or unreadable > 0.1 * len(visible) or legacy > 0.02 * len(visible):
        raise InputError(path, "the text layer cannot be read: its fonts have no Unicode map "
                               "(legacy TCVN3/VNI encoding?); OCR needed")
    return pdf_text


def _image_pages(path: str, page_numbers: list[int]) -> list[int]:
    """Those of the given pages (1-based) that show an image: a scanned page in a PDF that has text
    elsewhere. A page with neither text nor image is a blank page, not a missing text layer."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c_api
    found = []
    pdf = pdfium.PdfDocument(path)
    try:
        for n in page_numbers:
            page = pdf[n - 1]
            if any(c_api.FPDFPageObj_GetType(c_api.FPDFPage_GetObject(page.raw, k)) == c_api.FPDF_PAGEOBJ_IMAGE
                   for k in range(c_api.FPDFPage_CountObjects(page.raw))):
                found.append(n)
            page.close()
    finally:
        pdf.close()
    return found


def _read_in_child(path: str, reader: str, memory_bytes: int, conn) -> None:
    from .limits import cap_memory
    too_big = f"needs more than {memory_bytes // 2**20} MiB of memory to read"
    try:
        cap_memory(memory_bytes)
        conn.send(("ok", read_pdf(path, reader)))
    except InputError as err:
        conn.send(("error", err.cause))
    except (MemoryError, ImportError):
        conn.send(("error", too_big))
    except Exception as err:  # a PDF library failing on a malformed file: report it, do not crash the batch
        conn.send(("error", f"unreadable PDF ({type(err).__name__}: {err})"))
    finally:
        conn.close()


_CONTEXT = None


@contextlib.contextmanager
def _main_module_hidden():
    """The child needs nothing from the main script; without this, multiprocessing would run the script
    again in every child (with spaCy and the whole pipeline: more than a second per PDF)."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _context():
    """A fork server with the PDF libraries loaded: each file is read in a fresh, small child process."""
    global _CONTEXT
    if _CONTEXT is None:
        import multiprocessing
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["extract.pdf", "pypdfium2", "pdfplumber"])
    return _CONTEXT


def read_pdf_bounded(path: str, reader: str = "pdfium", timeout: float = 120.0, memory_mb: int = 2048) -> PdfText:
    """read_pdf in a child process that is killed after TIMEOUT seconds or when it passes MEMORY_MB."""
    context = _context()
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_read_in_child, args=(path, reader, memory_mb * 2**20, child), daemon=True)
    with _main_module_hidden():
        process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            process.kill()
            raise InputError(path, f"reading the PDF took longer than {timeout:g} s (stopped)")
        try:
            status, payload = parent.recv()
        except EOFError:
            process.join(5)
            raise InputError(path, f"the PDF reader stopped (exit code {process.exitcode}): it ran out of the "
                                   f"{memory_mb} MiB of memory allowed, or the PDF library crashed") from None
    finally:
        process.join(5)
        parent.close()
    if status == "error":
        raise InputError(path, payload)
    return payload
