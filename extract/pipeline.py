"""The pipeline: load -> clean -> sections -> figures -> checks -> facts -> tables, for one document.

Takes a path or a text; gives a Result whose five tables are Arrow tables in the schemas of extract.schema
(and pandas DataFrames when asked for). Bad input becomes a documents row with status "error", never an
exception.
"""
import bisect
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from . import schema
from .facts import document_facts, parts_of_wholes
from .checks import Placed, find_checks, ocr_unsure, table_row_checks, unsure_figures
from .clean import CleanText, clean, clean_layout
from .figures import source_span
from .indicators import measure_figures
from .load import InputError, Source, doc_id_of, text_source
from .readers import LAYOUT_READERS, ReadOptions, format_of, read
from .nlp import blank_vietnamese, sentence_starts
from .metadata import read_metadata
from .sections import Section, SectionIndex, find_sections
from .table_figures import table_figures


TABLE_NAMES = tuple(schema.TABLES)


@dataclass
class Result:
    """One document's five tables, held as Arrow tables (what the writers write); each is also there as a
    pandas DataFrame (result.figures ...), made when first asked for."""
    source: str
    arrow: dict[str, pa.Table]
    doc: object = field(default=None, repr=False)          # the spaCy Doc, with doc.spans["figures"]
    cleaned: CleanText | None = field(default=None, repr=False)
    placed: list = field(default_factory=list, repr=False)           # (figure_id, Figure, block) in text order
    section_objects: list = field(default_factory=list, repr=False)
    _frames: dict = field(default_factory=dict, repr=False, compare=False)

    def frame(self, table: str) -> pd.DataFrame:
        if table not in self._frames:
            self._frames[table] = schema.rows_to_pandas(table, self.arrow[table].to_pylist())
        return self._frames[table]

    documents = property(lambda self: self.frame("documents"))
    sections = property(lambda self: self.frame("sections"))
    figures = property(lambda self: self.frame("figures"))
    checks = property(lambda self: self.frame("checks"))
    facts = property(lambda self: self.frame("facts"))

    @property
    def document(self) -> dict:
        """The documents row, as a dict."""
        return self.arrow["documents"].to_pylist()[0]

    def set_document(self, row: dict) -> None:
        """Replace the documents row (metadata given on the command line, the file's other paths)."""
        self.arrow["documents"] = schema.rows_to_arrow("documents", [row])
        self._frames.pop("documents", None)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def status(self) -> str:
        return self.arrow["documents"]["status"][0].as_py()

    @property
    def error(self) -> str | None:
        return self.arrow["documents"]["error"][0].as_py()

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: self.frame(name) for name in TABLE_NAMES}


def empty_tables() -> dict[str, pa.Table]:
    return {name: table.empty_table() for name, table in schema.TABLES.items()}


@cache
def nlp():
    """The spaCy pipeline: syllable tokenizer, sentencizer, the ward_figures component."""
    from . import figures  # noqa: F401  registers the factory
    pipeline = blank_vietnamese()
    pipeline.add_pipe("ward_figures")
    return pipeline


def process_text(text: str, source: str = "<text>") -> Result:
    return process_source(text_source(text, source))


# a few lines that take every stage through its rules: a heading, figures of each kind, a check, a footnote
WARM_UP = """UBND PHƯỜNG AN BÌNH
BÁO CÁO kết quả thực hiện nhiệm vụ kinh tế - xã hội năm 2024
I. KẾT QUẢ
1. Kinh tế
Thu ngân sách ước thực hiện 1.250.000.000đ/1.000.000.000đ, đạt 125% kế hoạch; 328 hộ kinh doanh.
Tỷ lệ hộ nghèo còn 0,67% (19/2.836 hộ), giảm 0,2% so với cùng kỳ¹.
¹ Theo số liệu của UBND phường.
"""


def warm_up() -> None:
    """The pipeline's modules loaded, its models made and its rules compiled, by processing a few made-up
    lines: processes forked after this (a batch's workers) start ready, sharing what it built."""
    from .readers import warm  # noqa: F401  the PDF reader's modules and rules
    process_text(WARM_UP, "<warm-up>")
    gc.collect()
    # out of the collector's reach: a collection in a child would otherwise walk (and so copy) the heap it shares
    gc.freeze()


