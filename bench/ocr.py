"""Benchmark: OCR of scanned pages at 300 dpi, in seconds per page per core, against pdftotext.

    .venv/bin/python bench/ocr.py [PDF] [--pages N]      # default: the first 6 pages of samples/phuong-tan-an-2025.pdf

Renders the pages of a text PDF as grey images at 300 dpi (a scan without its noise), reads them with
the OCR reader (extract.readers.ocr.ocr_pages: orientation, skew, rules, Tesseract with OMP_THREAD_LIMIT=1,
footnote markers) and prints the CPU seconds per page, which is the time per page per core since the
reading is single-threaded, and the wall-clock seconds per page. The baseline is pdftotext (poppler-utils)
reading the text layer of the same pages, timed in the same run: these machines are shared and noisy,
so the ratio means more than the seconds.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.readers.ocr import ocr_pages  # noqa: E402

DPI = 300
GOAL = 2.0      # seconds per page per core


def page_images(pdf: Path, pages: int) -> list:
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(str(pdf))
    try:
        count = min(pages, len(document))
        return [(document[n].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"), DPI) for n in range(count)]
    finally:
        document.close()


def pdftotext_seconds(pdf: Path, pages: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(["pdftotext", "-l", str(pages), "-layout", str(pdf), str(Path(out) / "x.txt")], check=True)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=ROOT / "samples" / "phuong-tan-an-2025.pdf")
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()
    images = page_images(args.pdf, args.pages)
    pages = len(images)
    ocr_pages(images[:1])                     # load the model once before timing
    wall, cpu = time.perf_counter(), time.process_time()
    read = ocr_pages(images)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    baseline = min(pdftotext_seconds(args.pdf, pages) for _ in range(3))
    symbols = sum(1 for page in read for c in page.chars if c["text"].strip())
    print(f"{args.pdf.name}: {pages} pages at {DPI} dpi, {symbols} characters read")
    print(f"OCR:       {cpu / pages:.2f} s/page/core (CPU), {wall / pages:.2f} s/page wall   goal <= {GOAL:.1f}")
    print(f"pdftotext: {baseline / pages:.4f} s/page wall; OCR is {wall / baseline:.0f}x slower")


if __name__ == "__main__":
    main()
