"""Table figures: the cells of a PDF's ruled tables to figures with their row label and column header.

Takes the table cells of a Layout; gives figure records (kind, value, unit, table_id, row, col,
row_label, col_header, offsets, page, box) and, for rows that give a plan, an actual value and a
percentage, the row's check. What each column says comes from rules/tables.yaml.
"""
import regex

from . import numbers
from . import rulebook as rules

UNIT_IN_BRACKETS = regex.compile(r"\(([^()]+)\)\s*$")
MONEY_UNITS = {"đồng": 1, "đ": 1, "vnđ": 1, "nghìn đồng": 10**3, "ngàn đồng": 10**3, "triệu đồng": 10**6,
               "tr.đồng": 10**6, "trđ": 10**6, "tỷ đồng": 10**9, "tỉ đồng": 10**9}


def column_roles(headers: list[str]) -> list[str]:
    """number | unit | percent | plan | actual | label | value, for each header."""
    spec = rules.load("tables")["columns"]
    roles = []
    for header in headers:
        text = header.strip().lower()
        for role in ("number", "unit", "percent", "plan", "actual"):
            if regex.search(spec[role], text, regex.I):
                roles.append(role)
                break
        else:
            roles.append("label" if "label" not in roles else "value")
    return roles


def _rows_of(cells: list[dict]) -> dict[str, list[list[dict]]]:
    """Cells to tables of rows; a table continued on the next page drops the header rows it repeats."""
    tables: dict[str, list[list[dict]]] = {}
    pieces: dict[tuple[str, int], dict[int, list[dict]]] = {}
    for cell in cells:
        pieces.setdefault((cell["table_id"], cell["page"]), {}).setdefault(cell["row"], []).append(cell)
    for (table_id, _), rows in sorted(pieces.items(), key=lambda item: (item[0][0], item[0][1])):
        ordered = [sorted(rows[r], key=lambda c: c["col"]) for r in sorted(rows)]
        have = tables.setdefault(table_id, [])
        if have:
            repeated = 0
            while repeated < min(len(ordered), len(have)) and _texts(ordered[repeated]) == _texts(have[repeated]):
                repeated += 1
            ordered = ordered[repeated:]
        have.extend(ordered)
    return tables


def _texts(row: list[dict]) -> list[str]:
    return [c["text"] for c in row]


def header_depth(rows: list[list[dict]]) -> int:
    """How many rows the header takes: the first, and each next one that a header cell above reaches
    down into (a merged cell spanning header rows) or that numbers the columns ("(1) (2) (3)=(2)/(1)")."""
    if is_data_row(rows[0]):
        return 0
    depth = 1
    while depth < len(rows) - 1:
        row = rows[depth]
        tops = [c["box"][1] for c in row if c["box"]]
        reached = bool(tops) and any(c["box"] and c["box"][3] > min(tops) + 1 for above in rows[:depth] for c in above)
        if not (reached or is_column_numbers(row)):
            break
        depth += 1
    return depth


YEAR = regex.compile(r"^(?:19|20)\d\d$")


def _number(text: str) -> bool:
    try:
        numbers.parse_digits(text.strip().rstrip("%").strip(), "any")
    except ValueError:
        return False
    return True


def is_data_row(row: list[dict]) -> bool:
    """A first row that already gives figures (a table with no header): numbers beside text, none of
    them a year ("2023 | 2024" heads columns), and not a row of column numbers."""
    texts = [c["text"].strip() for c in row if c["text"].strip()]
    numeric = [t for t in texts if _number(t)]
    return bool(numeric) and len(numeric) < len(texts) and not any(YEAR.match(t) for t in numeric) \
        and not is_column_numbers(row)


def counts_rows(rows: list[list[dict]], col: int) -> bool:
    """Whether a column holds the rows' numbers 1, 2, 3 ... (a row-number column without its header)."""
    texts = [c["text"].strip() for row in rows for c in row if c["col"] == col and c["text"].strip()]
    return len(texts) >= 2 and all(t.isdigit() for t in texts) and \
        [int(t) for t in texts] == list(range(int(texts[0]), int(texts[0]) + len(texts)))


LEADING_DIGITS = regex.compile(r"[(\[]?(\d{1,2})")
COLUMN_NUMBER = regex.compile(r"^[(\[]?(?:\d{1,2}|[A-Za-z])[)\]]?(?:\s*=.*)?$")


