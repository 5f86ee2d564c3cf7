"""What each figure measures, scored against an indicator gold (the seed's: ../shared/fixtures/seed/indicators.jsonl).

    .venv/bin/python bench/indicators.py [GOLD_DIR] [--report FILE] [--show]

GOLD_DIR holds figures.jsonl, indicators.jsonl (one row per gold figure, in the order of figures.jsonl then
table_cells.jsonl) and, unless --report names the report elsewhere, report.txt. Other golds:
`bench/evalset` and `samples/gold/NAME --report samples/NAME.txt`.

Runs the pipeline on the report (text figures, tied to the gold by overlapping span and same kind) and, when
GOLD_DIR has table_cells.jsonl, on report.pdf beside the report (table cells, tied to the gold table cells in
reading order by kind and value); prints indicator
precision (over every figure given one) and recall (over the gold figures that have one), measure accuracy
over the figures whose indicator is right, period accuracy over those too, and the confusion of the most
frequent indicators. A gold period is compared as the pipeline writes periods ("trong năm" is the report's
year); a gold period left null (none stated) is right when the report's own period is given.
"""
import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.indicators import indicator_rules  # noqa: E402
from extract.pipeline import process_file  # noqa: E402

SEED = ROOT.parent / "shared" / "fixtures" / "seed"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_period(phrase: str | None, year: int | None, report_period: str | None) -> str | None:
    """The gold's period as the pipeline writes periods."""
    if phrase is None:
        return report_period
    found = indicator_rules().period_in(indicator_rules().fold(phrase), year)
    return found[0][2] if found else phrase.lower()


def pairs(gold_dir: Path, report: Path | None = None) -> list[tuple[dict, dict, dict | None]]:
    """(gold figure, gold indicator row, predicted figure row or None) for every gold figure."""
    report = report or gold_dir / "report.txt"
    figures, cells_gold = read_jsonl(gold_dir / "figures.jsonl"), []
    if (gold_dir / "table_cells.jsonl").exists():
        cells_gold = read_jsonl(gold_dir / "table_cells.jsonl")
    gold = read_jsonl(gold_dir / "indicators.jsonl")
    if len(gold) != len(figures) + len(cells_gold):
        raise SystemExit(f"{gold_dir / 'indicators.jsonl'}: {len(gold)} rows for {len(figures) + len(cells_gold)} gold figures")
    for fig, row in zip(figures + cells_gold, gold):
        if row.get("raw") is not None and fig.get("raw") is not None and row["raw"] != fig["raw"]:
            raise SystemExit(f"{gold_dir / 'indicators.jsonl'}: row {row.get('id')} is {row['raw']!r}, the figure {fig['raw']!r}")
    text = process_file(report)
    predicted = text.figures.to_dict("records")
    out = []
    for fig, row in zip(figures, gold):
        start, end = fig["start"], fig["start"] + len(fig["raw"])
        match = next((p for p in predicted if p["char_start"] < end and p["char_end"] > start and p["kind"] == fig["kind"]), None)
        out.append((fig, row, match))
    if cells_gold:
        cells = [c for c in process_file(report.with_suffix(".pdf")).figures.to_dict("records") if c["rule"] == "table_cell"]
        for fig, row in zip(cells_gold, gold[len(figures):]):
            match = next((c for c in cells if c["kind"] == fig["kind"] and math.isclose(c["value"], fig["value"])), None)
            if match is not None:
                cells.remove(match)
            out.append((fig, row, match))
    meta = text.documents.iloc[0]
    year = int(meta["report_year"]) if meta["report_year"] is not None else None
    return out, year, indicator_rules().report_period(meta["period"], year)


def predicted_value(row: dict | None, key: str):
    if row is None:
        return None
    value = row.get(key)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def score(gold_dir: Path = SEED, report: Path | None = None) -> dict:
    rows, year, report_period = pairs(gold_dir, report)
    given = [(g, p) for _, g, p in rows if predicted_value(p, "indicator") is not None]
    in_gold = [(g, p) for _, g, p in rows if g["indicator"] is not None]
    right = [(g, p) for g, p in given if p["indicator"] == g["indicator"]]
    measure_right = [(g, p) for g, p in right if p["measure"] == g["measure"]]
    period_right = [(g, p) for g, p in right if p["period"] == gold_period(g["period"], year, report_period)]
    confusion = Counter((g["indicator"], predicted_value(p, "indicator")) for _, g, p in rows
                        if g["indicator"] is not None or predicted_value(p, "indicator") is not None)
    return {
        "figures": len(rows), "gold_with_indicator": len(in_gold), "given": len(given), "right": len(right),
        "precision": len(right) / len(given) if given else 0.0,
        "recall": len(right) / len(in_gold) if in_gold else 0.0,
        "measure_accuracy": len(measure_right) / len(right) if right else 0.0,
        "period_accuracy": len(period_right) / len(right) if right else 0.0,
        "confusion": confusion, "rows": rows, "year": year, "report_period": report_period,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", default=str(SEED), help="the gold's folder (default: the seed's)")
    parser.add_argument("--report", help="the report the gold annotates (default: GOLD/report.txt)")
    parser.add_argument("--show", action="store_true", help="list every figure where prediction and gold differ")
    args = parser.parse_args()
    result = score(Path(args.gold), Path(args.report) if args.report else None)
    print(f"figures {result['figures']}, with an indicator in the gold {result['gold_with_indicator']}, "
          f"given one {result['given']}, right {result['right']}")
    print(f"indicator precision {result['precision']:.3f}  recall {result['recall']:.3f}")
    print(f"measure accuracy (indicator right) {result['measure_accuracy']:.3f}")
    print(f"period accuracy (indicator right)  {result['period_accuracy']:.3f}")
    print("\nconfusion of the most frequent indicators (gold -> predicted: figures)")
    totals = Counter()
    for (gold, predicted), n in result["confusion"].items():
        totals[gold or predicted] += n
    for indicator, _ in totals.most_common(10):
        cells = {pred: n for (gold, pred), n in result["confusion"].items() if gold == indicator}
        wrongly = sum(n for (gold, pred), n in result["confusion"].items() if pred == indicator and gold != indicator)
        print(f"  {indicator:28} " + ", ".join(f"{pred or '-'}: {n}" for pred, n in sorted(cells.items(), key=lambda c: -c[1]))
              + (f"   (given to {wrongly} other figures)" if wrongly else ""))
    if args.show:
        print()
        for fig, gold, pred in result["rows"]:
            got = tuple(predicted_value(pred, k) for k in ("indicator", "measure", "period"))
            want = (gold["indicator"], gold["measure"],
                    gold_period(gold["period"], result["year"], result["report_period"]) if gold["indicator"] else None)
            if got != want:
                print(gold.get("id", fig.get("id")), repr(fig.get("raw_joined") or fig["raw"]), "gold", want, "got", got,
                      "|", predicted_value(pred, "indicator_phrase"))


if __name__ == "__main__":
    main()
