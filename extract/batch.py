"""Batch runs: finding the reports under the inputs and processing each; the engines spread the work.

One bad file gives an error row in `documents` and the batch goes on.
"""
from pathlib import Path

from .pipeline import Result, process_file



def discover(inputs: list[str]) -> tuple[list[Path], list[str]]:
    """Files named directly, and every file found recursively in folders (hidden folders aside: .git ...);
    plus inputs that do not exist. Files of formats no reader reads are listed too, to be recorded as
    skipped with the reason."""
    files, missing = [], []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()
                                and not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])))
        elif path.exists():
            files.append(path)
        else:
            missing.append(item)
    return files, missing


def process(path: Path, pdf_reader: str | None = None) -> Result:
    return process_file(path, pdf_reader)



def read_metadata_csv(path: str) -> dict[str, dict]:
    """A CSV with a `doc_id` or `path` column and metadata columns: key -> fields."""
    import csv
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as err:
        raise ValueError(f"{path}: {err.strerror}") from None
    if rows and not ({"doc_id", "path"} & set(rows[0])):
        raise ValueError(f"{path}: needs a doc_id or a path column")
    overrides = {}
    for row in rows:
        key = row.get("doc_id") or row.get("path")
        overrides[key] = {k: v for k, v in row.items() if k not in ("doc_id", "path") and v}
    return overrides
