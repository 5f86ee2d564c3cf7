"""Benchmark: a batch run over a generated archive, with 1 and 2 workers, checked against its truth.

    .venv/bin/python bench/archive_run.py [--count 1000] [--seed 7] [--work DIR] [--workers 1 2]

Generates COUNT reports with bench/generate_archive.py (which records every figure it wrote and every
inconsistency it planted), runs `ward-extract run` on them with one worker and then with two (fresh
datasets, same machine, same run), and prints files and pages per second, the speed-up, the peak memory
of a worker, and how much of the generator's truth came out: figure recall (same file, overlapping
span, same kind and numbers) and planted inconsistencies flagged. Then builds the panel of the last dataset
with its page (`ward-extract panel --html`), timed, compares it cell for cell with the panel the truth gives
(wrong, extra and missing cells, unit keys), and opens the page in headless Chromium, counting console
errors.
"""
import argparse
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extract.dataset import read_table  # noqa: E402
from generate_archive import generate_archive  # noqa: E402

RESULT_RANK = {"actual": 0, "prior": 1, "estimate": 2}     # what fills a period's actual cell, best first
RELATIVE = {"share_of_plan", "over_plan", "change"}         # measures stated as a percentage whatever the unit
MONTHS = {"6 months": 6, "9 months": 9, "year": 12}
# a quantity in the unit the generator writes, in its indicator's unit
CONVERT = {("tấn", "tạ"): 0.1, ("tấn", "kg"): 0.001, ("ha", "m2"): 0.0001, ("ha", "km2"): 100.0}
AGREE = 0.005       # the panel's value and the truth's agree within half a percent


