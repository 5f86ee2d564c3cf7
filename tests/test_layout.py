"""Footnote bodies found by the layout analysis when OCR lost or misread a marker or a body's number."""
from extract.layout import Line, _mark_footnotes

BODY, NOTE = 14.0, 10.0
HEIGHT = 842.0
GIFTS = (1, "Tổ chức thăm hỏi các gia đình chính sách nhân dịp Tết Nguyên đán", BODY, 600)   # body type


def lines_of(page_lines: list[tuple[int, str, float, float]]) -> list[Line]:
    """Lines from (page, text, size, top), laid one after another in the text."""
    lines, pos = [], 0
    for page, text, size, top in page_lines:
        lines.append(Line(page, text, pos, pos + len(text), 85.0, top, 510.0, top + size, size, False))
        pos += len(text) + 1
    return lines


def footnotes(page_lines, markers, heights=None) -> list[int | None]:
    """The footnote each of the lines lines_of lays out is found in (None: it is in none)."""
    lines = lines_of(page_lines)
    _mark_footnotes(lines, markers, BODY, heights or {1: HEIGHT})
    return notes(lines)


def notes(lines: list[Line]) -> list[int | None]:
    return [line.footnote if line.role == "footnote" else None for line in lines]


def test_a_body_number_misread_as_a_letter_leads_the_next_footnote_when_its_marker_was_found():
    page = [(1, "Kết quả năm học được tổng hợp tại phụ lục kèm theo báo cáo", BODY, 600),
            (1, "Í Kết quả năm học 2022-2023: học sinh giỏi 534/838 đạt 63,7%", NOTE, 700),
            (1, "luyện: 207/838 đạt 24,7%", NOTE, 712)]
    assert footnotes(page, [(1, 10)]) == [None, 1, 1]
    assert footnotes(page, []) == [None, None, None]              # no marker found: no footnote taken


def test_a_body_numbered_past_a_lost_one_is_taken_when_its_marker_was_found():
    page = [GIFTS, (1, "2 Kết quả 2724/2810 hộ đạt danh hiệu gia đình văn hóa", NOTE, 700)]
    assert footnotes(page, [(1, 5), (2, 20)]) == [None, 2]


def test_at_the_foot_of_a_page_the_next_number_leads_a_body_without_its_marker_and_a_continuation_does_not():
    page = [GIFTS,
            (1, "1 Trao 198 xuất quà của Chủ tịch nước trị giá 60.600.000 đồng, 198 xuất", NOTE, 740),
            (1, "2 xuất quà của thành phố trị giá 4.000.000đ", NOTE, 752)]
    assert footnotes(page, []) == [None, 1, 1]
    high = [(1, "1 Trao 198 xuất quà của Chủ tịch nước trị giá 60.600.000 đồng", NOTE, 200), GIFTS]
    assert footnotes(high, []) == [None, None]                    # small type high on the page: no footnote


def test_a_last_word_sized_badly_stays_in_its_footnote_and_the_next_body_follows():
    page = [GIFTS,
            (1, "1 Năm 2024 có 2.917/3.064 hộ đạt danh hiệu gia đình văn hóa, riêng tổ dân phố số 4", NOTE, 700),
            (1, "trường.", 19.0, 712),
            (1, "2 Quà của Chủ tịch nước: 167 suất x 300.000 đồng = 50.100.000 đồng", NOTE, 724)]
    assert footnotes(page, [(1, 10), (2, 40)]) == [None, 1, 1, 2]


def test_a_body_number_misread_as_another_leads_the_next_footnote_after_a_sentence_ends():
    page = [GIFTS,
            (1, "1 Kết quả năm học 2022-2023: học sinh giỏi 534/838 đạt 63,7%.", NOTE, 690),
            (1, "8 Trao 201 xuất quà trị giá 61.500.000đ của Trung ương, 201 xuất quà", NOTE, 702),
            (1, "12 Tổ dân phố được tặng quà", NOTE, 714)]
    assert footnotes(page, [(1, 5), (2, 20)]) == [None, 1, 2, 2]
    unended = [GIFTS, (1, "1 Kết quả năm học 2022-2023: học sinh giỏi 534/838 đạt", NOTE, 690), page[2]]
    assert footnotes(unended, [(1, 5), (2, 20)]) == [None, 1, 1]  # no sentence ends before the '8'


def test_the_first_small_line_under_the_body_leads_the_next_footnote_whose_number_was_lost():
    page = [(1, "Chỉ đạo 08 tổ dân phố tổ chức họp, bình xét gia đình văn hóa năm 2023", BODY, 600),
            (1, "Kết quả năm học 2022-2023: học sinh giỏi 534/838 đạt 63,7%;", NOTE, 690),
            (1, "hoàn thành tốt 207/838 đạt 24,7%.", NOTE, 702)]
    assert footnotes(page, [(1, 10)]) == [None, 1, 1]
    next_page = [GIFTS] + [(2, *rest) for _, *rest in page]
    assert footnotes(next_page, [(1, 10)], {1: HEIGHT, 2: HEIGHT}) == [None, None, None, None]   # marker a page before
