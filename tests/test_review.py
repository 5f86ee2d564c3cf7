"""The review page: escaped, self-contained, and rendered for real in headless Chromium."""
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from extract import process_file, process_text
from extract.cli import main
from extract.review import render

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
