"""Workbooks: budget forms as a district finance office saves them (.xlsx, and .xls through LibreOffice),
read end to end by extract.process_file: cells as the sheet shows them, titles as text, merged headers,
row checks; and the workbooks that are no report."""
import io
import re
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

import extract
from extract import legacy
from extract.readers import ReadOptions
from extract.readers import sheet as sheet_reader
from extract.readers.sheet import shown_number, stated_unit

ROOT = Path(__file__).resolve().parent.parent
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(name="Times New Roman", size=12, bold=True)
PLAIN = Font(name="Times New Roman", size=12)


def with_cached_values(book: Workbook, values: dict[str, dict[str, float]]) -> bytes:
    """The workbook's bytes with each formula's last result stored beside it, as Excel saves it
    (openpyxl writes formulas without results). VALUES: sheet file name -> cell -> result."""
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            sheet = info.filename.rpartition("/")[2]
            if sheet in values:
                xml = data.decode("utf-8")
                for ref, value in values[sheet].items():
                    xml, found = re.subn(rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v\s*(?:/>|></v>)',
                                         rf"\1<f>\2</f><v>{value!r}</v>", xml)
                    assert found == 1, ref
                data = xml.encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


BUDGET_ROWS = [  # STT, label, estimate, estimated outturn (triệu đồng)
    ("I", "Tổng thu ngân sách xã", 9830, 12746.5),
    ("1", "Thu thuế, phí, lệ phí", 1180, 1236),
    ("2", "Thu từ quỹ đất công ích", 650, 712.25),
    ("3", "Thu bổ sung từ ngân sách cấp trên", 8000, 10798.25),
    ("II", "Tổng chi ngân sách xã", 9830, 11920),
    ("1", "Chi đầu tư phát triển", 2500, 3105),
    ("2", "Chi thường xuyên", 7330, 8815),
    ("", "Tổng cộng", 19660, 24666.5),
]
TYPED_RATE = {1: 105.6}     # the row whose rate the office typed over its formula: 1236/1180 is 104,7%


def budget_form() -> bytes:
    """Biểu số 01 as a district finance office lays it out: the issuing offices and the form's number,
    the title and the report it goes with, "ĐVT: triệu đồng", a header of two levels (STT, Nội dung,
    "Năm 2024" over Dự toán and Ước thực hiện, So sánh), groups I and II with their items 1, 2, 3, a
    total row, the rate as a formula; the signatures below."""
    book = Workbook()
    ws = book.active
    ws.title = "Biểu 01"
    ws["A1"], ws["A2"], ws["F1"] = "UBND HUYỆN YÊN DŨNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "Biểu số 01/CKTC-NSĐP"
    ws.merge_cells("A1:B1")
    ws.merge_cells("A2:B2")
    ws.merge_cells("A4:F4")
    ws["A4"] = "CÂN ĐỐI THU, CHI NGÂN SÁCH XÃ TÂN LIỄU NĂM 2024"
    ws.merge_cells("A5:F5")
    ws["A5"] = "(Kèm theo Báo cáo số 125/BC-UBND ngày 15/12/2024 của UBND xã Tân Liễu)"
    ws["E6"] = "ĐVT: triệu đồng"
    ws.merge_cells("E6:F6")
    for ref in ("A1", "A2", "F1", "A4"):
        ws[ref].font = BOLD
    for merged, text in (("A7:A8", "STT"), ("B7:B8", "Nội dung"), ("C7:D7", "Năm 2024"), ("E7:E8", "So sánh (%)"),
                         ("F7:F8", "Ghi chú")):
        ws.merge_cells(merged)
        ws[merged[:2]] = text
    ws["C8"], ws["D8"] = "Dự toán", "Ước thực hiện"
    for row in ws.iter_rows(min_row=7, max_row=8, max_col=6):
        for cell in row:
            cell.font, cell.border = BOLD, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cached = {}
    for i, (stt, label, plan, actual) in enumerate(BUDGET_ROWS):
        r = 9 + i
        ws.cell(r, 1, stt)
        ws.cell(r, 2, label)
        ws.cell(r, 3, plan).number_format = "#,##0"
        ws.cell(r, 4, actual).number_format = "#,##0.00" if actual % 1 else "#,##0"
        if i in TYPED_RATE:
            ws.cell(r, 5, TYPED_RATE[i])
        else:
            ws.cell(r, 5, f"=D{r}/C{r}*100")
            cached[f"E{r}"] = actual * 100 / plan
        ws.cell(r, 5).number_format = "0.0"
        for c in range(1, 7):
            ws.cell(r, c).border = BOX
            ws.cell(r, c).font = BOLD if stt in ("I", "II") or not stt else PLAIN
    ws.cell(19, 2, "NGƯỜI LẬP BIỂU").font = BOLD
    ws.cell(19, 5, "TRƯỞNG PHÒNG").font = BOLD
    ws.column_dimensions["B"].width = 38
    ws.column_dimensions["C"].width = ws.column_dimensions["D"].width = 14
    return with_cached_values(book, {"sheet1.xml": cached})


