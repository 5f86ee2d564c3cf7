"""Tables stage: Results to Parquet files, one per table, in the schemas of extract.schema.

Each file is written to a temporary name and renamed, so a reader never sees half a file.
"""
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import schema


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, schema=schema.TABLES[table], preserve_index=False)


def write_tables(results, out_dir: str | Path) -> dict[str, Path]:
    """Write documents/sections/figures/checks .parquet under OUT_DIR; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, table_schema in schema.TABLES.items():
        frames = [r.tables()[name] for r in results if len(r.tables()[name])]
        table = pa.concat_tables([to_arrow(name, f) for f in frames]) if frames else table_schema.empty_table()
        path = out / f"{name}.parquet"
        tmp = out / f".{name}.parquet.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, path)
        written[name] = path
    return written
