"""samples/make_formats.py: one sample report rendered in every format a ward archive holds, and what
each file is (its parts, numbering, footnotes, tracked changes, encodings, pixels, cells), not what a
reader makes of it."""
import importlib.util
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(SAMPLES))

import make_formats as mf  # noqa: E402

from extract.clean import clean  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LEGACY_READY = importlib.util.find_spec("extract.legacy") is not None and (ROOT / "rules" / "legacy.yaml").exists()
# Letters only Vietnamese Unicode text has (Latin-1's â, ê, ô, à ... are also legacy codes).
VIETNAMESE_ONLY = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9\u0300-\u0323]")
HEADING_NUMBER = re.compile(r"\s*(?:[IVXLC]+|\d+(?:\.\d+)*)\.\s")

needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
needs_legacy = pytest.mark.skipif(not LEGACY_READY, reason="extract.legacy and rules/legacy.yaml are not there")

SAMPLE = min((p for p in SAMPLES.glob("*.txt") if p.stem in mf.APPENDIX), key=lambda p: p.stat().st_size)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """Every format of the smallest sample with an appendix that this machine can make."""
    formats = set(mf.FORMATS)
    if SOFFICE is None:
        formats -= mf.CONVERTED
    if not LEGACY_READY:
        formats -= mf.LEGACY
    if CHROMIUM is None:
        formats -= {"browser.pdf"}
    return mf.make_formats(SAMPLE, tmp_path_factory.mktemp("formats"), formats)