@pytest.fixture(scope="module")
def budget_xlsx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sheets") / "bieu-01-can-doi-ns-2024.xlsx"
    path.write_bytes(budget_form())
    return path


def table_cells(result):
    cells = result.figures[result.figures["table_id"].notna()]
    return [(f.raw, f.value, f.row_label, f.col_header) for f in cells.itertuples()]


def test_a_budget_form_gives_its_cells_as_figures_with_row_labels_and_two_level_headers(budget_xlsx):
    result = extract.process_file(budget_xlsx)
    assert result.ok, result.error
    doc = result.documents.iloc[0]
    assert (doc["format"], doc["encoding"], doc["unit_name"], doc["report_year"]) == ("xlsx", "unicode", "Tân Liễu", 2024)
    assert doc["text"].splitlines()[:7] == [
        "UBND HUYỆN YÊN DŨNG", "Biểu số 01/CKTC-NSĐP", "PHÒNG TÀI CHÍNH - KẾ HOẠCH",
        "CÂN ĐỐI THU, CHI NGÂN SÁCH XÃ TÂN LIỄU NĂM 2024",
        "(Kèm theo Báo cáo số 125/BC-UBND ngày 15/12/2024 của UBND xã Tân Liễu)", "ĐVT: triệu đồng",
        "STT | Nội dung | Năm 2024 |  | So sánh (%) | Ghi chú"]
    assert doc["text"].splitlines()[-2:] == ["NGƯỜI LẬP BIỂU", "TRƯỞNG PHÒNG"]
    cells = table_cells(result)
    assert len(cells) == 3 * len(BUDGET_ROWS)
    million = 1_000_000          # the unit line "ĐVT: triệu đồng" makes the cells money, in đồng
    assert cells[:6] == [
        ("9.830", 9830 * million, "Tổng thu ngân sách xã", "Năm 2024 > Dự toán"),
        ("12.746,50", 12746.5 * million, "Tổng thu ngân sách xã", "Năm 2024 > Ước thực hiện"),
        ("129,7", 129.7, "Tổng thu ngân sách xã", "So sánh (%)"),        # the formula's cached result
        ("1.180", 1180 * million, "Thu thuế, phí, lệ phí", "Năm 2024 > Dự toán"),
        ("1.236", 1236 * million, "Thu thuế, phí, lệ phí", "Năm 2024 > Ước thực hiện"),
        ("105,6", 105.6, "Thu thuế, phí, lệ phí", "So sánh (%)")]
    assert cells[-3:] == [("19.660", 19660 * million, "Tổng cộng", "Năm 2024 > Dự toán"),
                          ("24.666,50", 24666.5 * million, "Tổng cộng", "Năm 2024 > Ước thực hiện"),
                          ("125,5", 125.5, "Tổng cộng", "So sánh (%)")]
    figures = result.figures
    assert set(figures["kind"]) == {"money", "percent"} and set(figures["table_id"]) == {"T1"}
    assert set(figures.loc[figures["kind"] == "money", "unit"]) == {"triệu đồng"}
    assert figures["rule"].eq("table_cell").all()      # no figure read from the title lines
    for row in figures.itertuples():                   # offsets index the text read
        assert doc["text"][row.char_start:row.char_end] == row.raw


def test_a_rate_typed_over_its_formula_is_the_one_row_flagged(budget_xlsx):
    checks = extract.process_file(budget_xlsx).checks
    assert checks["check"].eq("table_row").all() and len(checks) == len(BUDGET_ROWS)
    failing = checks[~checks["consistent"]]
    assert failing["explanation"].tolist() == [
        "Thu thuế, phí, lệ phí: 1,236,000,000/1,180,000,000 = 104.75%, stated 105.6%: does not match."]


