"""What a report says about itself: every example of rules/metadata.yaml, the sample reports, the seed."""
from pathlib import Path

import pytest
import regex
from hypothesis import given, strategies as st

from extract import rulebook as rules
from extract.metadata import METADATA_FIELDS, normalise_name, paragraphs, read_metadata

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_REPORT = ROOT.parent / "shared" / "fixtures" / "seed" / "report.txt"
SPEC = rules.load("metadata")


def fired(section: str, rule: dict, found: dict) -> bool:
    """Whether a rule gave its value on one of its counter-examples."""
    if section == "levels" and rule["tier"] == "province":
        return found["province"] is not None
    if section == "levels":
        return found[f"{rule['tier']}_level"] == rule["level"]
    if section == "periods":      # "quarter {n}" fires on any quarter
        return found["period"] is not None and regex.fullmatch(rule["period"].replace("{n}", r"\d+"), found["period"])
    if section == "report_kinds":
        return found["report_kind"] == rule["kind"]
    field = {"names": "unit_name", "header": "unit_level", "central_cities": "province", "year": "year",
             "date_line": "report_date", "session": "session", "document_number": "document_number"}[section]
    return found[field] is not None


def rule_cases():
    """(section, rule, text, expected) for every example, expected None for a counter-example."""
    for section, spec in SPEC.items():
        for rule in spec if isinstance(spec, list) else [spec] if isinstance(spec, dict) else []:
            for text, expected in rule.get("examples", []):
                yield section, rule, text, expected
            for text in rule.get("not", []):
                yield section, rule, text, None


CASES = list(rule_cases())


@pytest.mark.parametrize("section,rule,text,expected", CASES,
                         ids=[f"{s}:{'not:' if e is None else ''}{t[:50]}" for s, _, t, e in CASES])
def test_rule_corpus(section, rule, text, expected):
    if section == "line_breaks":
        assert paragraphs(text) == expected
    elif expected is None:
        assert not fired(section, rule, read_metadata(text)), read_metadata(text)
    else:
        found = read_metadata(text)
        assert {key: found[key] for key in expected} == expected, found


@pytest.mark.parametrize("written,normalised", SPEC["names"]["normalised"])
def test_normalise_name(written, normalised):
    assert normalise_name(written) == normalised


def test_one_ward_whether_written_in_capitals_or_not():
    header = read_metadata("UBND PHƯỜNG HOÀ BÌNH\nBÁO CÁO\nKết quả năm 2024")
    session = read_metadata("BÁO CÁO\nKết quả năm 2024\n(Trình kỳ họp thứ 3 - HĐND phường Hòa Bình khóa XII)")
    assert header["unit_name"] == session["unit_name"] == "Hòa Bình"


EXPECTED_SAMPLES = {
    "phuong-hoa-binh-2024.txt": {
        "unit_level": "phường", "unit_name": "Hòa Bình",
        "district": "Phủ Lý", "district_level": "thành phố",   # "UBND thành phố Phủ Lý" in body and recipients
        "province": None,                                     # it names no province
        "year": 2024, "period": "year", "report_kind": "kinh tế - xã hội", "report_date": "2024-12-05",
        "session": "kỳ họp thứ 10 HĐND phường Hòa Bình khóa XII", "session_number": 10, "council_term": "XII",
        "document_number": "287/BC-UBND",
    },
    "phuong-tan-an-2025.txt": {
        "unit_level": "phường", "unit_name": "Tân An",
        "district": None, "district_level": None,      # "thành phố Tam Giang (cũ)": merged away in 2025
        "province": "Hưng Phú",
        "year": 2025, "period": "year", "report_kind": "tổng kết", "report_date": "2025-12-08",
        "session": "kỳ họp thứ 4 HĐND phường Tân An nhiệm kỳ 2021-2026", "session_number": 4,
        "council_term": "2021-2026", "document_number": "418/BC-UBND",
    },
    "thi-tran-dong-son-2023.txt": {
        "unit_level": "thị trấn", "unit_name": "Đông Sơn",
        "district": "Hương Khê", "district_level": "huyện", "province": "Hà Tĩnh",
        "year": 2023, "period": "year", "report_kind": "kinh tế - xã hội", "report_date": "2023-12-12",
        "session": "kỳ họp thứ 7 HĐND thị trấn Đông Sơn khóa XIX", "session_number": 7, "council_term": "XIX",
        "document_number": "158/BC-UBND",
    },
    "xa-an-phu-6thang-2025.txt": {
        "unit_level": "xã", "unit_name": "An Phú",
        "district": "Phù Mỹ", "district_level": "huyện", "province": "Bình Định",
        "year": 2025, "period": "6 months", "report_kind": "kinh tế - xã hội", "report_date": "2025-06-18",
        "session": "kỳ họp thứ 12 HĐND xã An Phú khóa XXI", "session_number": 12, "council_term": "XXI",
        "document_number": "96/BC-UBND",
    },
}


