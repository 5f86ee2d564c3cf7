"""The layout model every reader gives, and the layout analysis of pages of characters.

A Layout is a document's text as read (lines joined by newlines, pages by form feeds, footnote markers
taken out, page numbers and running heads left out), one record per line with its page, box, size,
weight and role (body, footnote, table), the markers with the footnote they point to, a box for every
character, and the cells of its tables. `analyse` makes one from pages of positioned characters (a PDF's
text layer, OCR'd words), `grid_tables` finds the ruled tables their drawn lines make;
readers of formats without pages (Word, spreadsheets, web pages) build one line by line, the latter two
with a LayoutWriter.
"""
import bisect
import functools
from array import array
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, groupby
from operator import itemgetter, methodcaller

import numpy
import regex

from . import legacy
from . import rulebook as rules
from .grid import find_grids

LEADING_NUMBER = regex.compile(r"^\s*(?P<number>\d{1,2})\s*:?\s*(?=\S)")
SUPERSCRIPT_RATIO = 0.85        # a character this much smaller than its line and raised is a superscript
# a gap between two characters' boxes wider than SURE_GAP of the type size is a space between words; one wider
# than WORD_GAP (pdfminer's word margin) is one too, unless the reader tells that it is none (space_before:
# PDFium weighs the gap against the font's own space). Producers that draw no space glyph (a browser's "Save
# as PDF", justified lines) leave 0.12-0.25 of the size between words; within a word the boxes touch, but for
# a glyph from another font's metrics ("11,36‰" in a browser's fallback font: 0.10)
WORD_GAP, SURE_GAP = 0.1, 0.2
LETTER_SPACING_MAX = 0.5        # letters set further apart than this share of the size are no letter-spaced word
MARGIN_ZONE = 0.09              # top and bottom share of the page where page numbers and running heads sit
# legacy glyphs and the page-number line, as rules/cleaning.yaml gives them for text input
GLYPHS = rules.load("cleaning")["glyphs"]
PAGE_NUMBER = regex.compile(rules.load("cleaning")["page_number"]["pattern"])
# a raised 2 or 3 after a unit of length is an exponent, not a footnote marker
EXPONENT_BASE = regex.compile(rules.load("cleaning")["exponent_base"]["pattern"])
DIGIT_RUN = regex.compile(r"\d+")
# a footnote body's number read by OCR without its marker: a capital follows it, as a body's first word has
FOLLOWED_BY_CAPITAL = regex.compile(r"^\s*\d{1,2}\s*:?\s*\p{Lu}")
SENTENCE_END = frozenset(".;:!?)")
# a body's number misread as a mark that is no word: one letter or sign alone, then a capitalised word
NO_WORD_LEAD = regex.compile(r"^\s*(?:[^\p{L}\p{N}\s]|\p{Lu})\s+\p{Lu}\p{Ll}")


@dataclass
class Line:
    page: int | None            # 1-based; None where the format has no pages
    text: str
    start: int                  # offsets in Layout.text
    end: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float                 # dominant font size
    bold: bool
    role: str = "body"          # body | footnote | table (page numbers and running heads are left out)
    footnote: int | None = None # for footnote lines: the footnote's number
    bold_start: bool = False    # its first characters are bold (a heading, or an inline heading's title)
    paragraph: int | None = None  # where the format has paragraphs and no pages (Word): its number, 1-based
    joins_next: bool = False    # the line ends inside a word that the next line ends (a soft hyphen's break)


