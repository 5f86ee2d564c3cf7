"""Panel stage: a dataset's facts as one table across wards and years, its conflicts, and a page of charts.

Takes a dataset folder (extract.dataset); gives, in the panel folder, `panel.parquet` and `panel.csv` (long:
one row per unit, year, period, indicator, measure and unit), `panel_wide.csv` (a row per unit, year and
period, a column per indicator and measure), `conflicts.parquet` and `conflicts.csv`, and with html
`panel.html`. Units are matched to the official codes by extract.admin_units.

When several statements fill one cell, one is picked, in this order: a result before an estimate (the
actual value stated, or restated by a later report as its prior-year value, before an estimate); then the
latest report (by its date, else its year); then the first source path. A report that states a cell twice
with values that disagree (its facts row's `conflict`) gives it no value to pick: a cell only such reports
give is left out of the panel and kept in the conflicts table. A report's estimate, actual and
prior of one period fill one cell, as measure `actual` (`stated_measure` says which it was). Every
statement of a cell with more than one is kept in the conflicts table with its source and whether it
agrees with the pick (within half a percent).
"""
import html
from pathlib import Path

import pandas as pd

from . import dataset
from .admin_units import match_unit

RESULT_MEASURES = {"actual": 0, "prior": 1, "estimate": 2}     # what fills the actual cell, in the pick's order
KEY = ["unit_key", "year", "period", "indicator", "measure", "unit"]
UNIT_COLUMNS = ["unit_key", "unit_name", "unit_level", "district", "province_name", "unit_code", "unit_code_2025",
                "unit_name_2025", "province_2025", "unit_match"]
SOURCE_COLUMNS = ["stated_measure", "approx", "doc_id", "source", "report_date", "report_year", "figure_ids", "raw",
                  "sentence", "page", "conflict_in_report"]
AGREE = 0.005


def build_panel(dataset_dir: str | Path, out: str | Path, html_page: bool = False) -> dict[str, Path]:
    """Write the panel of the dataset at DATASET_DIR into OUT; gives the paths written by name."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    long, conflicts = panel_tables(dataset.read_table(dataset_dir, "facts"),
                                   dataset.read_table(dataset_dir, "documents"))
    written = {"panel": out / "panel.parquet", "panel_csv": out / "panel.csv", "wide": out / "panel_wide.csv",
               "conflicts": out / "conflicts.parquet", "conflicts_csv": out / "conflicts.csv"}
    parquet_ready(long).to_parquet(written["panel"], index=False)
    long.to_csv(written["panel_csv"], index=False, encoding="utf-8-sig")
    wide(long).to_csv(written["wide"], index=False, encoding="utf-8-sig")
    parquet_ready(conflicts).to_parquet(written["conflicts"], index=False)
    conflicts.to_csv(written["conflicts_csv"], index=False, encoding="utf-8-sig")
    if html_page:
        written["html"] = out / "panel.html"
        written["html"].write_text(render(long), encoding="utf-8")
    return written


def panel_tables(facts: pd.DataFrame, documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long panel (the picked statement of every cell) and the conflicts (every statement of the cells
    with more than one)."""
    documents = documents[documents["status"] == "ok"]
    units = pd.DataFrame([{"doc_id": d["doc_id"], "unit_level": d["unit_level"], "district": d["district"],
                           "province_name": d["province_name"], "report_date": d["report_date"],
                           "report_year": d["report_year"],
                           **match_unit(*(none(d[c]) for c in ("unit_level", "unit_name", "district", "province_name",
                                                               "report_date", "report_year"))).row()}
                          for d in documents.to_dict("records")],
                         columns=["doc_id", "unit_level", "district", "province_name", "report_date", "report_year",
                                  "unit_key", "unit_name", "unit_code", "unit_code_2025", "unit_name_2025",
                                  "province_2025", "unit_match"])
    facts = facts[facts["period_year"].notna()].drop(columns=["province", "year"], errors="ignore")
    cells = facts.rename(columns={"period_year": "year", "measure": "stated_measure", "conflict": "conflict_in_report"})
    cells = cells.merge(units, on="doc_id", how="inner")
    cells["measure"] = [("actual" if m in RESULT_MEASURES else m) for m in cells["stated_measure"]]
    cells["period"] = cells["period_span"]
    cells["rank"] = [RESULT_MEASURES.get(m, 0) for m in cells["stated_measure"]]
    # a report that states a cell twice, differently, does not say which is its value
    cells["unsure"] = cells["conflict_in_report"].fillna(False).astype(bool)
    # the latest report first: its date, else its year
    cells["latest"] = pd.to_datetime(cells["report_date"], errors="coerce").fillna(
        pd.to_datetime(cells["report_year"].astype("Int64").astype(str), format="%Y", errors="coerce"))
    cells = cells.sort_values(["unsure", "rank", "latest", "source"], ascending=[True, True, False, True],
                              na_position="last", kind="stable")
    cells["year"] = cells["year"].astype("Int32")
    grouped = cells.groupby(KEY, sort=False, dropna=False)
    cells["statements"] = grouped["value"].transform("size")
    picked_value = grouped["value"].transform("first")
    cells["agrees"] = [abs(v - p) <= AGREE * max(abs(v), abs(p)) + 1e-9 for v, p in zip(cells["value"], picked_value)]
    cells["conflict"] = ~cells.groupby(KEY, sort=False, dropna=False)["agrees"].transform("all")
    cells["picked"] = ~cells.duplicated(KEY, keep="first") & ~cells["unsure"]
    columns = KEY[:1] + UNIT_COLUMNS[1:] + KEY[1:] + ["value", "statements", "conflict"] + SOURCE_COLUMNS
    long = cells[cells["picked"]][columns].sort_values(KEY, kind="stable").reset_index(drop=True)
    several = cells[(cells["statements"] > 1) | cells["unsure"]]
    conflicts = several[KEY + ["unit_name", "value", "picked", "agrees"] + SOURCE_COLUMNS].sort_values(
        KEY + ["picked"], ascending=[True] * len(KEY) + [False], kind="stable").reset_index(drop=True)
    return long, conflicts