def process_file(path: str | Path, pdf_reader: str | None = None, bounded_pdf: bool = True,
                 options: ReadOptions | None = None) -> Result:
    """One report file to its Result. Every format but plain text is read in a child process with time and
    memory caps unless BOUNDED_PDF is false (when the caller is such a process already)."""
    if options is None:
        options = ReadOptions(pdf_reader=pdf_reader or "pdfium", bounded=bounded_pdf)
    try:
        src = read(path, options)
    except InputError as err:
        return failed(str(path), err.cause, doc_id=_doc_id(path), status=err.status, fmt=format_of(Path(path)),
                      kind=err.kind)
    return process_source(src)


def _doc_id(path) -> str | None:
    try:
        return doc_id_of(Path(path).read_bytes())
    except OSError:
        return None


def failed(source: str, cause: str, doc_id: str | None, status: str = "error", fmt: str | None = None,
           kind: str = "file") -> Result:
    """The Result of a file that could not be read: one documents row with the cause, whether the file or
    the run was its cause (KIND), and the format the file has, where its content told."""
    known = fmt == "txt" or fmt in LAYOUT_READERS
    row = {"doc_id": doc_id, "source": source, "status": status, "error": cause, "format": fmt if known else None,
           "error_kind": kind if status == "error" else None}
    return Result(source, {**empty_tables(), "documents": schema.rows_to_arrow("documents", [row])})


