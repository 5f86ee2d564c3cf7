"""Speed never costs a figure: the five tables of every sample, the seed and a small generated archive,
compared row for row between two versions of the code.

    .venv/bin/python bench/identical.py record [FILE]        # the tables this checkout gives, as JSON lines
    .venv/bin/python bench/identical.py compare [FILE]       # this checkout's tables against a recording
    .venv/bin/python bench/identical.py compare --ref REV    # against the tables commit REV gives, in this run
    .venv/bin/python bench/identical.py compare --ref REV --paths extract/figures.py ...
                                          # against this working tree with only PATHS as REV has them

Every sample (text and PDF), the evaluation and held-out reports, the seed report (text and PDF) and the
archive (bench/generate_archive.py, 12 reports, a quarter also as PDF: made once and kept under
bench/results/identical-archive, so that both sides read the same files) go through process_file; every PDF
with both readers. Each row of each table, both as the Result's pandas frame and as the Arrow table written
to Parquet, is written as canonical JSON (floats by repr, NaN as null), so any difference in any column of
any row shows.
`--ref REV` runs the same recording from a git worktree of REV, then compares: exit 1 on any difference.
With `--paths`, the reference is a copy of this working tree with only those files taken from REV, so that
edits others have in the tree and not yet committed are on both sides and only the change to PATHS shows.
"""
import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "fixtures" / "seed"
ARCHIVE = ROOT / "bench" / "results" / "identical-archive"
DEFAULT = ROOT / "bench" / "results" / "identical-tables.jsonl"


def archive_files() -> list[Path]:
    if not ARCHIVE.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_archive.py"), str(ARCHIVE),
                        "--count", "12", "--seed", "13", "--pdf-fraction", "0.25"], check=True)
    return sorted(p for p in ARCHIVE.rglob("*") if p.suffix in (".txt", ".pdf") and "_truth" not in p.parts)


def inputs() -> list[Path]:
    files = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "samples").glob("*.pdf"))
    files += sorted((ROOT / "bench").glob("*/report.txt"))       # the evaluation and held-out reports
    files += [p for p in (SEED / "report.txt", SEED / "report.pdf") if p.exists()]
    return files + archive_files()


def name_of(path: Path) -> str:
    """The same name for an input on both sides (a worktree of another revision has another root)."""
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.relative_to(SEED.parent))


def canonical(value):
    if value is None:
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float):
        return None if math.isnan(value) else repr(value)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    try:
        import pandas as pd
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value if isinstance(value, (str, int, bool)) else str(value)


def record(out: Path, code_root: Path) -> None:
    """The tables the code at CODE_ROOT gives for every input, one JSON line per row."""
    sys.path.insert(0, str(code_root))
    from extract.pipeline import process_file
    with open(out, "w", encoding="utf-8") as lines:
        for path in inputs():
            for reader in (("pdfium", "pdfplumber") if path.suffix == ".pdf" else ("pdfium",)):
                result = process_file(path, reader)
                for table, frame in result.tables().items():
                    written = written_table(result, table, frame)
                    for n, row in enumerate(frame.to_dict("records")):
                        key = f"{name_of(path)} {reader} {table} {n}"
                        lines.write(json.dumps([key, canonical(row)], ensure_ascii=False, sort_keys=True) + "\n")
                    for n, row in enumerate(written.to_pylist()):
                        key = f"{name_of(path)} {reader} {table}.parquet {n}"
                        lines.write(json.dumps([key, canonical(row)], ensure_ascii=False, sort_keys=True) + "\n")


def written_table(result, table: str, frame):
    """The table as the writers write it: the Result's Arrow table, or (a revision that held pandas frames
    only) the frame converted to the table's schema, as its writers did."""
    import pyarrow as pa
    from extract import schema
    if hasattr(result, "arrow"):
        return result.arrow[table]
    return pa.Table.from_pandas(frame, schema=schema.TABLES[table], preserve_index=False)


def load(path: Path) -> dict:
    with open(path, encoding="utf-8") as lines:
        return dict(json.loads(line) for line in lines)


def compare(before: dict, after: dict) -> int:
    missing = sorted(before.keys() - after.keys())
    extra = sorted(after.keys() - before.keys())
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    for key in changed[:10]:
        old, new = before[key], after[key]
        columns = sorted(c for c in old.keys() | new.keys() if old.get(c) != new.get(c))
        print(f"changed {key}: " + "; ".join(f"{c}: {old.get(c)!r} -> {new.get(c)!r}" for c in columns)[:600])
    for key in missing[:10]:
        print(f"missing {key}")
    for key in extra[:10]:
        print(f"extra   {key}")
    docs = len({k.rsplit(" ", 2)[0] for k in before})
    print(f"{len(before)} rows of {docs} document readings before, {len(after)} after: "
          f"{len(changed)} changed, {len(missing)} missing, {len(extra)} extra")
    return 1 if changed or missing or extra else 0


def working_tree_with(tree: Path, rev: str, paths: list[str]) -> None:
    """A copy of this working tree at TREE (the code, rules and inputs, not the environment or outputs) with
    PATHS as revision REV has them."""
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(".git", ".venv", "output", "results", "__pycache__",
                                                              "*.egg-info"))
    for path in paths:
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True, check=True)
        (tree / path).write_bytes(shown.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("record", "compare"))
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--ref", help="compare against the tables of this git revision, recorded in this run")
    parser.add_argument("--paths", nargs="+", help="with --ref: only these files as the revision has them, the "
                                                   "rest as in this working tree")
    args = parser.parse_args()
    if args.paths and not args.ref:
        parser.error("--paths needs --ref")
    args.file.parent.mkdir(parents=True, exist_ok=True)
    if args.action == "record":
        record(args.file, ROOT)
        print(f"recorded {sum(1 for _ in open(args.file, encoding='utf-8'))} rows in {args.file}")
        return
    with tempfile.TemporaryDirectory(prefix="identical-") as tmp:
        reference = args.file
        if args.ref:
            tree = Path(tmp) / "ref"
            if args.paths:
                working_tree_with(tree, args.ref, args.paths)
            else:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), args.ref],
                               check=True)
            try:
                reference = Path(tmp) / "ref.jsonl"
                subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]);"
                                "import identical; identical.record(__import__('pathlib').Path(sys.argv[2]), "
                                "__import__('pathlib').Path(sys.argv[3]))",
                                str(ROOT / "bench"), str(reference), str(tree)], check=True, cwd=tree)
            finally:
                if not args.paths:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
        current = Path(tmp) / "current.jsonl"
        record(current, ROOT)
        sys.exit(compare(load(reference), load(current)))


if __name__ == "__main__":
    main()
