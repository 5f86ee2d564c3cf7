"""Benchmark: PDF reports to all five tables (the Arrow tables `run` writes), per reader, against
pdftotext's bare text extraction.

    .venv/bin/python bench/pdf_readers.py [PDF ...]      # default: samples/*.pdf and the seed report.pdf

Runs every reader on the same files in the same run (these machines are shared and noisy, so only the
ratios to the baseline measured alongside mean much) and prints pages per second end to end (PDF in,
documents/sections/figures/checks out) per reader, and the ratio to pdftotext (poppler-utils) reading
the same pages to plain text. Each configuration is timed REPEAT times; the best time counts.
"""
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.load import Source  # noqa: E402
from extract.layout import analyse  # noqa: E402
from extract.readers.pdf import READERS  # noqa: E402
from extract.pipeline import nlp, process_file, process_source  # noqa: E402

REPEAT = 3


def pdf_files(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    files = sorted((ROOT / "samples").glob("*.pdf"))
    seed = ROOT.parent / "shared" / "fixtures" / "seed" / "report.pdf"
    return files + ([seed] if seed.exists() else [])


def best_of(run, repeat: int = REPEAT) -> float:
    """The best of REPEAT timings of RUN, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def pdftotext(files: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as out:
        for f in files:
            subprocess.run(["pdftotext", "-layout", str(f), str(Path(out) / "x.txt")], check=True)


def pipeline(files: list[Path], reader: str) -> None:
    for f in files:
        result = process_file(f, reader)
        assert result.ok, result.error


def main() -> None:
    files = pdf_files(sys.argv[1:])
    pages = sum(process_file(f).documents.iloc[0]["pages"] for f in files)
    nlp()  # the spaCy pipeline is built once per process, as in a batch run
    print(f"{len(files)} PDFs, {pages} pages, best of {REPEAT}")
    rows = []
    baseline = None
    if shutil.which("pdftotext"):
        baseline = best_of(lambda: pdftotext(files))
        rows.append(("pdftotext (text only)", baseline))
    else:
        print("pdftotext not found (apt-get install poppler-utils): no baseline")
    for reader in ("pdfium", "pdfplumber"):
        rows.append((f"ward-extract --pdf-reader {reader}", best_of(lambda: pipeline(files, reader))))
    print(f"{'configuration':<36} {'seconds':>8} {'pages/s':>9} {'vs pdftotext':>13}")
    for name, seconds in rows:
        ratio = f"{baseline / seconds:12.3f}x" if baseline else "-"
        print(f"{name:<36} {seconds:8.2f} {pages / seconds:9.1f} {ratio:>13}")
    print()
    print("where the fast reader's time goes (in this process, without the bounded child):")
    for name, seconds in stages(files):
        print(f"  {name:<34} {seconds:8.2f} {pages / seconds:9.1f} pages/s alone")


def stages(files: list[Path]) -> list[tuple[str, float]]:
    """The pdfium configuration split into its stages, each timed (best of REPEAT) on its own."""
    read = READERS["pdfium"]
    raw = [read(str(f)) for f in files]
    texts = [analyse(pages, tables) for pages, tables in raw]
    sources = [Source(path=str(f), text=t.text, doc_id=str(f), encoding="unicode", format="pdf", layout=t)
               for f, t in zip(files, texts)]
    return [
        ("characters, drawn lines, tables", best_of(lambda: [read(str(f)) for f in files])),
        ("layout (lines, roles, markers)", best_of(lambda: [analyse(pages, tables) for pages, tables in raw])),
        ("text pipeline (clean .. checks)", best_of(lambda: [process_source(s) for s in sources])),
    ]


if __name__ == "__main__":
    main()
