"""PDF input: the layout reader, its two back ends agreeing, boxes, and every kind of bad PDF."""
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import regex

import pdfmaker
from extract import process_file
from extract import rulebook as rules
from extract.cli import main
from extract.dataset import read_table
from extract.load import InputError
from extract.layout import analyse
from extract.readers import ReadOptions, read
from extract.readers.pdf import read_pdf

from conftest import ROOT, SEED

SAMPLE_PDFS = sorted((ROOT / "samples").glob("*.pdf"))


def char(text, x0, size=14.0, baseline=100.0, font="Serif"):
    width = 0.5 * size
    return {"text": text, "fontname": font, "size": size, "x0": x0, "x1": x0 + width,
            "top": baseline - size, "bottom": baseline, "baseline": baseline}


def word_chars(text, x0, **kw):
    chars, x = [], x0
    for ch in text:
        if ch != " ":
            chars.append(char(ch, x, **kw))
        x += 0.5 * kw.get("size", 14.0) if ch != " " else 4.0
    return chars, x


def test_a_raised_small_digit_is_a_footnote_marker_taken_out_of_the_text():
    chars, x = word_chars("năm 2023", 100)
    chars.append(char("1", x, size=8.0, baseline=95.0))
    more, _ = word_chars(" và", x + 4)
    page = analyse([(595, 842, chars + more)])
    assert page.text == "năm 2023 và"
    assert page.markers == [(1, len("năm 2023"))]


def test_a_raised_2_or_3_after_a_unit_of_length_is_an_exponent_not_a_marker():
    chars, x = word_chars("diện tích 6.500 m", 100)
    chars.append(char("2", x, size=8.0, baseline=95.0))
    more, x = word_chars(" đất, năm 2023", x + 4)
    more.append(char("1", x, size=8.0, baseline=95.0))
    page = analyse([(595, 842, chars + more)])
    assert page.text == "diện tích 6.500 m2 đất, năm 2023"
    assert page.markers == [(1, len("diện tích 6.500 m2 đất, năm 2023"))]
    # after a word that is not a unit, the same raised digit is a footnote marker
    chars, x = word_chars("khu dân cư", 100)
    chars.append(char("2", x, size=8.0, baseline=95.0))
    assert analyse([(595, 842, chars)]).markers == [(2, len("khu dân cư"))]


def test_decomposed_diacritics_come_out_composed():
    chars = [char("N", 100), char("g", 107), char("u", 114), char("\u031b", 114),
             char("o", 121), char("\u031b", 121), char("\u0300", 121), char("i", 128)]
    assert analyse([(595, 842, chars)]).text == "Người"


@pytest.fixture
def seed_pdf():
    if not (SEED / "report.pdf").exists():
        pytest.skip("../shared/fixtures/seed is not beside this checkout")
    return SEED / "report.pdf"


def figure_keys(result):
    fields = ("kind", "value", "numerator", "denominator", "unit", "section", "page", "table_id", "row", "col")
    return [tuple(None if pd.isna(row[f]) else row[f] for f in fields) for row in result.figures.to_dict("records")]


def assert_readers_agree(path: Path):
    fast, reference = read_pdf(str(path), "pdfium"), read_pdf(str(path), "pdfplumber")
    assert fast.text == reference.text
    assert fast.markers == reference.markers
    assert [(line.page, line.role, line.footnote, line.bold) for line in fast.lines] == \
        [(line.page, line.role, line.footnote, line.bold) for line in reference.lines]
    assert figure_keys(process_file(path, "pdfium")) == figure_keys(process_file(path, "pdfplumber"))


def test_both_readers_agree_on_the_seed_pdf(seed_pdf):
    assert_readers_agree(seed_pdf)


@pytest.mark.parametrize("path", SAMPLE_PDFS, ids=[p.name for p in SAMPLE_PDFS])
def test_both_readers_agree_on_the_sample_pdfs(path):
    assert_readers_agree(path)


def test_seed_pdf_figures_carry_page_box_and_exact_offsets(seed_pdf):
    result = process_file(seed_pdf)
    text = result.documents.iloc[0]["text"]
    assert result.documents.iloc[0]["pages"] == 18
    for row in result.figures.itertuples():
        assert text[row.char_start:row.char_end] == row.raw
        assert 1 <= row.page <= 18 and 0 <= row.x0 < row.x1 <= 600 and 0 <= row.top < row.bottom <= 850
    values = set(result.figures["value"].dropna()) | set(result.figures["numerator"].dropna())
    assert not values & {20231, 20232, 20233, 20224}, "a footnote marker was read as part of a number"
    footnotes = result.figures[result.figures["section"].str.startswith("footnote", na=False)]
    assert sorted(set(footnotes["section"])) == ["footnote 1", "footnote 2", "footnote 3", "footnote 4"]
    assert set(footnotes["anchor_section"].dropna())
    headings = result.sections[result.sections["type"] != "footnote"]
    assert len(headings) >= 45


