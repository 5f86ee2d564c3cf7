"""Dataset stage: each document's tables written as parts of five hive-partitioned Parquet datasets.

Takes Results; gives `OUT/<table>/province=<slug>/year=<year>/part-<doc_id>.parquet`, one part per table
and document, each written to a temporary name and renamed. A document is done when its `documents`
part exists (written last), so a run killed at any moment and run again redoes exactly the documents
it had not finished, and a document already done (same sha256) is skipped.
"""
import os
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import regex

from . import schema

TABLE_ORDER = ("sections", "figures", "checks", "facts", "documents")     # documents last: it marks the part done
PARTITIONING = ds.partitioning(pa.schema([("province", pa.string()), ("year", pa.int32())]), flavor="hive")
UNKNOWN_PROVINCE = "unknown"


def slug(text: str | None) -> str:
    """ASCII partition value: "Bắc Giang" -> "bac-giang" (paths stay portable; the name is in documents)."""
    if not text:
        return UNKNOWN_PROVINCE
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return regex.sub(r"[^a-z0-9]+", "-", text).strip("-") or UNKNOWN_PROVINCE


def partition_of(document: dict) -> tuple[str, int]:
    """The partition of a documents row: its province and report year."""
    year = document.get("report_year")
    return slug(document.get("province_name")), int(year) if year is not None else 0


def part_path(out: Path, table: str, province: str, year: int, doc_id: str) -> Path:
    return out / table / f"province={province}" / f"year={year}" / f"part-{doc_id}.parquet"


def _write_atomic(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def write_document(out: Path, result, key: str | None = None) -> Path:
    """The five parts of one Result; KEY names the parts (the doc_id, or a hash of the path for files
    that could not be read, which have no doc_id). Gives the path of its documents part."""
    document = result.document
    key = key or document["doc_id"]
    province, year = partition_of(document)
    for table in TABLE_ORDER:
        _write_atomic(result.arrow[table], part_path(out, table, province, year, key))
    return part_path(out, "documents", province, year, key)


def read_parts(out: Path, table: str, document_parts: list[str]) -> pd.DataFrame:
    """TABLE's rows of the documents whose documents parts are DOCUMENT_PARTS (as write_document gives
    them): those parts alone are read, not the whole dataset."""
    tables = []
    for part in document_parts:
        path = Path(out) / table / Path(part).relative_to(Path(out) / "documents")
        if path.exists():
            tables.append(pq.read_table(path, schema=schema.TABLES[table]))
    return schema.to_pandas(pa.concat_tables(tables) if tables else schema.TABLES[table].empty_table())


def done_keys(out: Path) -> set[str]:
    """Keys of the documents whose parts are all written."""
    root = out / "documents"
    if not root.exists():
        return set()
    return {p.name[len("part-"):-len(".parquet")] for p in root.glob("province=*/year=*/part-*.parquet")}


def failed_keys(out: Path) -> dict[str, str]:
    """Keys of the documents recorded in error, with what caused it: "run" (read again by the next run)
    or "file" (read again when asked)."""
    documents = read_table(out, "documents", columns=["doc_id", "status", "error_kind"])
    if not len(documents):
        return {}
    failed = documents[documents["status"] == "error"]
    return {key: kind or "file" for key, kind in zip(failed["doc_id"], failed["error_kind"]) if key}


def remove_document(out: Path, key: str) -> None:
    """A document's parts, its documents part first: from then on it is not done, whatever happens."""
    for table in reversed(TABLE_ORDER):
        for path in (out / table).glob(f"province=*/year=*/part-{key}.parquet"):
            path.unlink()


def update_metadata(out: Path, overrides: dict[str, dict]) -> set[str]:
    """Metadata (doc_id or path -> documents fields) applied to the documents already in the dataset, without
    reading their files again; a document whose province or year changes moves to its new partition. Gives
    the keys of OVERRIDES that match no document."""
    documents = read_table(out, "documents")
    matched = set()
    by_path = {str(Path(k).resolve()): k for k in overrides}
    for doc in documents.to_dict("records"):
        paths = [doc["source"], *(doc["also_at"] if doc["also_at"] is not None else [])]
        names = [doc["doc_id"], *(by_path.get(str(Path(p).resolve())) for p in paths)]
        fields = {}
        for name in names:
            if name in overrides:
                matched.add(name)
                fields.update(overrides[name])
        if fields and any(doc[column] != value for column, value in fields.items()):
            _rewrite_documents_part(out, doc["doc_id"], fields)
    return set(overrides) - matched


def _rewrite_documents_part(out: Path, key: str, fields: dict) -> None:
    """The documents part of KEY with FIELDS set. When its partition changes, the part is taken away first
    (the document is not done until its new one is written), the other parts moved, then it is written:
    a run killed in between finds the document unfinished and reads its file again."""
    old = next((out / "documents").glob(f"province=*/year=*/part-{key}.parquet"))
    document = {**pq.read_table(old, schema=schema.DOCUMENTS).to_pylist()[0], **fields}
    province, year = partition_of(document)
    arrow = schema.rows_to_arrow("documents", [document])
    new = part_path(out, "documents", province, year, key)
    if new != old:
        old.unlink()
        for table in TABLE_ORDER[:-1]:
            for part in (out / table).glob(f"province=*/year=*/part-{key}.parquet"):
                moved = part_path(out, table, province, year, key)
                moved.parent.mkdir(parents=True, exist_ok=True)
                os.replace(part, moved)
    _write_atomic(arrow, new)


def remove_unfinished(out: Path) -> int:
    """Parts of documents a killed run did not finish, and temporary files: removed before a rerun."""
    done = done_keys(out)
    removed = 0
    for table in TABLE_ORDER[:-1]:
        for path in (out / table).glob("province=*/year=*/*"):
            key = path.name[len("part-"):-len(".parquet")] if path.name.startswith("part-") else None
            if path.name.startswith(".") or key not in done:
                path.unlink()
                removed += 1
    for path in (out / "documents").glob("province=*/year=*/.*"):
        path.unlink()
        removed += 1
    return removed


def add_missing_facts(out: Path) -> int:
    """The facts part of every done document that has none (a dataset written before the facts table
    existed), built from its figures and checks parts; gives how many were written."""
    from .facts import document_facts
    written = 0
    for path in (out / "documents").glob("province=*/year=*/part-*.parquet"):
        province, year = path.parent.parent.name.split("=", 1)[1], int(path.parent.name.split("=", 1)[1])
        key = path.name[len("part-"):-len(".parquet")]
        target = part_path(out, "facts", province, year, key)
        if target.exists():
            continue
        parts = {}
        for table in ("documents", "figures", "checks"):
            part = part_path(out, table, province, year, key)
            parts[table] = pq.read_table(part, schema=schema.TABLES[table]).to_pylist() if part.exists() else []
        rows = document_facts(parts["figures"], parts["checks"], parts["documents"][0])
        _write_atomic(schema.rows_to_arrow("facts", rows), target)
        written += 1
    return written


def read_table(out: str | Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """One table of a dataset as a DataFrame, partition columns included (or COLUMNS only)."""
    root = Path(out) / table
    if not root.exists():
        empty = schema.TABLES[table].empty_table()
        return schema.to_pandas(empty.select(columns) if columns else empty)
    dataset = ds.dataset(root, format="parquet", partitioning=PARTITIONING,
                         schema=pa.unify_schemas([schema.TABLES[table], PARTITIONING.schema]))
    return schema.to_pandas(dataset.to_table(columns=columns))