@pytest.mark.parametrize("name", list(EXPECTED_SAMPLES))
def test_sample_reports(name):
    assert read_metadata((SAMPLES / name).read_text(encoding="utf-8")) == EXPECTED_SAMPLES[name]


def test_seed_report():
    if not SEED_REPORT.exists():
        pytest.skip("../shared/fixtures/seed is not beside this checkout")
    found = read_metadata(SEED_REPORT.read_text(encoding="utf-8"))
    assert found == {
        "unit_level": "phường", "unit_name": "Lê Lợi",       # no header: from the session line
        "district": "Bắc Giang", "district_level": "thành phố", "province": "Bắc Giang",
        "year": 2023, "period": "year", "report_kind": "kinh tế - xã hội",
        "report_date": None, "document_number": None,       # the extract starts at its title
        "session": "kỳ họp thứ 8 HĐND phường Lê Lợi khóa X", "session_number": 8, "council_term": "X",
    }


HEADER_UBND_TP = """UBND TP. BẮC GIANG

UBND PHƯỜNG LÊ LỢI

Số: 312/BC-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Độc lập - Tự do - Hạnh phúc

Lê Lợi, ngày 28 tháng 9 năm 2023

BÁO CÁO

Tình hình kinh tế - xã hội 9 tháng đầu năm; nhiệm vụ trọng tâm 3 tháng cuối năm 2023

I. KINH TẾ
"""

HEADER_COLUMNS_RUN_TOGETHER = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

XÃ AN PHÚ Độc lập - Tự do - Hạnh phúc

Số: 41/BC-UBND An Phú, ngày 02 tháng 4 năm 2024

BÁO CÁO

TÌNH HÌNH KINH TẾ - XÃ HỘI QUÝ I NĂM 2024

Phần thứ nhất
"""

HEADER_NO_DATE_LINE = """ỦY BAN NHÂN DÂN

THỊ TRẤN ĐÔNG SƠN

BÁO CÁO

Sơ kết công tác 6 tháng đầu năm 2024

(Trình kỳ họp thứ 9 HĐND thị trấn Đông Sơn khoá XIX)

1. Nông nghiệp
"""


def test_header_with_its_district_and_a_nine_month_report():
    assert read_metadata(HEADER_UBND_TP) == {
        "unit_level": "phường", "unit_name": "Lê Lợi", "district": "Bắc Giang", "district_level": "thành phố",
        "province": None, "year": 2023, "period": "9 months", "report_kind": "kinh tế - xã hội",
        "report_date": "2023-09-28", "session": None, "session_number": None, "council_term": None,
        "document_number": "312/BC-UBND",
    }


def test_header_whose_two_columns_ran_into_one_line_and_a_quarter_report():
    found = read_metadata(HEADER_COLUMNS_RUN_TOGETHER)
    assert (found["unit_level"], found["unit_name"]) == ("xã", "An Phú")
    assert (found["year"], found["period"], found["report_kind"]) == (2024, "quarter 1", "kinh tế - xã hội")
    assert (found["report_date"], found["document_number"]) == ("2024-04-02", "41/BC-UBND")


def test_header_without_date_line():
    found = read_metadata(HEADER_NO_DATE_LINE)
    assert (found["unit_level"], found["unit_name"]) == ("thị trấn", "Đông Sơn")
    assert found["report_date"] is None and found["document_number"] is None
    assert (found["year"], found["period"], found["report_kind"]) == (2024, "6 months", "sơ kết")
    assert found["session"] == "kỳ họp thứ 9 HĐND thị trấn Đông Sơn khoá XIX"
    assert (found["session_number"], found["council_term"]) == (9, "XIX")


def test_text_that_says_nothing_gives_every_field_as_none():
    assert read_metadata("") == dict.fromkeys(METADATA_FIELDS)
    assert read_metadata("Thu ngân sách 9.488.000.000đ/6.057.000.000đ đạt 157%.") == dict.fromkeys(METADATA_FIELDS)


FRAGMENTS = ["UBND PHƯỜNG LÊ LỢI", "BÁO CÁO", "Số: 12/BC-UBND", "ngày 31 tháng 02 năm 2023", "kỳ họp thứ",
             "kỳ họp thứ IIII - HĐND", "phường", "TP.", "quý", "tháng 13 năm 2023", "(cũ)", "Phần thứ nhất",
             "Nơi nhận:", "XÃ HỘI", "6 tháng đầu năm", "năm 2023; phương hướng", "\n\n", " ", "-", "Hoà"]


@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=30))
def test_odd_text_never_raises(pieces):
    found = read_metadata(" ".join(pieces))
    assert list(found) == METADATA_FIELDS