@contextmanager
def no_cycle_collection():
    """The cycle collector held off while one document is processed, as it was on: a document makes no
    garbage cycles to speak of, and each full collection walks every object the document has built so far,
    so that a report 100 times longer took some 110 to 150 times as long."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def process_source(src: Source) -> Result:
    with no_cycle_collection():
        return _process_source(src)


def _process_source(src: Source) -> Result:
    cleaned = clean_layout(src.layout) if src.layout is not None else clean(src.text)
    sections = find_sections(cleaned)
    index = SectionIndex(cleaned, sections)
    doc = nlp().make_doc(cleaned.text)
    doc.user_data["text"] = cleaned.text
    doc.user_data["excluded"] = [(s.clean_start, s.number_end) for s in sections if s.type != "footnote"]
    for _, component in nlp().pipeline:
        doc = component(doc)
    base = {"doc_id": src.doc_id, "source": src.path}
    section_rows = [section_row(base, cleaned, s) for s in sections]
    figure_rows = []
    # each span's figure and source offsets read once: spaCy's extension attributes are slow to get
    spans = [(span, span._.figure) for span in doc.spans["figures"]]
    found = sorted(((source_span(cleaned, fig), span, fig) for span, fig in spans), key=lambda item: item[0])
    text_figures = [fig for _, _, fig in found]
    sentence_of = sentences(doc, cleaned.text)
    for n, ((start, end), span, fig) in enumerate(found, start=1):
        section = index.path_at(fig.start)
        block = cleaned.block_at(fig.start)
        figure_rows.append({
            **base,
            "figure_id": f"F{n:04d}",
            "kind": fig.kind, "value": fig.value, "value_max": fig.value_max,
            "numerator": fig.numerator, "denominator": fig.denominator, "unit": fig.unit,
            "approx": fig.approx, "raw": src.text[start:end], "decimals": fig.decimals, "in_words": fig.in_words,
            "section": section,
            "anchor_section": index.anchor_path(block.footnote) if block.footnote is not None else None,
            "sentence": sentence_of(span.start),
            "char_start": start, "char_end": end, "line": cleaned.line_of(start), "rule": fig.rule,
            **box_of(src, start, end),
        })
    table_rows, table_groups = table_figure_rows(src, base, section_rows, len(figure_rows), cleaned.line_of)
    placed = sorted((Placed(row["figure_id"], fig, cleaned.block_index_at(fig.start))
                     for fig, row in zip(text_figures, figure_rows)), key=lambda p: p.fig.start)
    located = []
    for check in find_checks(cleaned.text, placed):
        # the check sits where its first figure is; a base stated elsewhere does not move it
        here = [source_span(cleaned, p.fig) for p in check.figures if p.block == check.figures[0].block]
        located.append((min(s for s, _ in here), max(e for _, e in here), check,
                        index.path_at(check.figures[0].fig.start)))
    located.extend(table_checks(table_groups))
    located.sort(key=lambda item: item[:2])
    unsure = unsure_figures(figure_rows + table_rows)
    check_rows = []
    for n, (start, end, check, section) in enumerate(located, start=1):
        check = ocr_unsure(check, unsure)
        check_rows.append({
            **base, "check_id": f"C{n:03d}", "check": check.check, "stated": check.stated,
            "computed": check.computed, "consistent": check.consistent, "verdict": check.verdict,
            "figure_ids": [p.figure_id for p in check.figures], "explanation": check.explanation,
            "section": section, "line": cleaned.line_of(start),
            "page": box_of(src, start, end).get("page"),
            "char_start": start, "char_end": end,
        })
    metadata = document_metadata(src.text)
    add_indicators(cleaned.text, sentence_spans(doc, cleaned.text), text_figures,
                   figure_rows, table_rows, sections, metadata, check_rows)
    layout = src.layout
    document = {
        **base, "format": src.format, "encoding": src.encoding, "characters": len(src.text),
        "pages": layout.pages or None if layout is not None else None,
        "pages_without_text": layout.pages_without_text if layout is not None else None,
        "ocr_pages": layout.ocr_pages if layout is not None else None,
        "text": src.text if layout is not None or src.encoding in LEGACY_ENCODINGS else None,
        # the rows this document has in the sections and figures tables, footnotes and table cells included
        "sections": len(section_rows), "figures": len(figure_rows) + len(table_rows),
        "footnotes": len(cleaned.footnotes), "checks": len(check_rows),
        "checks_failed": sum(1 for row in check_rows if row["consistent"] is not None and not row["consistent"]),
        "status": "ok", "error": None,
        **metadata,
    }
    facts = document_facts(figure_rows + table_rows, check_rows, document)
    tables = {"documents": [document], "sections": section_rows, "figures": figure_rows + table_rows,
              "checks": check_rows, "facts": facts}
    return Result(src.path, {name: schema.rows_to_arrow(name, rows) for name, rows in tables.items()},
                  doc=doc, cleaned=cleaned, placed=placed, section_objects=sections)


def sentences(doc, text: str):
    """The text of the sentence that holds a token, from the doc's sentence starts (Span.sent walks
    the tokens one by one, for every figure)."""
    starts = sentence_starts(doc) or [0]
    offsets = doc.to_array("IDX").tolist() + [len(text)]

    def sentence_of(token: int) -> str:
        k = bisect.bisect_right(starts, token) - 1
        end = starts[k + 1] if k + 1 < len(starts) else len(doc)
        return text[offsets[starts[k]]:offsets[end]].strip()
    return sentence_of


def sentence_spans(doc, text: str) -> list[tuple[int, int]]:
    """The cleaned text's sentences as (start, end) offsets, from the doc's sentence starts."""
    offsets = doc.to_array("IDX").tolist() + [len(text)]
    starts = [offsets[i] for i in sentence_starts(doc)] or [0]
    return list(zip(starts, starts[1:] + [len(text)]))


def add_indicators(text: str, sentences: list, text_figures: list, figure_rows: list[dict], table_rows: list[dict],
                   sections: list[Section], metadata: dict, check_rows: list[dict]) -> None:
    """Sets indicator, measure, period, indicator_phrase and indicator_part on the figure rows (text figures,
    then table cells); a part the checks tie to a whole may take the whole's indicator."""
    titles = {s.path: s.title for s in sections if s.type != "footnote"}

    def titles_of(path):
        parts = (path or "").split(" > ")
        return [titles.get(" > ".join(parts[:n])) for n in range(1, len(parts) + 1)]
    index = {row["figure_id"]: n for n, row in enumerate(figure_rows)}
    wholes = parts_of_wholes(check_rows, {row["figure_id"]: row["kind"] for row in figure_rows})
    plain = [{"start": f.start, "end": f.end, "kind": f.kind, "unit": f.unit, "sections": titles_of(row["section"]),
              "whole": index.get(wholes.get(row["figure_id"]))}
             for f, row in zip(text_figures, figure_rows)]
    plain += [{"kind": row["kind"], "unit": row["unit"], "row_label": row["row_label"], "col_header": row["col_header"],
               "sections": titles_of(row["section"])} for row in table_rows]
    report = {"unit_level": metadata.get("unit_level"), "year": metadata.get("report_year"),
              "period": metadata.get("period")}
    for row, found in zip(figure_rows + table_rows, measure_figures(text, sentences, plain, report)):
        row.update(found)


