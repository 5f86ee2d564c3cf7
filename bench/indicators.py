"""What each figure measures, scored against the seed's gold (../shared/fixtures/seed/indicators.jsonl).

    .venv/bin/python bench/indicators.py [SEED_DIR] [--show]

Runs the pipeline on report.txt (text figures, tied to the gold by overlapping span and same kind) and
report.pdf (table cells, tied to the gold table cells in reading order by kind and value); prints indicator
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


def pairs(seed: Path) -> list[tuple[dict, dict, dict | None]]:
    """(gold figure, gold indicator row, predicted figure row or None) for every gold figure."""
    gold = {row["id"]: row for row in read_jsonl(seed / "indicators.jsonl")}
    text = process_file(seed / "report.txt")
    predicted = text.figures.to_dict("records")
    out = []
    for fig in read_jsonl(seed / "figures.jsonl"):
        start, end = fig["start"], fig["start"] + len(fig["raw"])
        match = next((p for p in predicted if p["char_start"] < end and p["char_end"] > start and p["kind"] == fig["kind"]), None)
        out.append((fig, gold[fig["id"]], match))
    cells = [c for c in process_file(seed / "report.pdf").figures.to_dict("records") if c["rule"] == "table_cell"]
    for fig in read_jsonl(seed / "table_cells.jsonl"):
        match = next((c for c in cells if c["kind"] == fig["kind"] and math.isclose(c["value"], fig["value"])), None)
        if match is not None:
            cells.remove(match)
        out.append((fig, gold[fig["id"]], match))
    meta = text.documents.iloc[0]
    year = int(meta["report_year"]) if meta["report_year"] is not None else None
    return out, year, indicator_rules().report_period(meta["period"], year)


def predicted_value(row: dict | None, key: str):
    if row is None:
        return None
    value = row.get(key)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def score(seed: Path = SEED) -> dict:
    rows, year, report_period = pairs(seed)
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
    parser.add_argument("seed", nargs="?", default=str(SEED))
    parser.add_argument("--show", action="store_true", help="list every figure where prediction and gold differ")
    args = parser.parse_args()
    result = score(Path(args.seed))
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
                print(fig["id"], repr(fig.get("raw_joined") or fig["raw"]), "gold", want, "got", got,
                      "|", predicted_value(pred, "indicator_phrase"))


if __name__ == "__main__":
    main()
