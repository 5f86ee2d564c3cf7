"""The spreadsheet reader: a workbook (.xlsx by openpyxl, .xls by xlrd) to a Layout: each visible sheet's table
as table rows of cells as the sheet shows them (Vietnamese separators, formulas' cached results), its title
rows and notes as lines. Hidden rows, columns and sheets are left out; a cell's box is its place in points.
"""
import datetime as dt
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..layout import Layout, LayoutWriter
from ..load import InputError
from ..table_figures import column_roles

# A zip member that inflates more than this many times over is a zip bomb, not a workbook: sheet XML
# compresses about tenfold, a sheet of empty styled cells a hundredfold at most.
MAX_INFLATION = 200
INFLATION_FLOOR = 1 << 20            # smaller members are never suspect
# openpyxl holds a cell in a few hundred bytes for some tens of bytes of XML: a workbook may declare
# this share of the memory allowed
XML_SHARE_OF_MEMORY = 1 / 8
DEFAULT_COLUMN_CHARS = 8.43          # Excel's default column width, in characters of the default font
DEFAULT_ROW_POINTS = 15.0
WHITESPACE = re.compile(r"[\s\x00-\x08\x0e-\x1f\x7f]+")


@dataclass
class Cell:
    """One cell as the sheet shows it."""
    text: str
    number: bool = False             # holds a number (not a date, not text)
    font: str | None = None
    bold: bool = False


@dataclass
class Sheet:
    """A sheet's visible cells, in its own row and column numbers (1-based), and its geometry."""
    name: str
    cells: dict[tuple[int, int], Cell]
    merged: list[tuple[int, int, int, int]]          # (first row, first col, last row, last col)
    rows: list[int]                                   # visible rows, in order
    cols: list[int]                                   # visible columns, in order
    row_points: dict[int, float] = field(default_factory=dict)
    col_points: dict[int, float] = field(default_factory=dict)


# --- Values as shown ---------------------------------------------------------------------------------

