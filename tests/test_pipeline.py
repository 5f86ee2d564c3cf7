"""End to end: text in, the four tables out; bad files become error rows; the CLI over it."""
import subprocess
import sys

import pyarrow.parquet as pq

from extract import process_file, process_text
from extract import schema
from extract.cli import main
from extract.dataset import read_table

from conftest import ROOT

REPORT = """UBND PHƯỜNG HÒA BÌNH

BÁO CÁO

Phần thứ nhất:

KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024

I. KINH TẾ

1. Thu ngân sách

Thu ngân sách ước thực hiện 1.250.000.000đ/1.000.000.000đ đạt 125% kế hoạch. Phường quản lý 

210 hộ kinh doanh.

2. Xã hội

2.1 Công tác giáo dục: năm học 2023-2024 có 412/450 học sinh đạt 91,6%.

Hỗ trợ 03 hộ nghèo, tổng số tiền 15 triệu đồng (Mười lăm triệu đồng).
"""


def test_process_text_gives_sections_and_figures():
    result = process_text(REPORT)
    figures = result.figures.set_index("raw")
    assert figures.loc["1.250.000.000đ/1.000.000.000đ", "approx"] == "ước"
    assert figures.loc["125%", "value"] == 125
    assert figures.loc["412/450 học sinh", "numerator"] == 412
    assert figures.loc["91,6%", "section"] == "Phần thứ nhất > I > 2 > 2.1"
    assert figures.loc["15 triệu đồng", "value"] == 15_000_000
    assert figures.loc["15 triệu đồng", "in_words"] == 15_000_000
    count = figures.loc["210 hộ kinh doanh"]
    assert (count["kind"], count["unit"], count["section"]) == ("count", "hộ kinh doanh", "Phần thứ nhất > I > 1")
    assert list(result.sections["number"]) == ["Phần thứ nhất", "I", "1", "2", "2.1"]
    assert list(result.sections["level"]) == [1, 2, 3, 3, 4]
    assert "2023" not in " ".join(result.figures["raw"])


def test_an_appendix_is_a_section_of_its_own():
    result = process_text(REPORT + "\nPHỤ LỤC: MỘT SỐ CHỈ TIÊU NĂM 2024\n\nThu ngân sách đạt 1.250.000.000đ.\n")
    appendix = result.sections.iloc[-1]
    assert (appendix["number"], appendix["level"], appendix["title"]) == ("PHỤ LỤC", 1, "MỘT SỐ CHỈ TIÊU NĂM 2024")
    assert result.figures.iloc[-1]["section"] == "PHỤ LỤC"


def test_figure_offsets_index_the_source_exactly():
    result = process_text(REPORT)
    for row in result.figures.itertuples():
        assert REPORT[row.char_start:row.char_end] == row.raw
        assert row.line == REPORT.count("\n", 0, row.char_start) + 1


def test_figures_are_a_span_group_of_the_doc():
    result = process_text(REPORT)
    spans = result.doc.spans["figures"]
    assert len(spans) == len(result.figures)
    assert {span.label_ for span in spans} >= {"money", "ratio", "percent", "count"}
    assert all(span._.figure is not None for span in spans)


def test_tables_follow_the_schema(tmp_path):
    from extract import write_tables
    write_tables([process_text(REPORT)], tmp_path)
    for name, table_schema in schema.TABLES.items():
        assert pq.read_schema(tmp_path / f"{name}.parquet").names == table_schema.names


BAD_FILES = {
    "empty.txt": b"",
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\xd8\xff",
    "english.txt": b"This is an ordinary English memo about the quarterly budget review.\n" * 5,
    "table.csv": "phường,năm,hộ nghèo\nLê Lợi,2023,19\nTrần Phú,2023,22\nHòa Bình,2023,17\n".encode("utf-8"),
}


def test_bad_files_become_error_rows(tmp_path):
    for name, data in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
        result = process_file(tmp_path / name)
        assert not result.ok
        row = result.documents.iloc[0]
        assert row["status"] == "error", row["error"]
        assert row["source"] == str(tmp_path / name) and row["error"]


def test_cli_goes_on_after_bad_files_and_exits_1(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(REPORT, encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "english.txt").write_bytes(BAD_FILES["english.txt"])
    out = tmp_path / "out"
    code = main(["run", str(inputs), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    assert "empty.txt: empty file" in printed and "Traceback" not in printed
    documents = read_table(out, "documents")
    assert sorted(documents["status"]) == ["error", "error", "ok"]
    figures = read_table(out, "figures")
    assert set(figures["source"]) == {str(inputs / "good.txt")}


def test_cli_exits_0_when_all_files_are_good(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    assert main(["run", str(tmp_path / "r.txt"), "--out", str(tmp_path / "out")]) == 0


def test_python_dash_m_is_the_same_command(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "extract", "run", str(tmp_path / "r.txt"), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(read_table(tmp_path / "out", "figures")) > 0


def test_the_documents_counts_are_the_rows_of_the_other_tables():
    pdf = sorted((ROOT / "samples").glob("*.pdf"))[0]
    result = process_file(pdf)
    doc = result.documents.iloc[0]
    assert result.figures["table_id"].notna().any() and (result.sections["type"] == "footnote").any()
    assert (doc["figures"], doc["sections"], doc["checks"]) == (len(result.figures), len(result.sections),
                                                                 len(result.checks))
    assert doc["footnotes"] == (result.sections["type"] == "footnote").sum()


def test_a_row_with_a_column_the_table_does_not_have_is_refused():
    import pytest
    with pytest.raises(KeyError, match="the figures table has no column figure_idd"):
        schema.rows_to_pandas("figures", [{"doc_id": "x", "figure_idd": "F0001"}])
    assert schema.rows_to_pandas("figures", [{"doc_id": "x", "figure_id": "F0001", "page": 3}])["page"].dtype == "Int32"


def test_a_report_of_more_than_a_million_characters_is_read_whole():
    sample = (ROOT / "samples" / "phuong-hoa-binh-2024.txt").read_text(encoding="utf-8")
    copies = 1_000_000 // len(sample) + 1
    result = process_text(sample * copies)
    assert result.ok and result.documents.iloc[0]["characters"] > 1_000_000
    assert len(result.figures) >= copies * len(process_text(sample).figures) * 0.95
