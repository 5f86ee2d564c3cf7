"""Cleaning keeps the way back: every cleaned span maps to the exact source characters."""
import unicodedata

from extract.clean import clean
from extract.load import InputError
from extract.readers.text import decode

import pytest

PAGE = (
    "Tổ chức trao quà cho 209 \n\n"
    "người cao tuổi trong dịp Tết năm 20231. Chỉ đạo các tổ \n"
    " \n\n"
    "1 Trao 201 xuất quà trị giá 61.500.000đ của Trung ương \n\n"
    "cho các đối tượng chính sách. \n"
    " dân phố rà soát. \n\n\n"
    "12 \n\n"
    "Tiếp tục tuyên truyền.\n"
)


def test_lines_broken_mid_sentence_are_joined():
    cleaned = clean("Hiện tại phường quản lý 328 hộ kinh \n\ndoanh. Đa số các hộ \n\nchủ động.\n")
    assert cleaned.text == "Hiện tại phường quản lý 328 hộ kinh doanh. Đa số các hộ chủ động."


def test_footnote_body_is_moved_out_and_its_marker_dropped():
    cleaned = clean(PAGE)
    body, footnote = cleaned.text.split("\n")[0], cleaned.text.split("\n")[-1]
    assert "năm 2023." in body and "20231" not in body
    assert "Chỉ đạo các tổ dân phố rà soát." in body
    assert footnote.startswith("Trao 201 xuất quà") and footnote.endswith("chính sách.")
    [fn] = cleaned.footnotes
    assert fn.number == 1 and PAGE[fn.marker_start:fn.marker_end] == "1"
    assert PAGE[fn.marker_start - 4:fn.marker_start] == "2023"


def test_a_marker_set_apart_from_its_year_is_found_when_no_glued_one_is():
    page = ("Tổng kết năm học 2022-2023 1 và khai giảng năm học mới.\n\n"
            "1 Kết quả năm học: 534/838 đạt 63,7%.\n")
    cleaned = clean(page)
    [fn] = cleaned.footnotes
    assert page[fn.marker_start - 5:fn.marker_end] == "2023 1"
    assert cleaned.text.split("\n")[0] == "Tổng kết năm học 2022-2023 và khai giảng năm học mới."
    # a glued marker wins over a later "2023 1 hộ", whose digit stays a count
    page = ("Tổng kết năm học 2022-20231 và trong năm 2023 1 hộ thoát nghèo.\n\n"
            "1 Kết quả năm học: 534/838 đạt 63,7%.\n")
    cleaned = clean(page)
    assert "2023 1 hộ thoát nghèo" in cleaned.text and "2022-2023 và" in cleaned.text


def test_page_number_line_is_dropped():
    cleaned = clean(PAGE)
    assert "12" not in cleaned.text.replace("61.500", "")
    assert cleaned.text.split("\n")[1] == "Tiếp tục tuyên truyền."


def test_trailing_digit_without_footnote_body_is_kept():
    cleaned = clean("Quyết định ngày 09/01/20223 của Chủ tịch.\n\nTổ chức 3 hội nghị.\n")
    assert "20223" in cleaned.text


def test_every_cleaned_character_maps_back_to_the_source():
    cleaned = clean(PAGE)
    for i, ch in enumerate(cleaned.text):
        if ch in " \n":
            continue
        s, e = cleaned.starts[i], cleaned.ends[i]
        assert unicodedata.normalize("NFC", PAGE[s:e]) == ch


def test_decomposed_text_and_legacy_glyphs_are_normalised_with_offsets():
    source = unicodedata.normalize("NFD", "Người dân ") + "tham gia BHXH: 25 ngƣời, ÐOÀN viên"
    cleaned = clean(source)
    assert cleaned.text == "Người dân tham gia BHXH: 25 người, ĐOÀN viên"
    start = cleaned.text.index("25")
    s, e = cleaned.source_span(start, start + len("25 người"))
    assert source[s:e] == "25 ngƣời"


@pytest.mark.parametrize("data,expected", [
    ("báo cáo 5 hộ".encode("utf-8"), "báo cáo 5 hộ"),
    (b"\xef\xbb\xbf" + "báo cáo".encode("utf-8"), "báo cáo"),
    ("báo cáo".encode("utf-16"), "báo cáo"),
    ("bao cao".encode("utf-16-le"), "bao cao"),
])
def test_decode_utf8_and_utf16(data, expected):
    assert decode(data, "x.txt")[0] == expected


@pytest.mark.parametrize("data,cause", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00", "not UTF-8, UTF-16, TCVN3 or VNI"),
])
def test_undecodable_input_names_the_file(data, cause):
    with pytest.raises(InputError) as err:
        decode(data, "bad/file.bin")
    assert str(err.value).startswith("bad/file.bin: ") and cause in str(err.value)


def test_single_spaced_text_cleans_like_double_spaced():
    """Some extractions drop the blank lines between printed lines: the footnote must still end at its page."""
    double = clean(PAGE)
    single = clean(PAGE.replace("\n\n", "\n"))
    assert single.text == double.text
    assert [f.number for f in single.footnotes] == [1]


def test_windows_line_endings_clean_like_unix_ones():
    assert clean(PAGE.replace("\n", "\r\n")).text == clean(PAGE).text
