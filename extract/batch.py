"""Batch runs: finding the reports under the inputs and processing each; the engines spread the work.

One bad file gives an error row in `documents` and the batch goes on.
"""
from pathlib import Path

import regex

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



# the documents columns --metadata may set: what a report says about itself
METADATA_COLUMNS = ("unit_level", "unit_name", "district_level", "district", "province_name", "report_year",
                    "period", "report_kind", "report_date", "session", "session_number", "council_term",
                    "document_number")
WHOLE_NUMBERS = {"report_year", "session_number"}
ISO_DATE = regex.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_metadata_csv(path: str) -> dict[str, dict]:
    """A CSV with a `doc_id` or `path` column and metadata columns: key -> fields, each value checked
    (a ValueError names the row and column of the first that is wrong)."""
    import csv
    import datetime
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ValueError(f"{path}: {getattr(err, 'strerror', None) or err}") from None
    if not ({"doc_id", "path"} & set(columns)):
        raise ValueError(f"{path}: needs a doc_id or a path column")
    unknown = [c for c in columns if c not in ("doc_id", "path", *METADATA_COLUMNS)]
    if unknown:
        raise ValueError(f"{path}: unknown column {unknown[0]!r} (the columns it may set: {', '.join(METADATA_COLUMNS)})")
    overrides = {}
    for line, row in enumerate(rows, start=2):
        key = (row.get("doc_id") or "").strip() or (row.get("path") or "").strip()
        if not key:
            raise ValueError(f"{path}, row {line}: neither doc_id nor path is given")
        fields = {}
        for column in METADATA_COLUMNS:
            value = (row.get(column) or "").strip()
            if not value:
                continue
            if column in WHOLE_NUMBERS:
                number = regex.fullmatch(r"(\d+)(?:\.0*)?", value)    # 2024, or 2024.0 as a spreadsheet saves it
                if not number:
                    raise ValueError(f"{path}, row {line}, column {column}: {value!r} is not a whole number")
                fields[column] = int(number.group(1))
            elif column == "report_date":
                try:
                    fields[column] = datetime.date.fromisoformat(value).isoformat() if ISO_DATE.match(value) else None
                except ValueError:
                    fields[column] = None
                if fields[column] is None:
                    raise ValueError(f"{path}, row {line}, column {column}: {value!r} is not a date (YYYY-MM-DD)")
            else:
                fields[column] = value
        overrides[key] = fields
    return overrides