def timed_run(archive: Path, out: Path, workers: int) -> tuple[float, float]:
    """Seconds for a whole run, and the peak resident memory (MiB) of its largest process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "extract", "run", str(archive), "--out", str(out),
                           "--workers", str(workers)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr[-3000:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def same_numbers(found: pd.Series, want: pd.Series) -> bool:
    fields = ("numerator", "denominator") if want["kind"] == "ratio" else ("value",)
    return all(found[f] is not None and not pd.isna(found[f]) and
               math.isclose(float(found[f]), float(want[f]), rel_tol=1e-9, abs_tol=1e-9) for f in fields)


def recall(archive: Path, out: Path) -> tuple[float, int, int]:
    truth = pd.read_parquet(archive / "_truth" / "figures.parquet")
    figures = read_table(out, "figures")
    documents = read_table(out, "documents")
    paths = {}
    for doc in documents.to_dict("records"):
        for path in [doc["source"], *(doc["also_at"] if doc["also_at"] is not None else [])]:
            paths[str(Path(path).resolve())] = doc["doc_id"]
    by_doc = {doc_id: frame for doc_id, frame in figures.groupby("doc_id")}
    hit = 0
    for want in truth.to_dict("records"):
        doc_id = paths.get(str((archive / want["path"]).resolve()))
        found = by_doc.get(doc_id)
        if found is None:
            continue
        near = found[(found["kind"] == want["kind"]) & (found["char_start"] < want["char_end"])
                     & (want["char_start"] < found["char_end"])]
        hit += any(same_numbers(row, want) for _, row in near.iterrows())
    return hit / len(truth), hit, len(truth)


def flagged(archive: Path, out: Path) -> tuple[int, int, int]:
    """Planted inconsistencies in a report with a failing check, all planted ones, and the failing checks of
    reports with none planted (false flags)."""
    planted = pd.read_parquet(archive / "_truth" / "inconsistencies.parquet")
    checks = read_table(out, "checks")
    documents = read_table(out, "documents")
    source_of = dict(zip(documents["doc_id"], documents["source"]))
    failing = checks[checks["consistent"].eq(False)]
    failing_paths = [str(Path(source_of[d]).resolve()) for d in failing["doc_id"]]
    planted_paths = [str((archive / p).resolve()) for p in planted["path"]]
    found = sum(p in set(failing_paths) for p in planted_paths)
    return found, len(planted_paths), sum(p not in set(planted_paths) for p in failing_paths)


def indicator_units() -> dict[str, str]:
    import yaml
    spec = yaml.safe_load((ROOT / "rules" / "indicators.yaml").read_text(encoding="utf-8"))
    return {i["id"]: i["unit"] for i in spec["indicators"] if "unit" in i}


def stated(fig: dict, to: str) -> tuple[str, float] | None:
    """What a truth figure says of its indicator: (unit, value), its change signed; None when it says it in
    no unit of the indicator (a share of pupils is no count of pupils)."""
    kind, measure = fig["kind"], fig["measure"]
    sign = -1.0 if measure == "change" and fig["falls"] is True else 1.0
    if measure in RELATIVE and kind == "percent":
        return "%", sign * fig["value"]
    if kind == "ratio":
        if measure in RELATIVE:
            return None
        if to == "%":
            return "%", 100 * fig["numerator"] / fig["denominator"]
        return to, fig["numerator"]
    if kind == "percent":
        return ("%", fig["value"]) if to == "%" else None
    if kind == "per_mille":
        return {"‰": ("‰", fig["value"]), "%": ("%", fig["value"] / 10)}.get(to)
    if kind == "quantity" and fig["unit"] != to:
        factor = CONVERT.get((to, fig["unit"]))
        return (to, sign * fig["value"] * factor) if factor else None
    return to, sign * fig["value"]


def truth_panel(archive: Path) -> tuple[dict[tuple, dict], list[str]]:
    """The panel the generator's truth gives: per cell (province, district, level, name, year, period,
    indicator, measure, unit) the value and the report it comes from, picked as `ward-extract panel` picks
    (a result before an estimate, then the latest report); and the cells one report states twice with
    different values, which would make the truth ambiguous."""
    units = indicator_units()
    docs = pd.read_parquet(archive / "_truth" / "documents.parquet")
    docs = docs[docs["duplicate_of"].isna()].set_index("path")
    figures = pd.read_parquet(archive / "_truth" / "figures.parquet")
    figures = figures[figures["indicator"].notna() & figures["whole"].eq(True) & figures["path"].isin(docs.index)]
    per_report: dict[tuple, list] = {}
    for fig in figures.to_dict("records"):
        fig = {k: (None if v is pd.NA else v) for k, v in fig.items()}
        found = stated(fig, units[fig["indicator"]])
        if found is None:
            continue
        unit, value = found
        fig["spread"] = spread(fig, value)
        doc = docs.loc[fig["path"]]
        measure = "actual" if fig["measure"] in RESULT_RANK else fig["measure"]
        key = (doc["province"], doc["district"], doc["unit_level"], doc["unit_name"], int(fig["period_year"]),
               fig["period_span"], fig["indicator"], measure, unit)
        per_report.setdefault((fig["path"], key), []).append((value, fig))
    ambiguous, statements = [], {}
    for (path, key), found in per_report.items():
        values = [v for v, _ in found]
        if any(abs(v - values[0]) > f["spread"] + found[0][1]["spread"] + 1e-9 * abs(v) for v, f in found):
            # a report that states one cell twice, differently, gives it no value
            ambiguous.append(f"{path}: {key[4:]} stated as {[' '.join(f['raw'].split()) for _, f in found]}")
            continue
        doc = docs.loc[path]
        # a report that gives its result and an estimate of it (agreeing) states the result
        statements.setdefault(key, []).append({
            "value": values[0], "path": path, "rank": min(RESULT_RANK.get(f["measure"], 0) for _, f in found),
            "latest": (int(doc["year"]), MONTHS.get(doc["period"], 12)), "raw": " ".join(found[0][1]["raw"].split())})
    cells = {key: sorted(found, key=lambda s: (s["rank"], tuple(-x for x in s["latest"]), s["path"]))[0]
             for key, found in statements.items()}
    return cells, ambiguous


def spread(fig: dict, value: float) -> float:
    """Half the last place a figure is written to, in its fact's unit (a count is exact)."""
    if fig["kind"] in ("ratio", "count") or fig["decimals"] is None or pd.isna(fig["decimals"]):
        return 0.0 if fig["kind"] != "money" else 0.05 * abs(value)
    written = 0.5 * 10 ** -int(fig["decimals"])
    return written * abs(value / fig["value"]) if fig["value"] else written


def close(a: float, b: float) -> bool:
    return abs(a - b) <= AGREE * max(abs(a), abs(b)) + 1e-9