class CharBoxes:
    """The box of every character of a text, (page, x0, top, x1, bottom) or None where it has none, held
    in two arrays (a page number and four coordinates per character) rather than as a tuple each: a
    thousand-page report has two million characters. Indexed and sliced like the list of tuples."""

    NO_BOX = (0.0, 0.0, 0.0, 0.0)

    def __init__(self):
        self.pages = array("i")      # 1-based; 0 where the character has no box
        self.coords = array("d")

    def add_none(self, count: int) -> None:
        self.pages.extend([0] * count)
        self.coords.extend(self.NO_BOX * count)

    def add(self, page: int, chars: list[dict | None]) -> None:
        """The boxes of CHARS (None for a character placed by no glyph) on PAGE."""
        if None not in chars:
            self.pages.extend(array("i", [page]) * len(chars))
            self.coords.fromlist(list(chain.from_iterable(map(_box, chars))))     # from a list: at once
            return
        no_box = self.NO_BOX
        self.pages.extend([0 if c is None else page for c in chars])
        self.coords.extend([v for c in chars
                            for v in (no_box if c is None else (c["x0"], c["top"], c["x1"], c["bottom"]))])

    def extend(self, other: "CharBoxes") -> None:
        self.pages.extend(other.pages)
        self.coords.extend(other.coords)

    def __len__(self) -> int:
        return len(self.pages)

    def _box(self, i: int):
        page = self.pages[i]
        if not page:
            return None
        k = 4 * i
        return page, *self.coords[k:k + 4]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self._box(range(len(self.pages))[index])
        start, stop, step = index.indices(len(self.pages))
        if step != 1:
            return [self._box(i) for i in range(start, stop, step)]
        coords = iter(self.coords[4 * start:4 * max(start, stop)])
        return [(page, *box) if page else None
                for page, box in zip(self.pages[start:stop], zip(coords, coords, coords, coords))]

    def __iter__(self):
        return (self._box(i) for i in range(len(self.pages)))


@dataclass
class Layout:
    text: str
    lines: list[Line]
    boxes: "CharBoxes | list"   # per character: (page, x0, top, x1, bottom), or None
    markers: list[tuple[int, int]] = field(default_factory=list)  # (footnote number, offset in text)
    pages: int = 0
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    tables: list = field(default_factory=list)
    pages_without_text: list[int] = field(default_factory=list)   # images only, not read (OCR off)
    ocr_pages: list[int] = field(default_factory=list)            # pages whose text OCR read
    confidence: list[float | None] | None = None                  # per character, for text read by OCR (0-100)
    encoding: str = "unicode"   # what the text was typed in: unicode, tcvn3, vni, mixed
    format: str = ""            # what was read: pdf, pdf+ocr, docx, doc ... (documents.format)

    @functools.cached_property
    def line_starts(self) -> list[int]:
        return [line.start for line in self.lines]

    def line_at(self, offset: int) -> Line | None:
        """The line that holds the character at OFFSET of the text."""
        k = bisect.bisect_right(self.line_starts, offset) - 1
        return self.lines[k] if k >= 0 and offset <= self.lines[k].end else None


@functools.lru_cache(maxsize=256)
def _is_bold(fontname: str) -> bool:
    return "bold" in fontname.lower() or "black" in fontname.lower() or fontname.lower().endswith(",b")


def group_lines(chars: list[dict]) -> list[list[dict]]:
    """Characters of one page to lines in reading order; raised small characters join the line below them."""
    if not any(c["text"].strip() for c in chars):
        return []
    # characters on one exact baseline (a text object's) go together; baselines a little apart make a line
    by_baseline: dict[float, list[dict]] = {}
    for baseline, run in groupby(chars, _baseline):
        by_baseline.setdefault(baseline, []).extend(run)
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
        size = max(map(_size, row))
        if merged and sizes[-1] < SUPERSCRIPT_RATIO * size and row[0]["baseline"] - merged[-1][0]["baseline"] < 0.6 * size \
                and all(c["text"].strip().isdigit() or not c["text"].strip() for c in merged[-1]):
            row = sorted(merged.pop() + row, key=_x0)
            sizes.pop()
        merged.append(row)
        sizes.append(size)
    return merged