FORMAT_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|[0#?]|[.,%]|[eE][+-]|.', re.S)


def shown_number(value: float | int, number_format: str | None) -> str:
    """VALUE as a cell with NUMBER_FORMAT shows it in Vietnamese: "." groups thousands, "," marks the
    decimals; percent formats multiply by 100; rounded half up from 15 significant digits as Excel does,
    so 0.1 + 0.2 shows 0,3."""
    exact = Decimal(int(value)) if isinstance(value, int) else Decimal(f"{value:.15g}")
    sections = _sections(number_format or "General")
    if exact < 0 and len(sections) >= 2:
        section, exact, sign = sections[1], -exact, ""
    elif exact == 0 and len(sections) >= 3:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if exact < 0 else ""
        exact = abs(exact)
    bare = "".join(t for t in FORMAT_TOKEN.findall(section) if t[0] not in '"\\[_*')
    if re.search(r"general|[dmyhs]|e[+-]|/", bare, re.I):
        return sign + _general(exact)      # General, a date or time, scientific, a fraction
    return _formatted(exact, section, sign)


def _sections(number_format: str) -> list[str]:
    sections, current = [], ""
    for token in FORMAT_TOKEN.findall(number_format):
        if token == ";":
            sections.append(current)
            current = ""
        else:
            current += token
    return sections + [current]


def _general(value: Decimal) -> str:
    digits = format(value.normalize(), "f")
    whole, _, fraction = digits.partition(".")
    return f"{whole},{fraction}" if fraction else whole


def _formatted(value: Decimal, section: str, sign: str) -> str:
    before, after = [], []
    whole, fraction = "", ""
    in_fraction = grouped = False
    commas = scale = percent = 0
    for token in FORMAT_TOKEN.findall(section):
        placed = after if whole or fraction else before
        if token in "0#?":
            if in_fraction:
                fraction += token
            else:
                grouped = grouped or (commas > 0 and bool(whole))
                commas = 0
                whole += token
        elif token == ".":
            in_fraction = True
            scale, commas = scale + commas, 0
        elif token == ",":
            commas += not in_fraction
        elif token == "%":
            percent += 1
            placed.append("%")
        elif token[0] == '"':
            placed.append(token[1:-1])
        elif token[0] == "\\":
            placed.append(token[1])
        elif token[0] == "_":
            placed.append(" ")
        elif token[0] not in "*[":
            placed.append(token)
    scale += commas
    if not whole and not fraction:
        return (sign + "".join(before)).strip()
    value = value * Decimal(100) ** percent / Decimal(1000) ** scale
    places = len(fraction)
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    integer, _, decimals = format(rounded, "f").partition(".")
    keep = len(fraction.rstrip("#?"))
    decimals = decimals[:keep] + decimals[keep:].rstrip("0")
    integer = integer.lstrip("0").rjust(whole.count("0"), "0")
    if grouped:
        integer = f"{int(integer or 0):,}".replace(",", ".") if integer else ""
    number = integer + ("," + decimals if decimals else "")
    return (sign + "".join(before) + number + "".join(after)).strip()


def shown_date(value) -> str:
    """A date as Vietnamese reports write it: 31/12/2024 (with the time when it has one)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") + (value.strftime(" %H:%M") if value.time() != dt.time() else "")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def cell_text(text: str) -> str:
    """A text cell on one line: line breaks typed in the cell (Alt+Enter), runs of spaces and control
    characters as one space."""
    return WHITESPACE.sub(" ", text).strip()


# --- Reading workbooks ------------------------------------------------------------------------------

def check_zip(path: str, memory_mb: int) -> None:
    """Refuse a truncated zip, or one whose members declare far more than they hold (a zip bomb),
    before any XML is inflated."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError) as err:
        raise InputError(path, f"truncated or corrupt Excel file (not a complete zip archive: {err})") from None
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > INFLATION_FLOOR and member.file_size > MAX_INFLATION * max(member.compress_size, 1):
            raise InputError(path, f"zip bomb: {member.filename} declares {member.file_size / 2**20:,.0f} MiB "
                                   f"packed in {member.compress_size / 2**10:,.0f} KiB")
    allowed = memory_mb * XML_SHARE_OF_MEMORY * 2**20
    if total > allowed:
        raise InputError(path, f"too large to read: the workbook unpacks to {total / 2**20:,.0f} MiB "
                               f"(at most {allowed / 2**20:,.0f} MiB within {memory_mb} MiB of memory)")


def xlsx_sheets(path: str, memory_mb: int) -> list[Sheet]:
    check_zip(path, memory_mb)
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")       # extensions openpyxl drops: data validation, slicers ...
            book = openpyxl.load_workbook(path, data_only=True)
    except (KeyError, ValueError, TypeError, InvalidFileException, zipfile.BadZipFile, SyntaxError) as err:
        raise InputError(path, f"corrupt Excel file ({type(err).__name__}: {err})") from None
    sheets = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        widths = {}
        hidden_cols = set()
        for dim in ws.column_dimensions.values():
            for col in range(dim.min or 0, (dim.max or 0) + 1):
                if dim.hidden:
                    hidden_cols.add(col)
                if dim.width:
                    widths[col] = dim.width
        default_width = ws.sheet_format.defaultColWidth or DEFAULT_COLUMN_CHARS
        default_height = ws.sheet_format.defaultRowHeight or DEFAULT_ROW_POINTS
        # the cells the file holds: iter_rows would make one for every empty place up to the last
        # styled row, a million of them in a sheet formatted down to its end
        cells = {(r, c): _openpyxl_cell(cell) for (r, c), cell in sorted(ws._cells.items()) if cell.value is not None}
        last_row = max((r for r, _ in cells), default=0)
        last_col = max((c for _, c in cells), default=0)
        rows = [r for r in range(1, last_row + 1) if r not in ws.row_dimensions or not ws.row_dimensions[r].hidden]
        cols = [c for c in range(1, last_col + 1) if c not in hidden_cols]
        merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        sheets.append(Sheet(ws.title, cells, merged, rows, cols,
                            {r: (ws.row_dimensions[r].height if r in ws.row_dimensions else None) or default_height
                             for r in rows},
                            {c: _column_points(widths.get(c) or default_width) for c in cols}))
    return sheets


def _openpyxl_cell(c) -> Cell:
    value = c.value
    font = c.font.name if c.font is not None else None
    bold = bool(c.font is not None and c.font.b)
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE", font=font, bold=bold)
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return Cell(shown_date(value), font=font, bold=bold)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return Cell(str(value), font=font, bold=bold)
        return Cell(shown_number(value, c.number_format), True, font, bold)
    return Cell(cell_text(str(value)), font=font, bold=bold)


def _column_points(chars: float) -> float:
    """A column width in characters (Excel's unit) in points: 7 pixels a character, 5 of padding."""
    return round((chars * 7 + 5) * 0.75, 2)


def xls_sheets(path: str) -> list[Sheet]:
    import xlrd
    try:
        book = xlrd.open_workbook(path, formatting_info=True, logfile=_Discard())
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, AssertionError, IndexError, KeyError, ValueError,
            EOFError, OSError) as err:
        raise InputError(path, f"corrupt or unreadable .xls file ({type(err).__name__}: {err})") from None
    sheets = []
    for ws in book.sheets():
        if ws.visibility != 0:
            continue
        default_height = (ws.default_row_height or DEFAULT_ROW_POINTS * 20) / 20
        default_width = ws.defcolwidth or (ws.standardwidth / 256 if ws.standardwidth else DEFAULT_COLUMN_CHARS)
        rows = [r + 1 for r in range(ws.nrows) if not (r in ws.rowinfo_map and ws.rowinfo_map[r].hidden)]
        cols = [c + 1 for c in range(ws.ncols) if not (c in ws.colinfo_map and ws.colinfo_map[c].hidden)]
        cells = {}
        for r in range(ws.nrows):
            for c in range(ws.ncols):
                found = _xlrd_cell(book, ws, r, c)
                if found is not None:
                    cells[(r + 1, c + 1)] = found
        merged = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in ws.merged_cells]
        sheets.append(Sheet(ws.name, cells, merged, rows, cols,
                            {r: ws.rowinfo_map[r - 1].height / 20 if r - 1 in ws.rowinfo_map else default_height
                             for r in rows},
                            {c: _column_points(ws.colinfo_map[c - 1].width / 256 if c - 1 in ws.colinfo_map
                                               else default_width) for c in cols}))
    return sheets