def panel_mismatches(archive: Path, panel: pd.DataFrame) -> dict[str, list[str]]:
    """Every way the panel differs from the truth's, cell by cell: `wrong` (another value), `extra` (a cell
    the truth does not have), `missing` (a truth cell the panel lacks), `units` (a unit with more than one
    key, or a key for more than one unit), `ambiguous` (a truth cell a report states twice, differently)."""
    cells, ambiguous = truth_panel(archive)
    docs = pd.read_parquet(archive / "_truth" / "documents.parquet").set_index("path")
    out = {"wrong": [], "extra": [], "missing": [], "units": [], "ambiguous": ambiguous}
    keys_of: dict[tuple, set] = {}
    seen = set()
    for row in panel.to_dict("records"):
        path = str(Path(row["source"]).resolve().relative_to(archive.resolve()))
        doc = docs.loc[path]
        unit = (doc["province"], doc["district"], doc["unit_level"], doc["unit_name"])
        keys_of.setdefault(unit, set()).add(row["unit_key"])
        key = unit + (int(row["year"]), row["period"], row["indicator"], row["measure"], row["unit"])
        seen.add(key)
        said = f"{key[3]} {key[4:]}: panel {row['value']:g} from {path} '{' '.join(str(row['raw']).split())}'"
        if key not in cells:
            out["extra"].append(said)
        elif not close(row["value"], cells[key]["value"]):
            out["wrong"].append(f"{said}, truth {cells[key]['value']:g} from {cells[key]['path']} '{cells[key]['raw']}'")
    for key, want in cells.items():
        if key not in seen:
            out["missing"].append(f"{key[3]} {key[4:]}: truth {want['value']:g} from {want['path']} '{want['raw']}'")
    owners: dict[str, set] = {}
    for unit, keys in keys_of.items():
        for k in keys:
            owners.setdefault(k, set()).add(unit)
        if len(keys) > 1:
            out["units"].append(f"{unit}: keys {sorted(keys)}")
    out["units"] += [f"{k}: units {sorted(u)}" for k, u in owners.items() if len(u) > 1]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, help="folder for the archive and datasets (default: a temporary one)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to time (default 1 2)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ward-extract-bench-"))
    archive = work / "archive"
    started = time.perf_counter()
    manifest = generate_archive(archive, args.count, args.seed)
    print(f"generated {len(manifest)} reports in {time.perf_counter() - started:.1f} s under {archive}")
    pages = int(manifest["pages"].sum())
    results = {}
    for workers in args.workers:
        out = work / f"dataset-{workers}"
        seconds, peak = timed_run(archive, out, workers)
        results[workers] = seconds
        print(f"{workers} worker(s): {seconds:7.1f} s  {len(manifest) / seconds:6.1f} files/s  "
              f"{pages / seconds:7.1f} pages/s  peak memory of a process {peak:.0f} MiB")
    if 1 in results and 2 in results:
        print(f"speed-up with 2 workers: {results[1] / results[2]:.2f}x")
    dataset = work / f"dataset-{args.workers[-1]}"
    share, hit, total = recall(archive, dataset)
    print(f"figure recall against the generator's truth: {hit}/{total} = {share:.4f}")
    found, planted, false_flags = flagged(archive, dataset)
    print(f"planted inconsistencies in a report with a failing check: {found}/{planted}; "
          f"failing checks in reports with none planted: {false_flags}")
    panel_check(archive, dataset, work / "panel")


def panel_check(archive: Path, dataset: Path, out: Path) -> None:
    """`ward-extract panel --html` timed, its cells against the truth's, its page in headless Chromium."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "extract", "panel", str(dataset), "--out", str(out), "--html"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    panel = pd.read_parquet(out / "panel.parquet")
    print(f"panel --html: {seconds:.1f} s for {len(panel)} cells, {panel['unit_key'].nunique()} units")
    for kind, lines in panel_mismatches(archive, panel).items():
        print(f"panel against the truth, {kind}: {len(lines)}" + "".join(f"\n    {line}" for line in lines[:10]))
    sys.path.insert(0, str(ROOT / "tests"))
    from test_review import CHROMIUM, chromium, console_messages     # the page tests' headless Chromium
    if CHROMIUM is None:
        print("no chromium on this machine: the page was not opened")
        return
    start = time.perf_counter()
    opened = chromium("--virtual-time-budget=3000", "--dump-dom", (out / "panel.html").as_uri())
    errors = console_messages(opened.stderr)
    print(f"panel.html ({(out / 'panel.html').stat().st_size / 2**20:.1f} MiB) in headless Chromium: exit "
          f"{opened.returncode}, {opened.stdout.count('<circle')} points, {len(errors)} console messages, "
          f"{time.perf_counter() - start:.1f} s" + "".join(f"\n    {e}" for e in errors[:5]))


if __name__ == "__main__":
    main()