_x0, _x1, _top, _bottom = (itemgetter(key) for key in ("x0", "x1", "top", "bottom"))
_size, _baseline, _box = itemgetter("size"), itemgetter("baseline"), itemgetter("x0", "top", "x1", "bottom")
_confidence = methodcaller("get", "confidence")


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
    encoding: str = "unicode"                                     # legacy encoding its text was read in
    joins_next: bool = False                                      # it ends inside a word the next line ends
    # what the layout keeps of its characters once they are settled (settle): their extent, size and weight,
    # each one's box and OCR confidence
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    size: float | None = None
    bold: bool = False
    bold_start: bool = False
    boxes: "CharBoxes | None" = None
    confidence: list | None = None

    def settle(self, page_no: int) -> None:
        """Keep what the layout needs of the line's characters, and let them go: a long document is laid
        out page by page, without holding every character of every page."""
        real = [c for c in self.chars if c is not None]
        self.boxes = CharBoxes()
        self.boxes.add(page_no, self.chars)
        if real and len(real) == len(self.chars):
            coords = self.boxes.coords
            self.top, self.bottom = min(coords[1::4]), max(coords[3::4])
            self.x0, self.x1 = min(coords[0::4]), max(coords[2::4])
        else:
            self.top = min(map(_top, real), default=0.0)
            self.bottom = max(map(_bottom, real), default=0.0)
            self.x0 = min(map(_x0, real), default=0.0)
            self.x1 = max(map(_x1, real), default=0.0)
        sizes = [c["size"] for c in real if "size" in c]
        self.size = _median(sizes) if sizes else None
        fonts = Counter([c.get("fontname", "") for c in real])
        self.bold = bool(real) and sum(n for font, n in fonts.items() if _is_bold(font)) > 0.6 * len(real)
        self.bold_start = bool(real) and all(_is_bold(c.get("fontname", "")) for c in real[:4])
        self.confidence = None
        if real and set(map(_confidence, real)) != {None}:     # read by OCR
            self.confidence = [None if c is None else c.get("confidence") for c in self.chars]
        self.chars = []


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
        if not text.isascii():
            converted = legacy.convert(text)       # a table finder's own cell text (pdfplumber)
            if converted.encoding != "unicode":
                text, draft.encoding = converted.text, converted.encoding
        pieces.append(text)
        box = None if bbox is None else {"x0": bbox[0], "top": bbox[1], "x1": bbox[2], "bottom": bbox[3]}
        if box is not None and "confidence" in table:
            box["confidence"] = table["confidence"].get((row, col))
        chars.extend([box] * len(text))
        draft.cells.append({"row": row, "col": col, "text": text, "start": start, "end": start + len(text),
                            "box": bbox})
    draft.text, draft.chars = "".join(pieces), chars
    return draft


def line_text(row: list[dict]) -> _LineDraft:
    """The text of one line with spaces where the gaps are, and its superscript digit runs taken out.

    A line set letter-spaced ("B Á O  C Á O", a title in expanded type) has a gap between every two
    letters: where most letters came out as words of their own, the line is read again with the gaps
    measured from the gap its letters usually have."""
    # a row of blanks only has no digit to raise: any size does for it
    size = _median([c["size"] for c in row if c["text"].strip()] or [row[0]["size"]])
    baseline = _median([c["baseline"] for c in row if c["size"] >= SUPERSCRIPT_RATIO * size] or
                       [row[0]["baseline"]])
    draft, letters, gap_spaces = _assembled(row, size, baseline, 0.0)
    if gap_spaces >= 2 and 2 * gap_spaces > letters:
        visible = [c for c in row if c["text"].strip()]
        spread = _median([b["x0"] - a["x1"] for a, b in zip(visible, visible[1:])])
        if 0 < spread < LETTER_SPACING_MAX * size:
            draft = _assembled(row, size, baseline, spread)[0]
    return _unlegacy(draft) if not draft.text.isascii() else draft


