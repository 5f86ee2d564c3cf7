"""Benchmark: a batch run over a generated archive, with 1 and 2 workers, checked against its truth.

    .venv/bin/python bench/archive_run.py [--count 1000] [--seed 7] [--work DIR]

Generates COUNT reports with bench/generate_archive.py (which records every figure it wrote and every
inconsistency it planted), runs `ward-extract run` on them with one worker and then with two (fresh
datasets, same machine, same run), and prints files and pages per second, the speed-up, the peak memory
of a worker, and how much of the generator's truth came out: figure recall (same file, overlapping
span, same kind and numbers) and planted inconsistencies flagged.
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


def flagged(archive: Path, out: Path) -> tuple[int, int]:
    planted = pd.read_parquet(archive / "_truth" / "inconsistencies.parquet")
    checks = read_table(out, "checks")
    documents = read_table(out, "documents")
    source_of = dict(zip(documents["doc_id"], documents["source"]))
    failing = checks[checks["consistent"].eq(False)]
    failing_paths = {str(Path(source_of[d]).resolve()) for d in failing["doc_id"]}
    found = sum(str((archive / p).resolve()) in failing_paths for p in planted["path"])
    return found, len(planted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, help="folder for the archive and datasets (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ward-extract-bench-"))
    archive = work / "archive"
    started = time.perf_counter()
    manifest = generate_archive(archive, args.count, args.seed)
    print(f"generated {len(manifest)} reports in {time.perf_counter() - started:.1f} s under {archive}")
    pages = int(manifest["pages"].sum())
    results = {}
    for workers in (1, 2):
        out = work / f"dataset-{workers}"
        seconds, peak = timed_run(archive, out, workers)
        results[workers] = seconds
        print(f"{workers} worker(s): {seconds:7.1f} s  {len(manifest) / seconds:6.1f} files/s  "
              f"{pages / seconds:7.1f} pages/s  peak memory of a process {peak:.0f} MiB")
    print(f"speed-up with 2 workers: {results[1] / results[2]:.2f}x")
    share, hit, total = recall(archive, work / "dataset-2")
    print(f"figure recall against the generator's truth: {hit}/{total} = {share:.4f}")
    found, planted = flagged(archive, work / "dataset-2")
    print(f"planted inconsistencies in a report with a failing check: {found}/{planted}")


if __name__ == "__main__":
    main()