class _Discard:
    """xlrd writes its warnings to a log file: none is wanted."""
    def write(self, text: str) -> None:
        pass


def _xlrd_cell(book, ws, r: int, c: int) -> Cell | None:
    import xlrd
    kind, value = ws.cell_type(r, c), ws.cell_value(r, c)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    xf = book.xf_list[ws.cell_xf_index(r, c)]
    font = book.font_list[xf.font_index] if xf.font_index < len(book.font_list) else None
    name, bold = (font.name, bool(font.bold)) if font is not None else (None, False)
    if kind == xlrd.XL_CELL_NUMBER:
        number_format = book.format_map[xf.format_key].format_str if xf.format_key in book.format_map else None
        return Cell(shown_number(value, number_format), True, name, bold)
    if kind == xlrd.XL_CELL_DATE:
        try:
            return Cell(shown_date(xlrd.xldate.xldate_as_datetime(value, book.datemode)), font=name, bold=bold)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return Cell(_general(Decimal(f"{value:.15g}")), font=name, bold=bold)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return Cell("TRUE" if value else "FALSE", font=name, bold=bold)
    if kind == xlrd.XL_CELL_ERROR:
        return Cell(xlrd.error_text_from_code.get(value, "#ERR"), font=name, bold=bold)
    text = cell_text(str(value))
    return Cell(text, font=name, bold=bold) if text else None


# --- Sheets to a layout -----------------------------------------------------------------------------