def _assembled(row: list[dict], size: float, baseline: float, spread: float) -> tuple[_LineDraft, int, int]:
    """The line's text (line_text), a space where two characters are more than SPREAD plus a tenth of the
    type size apart; and how many letters and how many spaces for gaps it has."""
    draft = _LineDraft(row)
    kept: list[dict] = []
    pieces: list[str] = []
    run_digits = ""
    prev = None
    gap_spaces = 0

    def flush_run():
        nonlocal run_digits
        if run_digits:
            if not pieces and not draft.marks:
                draft.leading_mark = int(run_digits)
            else:
                draft.marks.append((int(run_digits), len("".join(pieces))))
            run_digits = ""

    small, raised = SUPERSCRIPT_RATIO * size, 0.15 * size
    combining, normalize = unicodedata.combining, unicodedata.normalize
    add_piece, keep = pieces.append, kept.append
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
                add_piece(" ")
                keep(c)
            prev = c
            continue
        if prev is not None and pieces and pieces[-1] != " " \
                and (gap := c["x0"] - prev["x1"]) > spread + WORD_GAP * c["size"] \
                and (c.get("space_before", True) or gap > spread + SURE_GAP * c["size"]):
            add_piece(" ")
            keep(None)
            gap_spaces += 1
        if not t.isascii():
            if pieces and kept[-1] is not None and combining(t[:1] or " "):
                # a decomposed diacritic: compose it into the letter before, box and all
                pieces[-1] = normalize("NFC", pieces[-1] + t)
                kept[-1] = dict(kept[-1], x1=max(kept[-1]["x1"], c["x1"]), top=min(kept[-1]["top"], c["top"]))
                prev = c
                continue
            t = normalize("NFC", t)
        if len(t) == 1:
            add_piece(t)
            keep(c)
        else:
            for ch in t:
                add_piece(ch)
                keep(c)
        prev = c
    flush_run()
    while pieces and pieces[-1] == " ":
        pieces.pop()
        kept.pop()
    draft.text = "".join(pieces)
    draft.chars = kept
    return draft, len(pieces) - draft.text.count(" "), gap_spaces


def _unlegacy(draft: _LineDraft) -> _LineDraft:
    """A line typed in a legacy font without a Unicode map (TCVN3 "B¸o c¸o", VNI "Baùo caùo") in Unicode,
    each character keeping the box of the first glyph it comes from; else its legacy glyphs (rules/cleaning.yaml)
    mapped. A line that ends in a word broken at a soft hyphen (TCVN3's ư is the soft hyphen's code, where
    word processors break lines and print a hyphen: "tr-" over "êng") joins the next line without a space."""
    if legacy.UNICODE_ONLY.search(draft.text):
        converted = None        # Unicode Vietnamese already, as most lines are: no need to weigh it
    else:
        fonts = Counter(c.get("fontname", "") for c in draft.chars if c is not None)
        converted = legacy.convert(draft.text, fonts.most_common(1)[0][0] if fonts else None)
    if converted is None or converted.encoding == "unicode":
        if GLYPHS.keys().isdisjoint(draft.text):
            return draft
        return _remap(draft, [(GLYPHS.get(ch, ch), i) for i, ch in enumerate(draft.text)])
    draft.joins_next = draft.text.endswith(("-", "\u00ad")) and converted.text.endswith("ư")
    draft.encoding = converted.encoding
    return _remap(draft, [(ch, i) for ch, i in zip(converted.text, converted.source_index)])


def _remap(draft: _LineDraft, pieces: list[tuple[str, int]]) -> _LineDraft:
    """The draft's text made of PIECES (new text, index of the character it replaces), boxes and markers
    following. A soft hyphen that ends a line of Unicode text is a broken word: dropped, the line joined."""
    if pieces and pieces[-1][0] == "" and draft.text.endswith("\u00ad"):
        draft.joins_next = True
    kept = [draft.chars[i] for piece, i in pieces for _ in piece]
    starts = [i for piece, i in pieces for _ in piece]
    draft.marks = [(number, bisect.bisect_left(starts, offset)) for number, offset in draft.marks]
    draft.text, draft.chars = "".join(piece for piece, _ in pieces), kept
    return draft


class Middles:
    """The middles of a page's characters as arrays, to tell at once which are inside a box: a character is
    inside a box (a table, a row, a cell) where its middle is."""

    def __init__(self, chars: list[dict]):
        def column(get):
            return numpy.fromiter(map(get, chars), float, len(chars))
        self.chars = chars
        self.x, self.y = (column(_x0) + column(_x1)) / 2, (column(_top) + column(_bottom)) / 2

    def inside(self, bbox) -> numpy.ndarray:
        x0, top, x1, bottom = bbox
        return (x0 <= self.x) & (self.x <= x1) & (top <= self.y) & (self.y <= bottom)

    def chosen(self, mask: numpy.ndarray) -> list[dict]:
        """The characters MASK chooses, in their order."""
        return [self.chars[i] for i in numpy.flatnonzero(mask).tolist()]


def outside_of(chars: list[dict], bboxes: list) -> list[dict]:
    """The characters that are inside none of BBOXES (as Middles tells)."""
    middles = Middles(chars)
    out = numpy.ones(len(chars), bool)
    for bbox in bboxes:
        out &= ~middles.inside(bbox)
    return middles.chosen(out)


