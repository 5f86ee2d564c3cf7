"""Formats: every file a folder holds is listed; the reader is chosen by content; `text` prints what was read."""
import shutil
import zipfile
from pathlib import Path

import pytest

from extract import process_file
from extract.cli import main
from extract.dataset import read_table
from extract.readers import format_of

from conftest import ROOT

SAMPLE_TXT = ROOT / "samples" / "phuong-hoa-binh-2024.txt"
SAMPLE_PDF = ROOT / "samples" / "phuong-hoa-binh-2024.pdf"


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("name,content,expected", [
    ("report.txt", SAMPLE_PDF.read_bytes(), "pdf"),                       # a PDF saved under a text name
    ("report.doc", b"{\\rtf1\\ansi Bao cao}", "rtf"),                     # Word's RTF saved as .doc
    ("report.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "html"),
    ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image"),
    ("notes.txt", "Báo cáo của phường".encode("utf-8"), "txt"),
    ("table.csv", b"a,b\n1,2\n", "txt"),
    ("notes.md", b"# notes\n", None),
])
def test_the_format_is_read_from_the_content(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert format_of(path) == expected


def test_office_zips_are_told_apart_by_their_parts(tmp_path):
    docx = write_zip(tmp_path / "a.bin", {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})
    xlsx = write_zip(tmp_path / "b.bin", {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"})
    odt = write_zip(tmp_path / "c.bin", {"mimetype": b"application/vnd.oasis.opendocument.text"})
    other = write_zip(tmp_path / "d.docx", {"readme.txt": b"hello"})
    assert [format_of(p) for p in (docx, xlsx, odt, other)] == ["docx", "xlsx", "odt", "zip"]


def test_a_folder_run_lists_every_file_it_met(tmp_path, capsys):
    archive = tmp_path / "archive"
    (archive / "sub").mkdir(parents=True)
    shutil.copy(SAMPLE_TXT, archive / "report.txt")
    (archive / "sub" / "notes.md").write_text("# ghi chú\n", encoding="utf-8")
    write_zip(archive / "sub" / "bundle.zip", {"a.txt": b"x"})
    (archive / "sub" / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (archive / ".git").mkdir()
    (archive / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    out = tmp_path / "out"
    assert main(["run", str(archive), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    documents = read_table(out, "documents").set_index("source")
    names = {Path(s).name: row for s, row in documents.iterrows()}
    assert set(names) == {"report.txt", "notes.md", "bundle.zip", "blob.bin"}
    assert names["report.txt"]["status"] == "ok"
    for skipped in ("notes.md", "bundle.zip", "blob.bin"):
        assert names[skipped]["status"] == "skipped" and names[skipped]["error"]
        assert f"skipped {archive / 'sub' / skipped}" in " ".join(printed.split())
    assert "zip archive" in names["bundle.zip"]["error"]
    assert "3 skipped" in printed


def test_a_file_claiming_a_format_it_does_not_have_is_an_error_naming_it(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"\x00\x01garbage" * 20)
    row = process_file(fake).documents.iloc[0]
    assert (row["status"], row["error"]) == ("error", "not a PDF file (no %PDF header)")


def test_the_text_command_prints_what_was_read(capsys):
    assert main(["text", str(SAMPLE_PDF)]) == 0
    printed = capsys.readouterr().out
    result = process_file(SAMPLE_PDF)
    assert printed.rstrip("\n") == result.documents.iloc[0]["text"].rstrip("\n")
    assert "\f" in printed                      # pages apart, as pdftotext prints them
    for raw in result.figures["raw"].head(20):
        assert raw in printed


def test_the_text_command_names_the_file_and_the_cause(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["text", str(empty)]) == 1
    assert f"error {empty}: empty file" in capsys.readouterr().err


@pytest.mark.parametrize("content", [
    b"<table><tr><td>1</td></tr></table>",
    b"<!-- saved from url=(0031)http://ubnd.example.vn/ -->\n<html><body>x</body></html>",
    b'\xef\xbb\xbf<meta http-equiv="Content-Type" content="text/html; charset=utf-8"><table></table>',
    "<html><body><table><tr><td>1</td></tr></table></body></html>".encode("utf-16"),
    b"<!DOCTYPE html>\n<HTML lang=vi><body></body></HTML>",
])
def test_web_pages_are_known_by_their_markup_whatever_their_name(tmp_path, content):
    path = tmp_path / "bao-cao.xls"
    path.write_bytes(content)
    assert format_of(path) == "html"


def test_a_compound_file_cut_short_goes_to_the_reader_its_name_says(tmp_path):
    from extract.readers import OLE2
    for name, expected in [("a.xls", "xls"), ("a.doc", "doc"), ("a.bin", "ole")]:
        path = tmp_path / name
        path.write_bytes(OLE2 + b"\x00" * 600)
        assert format_of(path) == expected


def test_a_scan_under_a_text_layer_that_is_no_vietnamese_is_read_by_ocr(tmp_path):
    """Scanners lay an English OCR engine's text over the page ("phwong chi dao bo phan tai chinh"): that
    layer is not the report's text, so the page is read again with the Vietnamese model."""
    import subprocess

    import pypdfium2 as pdfium

    from extract.readers import ReadOptions, read
    from extract.load import InputError
    from extract.readers.ocr import tessdata
    tesseract = shutil.which("tesseract")
    try:
        models = tesseract is not None and Path(tessdata(), "eng.traineddata").exists()
    except InputError:
        models = False
    if not models:
        pytest.skip("Tesseract with its English and Vietnamese models is not installed (tesseract-ocr, tesseract-ocr-vie)")
    page = pdfium.PdfDocument(str(SAMPLE_PDF))[1]
    page.render(scale=300 / 72, grayscale=True).to_pil().save(tmp_path / "page.png", dpi=(300, 300))
    subprocess.run([tesseract, str(tmp_path / "page.png"), str(tmp_path / "scan"), "-l", "eng", "pdf"],
                   check=True, capture_output=True)
    layer = read(tmp_path / "scan.pdf", ReadOptions(ocr="never"))
    assert layer.layout.pages_without_text == [1] and "ngân sách" not in layer.text
    src = read(tmp_path / "scan.pdf", ReadOptions())
    assert (src.format, src.layout.ocr_pages) == ("pdf+ocr", [1])
    assert "Thu ngân sách" in src.text and "phường" in src.text