def sheet_parts(sheet: Sheet) -> tuple[list[int], list[int], list[int]]:
    """(title rows, table rows, rows after the table) of a sheet, blank rows left out.

    The table starts at the first row with cells in at least half the columns of the widest row (two at
    least); it takes every following group of rows, groups being separated by blank rows, up to the
    last group that holds a number. A sheet without such a row has no table."""
    anchored = _anchors(sheet)
    filled = [r for r in sheet.rows if anchored.get(r)]
    if not filled:
        return [], [], []
    widest = max(len(anchored[r]) for r in filled)
    start = next((r for r in filled if len(anchored[r]) >= max(2, math.ceil(widest / 2))), None)
    if start is None:
        return filled, [], []
    groups: list[list[int]] = []
    previous = None
    for r in (r for r in sheet.rows if r >= start):
        if not anchored.get(r):
            previous = None
            continue
        if previous is None:
            groups.append([])
        groups[-1].append(r)
        previous = r
    with_numbers = [k for k, group in enumerate(groups)
                    if any(_cell_shown_at(sheet, r, c).number for r in group for c in anchored[r])]
    last = with_numbers[-1] if with_numbers else 0
    table = [r for group in groups[:last + 1] for r in group]
    after = [r for group in groups[last + 1:] for r in group]
    return [r for r in filled if r < start], table, after


def _anchors(sheet: Sheet) -> dict[int, list[int]]:
    """Per row, the visible columns of the cells that show text (a merged cell at its first visible place)."""
    shown: dict[int, list[int]] = {}
    visible_rows, visible_cols = set(sheet.rows), set(sheet.cols)
    for (r, c), cell in sheet.cells.items():
        if not cell.text:
            continue
        place = _shown_at(sheet, r, c, visible_rows, visible_cols)
        if place is not None:
            shown.setdefault(place[0], []).append(place[1])
    for r in shown:
        shown[r].sort()
    return shown


def _shown_at(sheet: Sheet, r: int, c: int, visible_rows: set, visible_cols: set) -> tuple[int, int] | None:
    for r0, c0, r1, c1 in sheet.merged:
        if r0 <= r <= r1 and c0 <= c <= c1:
            if (r, c) != (r0, c0):
                return None         # Excel shows only a merged range's first cell
            first_row = next((x for x in sheet.rows if r0 <= x <= r1), None)
            first_col = next((x for x in sheet.cols if c0 <= x <= c1), None)
            return None if first_row is None or first_col is None else (first_row, first_col)
    return (r, c) if r in visible_rows and c in visible_cols else None


def table_grid(sheet: Sheet, rows: list[int]) -> list[list[tuple[str, tuple | None, Cell | None]]]:
    """The table's rows as cells (text, box in points, the sheet's cell); a merged cell at its first
    place with the box of the whole range, ("", None, None) where it covers; empty columns left out."""
    visible_rows, visible_cols = set(sheet.rows), set(sheet.cols)
    anchored = _anchors(sheet)
    in_table = set(rows)
    spans: dict[tuple[int, int], tuple[list[int], list[int], Cell | None]] = {}
    covered: set[tuple[int, int]] = set()
    # merged ranges, empty ones too: they shape the header
    for r0, c0, r1, c1 in sheet.merged:
        place = _shown_at(sheet, r0, c0, visible_rows, visible_cols)
        if place is None or place[0] not in in_table:
            continue
        span_rows = [x for x in rows if r0 <= x <= r1]
        span_cols = [x for x in sheet.cols if c0 <= x <= c1]
        spans[place] = (span_rows, span_cols, sheet.cells.get((r0, c0)))
        covered.update((x, y) for x in span_rows for y in span_cols if (x, y) != place)
    for (r, c), cell in sheet.cells.items():
        if r in in_table and c in visible_cols and cell.text and (r, c) not in spans and (r, c) not in covered:
            spans[(r, c)] = ([r], [c], cell)
    used = sorted({c for r in rows for c in anchored.get(r, [])} |
                  {c for span_rows, span_cols, cell in spans.values() if cell and cell.text for c in span_cols})
    lo, hi = (used[0], used[-1]) if used else (0, -1)
    columns = [c for c in sheet.cols if lo <= c <= hi and c in used]
    lefts, x = {}, 0.0
    for c in columns:
        lefts[c] = x
        x += sheet.col_points.get(c, _column_points(DEFAULT_COLUMN_CHARS))
    tops, y = {}, 0.0
    for r in rows:
        tops[r] = y
        y += sheet.row_points.get(r, DEFAULT_ROW_POINTS)

    def right(c):
        return lefts[c] + sheet.col_points.get(c, _column_points(DEFAULT_COLUMN_CHARS))

    def bottom(r):
        return tops[r] + sheet.row_points.get(r, DEFAULT_ROW_POINTS)

    grid = []
    for r in rows:
        row = []
        for c in columns:
            if (r, c) in spans:
                span_rows, span_cols, cell = spans[(r, c)]
                span_cols = [col for col in span_cols if col in lefts] or [c]
                box = (lefts[span_cols[0]], tops[span_rows[0]], right(span_cols[-1]), bottom(span_rows[-1]))
                row.append((cell.text if cell else "", tuple(round(v, 2) for v in box), cell))
            elif (r, c) in covered:
                row.append(("", None, None))
            else:
                row.append(("", tuple(round(v, 2) for v in (lefts[c], tops[r], right(c), bottom(r))), None))
        grid.append(row)
    return grid