def table_figure_rows(src: Source, base: dict, section_rows: list[dict], numbered: int, line_of) -> tuple[list, list]:
    """Figure rows for the cells of a document's tables (numbered after the text's figures), and their row groups."""
    if src.layout is None or not src.layout.tables:
        return [], []
    figures, groups = table_figures(src.layout.tables)
    headings = sorted((s["char_start"], s["path"]) for s in section_rows if s["type"] != "footnote")
    starts = [start for start, _ in headings]
    rows = []
    for n, fig in enumerate(figures, start=numbered + 1):
        fig["figure_id"] = f"F{n:04d}"
        k = bisect.bisect_right(starts, fig["start"])
        fig["section"] = headings[k - 1][1] if k else None
        # a box is a place on a page; formats without pages give cells a nominal grid, not for the user
        x0, top, x1, bottom = fig["box"] if fig["box"] and fig["page"] is not None else (None,) * 4
        line = src.layout.line_at(fig["start"])
        rows.append({**base, "figure_id": fig["figure_id"], "kind": fig["kind"], "value": fig["value"],
                     "unit": fig["unit"], "raw": fig["raw"], "decimals": fig["decimals"],
                     "section": fig["section"], "sentence": fig["row_label"],
                     "char_start": fig["start"], "char_end": fig["end"], "line": line_of(fig["start"]),
                     "rule": "table_cell", "page": fig["page"], "x0": x0, "top": top, "x1": x1, "bottom": bottom,
                     "table_id": fig["table_id"], "row": fig["row"], "col": fig["col"], "row_label": fig["row_label"],
                     "col_header": fig["col_header"], "paragraph": line.paragraph if line is not None else None,
                     **ocr_confidence(src.layout, fig["start"], fig["end"])})
    return rows, groups


def table_checks(groups: list[dict]) -> list:
    """Table-row checks placed where their row is: (start, end, check, section)."""
    return [(min(f["start"] for f in group.values()), max(f["end"] for f in group.values()), check,
             group["percent"].get("section")) for check, group in zip(table_row_checks(groups), groups)]


LEGACY_ENCODINGS = {"tcvn3", "vni", "mixed"}     # text converted from them is not the file's bytes
METADATA_COLUMNS = {"province": "province_name", "year": "report_year"}


def document_metadata(text: str) -> dict:
    """What the report says about itself, under the documents table's column names."""
    return {METADATA_COLUMNS.get(key, key): value for key, value in read_metadata(text).items()}


def box_of(src: Source, start: int, end: int) -> dict:
    """Where a span of a document read with its layout is: the page and the union of its characters'
    boxes on its first page; the paragraph where the format has no pages; OCR's lowest confidence."""
    layout = src.layout
    if layout is None:
        return {}
    found = ocr_confidence(layout, start, end)
    boxes = [b for b in layout.boxes[start:end] if b is not None]
    if not boxes:
        line = layout.line_at(start)
        if line is not None and line.paragraph is not None:
            found["paragraph"] = line.paragraph
        return found
    page = boxes[0][0]
    on_page = [b for b in boxes if b[0] == page]
    return {**found, "page": page, "x0": min(b[1] for b in on_page), "top": min(b[2] for b in on_page),
            "x1": max(b[3] for b in on_page), "bottom": max(b[4] for b in on_page)}


def ocr_confidence(layout, start: int, end: int) -> dict:
    """OCR's lowest confidence over a span of the text, where OCR read it."""
    if layout.confidence is None:
        return {}
    sure = [c for c in layout.confidence[start:end] if c is not None]
    return {"ocr_confidence": min(sure)} if sure else {}


def section_row(base: dict, cleaned: CleanText, s: Section) -> dict:
    start = cleaned.starts[s.clean_start] if s.clean_start < len(cleaned.starts) else len(cleaned.source)
    end_index = min(s.clean_end, len(cleaned.ends)) - 1
    end = cleaned.ends[end_index] if end_index >= 0 else start
    return {**base, "section_id": s.section_id, "number": s.number, "title": s.title, "level": s.level,
            "type": s.type, "parent": s.parent, "path": s.path, "line": s.line,
            "char_start": start, "char_end": max(end, start)}