BAD_PDFS = {
    "encrypted.pdf": (pdfmaker.encrypted_pdf, "encrypted PDF: a password is needed"),
    "zero-pages.pdf": (pdfmaker.zero_page_pdf, "PDF has no pages"),
    "scanned.pdf": (pdfmaker.image_only_pdf, "no text layer, OCR needed"),
    "truncated.pdf": (lambda: pdfmaker.text_pdf(["Bao cao"] * 30)[:300], "corrupt or truncated PDF"),
    "not-a-pdf.pdf": (lambda: "Báo cáo tình hình kinh tế".encode("utf-8"), "not a PDF file"),
}


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("name", list(BAD_PDFS))
def test_bad_pdfs_get_a_clear_error(tmp_path, name, reader):
    make, cause = BAD_PDFS[name]
    path = tmp_path / name
    path.write_bytes(make())
    result = process_file(path, reader)
    assert not result.ok
    assert cause in result.error
    assert result.documents.iloc[0]["source"] == str(path)


def test_a_batch_of_bad_pdfs_goes_on(tmp_path, capsys):
    for name, (make, _) in BAD_PDFS.items():
        (tmp_path / name).write_bytes(make())
    (tmp_path / "good.txt").write_text("Phường quản lý 328 hộ kinh doanh, thu 1.250.000.000đ.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "Traceback" not in printed
    documents = read_table(out, "documents")
    assert sorted(documents["status"]) == ["error"] * len(BAD_PDFS) + ["ok"]


def test_a_pdf_that_takes_too_long_is_stopped(seed_pdf):
    with pytest.raises(InputError, match="took longer than"):
        read(str(seed_pdf), ReadOptions(pdf_reader="pdfplumber", timeout=0.05))


def test_a_pdf_that_needs_too_much_memory_is_stopped(seed_pdf):
    with pytest.raises(InputError, match="1 MiB of memory"):
        read(str(seed_pdf), ReadOptions(pdf_reader="pdfplumber", memory_mb=1))
    assert len(read(str(seed_pdf), ReadOptions(pdf_reader="pdfplumber", memory_mb=1024)).text) > 40_000


def test_the_seed_appendix_table_gives_figures_by_row_and_column(seed_pdf):
    result = process_file(seed_pdf)
    table = result.figures[result.figures["table_id"].notna()]
    assert len(table) == 12 and set(table["row"]) == {1, 2, 3, 4}
    assert set(table["section"]) == {"PHỤ LỤC"}, "the table sits under its appendix heading"
    budget = table[(table["row"] == 1)].set_index("col_header")
    assert budget.loc["Kế hoạch (đồng)", "value"] == 6_057_000_000
    assert budget.loc["Ước thực hiện (đồng)", "row_label"] == "Thu Ngân sách Nhà nước"
    assert budget.loc["Tỷ lệ (%)", "kind"] == "percent"
    blood = table[(table["row"] == 4)]
    assert set(blood["unit"].dropna()) >= {"đơn vị máu"}
    rows = result.checks[result.checks["check"] == "table_row"]
    assert len(rows) == 4 and rows["consistent"].all()


def figure_values(result, with_tables=False) -> Counter:
    rows = result.figures if with_tables else result.figures[result.figures["table_id"].isna()]
    return Counter((r["kind"], r["numerator"] if r["kind"] == "ratio" else r["value"],
                    r["denominator"] if r["kind"] == "ratio" else None, r["section"]) for r in rows.to_dict("records"))


@pytest.mark.parametrize("path", SAMPLE_PDFS, ids=[p.name for p in SAMPLE_PDFS])
def test_a_sample_pdf_gives_the_figures_of_its_text(path):
    """The same report read from its PDF and from its text: the same figures in the same sections."""
    assert figure_values(process_file(path)) == figure_values(process_file(path.with_suffix(".txt")))


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_pages_turned_for_display_read_like_the_upright_file(tmp_path, turn):
    import pypdfium2 as pdfium
    upright = min(SAMPLE_PDFS, key=lambda p: p.stat().st_size)
    pdf = pdfium.PdfDocument(upright)
    for page in pdf:
        page.set_rotation(turn)
    turned = tmp_path / f"turned-{turn}.pdf"
    pdf.save(turned)
    pdf.close()
    reference = read_pdf(str(upright), "pdfium")
    for reader in ("pdfium", "pdfplumber"):
        got = read_pdf(str(turned), reader)
        assert got.text == reference.text, reader
        assert [v for size in got.page_sizes for v in size] == \
            pytest.approx([v for size in reference.page_sizes for v in size], abs=0.01)
        assert [(c["row"], c["col"], c["text"]) for c in got.tables] == \
            [(c["row"], c["col"], c["text"]) for c in reference.tables]
    assert figure_keys(process_file(turned)) == figure_keys(process_file(upright))


def test_a_scanned_page_among_text_pages_is_named_and_the_rest_extracted(tmp_path, capsys):
    import pypdfium2 as pdfium
    text_only = min(SAMPLE_PDFS, key=lambda p: p.stat().st_size)
    pdf = pdfium.PdfDocument(text_only)
    pages = len(pdf)
    pdf.import_pages(pdfium.PdfDocument(pdfmaker.image_only_pdf()))
    pdf.new_page(595, 842).close()        # a blank page: no text, but nothing missing either
    mixed = tmp_path / "with-scanned-page.pdf"
    pdf.save(mixed)
    pdf.close()
    for reader in ("pdfium", "pdfplumber"):
        result = process_file(mixed, reader)
        assert result.ok
        assert list(result.documents.iloc[0]["pages_without_text"]) == [pages + 1]
        assert figure_keys(result) == figure_keys(process_file(text_only, reader))
    assert list(process_file(text_only).documents.iloc[0]["pages_without_text"]) == []
    out = tmp_path / "out"
    assert main(["run", str(mixed), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"page {pages + 1} of {pages + 2} is images only" in " ".join(printed.split())
    assert list(read_table(out, "documents").iloc[0]["pages_without_text"]) == [pages + 1]
    main(["audit", str(mixed)])
    assert f"page {pages + 1} of {pages + 2} is images only" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("path", SAMPLE_PDFS, ids=[p.name for p in SAMPLE_PDFS])
def test_every_appendix_row_of_a_sample_pdf_is_checked_whatever_its_header(path):
    """The samples' appendices have one-row headers and two-level ones (a merged period cell over plan
    and actual, a row of column numbers): every data row gives its three figures and one row check."""
    result = process_file(path)
    table = result.figures[result.figures["table_id"].notna()]
    rows = table.groupby(["table_id", "row"])
    assert len(rows) >= 6 and all(len(group) == 3 for _, group in rows)
    headers = set(table["col_header"])
    assert any("Kế hoạch" in h for h in headers) and any("Ước thực hiện" in h for h in headers)
    assert not any(h.startswith("(") for h in headers), "a row of column numbers is not a header"
    checks = result.checks[result.checks["check"] == "table_row"]
    assert len(checks) == len(rows)


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_text_scaled_by_its_matrix_has_its_size_on_the_page(tmp_path, reader):
    path = tmp_path / "scaled.pdf"
    path.write_bytes(pdfmaker.scaled_text_pdf())
    pdf = read_pdf(str(path), reader)
    assert pdf.text == "So ho nam 2023 la 328 ho kinh doanh.\nThu ngan sach 1.250.000.000d."
    assert pdf.markers == [(1, len("So ho nam 2023"))]
    assert [line.size for line in pdf.lines] == [12.0, 12.0]


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_a_pdf_locked_only_against_editing_is_read(tmp_path, reader):
    """Encrypted with an owner password and an empty user password, as many official PDFs are: it opens."""
    path = tmp_path / "owner-only.pdf"
    path.write_bytes(pdfmaker.encrypted_pdf(user_password=b""))
    assert read_pdf(str(path), reader).text == "Bao cao so 1: 328 ho kinh doanh"


@pytest.mark.parametrize("pdf", sorted((ROOT / "samples").glob("*.pdf")), ids=lambda p: p.name)
def test_page_numbers_and_running_heads_are_not_in_the_text_read(pdf):
    result = process_file(pdf)
    text = result.documents.iloc[0]["text"]
    pages = result.documents.iloc[0]["pages"]
    assert text.count("\f") == pages - 1
    page_number = regex.compile(rules.load("cleaning")["page_number"]["pattern"])
    assert not [line for line in text.splitlines() if page_number.match(line)]
    for f in result.figures.itertuples():
        assert text[f.char_start:f.char_end] == f.raw