def stated_unit(text: str) -> str | None:
    """The unit a title line states for the whole table ("ĐVT: triệu đồng", "(Đơn vị tính: Triệu đồng)"),
    recognised by the same rule that names a unit column (rules/tables.yaml)."""
    head, colon, unit = text.strip().strip("()").partition(":")
    if colon and unit.strip() and column_roles([head]) == ["unit"]:
        return unit.strip().rstrip(".")
    return None


def layout_of(sheets: list[Sheet], fmt: str) -> Layout:
    """The sheets' title lines, tables (T1, T2 ... in sheet order) and notes, one after the other."""
    writer = LayoutWriter()
    tables = 0
    for sheet in sheets:
        titles, table, after = sheet_parts(sheet)
        unit = None
        for text in lines_of(sheet, titles, writer):
            unit = stated_unit(text) or unit
        if table:
            tables += 1
            rows = [[(writer.typed(text, cell.font)[0] if cell else text, box) for text, box, cell in row]
                    for row in table_grid(sheet, table)]
            writer.table(f"T{tables}", rows, **({"unit": unit} if unit else {}))
        lines_of(sheet, after, writer)
    return writer.layout(fmt)


def lines_of(sheet: Sheet, rows: list[int], writer: LayoutWriter) -> list[str]:
    """Each cell of ROWS as a paragraph of its own, in the order of reading; their texts."""
    anchored = _anchors(sheet)
    texts = []
    for r in rows:
        for c in anchored[r]:
            cell = _cell_shown_at(sheet, r, c)
            text, _ = writer.typed(cell.text, cell.font)
            writer.paragraph(text, bold=cell.bold, bold_start=cell.bold)
            texts.append(text)
    return texts


def _cell_shown_at(sheet: Sheet, r: int, c: int) -> Cell:
    """The cell whose text shows at visible place (r, c): a merged range's first cell, or its own."""
    for r0, c0, r1, c1 in sheet.merged:
        if r0 <= r <= r1 and c0 <= c <= c1 and (r0, c0) in sheet.cells:
            return sheet.cells[(r0, c0)]
    return sheet.cells[(r, c)]


def read(path: str, options) -> Layout:
    """The reader's entry point (extract.readers.LAYOUT_READERS), for .xlsx and .xls files."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        sheets, fmt = xlsx_sheets(path, options.memory_mb), "xlsx"
    else:
        sheets, fmt = xls_sheets(path), "xls"
    if not any(cell.text for sheet in sheets for cell in sheet.cells.values()):
        raise InputError(path, "empty workbook: no visible sheet holds anything")
    return layout_of(sheets, fmt)
