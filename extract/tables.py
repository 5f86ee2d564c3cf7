"""Tables stage: Results to Parquet files, one per table, in the schemas of extract.schema.

Each file is written to a temporary name and renamed, so a reader never sees half a file.
"""
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import schema


def write_tables(results, out_dir: str | Path) -> dict[str, Path]:
    """Write documents/sections/figures/checks .parquet under OUT_DIR; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, table_schema in schema.TABLES.items():
        parts = [r.arrow[name] for r in results if r.arrow[name].num_rows]
        table = pa.concat_tables(parts) if parts else table_schema.empty_table()
        path = out / f"{name}.parquet"
        tmp = out / f".{name}.parquet.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, path)
        written[name] = path
    return written
