"""`ward-extract audit`: the checks that fail, worst first, with the text around them, in Vietnamese or English;
exit codes for scripts; the checks that are not ok as a CSV or Excel sheet."""
import pandas as pd
from openpyxl import load_workbook

from extract import process_file, process_text
from extract.cli import main
from extract.labels import text, verdict_label
from extract.review import SHEET_COLUMNS

from conftest import ROOT

CLEAN = "Vận động hiến máu được 58/50 đơn vị máu (đạt 116% chỉ tiêu giao).\n"
FLAWED = ("Học lực khá: 192/448 đạt 44%; học lực yếu: 7/448 đạt 0.1%.\n\n"
          "Kết quả 15 hộ (đạt 0.53%) hộ cận nghèo.\n")


def run(tmp_path, capsys, text, *flags):
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    code = main(["audit", str(path), *flags])
    return code, capsys.readouterr().out


def test_lists_problems_worst_first_with_context(tmp_path, capsys):
    code, out = run(tmp_path, capsys, FLAWED, "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert "2 inconsistent" in lines[0]
    assert lines[1].split()[0] == "impossible" and "line 1" in lines[1]
    assert "7/448 đạt 0.1%" in lines[2]
    assert lines[3].split()[:3] == ["does", "not", "match"]
    assert "cannot be verified" in out and ": consistent" not in out


def test_vietnamese_by_default_with_numbers_as_a_vietnamese_report_writes_them(tmp_path, capsys):
    code, out = run(tmp_path, capsys, FLAWED)
    lines = out.splitlines()
    assert code == 0 and "2 không nhất quán" in lines[0]
    assert lines[1].strip().startswith("không thể có") and "dòng 1" in lines[1]
    assert "7/448 = 1,56%, báo cáo ghi 0,1%: không có số nguyên nào trên 448 cho ra tỷ lệ này." in lines[1]
    assert lines[3].strip().startswith("không khớp") and "192/448 = 42,86%, báo cáo ghi 44%" in lines[3]
    assert "không kiểm tra được" in out and "impossible" not in out and "1.56%" not in out


def test_all_lists_every_check(tmp_path, capsys):
    code, out = run(tmp_path, capsys, CLEAN, "--all", "--lang", "en")
    assert code == 0 and "consistent" in out and "58/50 = 116.00%, stated 116%" in out
    code, out = run(tmp_path, capsys, CLEAN, "--all")
    assert code == 0 and "khớp" in out and "58/50 = 116,00%, báo cáo ghi 116%: khớp." in out


def test_fail_on_mismatch(tmp_path, capsys):
    assert run(tmp_path, capsys, FLAWED, "--fail-on", "mismatch")[0] == 1
    assert run(tmp_path, capsys, CLEAN, "--fail-on", "mismatch")[0] == 0


def test_fail_on_any_counts_unverifiable_checks(tmp_path, capsys):
    only_unverifiable = "Cấp được 9.000 CCCD (đạt 100% các trường hợp đủ điều kiện).\n"
    assert run(tmp_path, capsys, only_unverifiable, "--fail-on", "mismatch")[0] == 0
    assert run(tmp_path, capsys, only_unverifiable, "--fail-on", "any")[0] == 1


def test_every_verdict_has_a_label_in_both_languages():
    assert verdict_label("mismatch") == "không khớp"
    assert verdict_label("swapped") == "đảo tử số và mẫu số"
    assert verdict_label("truncated") == "cắt bớt thay vì làm tròn"
    assert verdict_label("padded") == "thêm số 0 giả độ chính xác"
    assert verdict_label("digits_transposed") == "đảo chữ số"
    assert verdict_label("impossible") == "không thể có"
    assert verdict_label("unverifiable") == "không kiểm tra được"
    assert verdict_label("ocr_unsure") == "OCR chưa chắc chắn"
    assert verdict_label("ok") == "khớp"
    assert verdict_label("mismatch", "en") == "does not match"


SAMPLES = [ROOT / "samples" / "phuong-hoa-binh-2024.pdf", ROOT / "samples" / "thi-tran-dong-son-2023.txt"]


def not_ok_checks(paths) -> set[tuple[str, str]]:
    found = set()
    for path in paths:
        checks = process_file(path).checks
        found |= {(str(path), c) for c in checks[checks["verdict"] != "ok"]["check_id"]}
    return found


def test_csv_sheet_holds_exactly_the_checks_that_are_not_ok(tmp_path, capsys):
    sheet = tmp_path / "kiểm tra.csv"
    assert main(["audit", *map(str, SAMPLES), "--format", "csv", "-o", str(sheet)]) == 0
    assert str(sheet) in capsys.readouterr().out
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(sheet, encoding="utf-8-sig")
    assert list(rows.columns) == [text(f"columns.{name}") for name in SHEET_COLUMNS]
    pairs = set(zip(rows[text("columns.document")], rows[text("columns.check_id")]))
    assert pairs == not_ok_checks(SAMPLES) and len(pairs) == len(rows)
    assert "ok" not in set(rows[text("columns.verdict")])
    words = rows[rows[text("columns.check_id")] == "C022"].iloc[0]
    assert words[text("columns.verdict_label")] == "không khớp"
    assert words[text("columns.explanation")] == ('Bằng số 6.250.000, bằng chữ 6.200.000 ("Sáu triệu hai trăm nghìn '
                                                  'đồng"): không khớp.')
    assert "Sáu triệu hai trăm nghìn đồng" in words[text("columns.sentence")]


def test_xlsx_sheet_has_a_frozen_header_an_autofilter_and_vietnamese_intact(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["audit", *map(str, SAMPLES), "--format", "xlsx"]) == 0
    sheet = tmp_path / "output" / "audit.xlsx"
    assert "output/audit.xlsx" in capsys.readouterr().out
    rows = pd.read_excel(sheet)
    pairs = set(zip(rows[text("columns.document")], rows[text("columns.check_id")]))
    assert pairs == not_ok_checks(SAMPLES) and len(pairs) == len(rows)
    ws = load_workbook(sheet).active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions and ws["A1"].font.bold
    assert ws.column_dimensions["E"].width > ws.column_dimensions["B"].width
    labels = {c.value for c in ws["J"][1:]}
    assert "cắt bớt thay vì làm tròn" in labels and "thêm số 0 giả độ chính xác" in labels


def test_english_sheet(tmp_path):
    sheet = tmp_path / "audit.csv"
    path = tmp_path / "r.txt"
    path.write_text(FLAWED, encoding="utf-8")
    assert main(["audit", str(path), "--format", "csv", "-o", str(sheet), "--lang", "en"]) == 0
    rows = pd.read_csv(sheet, encoding="utf-8-sig")
    assert list(rows["verdict"]) == ["impossible", "mismatch", "unverifiable"]
    assert rows["explanation"][1] == "192/448 = 42.86%, stated 44%: does not match."
    assert rows["sentence"][1] == process_text(FLAWED).figures["sentence"][0]