def analyse(pages: list[tuple[float, float, list[dict]]], tables: list[dict] = ()) -> Layout:
    """Pages of characters (width, height, chars), and the tables found on them, to a Layout with roles,
    markers, boxes and table cells (a table's text is in its own lines, role "table")."""
    on_page: dict[int, list[dict]] = {}
    for table in tables:
        on_page.setdefault(table["page"], []).append(table)
    return analyse_pages((width, height, chars, on_page.get(n, []))
                         for n, (width, height, chars) in enumerate(pages, start=1))


def analyse_pages(pages) -> Layout:
    """As analyse, from pages (width, height, chars, the page's tables) taken one at a time: each page's
    characters can go once it is laid out (a reader may make them page by page)."""
    all_sizes: Counter = Counter()
    page_sizes: list[tuple[float, float]] = []
    drafts: list[tuple[int, _LineDraft, float, float]] = []
    for page_no, (width, height, chars, page_tables) in enumerate(pages, start=1):
        page_sizes.append((width, height))
        all_sizes.update([c["size"] for c in chars if c["text"].strip()])
        boxes_here = [t["bbox"] for t in page_tables]
        outside = outside_of(chars, boxes_here) if boxes_here else chars
        rows = [(row[0]["top"], line_text(row)) for row in group_lines(outside)]
        for table in page_tables:
            for r, cells in enumerate(table["rows"]):
                tops = [bbox[1] for _, bbox in cells if bbox]
                rows.append((min(tops) if tops else table["bbox"][1], _table_row_draft(table, r, cells)))
        for _, draft in sorted(rows, key=lambda item: item[0]):
            if draft.text.strip() or draft.leading_mark is not None or draft.cells:
                draft.settle(page_no)
                drafts.append((page_no, draft, width, height))
    body_sizes: Counter = Counter()
    for size, n in all_sizes.items():
        body_sizes[round(size, 1)] += n
    body_size = body_sizes.most_common(1)[0][0] if body_sizes else 12.0

    running = _running_lines(drafts, len(page_sizes))
    text_parts: list[str] = []
    boxes = CharBoxes()
    read_by_ocr: list[tuple[int, list]] = []      # (offset, per character confidence) of the lines OCR read
    lines: list[Line] = []
    markers: list[tuple[int, int]] = []
    pos = 0
    current_page = 1
    tables_seen: list[dict] = []
    table_cells: list[dict] = []
    for page_no, draft, width, height in drafts:
        in_margin = draft.top < MARGIN_ZONE * height or draft.bottom > (1 - MARGIN_ZONE) * height
        if draft.table is None and (in_margin and PAGE_NUMBER.match(draft.text) or (page_no, draft.text) in running):
            continue            # page numbers and running heads are not the report's text
        if page_no != current_page:
            separator = "\f" * (page_no - current_page)
            text_parts.append(separator)
            boxes.add_none(len(separator))
            pos += len(separator)
            current_page = page_no
        elif lines:
            text_parts.append("\n")
            boxes.add_none(1)
            pos += 1
        size = draft.size if draft.size is not None else body_size
        line = Line(page_no, draft.text, pos, pos + len(draft.text), draft.x0, draft.top, draft.x1, draft.bottom,
                    size, draft.bold, bold_start=draft.bold_start, joins_next=draft.joins_next)
        if draft.table is not None:
            line.role = "table"
            table_id = _table_id(draft.table, tables_seen, page_no, height)
            for cell in draft.cells:
                table_cells.append({**cell, "table_id": table_id, "page": page_no,
                                    "start": pos + cell["start"], "end": pos + cell["end"]})
        if draft.leading_mark is not None:
            line.footnote = draft.leading_mark
        for number, offset in draft.marks:
            markers.append((number, pos + offset))
        text_parts.append(draft.text)
        boxes.extend(draft.boxes)
        if draft.confidence is not None:
            read_by_ocr.append((pos, draft.confidence))
        pos += len(draft.text)
        lines.append(line)

    _mark_footnotes(lines, markers, body_size, {n: h for n, (_, h) in enumerate(page_sizes, start=1)})
    encodings = {draft.encoding for _, draft, _, _ in drafts} - {"unicode"}
    encoding = "mixed" if len(encodings) > 1 else next(iter(encodings), "unicode")
    confidence = None
    if read_by_ocr:             # a line has a confidence only where OCR gave one of its characters one
        confidence = [None] * pos
        for start, values in read_by_ocr:
            confidence[start:start + len(values)] = values
    return Layout("".join(text_parts), lines, boxes, markers, len(page_sizes), page_sizes,
                  table_cells, confidence=confidence, encoding=encoding)


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
        if draft.top < MARGIN_ZONE * height or draft.bottom > (1 - MARGIN_ZONE) * height:
            key = DIGIT_RUN.sub("#", draft.text.strip())
            seen.setdefault(key, set()).add(page_no)
    repeated = {k for k, pages in seen.items() if len(pages) >= max(3, page_count // 2) and k != "#"}
    if not repeated:
        return set()
    return {(p, d.text) for p, d, _, _ in drafts if DIGIT_RUN.sub("#", d.text.strip()) in repeated}


def _mark_footnotes(lines: list[Line], markers: list[tuple[int, int]], body_size: float,
                    page_heights: dict[int, float]) -> None:
    """Footnote bodies: lines in smaller type led by the next footnote's number, whose marker came before.

    The number leads as a superscript (taken out already) or as plain digits (left in the text). A body
    too long for its page goes on at the foot of the next one, unnumbered. Read by OCR, a marker or a
    body's number can be lost or misread; at the foot of a page, below its last line in body type:
    - a number whose marker was not found still leads a body if it is the next one and a capital
      follows it (a body's continuation that starts with a number goes on in small letters);
    - a mark that is no word ('Í', '?'), or a number whose own marker is nowhere before it ('8' for '3'),
      leads the next body if that body's marker was found and the line before ends a sentence;
    - a number past the next one leads its body if its marker was found (the ones between were lost);
    - the first line under the page's body, in small type, leads the next body if that body's marker is on
      the same page and no body goes on from the page before (its number lost altogether)."""
    marker_at = {number: offset for number, offset in markers}
    # a continued body sits at the very foot: after the page's last line in body type
    # (a line of a word or two is left out: read by OCR, its few letters give its size badly)
    last_full = {}
    for i, line in enumerate(lines):
        if line.role == "body" and line.size >= 0.92 * body_size and not _short(line):
            last_full[line.page] = i
    page_start: dict[int, int] = {}
    for line in lines:
        page_start.setdefault(line.page, line.start)
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
            if current is not None and _short(line) and i > last_full.get(line.page, -1):
                line.role, line.footnote = "footnote", current     # a body's last word or two, sized badly
            else:
                current = None
            continue
        at_foot = i > last_full.get(line.page, -1) and line.top > 0.5 * page_heights.get(line.page, 842)
        marked = lambda number: marker_at.get(number, line.end + 1) < line.start
        unmarked_ok = lead is not None           # a raised number leads a body on its own
        if lead is None:
            # where the next body's marker was found, a body may start here with its number misread
            misread = at_foot and marked(expected) and (i == 0 or lines[i - 1].size >= 0.92 * body_size
                                                        or lines[i - 1].text.rstrip()[-1:] in SENTENCE_END)
            if m := LEADING_NUMBER.match(line.text):
                lead, unmarked_ok = int(m.group("number")), bool(FOLLOWED_BY_CAPITAL.match(line.text))
                if misread and lead != expected and not marked(lead) and unmarked_ok:
                    lead = expected          # '8' for '3'
            elif misread and NO_WORD_LEAD.match(line.text):
                lead = expected              # 'Í' for '1'
            elif misread and carried is None and i - 1 == last_full.get(line.page) and line.text[:1].isupper() \
                    and marker_at[expected] >= page_start[line.page]:
                lead = expected              # the number lost: the first line under the body, its marker above
        started = lead is not None and (expected <= lead <= expected + 2 and marked(lead)
                                        or lead == expected and at_foot and unmarked_ok)
        if started:
            line.role, line.footnote, current, carried = "footnote", lead, lead, None
            sizes[lead] = line.size
            expected = lead + 1
        elif current is not None:
            line.role, line.footnote = "footnote", current
        elif (carried is not None and i > last_full.get(line.page, -1) and abs(line.size - sizes[carried]) < 0.3
              and line.top > 0.6 * page_heights.get(line.page, 842)):
            line.role, line.footnote, current = "footnote", carried, carried


def _short(line: Line) -> bool:
    return len(line.text.split()) <= 2


def table_record(page_no: int, bbox, rows: list) -> list[dict]:
    """A table as the layout analysis takes it, if it has at least two rows and two columns."""
    if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
        return [{"page": page_no, "bbox": tuple(bbox), "rows": rows}]
    return []


def grid_tables(page_no: int, shapes: list, chars: list[dict]) -> list[dict]:
    """The ruled tables that a page's drawn shapes make (extract.grid), with the text of every cell."""
    found = []
    grids = find_grids(shapes)
    middles = Middles(chars) if grids else None
    for grid in grids:
        boxes = [box for row in grid for box in row if box]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        in_table = middles.inside(bbox)
        rows = []
        for row in grid:
            cells = [box for box in row if box]
            band = (bbox[0], min(b[1] for b in cells), bbox[2], max(b[3] for b in cells))
            in_row = in_table & middles.inside(band)
            rows.append([("", None) if box is None else (_cell_text(middles.chosen(in_row & middles.inside(box))), box)
                         for box in row])
        found.extend(table_record(page_no, bbox, rows))
    return found


def _cell_text(within: list[dict]) -> str:
    return " ".join(" ".join(line_text(row).text for row in group_lines(within)).split())


class LayoutWriter:
    """A Layout written line by line, for formats without pages: paragraphs (body or footnote lines),
    and tables whose rows are lines of cells joined by " | "."""

    def __init__(self):
        self.parts: list[str] = []
        self.lines: list[Line] = []
        self.tables: list[dict] = []
        self.markers: list[tuple[int, int]] = []
        self.pos = 0
        self.paragraphs = 0
        self.encodings: set[str] = set()

    def _line(self, text: str, **fields) -> Line:
        if self.lines:
            self.parts.append("\n")
            self.pos += 1
        line = Line(None, text, self.pos, self.pos + len(text), 0.0, 0.0, 0.0, 0.0, 12.0, **fields)
        self.parts.append(text)
        self.pos += len(text)
        self.lines.append(line)
        return line

    def paragraph(self, text: str, bold: bool = False, bold_start: bool = False,
                  markers: list[tuple[int, int]] = (), footnote: int | None = None) -> None:
        """One paragraph on one line; MARKERS are (footnote number, offset in TEXT) of markers taken out."""
        self.paragraphs += 1
        line = self._line(text, bold=bold, role="footnote" if footnote is not None else "body",
                          footnote=footnote, bold_start=bold_start, paragraph=self.paragraphs)
        self.markers.extend((number, line.start + offset) for number, offset in markers)

    def table(self, table_id: str, rows: list[list[tuple[str, tuple | None]]], **extra) -> None:
        """ROWS of (text, box) cells, a merged cell's covered places ("", None); EXTRA goes on every cell."""
        for r, cells in enumerate(rows):
            draft = _table_row_draft({}, r, cells)
            line = self._line(draft.text, bold=False, role="table")
            for cell in draft.cells:
                self.tables.append({**cell, "start": line.start + cell["start"], "end": line.start + cell["end"],
                                    "table_id": table_id, "page": None, **extra})

    def typed(self, text: str, font: str | None) -> tuple[str, list[int]]:
        """TEXT in Unicode, converted where it was typed in a legacy font (TCVN3, VNI), and for each
        character the index in TEXT it comes from."""
        if text.isascii():
            return text, list(range(len(text)))
        converted = legacy.convert(text, font)       # NFC, whatever it was typed in
        self.encodings.add(converted.encoding)
        return converted.text, converted.source_index

    def layout(self, fmt: str) -> Layout:
        text = "".join(self.parts)
        found = self.encodings - {"unicode"}
        encoding = "mixed" if len(found) > 1 else next(iter(found), "unicode")
        return Layout(text, self.lines, [None] * len(text), sorted(self.markers, key=lambda m: m[1]),
                      tables=self.tables, encoding=encoding, format=fmt)