@pytest.fixture(scope="session")
def cleaned():
    return clean(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def docx(built):
    with zipfile.ZipFile(built["docx"]) as archive:
        yield archive


def part(docx: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(docx.read(name))


def run_text(element: ElementTree.Element, deleted: bool = False) -> str:
    tags = {f"{W}t", f"{W}delText"} if deleted else {f"{W}t"}
    return "".join(e.text or "" for e in element.iter() if e.tag in tags)


def pdf_text(path: Path) -> str:
    return subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def docx_as_pdf(built, tmp_path_factory) -> str:
    """The docx as LibreOffice prints it, as pdftotext reads it, whitespace folded."""
    if SOFFICE is None or PDFTOTEXT is None:
        pytest.skip("LibreOffice and pdftotext are needed to print the docx")
    outdir = tmp_path_factory.mktemp("printed")
    mf.convert([built["docx"]], "pdf", outdir, outdir)
    return " ".join(pdf_text(outdir / f"{SAMPLE.stem}.pdf").split())


def test_every_format_is_written(built):
    expected = set(mf.FORMATS) - (set() if SOFFICE else mf.CONVERTED) - (set() if LEGACY_READY else mf.LEGACY) \
        - (set() if CHROMIUM else {"browser.pdf"})
    assert set(built) == expected
    assert all(path.name == f"{SAMPLE.stem}.{fmt}" and path.stat().st_size > 0 for fmt, path in built.items())


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="docm"):
        mf.make_formats(SAMPLE, tmp_path, {"docx", "docm"})


def test_docx_is_the_same_bytes_on_every_run():
    source = SAMPLE.read_text(encoding="utf-8")
    first, second = (mf.docx_bytes(*mf.word_model(SAMPLE.stem, source), mf.typed_in_unicode, [mf.BODY_FONT])
                     for _ in range(2))
    assert first == second


def test_docx_has_real_footnotes(docx, cleaned):
    notes = part(docx, "word/footnotes.xml").findall(f"{W}footnote")
    ids = [int(n.get(f"{W}id")) for n in notes]
    assert ids[:2] == [-1, 0]                                     # the separators Word writes
    assert ids[2:] == list(range(1, len(cleaned.footnotes) + 1))
    references = [r.get(f"{W}id") for r in part(docx, "word/document.xml").iter(f"{W}footnoteReference")]
    assert references == [str(i) for i in ids[2:]]
    first_body = cleaned.text[cleaned.blocks[cleaned.footnotes[0].block].start:
                              cleaned.blocks[cleaned.footnotes[0].block].end]
    assert run_text(notes[2]).strip() == first_body


def test_heading_numbers_come_from_word_numbering(docx):
    numbering = part(docx, "word/numbering.xml")
    levels = {(lvl.find(f"{W}numFmt").get(f"{W}val"), lvl.find(f"{W}lvlText").get(f"{W}val"))
              for lvl in numbering.iter(f"{W}lvl")}
    assert {("upperRoman", "%1."), ("decimal", "%2."), ("decimal", "%2.%3.")} <= levels
    headings = [p for p in part(docx, "word/document.xml").iter(f"{W}p")
                if (style := p.find(f"{W}pPr/{W}pStyle")) is not None and style.get(f"{W}val").startswith("Heading")]
    numbered = [p for p in headings if p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") != "0"]
    assert len(numbered) >= 10
    assert all(p.find(f"{W}pPr/{W}numPr") is not None for p in headings)
    assert not [run_text(p) for p in numbered if HEADING_NUMBER.match(run_text(p))]
    assert "LĨNH VỰC KINH TẾ" in {run_text(p) for p in numbered}          # "I. " is the list's


def test_docx_has_one_tracked_insertion_and_one_deletion(docx, cleaned):
    document = part(docx, "word/document.xml")
    inserted, deleted = list(document.iter(f"{W}ins")), list(document.iter(f"{W}del"))
    assert len(inserted) == len(deleted) == 1
    assert re.search(r"\d", run_text(inserted[0])) and re.search(r"\d", run_text(deleted[0], deleted=True))
    for paragraph in document.iter(f"{W}p"):
        if paragraph.find(f"{W}ins") is not None:
            assert run_text(paragraph) in cleaned.text                    # the insertion is in the report
        if paragraph.find(f"{W}del") is not None:
            assert run_text(paragraph) in cleaned.text
            assert run_text(paragraph, deleted=True) not in cleaned.text  # the deletion is not


def test_docx_has_a_header_a_page_field_and_a_text_box(docx):
    footer = docx.read("word/footer1.xml").decode()
    assert 'w:fldCharType="begin"' in footer and " PAGE " in footer
    assert run_text(part(docx, "word/header1.xml")).startswith("Số:")
    document = docx.read("word/document.xml").decode()
    choice, fallback = re.findall(r"<w:txbxContent>(.*?)</w:txbxContent>", document)
    assert "Độc lập - Tự do - Hạnh phúc" in choice and choice == fallback   # DrawingML and its VML copy


def test_appendix_with_a_two_level_header_has_merged_cells():
    name = min(mf.TWO_LEVEL_HEAD, key=lambda n: (SAMPLES / f"{n}.txt").stat().st_size)
    body = zipfile.ZipFile(io.BytesIO(mf.docx_bytes(
        *mf.word_model(name, (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")),
        mf.typed_in_unicode, [mf.BODY_FONT]))).read("word/document.xml").decode()
    assert '<w:gridSpan w:val="2"/>' in body
    assert body.count('<w:vMerge w:val="restart"/>') == 4 and body.count("<w:vMerge/>") == 4
    assert body.count("<w:tblHeader/>") >= 2


def test_the_printed_docx_shows_numbers_and_footnotes(docx_as_pdf, docx, cleaned):
    assert "I. LĨNH VỰC KINH TẾ" in docx_as_pdf and "II. " in docx_as_pdf and " 1. " in docx_as_pdf
    for note in cleaned.footnotes:
        body = cleaned.text[cleaned.blocks[note.block].start:cleaned.blocks[note.block].end]
        assert " ".join(body.split()[:8]) in docx_as_pdf
    paragraph = next(p for p in part(docx, "word/document.xml").iter(f"{W}p") if p.find(f"{W}del") is not None)
    deleted, typed = run_text(paragraph.find(f"{W}del"), deleted=True), run_text(paragraph, deleted=True)
    at = typed.index(deleted)
    around = typed[max(0, at - 20):at + len(deleted) + 12]
    assert around.replace(deleted, "") in docx_as_pdf and around not in docx_as_pdf   # a deletion is not shown


@needs_soffice
def test_word_files_converted_by_libreoffice(built):
    assert built["doc"].read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")      # OLE2 compound file
    assert built["rtf"].read_bytes().startswith(b"{\\rtf1")
    with zipfile.ZipFile(built["odt"]) as odt:
        assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert b"text:note" in odt.read("content.xml") and b"text:list" in odt.read("content.xml")


@needs_soffice
@needs_legacy
@pytest.mark.parametrize("fmt, fonts", [("tcvn3.doc", [".VnTime", ".VnTimeH"]), ("vni.doc", ["VNI-Times"]),
                                        ("mixed.doc", [".VnTime"])])
def test_legacy_word_files_are_typed_in_legacy_fonts(built, fmt, fonts):
    data = built[fmt].read_bytes()
    assert all(font.encode("utf-16-le") in data for font in fonts)


@needs_soffice
@needs_pdftotext
@needs_legacy
@pytest.mark.parametrize("fmt, legacy, font", [("tcvn3.pdf", "B¸o c¸o", b"+.VnTime"),
                                               ("vni.pdf", "Baùo caùo", b"+VNI-Times")])
def test_legacy_pdfs_have_legacy_characters_in_their_text_layer(built, fmt, legacy, font):
    text = pdf_text(built[fmt])
    assert legacy.split()[0][1:] in text          # "¸o" / "aùo": the legacy codes of "áo"
    assert not VIETNAMESE_ONLY.search(text)
    fonts = {re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes.fromhex(m[1].decode()), name)   # PDF name escapes
             for name in re.findall(rb"/BaseFont\s*/([^/\s>]+)", built[fmt].read_bytes())}
    assert any(font in name for name in fonts)   # the embedded font's name, as in a legacy document's PDF


@pytest.mark.parametrize("fmt, dpi", [("scan300.pdf", 300), ("scan150.pdf", 150), ("scan200.pdf", 200)])
def test_scans_are_page_images_without_text(built, fmt, dpi):
    scan, original = pdfium.PdfDocument(built[fmt]), pdfium.PdfDocument(SAMPLES / f"{SAMPLE.stem}.pdf")
    assert len(scan) == len(original)
    for page, source in zip(scan, original):
        assert page.get_textpage().count_chars() == 0
        images = list(page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
        assert len(images) == 1 and len(list(page.get_objects())) == 1
        width, height = images[0].get_px_size()
        assert abs(width - source.get_width() * dpi / 72) <= 1 and abs(height - source.get_height() * dpi / 72) <= 1
    if PDFTOTEXT:
        assert not pdf_text(built[fmt]).strip()


def test_xlsx_has_a_merged_header_and_numbers(built):
    sheet = load_workbook(built["xlsx"]).active
    values = load_workbook(built["xlsx"], data_only=True).active
    assert sheet["A1"].value == "PHỤ LỤC"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A5:A6", "D5:E5", "F5:F6"} <= merged
    rows = mf.APPENDIX[SAMPLE.stem]
    for r, row in enumerate(rows, 7):
        plan, actual, rate = sheet.cell(r, 4), sheet.cell(r, 5), sheet.cell(r, 6)
        assert isinstance(plan.value, (int, float)) and plan.number_format.startswith("#,##0")
        assert isinstance(actual.value, (int, float))
        assert rate.number_format.startswith("0")
        if row.stated is None:
            assert rate.value == f"=E{r}/D{r}*100"
            assert values.cell(r, 6).value == pytest.approx(float(actual.value) * 100 / float(plan.value))
        else:
            assert rate.value == float(row.stated.replace(",", "."))
