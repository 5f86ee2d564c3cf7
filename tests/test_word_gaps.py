"""Spaces from the gaps between characters: PDFs whose words are placed one by one with no space glyph
between them, as a browser's "Save as PDF" (and many a justified line) writes them, where the gap between
two words is the only space there is; and lines set letter-spaced, whose letters have a gap each."""
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

import pdfmaker
from extract import process_file
from extract.readers.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
import make_formats  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("gap", [0.15, 0.18, 0.25])
def test_words_placed_apart_without_a_space_glyph_are_read_apart(tmp_path, reader, gap):
    path = tmp_path / "placed.pdf"
    path.write_bytes(pdfmaker.words_placed_pdf(gap))
    lines = read_pdf(str(path), reader).text.split("\n")
    assert lines[:2] == ["Phuong quan ly 328 ho kinh doanh tren dia ban.",
                         "Thu ngan sach dat 1.250.000.000d, bang 125% ke hoach nam."]
    assert lines[2].startswith("Ty suat sinh tho 11,36")


def test_a_sign_set_a_tenth_of_the_size_apart_stays_with_its_number_where_pdfium_sees_no_space(tmp_path):
    path = tmp_path / "placed.pdf"
    path.write_bytes(pdfmaker.words_placed_pdf(0.2))
    assert read_pdf(str(path), "pdfium").text.split("\n")[2] == "Ty suat sinh tho 11,36‰;"


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_a_line_led_by_a_raised_number_set_apart_starts_with_its_text(tmp_path, reader):
    path = tmp_path / "placed.pdf"
    path.write_bytes(pdfmaker.words_placed_pdf())
    layout = read_pdf(str(path), reader)
    assert layout.lines[-1].text == "Theo so lieu cua Chi cuc Thong ke."
    assert not any(line.text.startswith(" ") for line in layout.lines)


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("spacing", [0.0, 2.0, 4.0, 6.0])
def test_a_letter_spaced_line_keeps_its_words(tmp_path, reader, spacing):
    path = tmp_path / "spaced.pdf"
    path.write_bytes(pdfmaker.letter_spaced_pdf(spacing))
    assert read_pdf(str(path), reader).text.split("\n") == [
        "BAO CAO TINH HINH", "KINH TE XA HOI", "Thu ngan sach dat 125% ke hoach.", "1 2 3 4"]


def figures_of(path: Path) -> Counter:
    result = process_file(path, "pdfium", bounded_pdf=False)
    assert result.ok, result.error
    return Counter((f["kind"], None if f["value"] != f["value"] else f["value"], f["unit"], f["raw"])
                   for f in result.figures.to_dict("records"))


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (Debian package 'chromium'; "
                                              ".ci/run installs it)")
def test_a_sample_printed_by_a_browser_gives_the_figures_of_its_pdf(tmp_path):
    sample = min((p for p in (ROOT / "samples").glob("*.txt") if p.stem in make_formats.APPENDIX),
                 key=lambda p: p.stat().st_size)
    printed = make_formats.make_formats(sample, tmp_path, {"browser.pdf"})["browser.pdf"]
    layout = read_pdf(str(printed))
    words = Counter(layout.text.split())
    typeset = Counter(read_pdf(str(sample.with_suffix(".pdf"))).text.split())
    # the same words (the browser has no running page numbers, and its notes are at the end of the page)
    assert sum((words - typeset).values()) <= 0.002 * sum(words.values())
    assert figures_of(printed) == figures_of(sample.with_suffix(".pdf"))
