"""Text typed before Unicode (TCVN3, VNI) is read as Unicode wherever it comes from: a text file's bytes,
legacy characters saved as Unicode, a PDF whose font has no Unicode map."""
import pytest

import pdfmaker
from extract import legacy, process_file
from extract.readers import ReadOptions, read

REPORT = ("Phường quản lý 328 hộ kinh doanh; thu ngân sách đạt 1.250.000.000đ/1.000.000.000đ, "
          "bằng 125% kế hoạch.\nTỷ lệ hộ nghèo giảm còn 0,67% (19 hộ).\n")
WANT = [("count", 328.0), ("ratio", None), ("percent", 125.0), ("percent", 0.67), ("count", 19.0)]


def kinds_and_values(result):
    return [(f["kind"], None if f["kind"] == "ratio" else f["value"]) for f in result.figures.to_dict("records")]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_a_text_file_in_legacy_bytes_is_converted(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(legacy.encode(REPORT, encoding).encode("cp1252"))
    result = process_file(path)
    doc = result.documents.iloc[0]
    assert (doc["status"], doc["encoding"]) == ("ok", encoding)
    assert doc["text"] == REPORT                  # the offsets index the converted text, which is kept
    assert kinds_and_values(result) == WANT
    for f in result.figures.to_dict("records"):
        assert doc["text"][f["char_start"]:f["char_end"]] == f["raw"]


def test_legacy_characters_saved_as_unicode_are_converted_block_by_block(tmp_path):
    lines = REPORT.splitlines()
    mixed = "\n".join([legacy.encode(lines[0], "tcvn3"), legacy.encode(lines[1], "vni")]) + "\n"
    path = tmp_path / "report.txt"
    path.write_text(mixed, encoding="utf-8")
    src = read(path)
    assert (src.text, src.encoding) == (REPORT, "mixed")


def test_unicode_text_is_left_as_it_is(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT + "Señor Café đạt 63,7%.\n", encoding="utf-8")
    src = read(path)
    assert (src.text, src.encoding) == (REPORT + "Señor Café đạt 63,7%.\n", "utf-8")


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_a_pdf_in_a_legacy_font_without_a_unicode_map_is_converted(tmp_path, reader):
    path = tmp_path / "legacy.pdf"
    path.write_bytes(pdfmaker.unmapped_font_pdf())
    src = read(path, ReadOptions(pdf_reader=reader, ocr="never"))
    assert src.encoding == "tcvn3"
    assert "Báo cáo tình hình thực hiện nhiệm vụ kinh tế - xã hội năm 2023 của UBND phường" in src.text
    assert not any(ch in src.text for ch in "¸×ùÖôÕ·é¨ñ")
