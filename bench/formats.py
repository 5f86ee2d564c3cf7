"""Every sample report in every format an archive holds, scored against its text version.

    .venv/bin/python bench/formats.py [--formats docx,doc,...] [--keep DIR]

Renders each samples/*.txt with samples/make_formats.py, runs the pipeline on each file and compares its
figures outside tables (kind, value, numerator, denominator, section) with the text version's, in
order (the body and each footnote apart): F1 of the aligned sequences, and whether the multisets are
identical. Table cells are compared with the sample PDF's. Prints one row per sample and format, with the
checks flagged (not consistent; the text's and the PDF's, whose appendix rows add one, beside them), the
encoding found and the seconds each file took.
"""
import argparse
import difflib
import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

from extract import process_file  # noqa: E402
from make_formats import FORMATS, make_formats  # noqa: E402


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 6)


def text_figures(result) -> list[tuple]:
    """The figures outside tables, in text order, as comparable keys."""
    rows = result.figures[result.figures["table_id"].isna()].sort_values("char_start")
    return [(r["kind"], _number(r["value"]), _number(r["numerator"]), _number(r["denominator"]), r["section"])
            for r in rows.to_dict("records")]


def cell_figures(result) -> Counter:
    """The table cells' figures: value, row label and the column's own header (the last of its header rows:
    the spreadsheet of a one-level table gives it a period above, as budget offices do)."""
    rows = result.figures[result.figures["table_id"].notna()]
    return Counter((_number(r["value"]), r["row_label"], (r["col_header"] or "").split(" > ")[-1])
                   for r in rows.to_dict("records"))


def _apart(figures: list) -> dict[str, list]:
    """The body's figures and each footnote's apart: formats put footnote bodies at page feet or at the end."""
    parts: dict[str, list] = {}
    for figure in figures:
        section = figure[-1] or ""
        parts.setdefault(section if section.startswith("footnote") else "body", []).append(figure)
    return parts


def by_order_f1(gold: list, found: list) -> float:
    """F1 of the figures aligned in order, the body and each footnote apart."""
    if not gold and not found:
        return 1.0
    gold_parts, found_parts = _apart(gold), _apart(found)
    matched = sum(block.size for part in gold_parts.keys() | found_parts.keys()
                  for block in difflib.SequenceMatcher(None, gold_parts.get(part, []), found_parts.get(part, []),
                                                       autojunk=False).get_matching_blocks())
    precision = matched / len(found) if found else 0.0
    recall = matched / len(gold) if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def flagged(result) -> int:
    return int((result.checks["consistent"] == False).sum())  # noqa: E712


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--keep", help="write the rendered files here instead of a temporary folder")
    args = parser.parse_args()
    formats = args.formats.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.keep or tmp)
        print(f"{'sample':<28} {'format':<12} {'status':<7} {'figures':>8} {'F1':>6} {'same':>5} "
              f"{'cells':>6} {'flags':>6} {'enc':>6} {'s':>6}")
        for sample in sorted((ROOT / "samples").glob("*.txt")):
            made = make_formats(sample, out / sample.stem, set(formats))
            truth = process_file(sample)
            gold = text_figures(truth)
            pdf = ROOT / "samples" / f"{sample.stem}.pdf"
            pdf_result = process_file(pdf) if pdf.exists() else truth
            gold_cells = cell_figures(pdf_result)
            print(f"{sample.stem:<28} {'txt':<12} {'ok':<7} {len(gold):>8} {'':>6} {'':>5} {'':>6} "
                  f"{flagged(truth):>6}")
            print(f"{'':<28} {'pdf':<12} {'ok':<7} {len(text_figures(pdf_result)):>8} "
                  f"{by_order_f1(gold, text_figures(pdf_result)):>6.3f} "
                  f"{'yes' if Counter(text_figures(pdf_result)) == Counter(gold) else 'no':>5} "
                  f"{'yes' if gold_cells else '-':>6} {flagged(pdf_result):>6}")
            for fmt, path in sorted(made.items()):
                started = time.perf_counter()
                result = process_file(path)
                seconds = time.perf_counter() - started
                doc = result.documents.iloc[0]
                if doc["status"] != "ok":
                    print(f"{'':<28} {fmt:<12} {doc['status']:<7} {doc['error']}")
                    continue
                found = text_figures(result)
                cells = cell_figures(result)
                same_cells = "-" if not cells else ("yes" if cells == gold_cells else f"{sum((cells & gold_cells).values())}/{sum(gold_cells.values())}")
                print(f"{'':<28} {fmt:<12} {'ok':<7} {len(found):>8} {by_order_f1(gold, found):>6.3f} "
                      f"{'yes' if Counter(found) == Counter(gold) else 'no':>5} {same_cells:>6} "
                      f"{flagged(result):>6} {doc['encoding']:>6} {seconds:>6.1f}")


if __name__ == "__main__":
    main()
