"""The review page: escaped, self-contained, in Vietnamese or English, a PDF shown as its pages with every
figure outlined, and rendered for real in headless Chromium."""
import dataclasses
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from PIL import Image

from extract import process_file, process_text, schema
from extract.cli import main
from extract.review import FIGURE_OUTLINE, FLAGGED_OUTLINE, render, write_review

from conftest import ROOT

REPORT = """I. KẾT QUẢ

1. Giáo dục

Học lực khá: 192/448 đạt 44%; giỏi: 107/448 đạt 24%. Ghi chú <script>alert("x")</script> & "trích dẫn".
"""

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_document_text_is_escaped():
    page = render(process_text(REPORT, "notes.txt"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;trích dẫn&quot;" in page


def test_page_is_self_contained():
    page = render(process_text(REPORT))
    for external in ("http://", "https://", "<link", "src="):
        assert external not in page


def test_checks_link_to_the_figures_they_use():
    result = process_text(REPORT)
    page = render(result)
    for check in result.checks.itertuples():
        for figure_id in check.figure_ids:
            assert f'href="#{figure_id}"' in page and f'id="{figure_id}"' in page


def chromium(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr",
                               "--v=0", *args], capture_output=True, text=True, timeout=120)


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (Debian package 'chromium'; .ci/run installs it)")
    return CHROMIUM


def test_the_console_check_catches_a_broken_page(browser, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><script>undefinedFunction();</script></body></html>")
    done = chromium("--dump-dom", broken.as_uri())
    assert any("undefinedFunction" in line for line in console_messages(done.stderr))


def test_review_page_renders_in_chromium_without_console_errors(browser, tmp_path):
    seed = ROOT.parent / "shared" / "fixtures" / "seed" / "report.txt"
    report = seed if seed.exists() else ROOT / "samples" / "phuong-hoa-binh-2024.txt"
    page = tmp_path / "review.html"
    assert main(["review", str(report), "-o", str(page)]) == 0
    done = chromium("--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_messages(done.stderr) == []
    dom = done.stdout
    flagged = process_file(report).checks.query("consistent == False")
    assert len(flagged) > 0
    assert dom.count('class="check problem"') == len(flagged)
    for check in flagged.itertuples():
        assert f'id="{check.check_id}"' in dom
    assert 'class="fig kind-ratio flagged"' in dom
    shot = ROOT / "output" / "review-screenshot.png"
    shot.parent.mkdir(exist_ok=True)
    done = chromium("--window-size=1400,1000", f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0 and shot.stat().st_size > 10_000


def test_table_checks_link_to_the_table_cells(tmp_path):
    pdf = ROOT / "samples" / "xa-an-phu-6thang-2025.pdf"
    result = process_file(pdf)
    page = render(result)
    rows = result.checks[result.checks["check"] == "table_row"]
    assert len(rows) > 0
    for check in rows.itertuples():
        for figure_id in check.figure_ids:
            assert f'href="#{figure_id}"' in page and f'id="{figure_id}"' in page


PDF = ROOT / "samples" / "phuong-hoa-binh-2024.pdf"


@pytest.fixture(scope="module")
def pdf_result():
    return process_file(PDF)


def test_text_review_is_in_vietnamese_by_default_and_english_on_request():
    result = process_text(REPORT)
    vi, en = render(result), render(result, "en")
    assert '<html lang="vi">' in vi and "Các phép kiểm tra, sai sót trước" in vi
    assert "192/448 = 42,86%, báo cáo ghi 44%: không khớp." in vi and ">không khớp</span>" in vi
    assert '<html lang="en">' in en and "Checks, problems first" in en
    assert "192/448 = 42.86%, stated 44%: does not match." in en and ">does not match</span>" in en
    assert "42.86" not in vi and "42,86" not in en


def test_pdf_review_shows_every_page_with_every_figure_outlined(pdf_result):
    page = render(pdf_result)
    assert page.count('<section class="page"') == 8
    assert page.count('src="data:image/jpeg;base64,') == 8
    for external in ("http://", "https://", "<link"):
        assert external not in page
    for figure in pdf_result.figures.itertuples():
        assert re.search(rf'<div class="box kind-{figure.kind}( flagged)?" id="{figure.figure_id}"', page)
    failing = pdf_result.checks[pdf_result.checks["consistent"] == False]  # noqa: E712
    flagged = {f for ids in failing["figure_ids"] for f in ids}
    assert len(flagged) >= 10 and page.count(' flagged" id=') == len(flagged)
    for check in pdf_result.checks.itertuples():
        assert f'<a class="goto" href="#page-{check.page}" data-page="{check.page}">trang {check.page}</a>' in page
    # Vietnamese numbers in the side list: a budget and a share as the report writes them
    assert "12.746.000.000/9.830.000.000 = 129,66%, báo cáo ghi 129,66%: khớp." in page


def with_frames(result, **frames):
    """RESULT with some of its tables replaced by these pandas frames."""
    arrow = {name: pa.Table.from_pandas(frame, schema=schema.TABLES[name], preserve_index=False)
             for name, frame in frames.items()}
    return dataclasses.replace(result, arrow={**result.arrow, **arrow}, _frames={})


def test_a_check_on_a_page_read_by_ocr_says_so(pdf_result):
    check = pdf_result.checks[pdf_result.checks["verdict"] == "truncated"].iloc[0]
    figures = pdf_result.figures.copy()
    figures["ocr_confidence"] = figures["figure_id"].map({check.figure_ids[0]: 87.4, check.figure_ids[1]: 93.0})
    scanned = with_frames(pdf_result, figures=figures)
    entry = re.search(rf'<li class="check[^"]*" id="{check.check_id}".*?</li>', render(scanned)).group(0)
    assert "đọc bằng OCR, độ tin cậy 87" in entry
    assert "read by OCR, confidence 87" in render(scanned, "en")
    assert "OCR" not in re.search(r'<li class="check[^"]*" id="C001".*?</li>', render(scanned)).group(0)


def test_a_check_on_a_page_read_by_ocr_says_so_without_a_confidence(pdf_result):
    documents = pdf_result.documents.copy()
    documents["ocr_pages"] = [[3]]
    scanned = with_frames(pdf_result, documents=documents)
    page = render(scanned)
    on_3 = pdf_result.checks[pdf_result.checks["page"] == 3]["check_id"]
    for check_id in pdf_result.checks["check_id"]:
        entry = re.search(rf'<li class="check[^"]*" id="{check_id}".*?</li>', page).group(0)
        assert ("trang đọc bằng OCR" in entry) == (check_id in set(on_3))


def test_a_long_document_keeps_its_page_images_in_a_folder_beside_the_page(pdf_result, tmp_path):
    page = write_review(pdf_result, tmp_path / "hoa-binh.review.html", max_embedded_pages=4)
    html = page.read_text(encoding="utf-8")
    assert "data:image" not in html and 'src="hoa-binh_pages/page-008.jpg"' in html
    with Image.open(tmp_path / "hoa-binh_pages" / "page-003.jpg") as image:
        assert image.width == 827 and abs(image.height - 1169) <= 1    # A4 at 100 dpi


def probe(page: Path, script: str) -> Path:
    """A copy of the review page with SCRIPT run after its own, which records what it finds on <body>."""
    copy = page.with_name("probe-" + page.name)
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", f"<script>{script}</script></body>"),
                    encoding="utf-8")
    return copy


def colour_pixels(image: Image.Image, colour: str, box: tuple[int, int, int, int]) -> int:
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return int((np.asarray(image.crop(box))[:, :, :3] == rgb).all(axis=2).sum())


def test_pdf_review_screenshot_shows_the_page_with_figures_outlined(browser, tmp_path):
    page = tmp_path / "review.html"
    assert main(["review", str(PDF), "-o", str(page)]) == 0
    done = chromium("--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    assert done.returncode == 0 and console_messages(done.stderr) == []
    # where page 3 (the one with the failing checks) is laid out, from the page itself
    where = probe(page, "var r = document.querySelector('#page-3 img').getBoundingClientRect();"
                        "document.body.dataset.rect = [r.left, r.top, r.right, r.bottom].map(Math.round).join(' ');")
    done = chromium("--window-size=1400,1000", "--virtual-time-budget=3000", "--dump-dom", where.as_uri())
    left, top, right, bottom = map(int, re.search(r'data-rect="([\d ]+)"', done.stdout).group(1).split())
    assert right - left > 700 and bottom - top > 1000
    shot = ROOT / "output" / "review-pdf-screenshot.png"
    shot.parent.mkdir(exist_ok=True)
    done = chromium(f"--window-size=1400,{bottom + 20}", "--virtual-time-budget=3000", f"--screenshot={shot}",
                    page.as_uri())
    assert done.returncode == 0
    with Image.open(shot) as image:
        image = image.convert("RGB")
        on_page = (left, top, right, bottom)
        red, blue = colour_pixels(image, FLAGGED_OUTLINE, on_page), colour_pixels(image, FIGURE_OUTLINE, on_page)
        # six figures of failing checks on page 3, a 3-pixel outline round each; many more outlined in blue
        assert red > 6 * 2 * 3 * 40, red
        assert blue > 20 * 2 * 2 * 40, blue
        # and the page image itself: dark text inside the area, not a blank rectangle
        inked = int((np.asarray(image.crop(on_page)).max(axis=2) < 80).sum())
        assert inked > 10_000
        aside = (right + 40, top, image.width - 20, bottom)
        assert colour_pixels(image, FLAGGED_OUTLINE, aside) == 0


def test_clicking_a_check_scrolls_to_its_box_and_highlights_it(browser, tmp_path, pdf_result):
    page = write_review(pdf_result, tmp_path / "review.html")
    check = pdf_result.checks[pdf_result.checks["verdict"] == "truncated"].iloc[0]
    assert check.page == 3
    clicked = probe(page, f"""
        window.scrollTo(0, 0);
        document.querySelector('#{check.check_id} a.goto').click();
        var box = document.getElementById('{check.figure_ids[0]}').getBoundingClientRect();
        document.body.dataset.scroll = Math.round(window.scrollY);
        document.body.dataset.boxTop = Math.round(box.top);
        document.body.dataset.focused = Array.from(document.querySelectorAll('div.box.focus')).map(
            function (b) {{ return b.id; }}).join(' ');""")
    done = chromium("--window-size=1400,1000", "--virtual-time-budget=3000", "--dump-dom", clicked.as_uri())
    assert console_messages(done.stderr) == []
    body = re.search(r"<body[^>]*>", done.stdout).group(0)
    page_3_top = 2 * 1169
    assert int(re.search(r'data-scroll="(\d+)"', body).group(1)) > page_3_top
    assert 0 < int(re.search(r'data-box-top="(-?\d+)"', body).group(1)) < 1000
    assert re.search(r'data-focused="([^"]*)"', body).group(1).split() == list(check.figure_ids)


def test_a_scanned_image_is_shown_as_its_page_with_its_figures_outlined(tmp_path):
    pytest.importorskip("tesserocr")
    import pypdfium2
    from extract.load import InputError
    from extract.readers.ocr import tessdata
    try:
        tessdata()
    except InputError as err:
        pytest.skip(err.cause)
    png = tmp_path / "trang-3.png"
    pypdfium2.PdfDocument(str(ROOT / "samples" / "phuong-hoa-binh-2024.pdf"))[2].render(
        scale=300 / 72, grayscale=True).to_pil().save(png, dpi=(300, 300))
    result = process_file(png)
    assert result.documents.iloc[0]["format"] == "image+ocr" and len(result.figures) > 20
    page = render(result)
    assert page.count('<section class="page"') == 1 and page.count('src="data:image/jpeg;base64,') == 1
    for figure in result.figures.itertuples():
        assert re.search(rf'<div class="box kind-{figure.kind}( flagged)?" id="{figure.figure_id}"', page)
    assert "đọc bằng OCR" in page
