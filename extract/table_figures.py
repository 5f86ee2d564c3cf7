"""Table figures: the cells of a PDF's ruled tables to figures with their row label and column header.

Takes the table cells of a PdfText; gives figure records (kind, value, unit, table_id, row, col,
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
    """Cells to tables of rows; a table continued on the next page drops its repeated header row."""
    tables: dict[str, list[list[dict]]] = {}
    pieces: dict[tuple[str, int], dict[int, list[dict]]] = {}
    for cell in cells:
        pieces.setdefault((cell["table_id"], cell["page"]), {}).setdefault(cell["row"], []).append(cell)
    for (table_id, _), rows in sorted(pieces.items(), key=lambda item: (item[0][0], item[0][1])):
        ordered = [sorted(rows[r], key=lambda c: c["col"]) for r in sorted(rows)]
        have = tables.setdefault(table_id, [])
        if have and [c["text"] for c in ordered[0]] == [c["text"] for c in have[0]]:
            ordered = ordered[1:]
        have.extend(ordered)
    return tables


def _unit_scale(unit: str | None) -> tuple[str, int] | None:
    if not unit:
        return None
    key = " ".join(unit.lower().split())
    return (unit, MONEY_UNITS[key]) if key in MONEY_UNITS else None


def table_figures(cells: list[dict]) -> tuple[list[dict], list[dict]]:
    """(figures, row groups) of the tables; a row group names the plan, actual and percent figures of a row."""
    figures, groups = [], []
    for table_id, rows in _rows_of(cells).items():
        if len(rows) < 2:
            continue
        headers = [c["text"] for c in rows[0]]
        roles = column_roles(headers)
        for r, row in enumerate(rows[1:], start=1):
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
            if len(group) == 3:
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
    header_unit = UNIT_IN_BRACKETS.search(header)
    unit = row_unit or (header_unit.group(1) if header_unit else None)
    money = _unit_scale(unit)
    if money:
        return {**base, "kind": "money", "value": float(value * money[1]), "unit": money[0]}
    measures = set(rules.load("units")["quantity"])
    kind = "quantity" if unit and unit.strip() in measures else "count"
    return {**base, "kind": kind, "value": float(value), "unit": unit}