def test_the_unit_line_above_the_table_goes_with_its_cells(budget_xlsx):
    layout = sheet_reader.read(str(budget_xlsx), ReadOptions())
    assert {cell["unit"] for cell in layout.tables} == {"triệu đồng"}
    assert layout.lines[5].text == "ĐVT: triệu đồng" and layout.lines[5].role == "body"


@pytest.mark.parametrize("line, unit", [
    ("ĐVT: triệu đồng", "triệu đồng"),
    ("(Đơn vị tính: Triệu đồng)", "Triệu đồng"),
    ("Đơn vị: nghìn đồng.", "nghìn đồng"),
    ("ĐVT : Tỷ đồng", "Tỷ đồng"),
    ("Biểu số 01/CKTC-NSĐP", None),
    ("Ghi chú: số liệu ước thực hiện đến 31/12/2024", None),
    ("Đơn vị tính:", None),
])
def test_a_title_line_stating_the_unit(line, unit):
    assert stated_unit(line) == unit


@pytest.mark.parametrize("value, number_format, shown", [
    # what Excel shows in a Vietnamese locale, and what the number reader must read back
    (1250, "#,##0", "1.250"),
    (1250000, "#,##0", "1.250.000"),
    (9488000000, "#,##0", "9.488.000.000"),
    (8315.42, "#,##0.00", "8.315,42"),
    (12746.5, "#,##0.00", "12.746,50"),
    (0.637, "0.0%", "63,7%"),
    (0.6372315, "0.00%", "63,72%"),
    (0.5, "0%", "50%"),
    (99.5, "0.00", "99,50"),                           # the padding a report states is kept
    (129.6694, "0.0", "129,7"),
    (2.675, "0.00", "2,68"),                           # half up from 15 digits, not the binary float
    (0.1 + 0.2, "General", "0,3"),
    (63.7, "General", "63,7"),
    (1250.0, "General", "1250"),
    (1.5, "0.0#", "1,5"),
    (1.25, "0.0#", "1,25"),
    (5, "00", "05"),
    (1250000, "#,##0,", "1.250"),                      # a trailing comma shows thousands
    (-1250, "#,##0;(#,##0)", "(1.250)"),
    (-3.5, "0.0", "-3,5"),
    (0, '_(* #,##0_);_(* (#,##0);_(* "-"??_);_(@_)', "-"),
    (1234.5, '_(* #,##0_);_(* (#,##0);_(* "-"??_);_(@_)', "1.235"),
    (12, '#,##0" ha"', "12 ha"),
    (45291, "dd/mm/yyyy", "45291"),                    # a date format on a plain number: the number
])
def test_a_number_as_the_cell_shows_it(value, number_format, shown):
    assert shown_number(value, number_format) == shown


