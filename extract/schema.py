"""The five output tables (documents, sections, figures, checks, facts): their pyarrow schemas.

This module is the one place that names and types the columns; writers, tests and the README use it.
"""
import pandas as pd
import pyarrow as pa

DOCUMENTS = pa.schema([
    ("doc_id", pa.string()),          # sha256 of the file's bytes
    ("source", pa.string()),          # path as given
    ("format", pa.string()),          # what was read: txt | pdf | pdf+ocr | image+ocr | docx | doc | rtf | odt | xlsx | xls | html
    ("encoding", pa.string()),        # what the text was typed in: utf-8 ... | unicode | tcvn3 | vni | mixed
    ("characters", pa.int64()),       # length of the source text
    ("pages", pa.int32()),            # PDF pages, null for text
    ("pages_without_text", pa.list_(pa.int32())),   # PDF pages that are images only and were not read (OCR off)
    ("ocr_pages", pa.list_(pa.int32())),             # pages whose text OCR read
    ("sections", pa.int32()),         # rows of the sections table (footnotes included)
    ("figures", pa.int32()),          # rows of the figures table (table cells included)
    ("footnotes", pa.int32()),
    ("checks", pa.int32()),
    ("checks_failed", pa.int32()),
    ("status", pa.string()),          # ok | error | skipped (a format no reader reads)
    ("error", pa.string()),           # the cause, when status is error or skipped
    ("error_kind", pa.string()),      # file (the file is bad) | run (time, memory, a crashed reader or lost worker, a missing tool)
    ("text", pa.string()),            # the text read from any format but plain text, which figure offsets index
    ("also_at", pa.list_(pa.string())),   # other paths of the same file (same bytes), processed once
    # what the report says about itself (extract.metadata), or what --metadata gave
    ("unit_level", pa.string()),      # phường | xã | thị trấn
    ("unit_name", pa.string()),
    ("district_level", pa.string()),  # thành phố | huyện | quận | thị xã
    ("district", pa.string()),
    ("province_name", pa.string()),   # the partition column `province` is its ASCII slug
    ("report_year", pa.int32()),      # the partition column `year` (0 when unknown)
    ("period", pa.string()),          # year | 6 months | 9 months | quarter N | month N
    ("report_kind", pa.string()),
    ("report_date", pa.string()),     # ISO date of the report
    ("session", pa.string()),         # the council session it was submitted to
    ("session_number", pa.int32()),
    ("council_term", pa.string()),
    ("document_number", pa.string()),
])

SECTIONS = pa.schema([
    ("doc_id", pa.string()),
    ("source", pa.string()),
    ("section_id", pa.string()),
    ("number", pa.string()),          # as written: "Phần thứ nhất", "I", "2.1", "footnote 3" ...
    ("title", pa.string()),
    ("level", pa.int32()),            # 1 part, 2 Roman, 3 Arabic, 4 two-part, 5 three-part; null for footnotes
    ("type", pa.string()),            # heading | inline_heading | numbered_item | footnote
    ("parent", pa.string()),          # section_id of the parent
    ("path", pa.string()),            # "Phần thứ nhất > I > 2 > 2.1"
    ("line", pa.int32()),             # 1-based line of the heading in the source
    ("char_start", pa.int64()),       # source offsets of the section (heading to the next heading)
    ("char_end", pa.int64()),
])

FIGURES = pa.schema([
    ("doc_id", pa.string()),
    ("source", pa.string()),
    ("figure_id", pa.string()),
    ("kind", pa.string()),            # money | percent | per_mille | ratio | count | quantity
    ("value", pa.float64()),          # money in đồng; percent 63.7 for 63,7%; null for ratios
    ("value_max", pa.float64()),      # upper end of a range ("1- 2%"), else null
    ("numerator", pa.float64()),
    ("denominator", pa.float64()),
    ("unit", pa.string()),            # counted or measured noun as written, or the currency / sign
    ("approx", pa.string()),          # qualifier governing the number: gần, khoảng, trên, dưới, hơn, ước ...
    ("raw", pa.string()),             # the source text of the figure, as written
    ("decimals", pa.int32()),         # decimals as written (rounding interval of a stated value)
    ("in_words", pa.float64()),       # the same amount written out in words beside it
    ("section", pa.string()),         # section path, or "footnote N"
    ("anchor_section", pa.string()),  # for a footnote figure: the section of its marker
    ("sentence", pa.string()),        # the cleaned sentence holding the figure
    ("char_start", pa.int64()),       # offsets into the source text (Python str indexes)
    ("char_end", pa.int64()),
    ("line", pa.int32()),             # 1-based source line of char_start
    ("rule", pa.string()),            # name of the rule in rules/ that produced it
    ("page", pa.int32()),             # PDF page (1-based) and box in PDF points from the top left
    ("x0", pa.float64()),
    ("top", pa.float64()),
    ("x1", pa.float64()),
    ("bottom", pa.float64()),
    ("table_id", pa.string()),        # a figure read from a table cell: the table, row and column,
    ("row", pa.int32()),              # the row's label and the column's header
    ("col", pa.int32()),
    ("row_label", pa.string()),
    ("col_header", pa.string()),
    ("paragraph", pa.int32()),        # formats with paragraphs and no pages (Word): the paragraph, 1-based
    ("ocr_confidence", pa.float64()), # text read by OCR: the lowest confidence (0-100) of the characters
    # what the figure measures (extract.indicators, rules/indicators.yaml); null where the text does not say
    ("indicator", pa.string()),       # id of the indicator: budget_revenue_state, poor_households ...
    ("measure", pa.string()),         # actual | estimate | plan | share_of_plan | over_plan | prior | change | target
    ("period", pa.string()),          # the period it is about: "năm 2023", "6 tháng đầu năm 2024", "năm học 2022-2023"
    ("indicator_phrase", pa.string()),  # the words the indicator was recognised from
    ("indicator_part", pa.bool_()),   # it states a part of what the indicator measures (an item of a total): no fact
])