def wide(long: pd.DataFrame) -> pd.DataFrame:
    """A row per unit, year and period; a column per indicator, measure and unit, named as a reader says it:
    "poor_households (hộ)", "budget_revenue_state: share_of_plan (%)"."""
    if not len(long):
        return pd.DataFrame(columns=["unit_key", "unit_name", "unit_code_2025", "year", "period"])
    named = long.assign(column=[column_name(i, m, u) for i, m, u in zip(long["indicator"], long["measure"],
                                                                            long["unit"])])
    rows = ["unit_key", "unit_name", "unit_code_2025", "year", "period"]
    # grouped, not pivoted: a pivot with missing keys kept builds every combination of units, years and
    # columns before it drops the empty ones
    table = named.groupby(rows + ["column"], dropna=False, sort=True)["value"].first().unstack("column")
    table = table.dropna(how="all").reset_index()
    table.columns.name = None
    return table


def column_name(indicator: str, measure: str, unit: str) -> str:
    return f"{indicator} ({unit})" if measure == "actual" else f"{indicator}: {measure} ({unit})"


def parquet_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists as lists (pyarrow writes them), every text column as text."""
    frame = frame.copy()
    if "figure_ids" in frame:
        frame["figure_ids"] = [list(v) if v is not None and not isinstance(v, float) else [] for v in frame["figure_ids"]]
    return frame


def none(value):
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else value


# --- the page ----------------------------------------------------------------------------------------

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 260, 90, 20, 20, 40
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#7f7f7f"]


def period_middle(year: int, period: str | None) -> float:
    """Where a period lies on a time axis of years, at its middle: 2024.5 for the year 2024, 2024.25 for its
    first 6 months, 2024.75 for its last 6, 2024.0 for the school year 2023-2024."""
    words = (period or "year").split()
    first, months = 0, 12
    if words[0] == "last" and len(words) > 1 and words[1].isdigit():
        first, months = 12 - int(words[1]), int(words[1])
    elif words[0].isdigit():
        months = int(words[0])
    elif words[0] == "quarter" and words[-1].isdigit():
        first, months = 3 * int(words[-1]) - 3, 3
    elif words[0] == "month" and words[-1].isdigit():
        first, months = int(words[-1]) - 1, 1
    elif words[0] == "school":
        first, months = -4, 9
    return year + (first + months / 2) / 12


def render(long: pd.DataFrame) -> str:
    """One self-contained page: a chart per indicator, measure and unit, its points by unit across time, each
    point a link to its source report with the figure's sentence as its tooltip."""
    parts = []
    groups = long.dropna(subset=["value"]).groupby(["indicator", "measure", "unit"], sort=True)
    for (indicator, measure, unit), cells in groups:
        parts.append(chart(indicator, measure, unit, cells))
    body = "\n".join(parts) or "<p>No facts in this dataset.</p>"
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Panel</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
section {{ margin-bottom: 2.5em; }} h2 {{ font-size: 1.1em; margin-bottom: .2em; }}
.axis {{ stroke: #999; }} .grid {{ stroke: #eee; }} text {{ font-size: 11px; fill: #444; }}
a circle {{ cursor: pointer; }} a:hover circle {{ r: 7; }} .legend span {{ margin-right: 1em; white-space: nowrap; }}
.legend i {{ display: inline-block; width: .8em; height: .8em; margin-right: .3em; }}
</style></head><body>
<h1>Panel: {len(long)} cells, {long["unit_key"].nunique()} units</h1>
<p>Each point is a cell of the panel; hover for the report's sentence, click to open the report it comes from.</p>
{body}
</body></html>
"""


POINT_COLUMNS = ["unit_key", "unit_name", "year", "period", "value", "statements", "conflict", "sentence", "raw",
                 "source", "page"]


def chart(indicator: str, measure: str, unit: str, cells: pd.DataFrame) -> str:
    cells = cells[POINT_COLUMNS].assign(x=[period_middle(int(y), p) for y, p in zip(cells["year"], cells["period"])])
    x0, x1 = int(cells["x"].min()), int(cells["x"].max()) + 1
    low, high = min(0.0, float(cells["value"].min())), float(cells["value"].max())
    high = high if high > low else low + 1

    def sx(x):
        return LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT)

    def sy(v):
        return TOP + (high - v) / (high - low) * (HEIGHT - TOP - BOTTOM)
    svg = [f'<line class="axis" x1="{LEFT}" y1="{sy(low):.1f}" x2="{WIDTH - RIGHT}" y2="{sy(low):.1f}"/>',
           f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}"/>']
    for year in range(x0, x1 + 1):
        svg.append(f'<line class="grid" x1="{sx(year):.1f}" y1="{TOP}" x2="{sx(year):.1f}" y2="{HEIGHT - BOTTOM}"/>')
        if year < x1:
            svg.append(f'<text x="{sx(year + 0.5):.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">{year}</text>')
    for v in (low, (low + high) / 2, high):
        svg.append(f'<text x="{LEFT - 6}" y="{sy(v) + 4:.1f}" text-anchor="end">{number(v)}</text>')
    legend = []
    for n, (key, points) in enumerate(cells.groupby("unit_key", sort=True)):
        colour = COLOURS[n % len(COLOURS)]
        points = points.sort_values("x")
        name = points["unit_name"].iloc[0] or key
        legend.append(f'<span><i style="background:{colour}"></i>{html.escape(str(name))}</span>')
        if len(points) > 1:
            path = " ".join(f"{sx(x):.1f},{sy(v):.1f}" for x, v in zip(points["x"], points["value"]))
            svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        for p in points.to_dict("records"):
            tip = (f"{name}, {p['period']} {p['year']}: {number(p['value'])} {unit}"
                   f"{' (' + str(p['statements']) + ' statements, they disagree)' if p['conflict'] else ''}\n"
                   f"{p['sentence'] or p['raw'] or ''}\n{p['source']}" + (f", page {p['page']}" if none(p['page']) else ""))
            svg.append(f'<a class="point" href="{html.escape(source_link(p["source"], p["page"]))}" target="_blank">'
                       f'<circle cx="{sx(p["x"]):.1f}" cy="{sy(p["value"]):.1f}" r="4.5" fill="{colour}">'
                       f'<title>{html.escape(tip)}</title></circle></a>')
    label = indicator if measure == "actual" else f"{indicator}: {measure}"
    return (f'<section id="{html.escape(indicator)}-{html.escape(measure)}"><h2>{html.escape(label)} '
            f'({html.escape(unit)})</h2><svg width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img">{"".join(svg)}</svg>'
            f'<div class="legend">{"".join(legend)}</div></section>')


def source_link(source: str, page) -> str:
    """The report file as a link (its page, for a PDF)."""
    uri = Path(source).resolve().as_uri()
    page = none(page)
    return f"{uri}#page={int(page)}" if page is not None else uri


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