def is_column_numbers(row: list[dict]) -> bool:
    """A row that numbers the columns: (1), (2), ... or A, B, 1, 2, 3=2/1, counting up by one."""
    texts = [c["text"].strip() for c in row if c["text"].strip()]
    if len(texts) < 3 or not all(COLUMN_NUMBER.match(t) for t in texts):
        return False
    digits = [int(m.group(1)) for t in texts if (m := LEADING_DIGITS.match(t))]
    return bool(digits) and digits == list(range(digits[0], digits[0] + len(digits)))


def column_headers(rows: list[list[dict]], depth: int) -> list[str]:
    """Each column's header: the texts of the header rows above it, a merged cell's text over every
    column it spans, joined with " > " ("Năm 2025 > Kế hoạch"); column-number rows left out."""
    columns = max(len(r) for r in rows)
    # a column's middle, from its narrowest cell: a merged cell (a group title across the row) is wider
    narrowest: dict[int, tuple] = {}
    for row in rows:
        for c in row:
            if c["box"] and (c["col"] not in narrowest or
                             c["box"][2] - c["box"][0] < narrowest[c["col"]][2] - narrowest[c["col"]][0]):
                narrowest[c["col"]] = c["box"]
    centres = {col: (box[0] + box[2]) / 2 for col, box in narrowest.items()}
    headers = []
    for col in range(columns):
        parts: list[str] = []
        x = centres.get(col)
        for row in rows[:depth]:
            if is_column_numbers(row):
                continue
            over = [c for c in row if c["box"] and x is not None and c["box"][0] <= x <= c["box"][2]]
            text = over[0]["text"].strip() if over else ""
            if text and text not in parts:
                parts.append(text)
        headers.append(" > ".join(parts))
    return headers


def _unit_scale(unit: str | None) -> tuple[str, int] | None:
    if not unit:
        return None
    key = " ".join(unit.lower().split("/")[0].split())     # "triệu đồng/người/năm" is money per person
    return (unit, MONEY_UNITS[key]) if key in MONEY_UNITS else None


def table_figures(cells: list[dict]) -> tuple[list[dict], list[dict]]:
    """(figures, row groups) of the tables; a row group names the plan, actual and percent figures of a row."""
    figures, groups = [], []
    for table_id, rows in _rows_of(cells).items():
        if len(rows) < 2:
            continue
        depth = header_depth(rows)
        headers = column_headers(rows, depth)
        roles = column_roles([h or ("STT" if counts_rows(rows[depth:], col) else "") for col, h in enumerate(headers)])
        # a row check needs one plan, one actual and one percentage column: with more, which percentage
        # compares which pair is a guess, and a guess would raise false alarms
        checkable = all(roles.count(role) == 1 for role in ("plan", "actual", "percent"))
        for r, row in enumerate(rows[depth:], start=depth):
            label = next((c["text"] for c, role in zip(row, roles) if role == "label"), None)
            unit_cell = next((c["text"] for c, role in zip(row, roles) if role == "unit"), None)
            own = UNIT_IN_BRACKETS.search(label or "")
            group = {}
            for cell, role, header in zip(row, roles, headers):
                if role in ("number", "unit", "label") or not cell["text"]:
                    continue
                fig = _cell_figure(cell, role, header, own.group(1) if own else unit_cell)
                if fig is None:
                    continue
                fig.update(table_id=table_id, row=r, col=cell["col"], row_label=label, col_header=header)
                figures.append(fig)
                if role in ("plan", "actual", "percent"):
                    group[role] = fig
            if checkable and len(group) == 3:
                groups.append(group)
    return figures, groups


def _cell_figure(cell: dict, role: str, header: str, row_unit: str | None) -> dict | None:
    text = cell["text"].strip().rstrip("%").strip()
    try:
        value = numbers.parse_digits(text, "percent" if role == "percent" else "any")
    except ValueError:
        return None
    base = {"raw": cell["text"], "start": cell["start"], "end": cell["end"], "page": cell["page"], "box": cell["box"],
            "decimals": numbers.decimals_written(text, "percent" if role == "percent" else "any")}
    if role == "percent":
        return {**base, "kind": "percent", "value": float(value), "unit": "%"}
    header_units = [m.group(1) for part in header.split(" > ") if (m := UNIT_IN_BRACKETS.search(part))]
    # the table's own unit line ("ĐVT: triệu đồng") where the reader found one, after the row's and column's
    unit = row_unit or (header_units[-1] if header_units else None) or cell.get("unit")
    money = _unit_scale(unit)
    if money:
        return {**base, "kind": "money", "value": float(value * money[1]), "unit": money[0]}
    measures = set(rules.load("units")["quantity"])
    kind = "quantity" if unit and unit.strip() in measures else "count"
    return {**base, "kind": kind, "value": float(value), "unit": unit}