CHECKS = pa.schema([
    ("doc_id", pa.string()),
    ("source", pa.string()),
    ("check_id", pa.string()),
    ("check", pa.string()),           # ratio_percent | implied_denominator | parts_sum | percent_sum | words_digits | change
    ("stated", pa.float64()),
    ("computed", pa.float64()),
    ("consistent", pa.bool_()),
    ("verdict", pa.string()),         # ok | truncated | padded | swapped | digits_transposed | impossible | mismatch
    ("figure_ids", pa.list_(pa.string())),
    ("explanation", pa.string()),
    ("section", pa.string()),
    ("line", pa.int32()),
    ("page", pa.int32()),
    ("char_start", pa.int64()),
    ("char_end", pa.int64()),
])

FACTS = pa.schema([
    ("doc_id", pa.string()),
    ("source", pa.string()),
    ("indicator", pa.string()),       # one row per document, indicator, measure, period and unit
    ("measure", pa.string()),
    ("period", pa.string()),          # as the figures state it: "năm 2024", "6 tháng đầu năm 2025"
    ("period_year", pa.int32()),      # the year the period ends in
    ("period_span", pa.string()),     # year | N months | last N months | quarter N | month N | school year A-B
    ("value", pa.float64()),          # in `unit`: the first statement's value (a ratio's numerator; a rate's 100·X/Y)
    ("unit", pa.string()),            # the indicator's unit (đồng, hộ, ha, tấn, %, ‰ ...); % for a share of plan or a change
    ("approx", pa.string()),          # the first statement's qualifier: gần, khoảng, trên ...
    ("values", pa.list_(pa.float64())),      # every statement's value, in the order of figure_ids
    ("figure_ids", pa.list_(pa.string())),   # the figures that state it, in the text's order, then table cells
    ("conflict", pa.bool_()),         # the statements disagree beyond their rounding
    ("raw", pa.string()),             # the first statement as written, its sentence and PDF page
    ("sentence", pa.string()),
    ("page", pa.int32()),
])

# pandas' nullable types for Arrow's integers and booleans: a column of pages or rows with gaps stays whole
# numbers (not floats), so that joins and group-bys behave
PANDAS_TYPES = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """An Arrow table of one of these schemas as pandas, with nullable integers and booleans."""
    return table.to_pandas(types_mapper=PANDAS_TYPES.get)


def _with_pandas_types(table_schema: pa.Schema) -> pa.Schema:
    """The schema with the pandas types of its columns in its metadata, as pandas writes them: a Parquet file
    read by pd.read_parquet gets nullable integers and booleans too."""
    empty = to_pandas(table_schema.empty_table())
    return table_schema.with_metadata(
        pa.Table.from_pandas(empty, schema=table_schema, preserve_index=False).schema.metadata)


DOCUMENTS, SECTIONS, FIGURES, CHECKS, FACTS = map(_with_pandas_types, (DOCUMENTS, SECTIONS, FIGURES, CHECKS, FACTS))
TABLES = {"documents": DOCUMENTS, "sections": SECTIONS, "figures": FIGURES, "checks": CHECKS, "facts": FACTS}


def _known_columns(name: str, rows: list[dict]) -> None:
    known = set(TABLES[name].names)
    for row in rows:
        if not row.keys() <= known:     # a misspelt column would silently stay null
            raise KeyError(f"the {name} table has no column {', '.join(sorted(row.keys() - known))}")


def rows_to_arrow(name: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts keyed by column) as the table NAME; a key that is no column of the table is an error."""
    _known_columns(name, rows)
    return pa.Table.from_pylist(rows, schema=TABLES[name]) if rows else TABLES[name].empty_table()


def rows_to_pandas(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows (checked as rows_to_arrow checks them) as the table NAME in pandas, its integers and booleans
    nullable, its lists Python lists and its missing strings None."""
    columns = TABLES[name]
    if not rows:
        return to_pandas(columns.empty_table())
    _known_columns(name, rows)
    # nullable columns made as such at once: inferring them first and converting after costs twice
    data = {}
    for column in columns:
        values = [r.get(column.name) for r in rows]
        nullable = PANDAS_TYPES.get(column.type)
        data[column.name] = pd.array(values, dtype=nullable) if nullable is not None else values
    return pd.DataFrame(data, columns=columns.names, copy=False)
