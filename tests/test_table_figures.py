"""Table cells to figures: header rows (merged, numbered), column headers, and which rows are checked."""
from extract.table_figures import column_headers, header_depth, is_column_numbers, table_figures

COLUMNS = [(85, 115), (115, 290), (290, 370), (370, 430), (430, 490), (490, 540)]
ROW_HEIGHT = 20


def grid(rows: list[list], top: float = 100, table_id: str = "T1", page: int = 1) -> list[dict]:
    """Cells as the PDF layout gives them. A row is a list of texts, or of (text, columns spanned,
    rows spanned); None marks a column that a merged cell covers."""
    cells, offset = [], 0
    for r, row in enumerate(rows):
        for col, item in enumerate(row):
            if item is None:
                cells.append({"row": r, "col": col, "text": "", "box": None, "table_id": table_id, "page": page,
                              "start": offset, "end": offset})
                continue
            text, across, down = item if isinstance(item, tuple) else (item, 1, 1)
            box = (COLUMNS[col][0], top + r * ROW_HEIGHT, COLUMNS[col + across - 1][1], top + (r + down) * ROW_HEIGHT)
            cells.append({"row": r, "col": col, "text": text, "box": box, "table_id": table_id, "page": page,
                          "start": offset, "end": offset + len(text)})
            offset += len(text) + 3
    return cells


def rows_of(cells):
    rows = {}
    for c in cells:
        rows.setdefault(c["row"], []).append(c)
    return [sorted(rows[r], key=lambda c: c["col"]) for r in sorted(rows)]


TWO_LEVEL = [
    [("STT", 1, 2), ("Chỉ tiêu", 1, 2), ("ĐVT", 1, 2), ("Năm 2024", 2, 1), None, ("Tỷ lệ (%)", 1, 2)],
    [None, None, None, "Kế hoạch", "Thực hiện", None],
]
DATA = [
    ["1", "Thu ngân sách", "triệu đồng", "9.830", "12.746", "129,67"],
    ["2", "Hiến máu tình nguyện", "đơn vị máu", "70", "76", "108,57"],
]


def test_a_merged_header_over_two_rows_names_each_column_by_both_levels():
    rows = rows_of(grid(TWO_LEVEL + DATA))
    assert header_depth(rows) == 2
    assert column_headers(rows, 2) == ["STT", "Chỉ tiêu", "ĐVT", "Năm 2024 > Kế hoạch", "Năm 2024 > Thực hiện",
                                       "Tỷ lệ (%)"]
    figures, groups = table_figures(grid(TWO_LEVEL + DATA))
    plan = [f for f in figures if f["col"] == 3]
    assert [(f["row"], f["value"], f["col_header"]) for f in plan] == [(2, 9_830_000_000, "Năm 2024 > Kế hoạch"),
                                                                       (3, 70, "Năm 2024 > Kế hoạch")]
    assert len(groups) == 2


def test_a_row_of_column_numbers_is_part_of_the_header_and_gives_no_figures():
    numbers = [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)=(5)/(4)"]]
    figures, groups = table_figures(grid(TWO_LEVEL + numbers + DATA))
    assert {f["row"] for f in figures} == {3, 4}
    assert len(figures) == 6 and len(groups) == 2
    assert is_column_numbers(rows_of(grid([["A", "B", "1", "2", "3=2/1", ""]]))[0])


def test_a_first_data_row_is_not_taken_for_a_header():
    rows = rows_of(grid([["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"]] + DATA))
    assert header_depth(rows) == 1
    # numbers in a row that do not count up by one are data, even when every cell is short
    assert not is_column_numbers(rows_of(grid([["1", "A", "5", "7", "9", ""]]))[0])


def test_a_continued_table_drops_every_header_row_it_repeats():
    first = grid(TWO_LEVEL + DATA, page=1)
    more = grid(TWO_LEVEL + [["3", "Giao quân", "thanh niên", "7", "7", "100"]], top=60, page=2)
    figures, groups = table_figures(first + more)
    assert sorted({f["row"] for f in figures}) == [2, 3, 4]
    assert len(groups) == 3


def test_rows_are_checked_only_when_the_table_has_one_plan_actual_and_percent_column():
    head = [["STT", "Chỉ tiêu", "KH 2024", "TH 2024", "Tỷ lệ (%)", "KH 2025"]]
    data = [["1", "Thu ngân sách", "9.830", "12.746", "129,67", "10.500"]]
    figures, groups = table_figures(grid(head + data))
    assert len(figures) == 4
    assert groups == [], "two plan columns: which one the percentage compares is not known"


def test_money_per_person_in_the_unit_column_is_money():
    head = [["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"]]
    data = [["1", "Thu nhập bình quân đầu người", "triệu đồng/ người/năm", "82", "82,5", "100,61"]]
    figures, _ = table_figures(grid(head + data))
    plan = next(f for f in figures if f["col"] == 3)
    assert (plan["kind"], plan["value"], plan["unit"]) == ("money", 82_000_000, "triệu đồng/ người/năm")


def test_a_group_title_across_a_row_does_not_shift_the_headers():
    group = [["A", ("KINH TẾ", 5, 1), None, None, None, None]]
    figures, groups = table_figures(grid(TWO_LEVEL + group + DATA))
    assert column_headers(rows_of(grid(TWO_LEVEL + group + DATA)), 2)[1] == "Chỉ tiêu"
    assert {f["row_label"] for f in figures} == {"Thu ngân sách", "Hiến máu tình nguyện"}
    assert len(figures) == 6 and len(groups) == 2


def test_a_table_without_a_header_gives_every_row():
    rows = [["1", "Tổng số hộ dân", "2.810"], ["2", "Hộ nghèo", "19"], ["3", "Hộ cận nghèo", "15"]]
    figures, groups = table_figures(grid(rows))
    assert [(f["row"], f["value"], f["row_label"]) for f in figures] == [
        (0, 2810, "Tổng số hộ dân"), (1, 19, "Hộ nghèo"), (2, 15, "Hộ cận nghèo")]
    assert groups == []
    # years across the first row head the columns
    years = [["Chỉ tiêu", "2023", "2024"], ["Hộ nghèo", "25", "19"]]
    figures, _ = table_figures(grid(years))
    assert [(f["value"], f["col_header"]) for f in figures] == [(25, "2023"), (19, "2024")]