def as_xls(xlsx: Path, folder: Path) -> Path:
    """The workbook saved as Excel 97-2003 (.xls) by LibreOffice, which recalculates its formulas."""
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "xls",
                    "--outdir", str(folder), str(xlsx)], check=True, capture_output=True, timeout=180)
    xls = folder / xlsx.with_suffix(".xls").name
    assert xls.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return xls


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_hidden_rows_columns_and_sheets_are_left_out_and_dates_are_not_figures(tmp_path, fmt):
    book = Workbook()
    ws = book.active
    ws.title = "Chỉ tiêu"
    ws["A1"] = "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2024 PHƯỜNG HÒA BÌNH"
    ws.append([])
    ws.append(["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "Tỷ lệ", "Cột phụ", "Ngày cập nhật"])
    ws.append([1, "Hiến máu tình nguyện", "đơn vị máu", 70, 76, "=E4/D4", 777, datetime(2024, 12, 10)])
    ws.append([2, "Số liệu tính trung gian", "hộ", 999, 998, "=E5/D5", 778, datetime(2024, 12, 10)])
    ws.append([3, "Giải quyết việc làm", "lao động", 700, 742, "=E6/D6", 779, datetime(2024, 12, 11)])
    for r in (4, 5, 6):
        ws.cell(r, 6).number_format = "0.0%"
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["G"].hidden = True
    data = book.create_sheet("Dữ liệu gốc")
    data.append(["Chỉ tiêu", "Kế hoạch", "Thực hiện"])
    data.append(["Thu ngân sách", 555, 556])
    data.sheet_state = "hidden"
    path = tmp_path / "chi-tieu-2024.xlsx"
    path.write_bytes(with_cached_values(book, {"sheet1.xml": {"F4": 76 / 70, "F5": 998 / 999, "F6": 742 / 700}}))
    result = extract.process_file(as_xls(path, tmp_path) if fmt == "xls" else path)
    assert result.ok, result.error
    assert result.documents.iloc[0]["format"] == fmt
    text = result.documents.iloc[0]["text"]
    assert "10/12/2024" in text and "Dữ liệu" not in text and "trung gian" not in text and "777" not in text
    assert table_cells(result) == [
        ("70", 70, "Hiến máu tình nguyện", "Kế hoạch"), ("76", 76, "Hiến máu tình nguyện", "Thực hiện"),
        ("108,6%", 108.6, "Hiến máu tình nguyện", "Tỷ lệ"),
        ("700", 700, "Giải quyết việc làm", "Kế hoạch"), ("742", 742, "Giải quyết việc làm", "Thực hiện"),
        ("106,0%", 106.0, "Giải quyết việc làm", "Tỷ lệ")]
    assert result.figures["unit"].tolist() == ["đơn vị máu", "đơn vị máu", "%", "lao động", "lao động", "%"]
    assert result.figures["row"].tolist() == [1, 1, 1, 2, 2, 2]
    assert result.checks["consistent"].tolist() == [True, True]


def test_a_unit_column_in_money_gives_amounts_in_dong(tmp_path):
    book = Workbook()
    ws = book.active
    ws.append(["BIỂU TỔNG HỢP THU NGÂN SÁCH XÃ AN PHÚ 6 THÁNG ĐẦU NĂM 2025"])
    ws.append(["TT", "Nội dung", "Đơn vị tính", "Dự toán", "Thực hiện", "Tỷ lệ (%)"])
    ws.append([1, "Thu phí, lệ phí", "triệu đồng", 1180, 1236.5, "=E3/D3"])
    ws.append([2, "Thu tiền sử dụng đất", "tỷ đồng", 16, 22.738, "=E4/D4"])
    for r in (3, 4):
        ws.cell(r, 4).number_format = ws.cell(r, 5).number_format = "#,##0.000" if r == 4 else "#,##0.0"
        ws.cell(r, 6).number_format = "0.00%"
    path = tmp_path / "thu-ns-6-thang.xlsx"
    path.write_bytes(with_cached_values(book, {"sheet1.xml": {"F3": 1236.5 / 1180, "F4": 22.738 / 16}}))
    result = extract.process_file(path)
    assert [(f.kind, f.raw, f.value, f.unit) for f in result.figures.itertuples()] == [
        ("money", "1.180,0", 1_180_000_000, "triệu đồng"), ("money", "1.236,5", 1_236_500_000, "triệu đồng"),
        ("percent", "104,79%", 104.79, "%"),
        ("money", "16,000", 16_000_000_000, "tỷ đồng"), ("money", "22,738", 22_738_000_000, "tỷ đồng"),
        ("percent", "142,11%", 142.11, "%")]
    assert result.checks["verdict"].tolist() == ["ok", "ok"]


def test_cells_typed_in_a_legacy_font_are_converted(tmp_path):
    book = Workbook()
    ws = book.active
    vntime = Font(name=".VnTime", size=13)
    for row in (["Kết quả thực hiện chỉ tiêu năm 2023 - thị trấn Đông Sơn"],
                ["TT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện"],
                [1, "Hiến máu tình nguyện", "đơn vị máu", 60, 63],
                [2, "Giải quyết việc làm", "lao động", 500, 512]):
        ws.append([legacy.encode(v, "tcvn3") if isinstance(v, str) else v for v in row])    # "KÕt qu¶ ..."
    for row in ws.iter_rows():
        for cell in row:
            cell.font = vntime
    path = tmp_path / "chi-tieu-2023.xlsx"
    book.save(path)
    result = extract.process_file(path)
    assert result.ok, result.error
    doc = result.documents.iloc[0]
    assert doc["encoding"] == "tcvn3"
    assert doc["text"].splitlines()[:2] == ["Kết quả thực hiện chỉ tiêu năm 2023 - thị trấn Đông Sơn",
                                             "TT | Chỉ tiêu | Đơn vị tính | Kế hoạch | Thực hiện"]
    assert [(f.value, f.unit, f.row_label, f.col_header) for f in result.figures.itertuples()][:2] == [
        (60, "đơn vị máu", "Hiến máu tình nguyện", "Kế hoạch"), (63, "đơn vị máu", "Hiến máu tình nguyện", "Thực hiện")]


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        print("soffice (LibreOffice) is not installed: the .xls fixture cannot be made")
        pytest.skip("needs LibreOffice (soffice) to make an .xls file")
    return found


def test_the_same_form_saved_as_xls_gives_the_same_figures_and_checks(budget_xlsx, tmp_path):
    xls = as_xls(budget_xlsx, tmp_path)
    from_xls, from_xlsx = extract.process_file(xls), extract.process_file(budget_xlsx)
    assert from_xls.ok, from_xls.error
    assert from_xls.documents.iloc[0]["format"] == "xls"
    assert table_cells(from_xls) == table_cells(from_xlsx)
    assert from_xls.documents.iloc[0]["text"] == from_xlsx.documents.iloc[0]["text"]
    assert from_xls.checks[["stated", "verdict"]].equals(from_xlsx.checks[["stated", "verdict"]])


def declared_bomb(form: bytes) -> bytes:
    """The form with its sheet's declared size raised to 4 GiB in both zip headers: a tiny file that says
    it unpacks to gigabytes."""
    data = bytearray(form)
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (0xFFFFFFF0).to_bytes(4, "little")
            at += 4
    return bytes(data)


def inflating_bomb() -> bytes:
    """A real zip bomb named .xlsx: a sheet of 200 MiB of spaces packed into a few hundred KiB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    return out.getvalue()


def empty_workbook() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def english_workbook() -> bytes:
    book = Workbook()
    for row in (["Budget outturn 2024"], ["Item", "Plan", "Actual"], ["Revenue", 1250, 1300],
                ["Spending", 900, 950]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name, content, cause", [
    ("bomb.xlsx", lambda: declared_bomb(budget_form()), "zip bomb: xl/worksheets/sheet1.xml declares 4,096 MiB"),
    ("inflating.xlsx", inflating_bomb, "zip bomb: xl/worksheets/sheet1.xml declares 200 MiB"),
    ("cut.xlsx", lambda: budget_form()[:3000], "truncated or corrupt Excel file"),
    ("empty.xlsx", empty_workbook, "empty workbook"),
    ("budget.xlsx", english_workbook, "not a Vietnamese report"),
])
def test_a_workbook_that_cannot_be_read_is_an_error_with_its_cause(tmp_path, name, content, cause):
    path = tmp_path / name
    path.write_bytes(content())
    started = time.monotonic()
    result = extract.process_file(path, options=ReadOptions(memory_mb=512))
    doc = result.documents.iloc[0]
    assert doc["status"] == "error"
    assert cause in doc["error"] and "Traceback" not in doc["error"]
    assert result.figures.empty
    assert time.monotonic() - started < 20


MAKE_FORMATS = ROOT / "samples" / "make_formats.py"


@pytest.mark.skipif(not MAKE_FORMATS.exists(), reason="samples/make_formats.py is not there")
def test_each_samples_appendix_as_a_workbook_gives_the_pdfs_table_figures(tmp_path):
    sys.path.insert(0, str(MAKE_FORMATS.parent))
    try:
        import make_formats
    finally:
        sys.path.remove(str(MAKE_FORMATS.parent))
    compared = 0
    for sample in sorted((ROOT / "samples").glob("*.txt")):
        made = make_formats.make_formats(sample, tmp_path, {"xlsx"})
        if "xlsx" not in made:
            continue
        workbook, pdf = extract.process_file(made["xlsx"]), extract.process_file(sample.with_suffix(".pdf"))
        assert workbook.ok, workbook.error
        from_pdf = [(f.value, f.row_label, f.col_header) for f in
                    pdf.figures[pdf.figures["table_id"].notna()].itertuples()]
        from_sheet = [(f.value, f.row_label, f.col_header) for f in
                      workbook.figures[workbook.figures["table_id"].notna()].itertuples()]
        assert len(from_sheet) == len(from_pdf) > 0
        for (value, label, header), (pdf_value, pdf_label, pdf_header) in zip(from_sheet, from_pdf):
            # a workbook of a sample whose appendix has one header row puts the year over the columns
            assert (value, label) == (pdf_value, pdf_label)
            assert header == pdf_header or header.endswith(" > " + pdf_header)
        if sample.stem in make_formats.TWO_LEVEL_HEAD:
            assert from_sheet == from_pdf
        rows = [(c.stated, c.verdict) for c in workbook.checks.itertuples() if c.check == "table_row"]
        assert rows == [(c.stated, c.verdict) for c in pdf.checks.itertuples() if c.check == "table_row"]
        compared += 1
    assert compared >= 3
