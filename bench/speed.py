"""Benchmark: how fast and how small, each beside pdftotext measured in the same run.

    .venv/bin/python bench/speed.py [--repeat 3] [--ocr-pages 2] [--big-pages 1000] [--out FILE]

Prints, in one run (these machines are shared and noisy: the ratios to the baseline timed alongside mean
more than the seconds):
- pages per second end to end (PDF in, the five tables out as the Arrow tables `run` writes, read in the
  worker as `run`'s workers read it) per PDF reader on samples/*.pdf and the seed report.pdf, beside
  `pdftotext -layout` on the same files; with PDFium also each file read in a bounded child process of its
  own (process_file's default, a Dask worker's way), and the tables written as the dataset's Parquet parts;
- the PDFium configuration per stage, each alone: characters, drawn lines and tables; layout; the text
  pipeline (cleaning .. sections, figures, checks, indicators, tables);
- the text pipeline alone on the sample text reports, pages per second per core (a sample's pages are its
  PDF's), and its linearity: one report made 1, 10 and 100 times longer, with the time ratios; then its
  time stage by stage (cleaning, sections, spaCy's tokens and sentences, figures, checks, metadata,
  indicators, facts, the Arrow tables), milliseconds per page and share;
- OCR seconds per page per core (bench/ocr.py's method: pages rendered at 300 dpi, Tesseract on one
  thread), skipped with a message without Tesseract's Vietnamese model;
- what a worker costs beyond the pipeline: its start-up (imports, spaCy, the rules compiled: done once in
  `run`'s parent, whose workers are forked ready) in a fresh interpreter, and per file, the sample text
  reports processed and written as a `run` worker does (in the worker) and as a Dask worker does (each in
  a bounded child of a fork server that has the pipeline warmed up);
- peak memory of one worker processing one file as `run` does (reading it and the text pipeline in the one
  process), on the largest sample and on generated PDFs of 100 and BIG_PAGES pages, beside pdftotext's.
Everything runs in one process on one core, but for the bounded readers' children, which run while their
parent waits. Each time is the best of REPEAT.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from pdf_readers import best_of, pdftotext  # noqa: E402  the timing and baseline of the readers' bench
SEED = ROOT.parent / "shared" / "fixtures" / "seed"


def pdf_files() -> list[Path]:
    files = sorted((ROOT / "samples").glob("*.pdf"))
    return files + ([SEED / "report.pdf"] if (SEED / "report.pdf").exists() else [])


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


class Report:
    def __init__(self):
        self.lines: list[str] = []

    def __call__(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)

    def row(self, name: str, seconds: float, pages: int, baseline: float | None, unit: str = "pages/s") -> None:
        """A timed row: seconds, pages/s and the ratio of its speed to pdftotext's on the same pages."""
        ratio = f"{baseline / seconds:10.3f}x" if baseline else "         -"
        self(f"  {name:<44} {seconds:8.3f} s {pages / seconds:9.1f} {unit} {ratio}")


def end_to_end(say: Report, files: list[Path], pages: int, repeat: int) -> float | None:
    from extract.dataset import write_document
    from extract.pipeline import nlp, process_file
    nlp()       # built once per worker, as in a batch run
    say(f"PDF to all five tables: {len(files)} PDFs, {pages} pages, best of {repeat}; ratio = speed / pdftotext's")
    baseline = None
    if shutil.which("pdftotext"):
        baseline = best_of(lambda: pdftotext(files), repeat)
        say.row("pdftotext -layout (bare text)", baseline, pages, baseline)
    else:
        say("  pdftotext not found (apt-get install poppler-utils): no baseline")

    def run(reader, bounded=False, out=None):
        for n, f in enumerate(files):
            result = process_file(f, reader, bounded_pdf=bounded)
            assert result.ok, result.error
            if out is not None:
                write_document(out, result, f"bench-{n}")
    # a `run` worker reads each file itself: the worker is the file's sandbox (killed at the time limit, its
    # memory capped); process_file's default, and a Dask worker, read it in a child process of its own
    for reader, bounded, name in (("pdfium", False, "ward-extract --pdf-reader pdfium"),
                                  ("pdfplumber", False, "ward-extract --pdf-reader pdfplumber"),
                                  ("pdfium", True, "pdfium, each file read in a child of its own")):
        run(reader, bounded)    # each reader's libraries (and the fork server) loaded before timing
        say.row(name, best_of(lambda: run(reader, bounded), repeat), pages, baseline)
    with tempfile.TemporaryDirectory() as out:     # and written as `run` writes them: five Parquet parts a file
        say.row("pdfium, and the dataset's parts written", best_of(lambda: run("pdfium", False, Path(out)), repeat),
                pages, baseline)
    return baseline


def stages(say: Report, files: list[Path], pages: int, repeat: int, baseline: float | None) -> None:
    from extract.layout import analyse
    from extract.load import Source
    from extract.pipeline import process_source
    from extract.readers.pdf import READERS
    read = READERS["pdfium"]
    raw = [read(str(f)) for f in files]
    layouts = [analyse(p, t) for p, t in raw]
    sources = [Source(path=str(f), text=t.text, doc_id=str(f), encoding="unicode", format="pdf", layout=t)
               for f, t in zip(files, layouts)]
    [process_source(s) for s in sources]
    say("the pdfium configuration per stage, each alone in this process:")
    say.row("characters, drawn lines, tables (PDFium)", best_of(lambda: [read(str(f)) for f in files], repeat),
            pages, baseline)
    say.row("layout (lines, roles, markers, cells)", best_of(lambda: [analyse(p, t) for p, t in raw], repeat),
            pages, baseline)
    say.row("text pipeline (clean .. checks, indicators)",
            best_of(lambda: [process_source(s) for s in sources], repeat), pages, baseline)


def sample_reports() -> list[tuple[Path, str, int]]:
    """The sample text reports that have a PDF: path, text, and the PDF's pages."""
    return [(p, p.read_text(encoding="utf-8"), page_count(p.with_suffix(".pdf")))
            for p in sorted((ROOT / "samples").glob("*.txt")) if p.with_suffix(".pdf").exists()]


def text_pipeline(say: Report, repeat: int, baseline_rate: float | None) -> None:
    from extract.pipeline import process_text
    reports = sample_reports()
    pages = sum(n for _, _, n in reports)
    [process_text(text) for _, text, _ in reports]
    seconds = best_of(lambda: [process_text(text) for _, text, _ in reports], repeat)
    rate = pages / seconds
    versus = f"{rate / baseline_rate:10.3f}x" if baseline_rate else ""
    say(f"text pipeline alone, {len(reports)} sample text reports ({pages} pages as their PDFs have them), one core:")
    say(f"  {'clean .. checks, indicators, tables':<44} {seconds:8.3f} s {rate:9.1f} pages/s {versus}   goal >= 1000 pages/s")
    path, text, n = max(reports, key=lambda r: len(r[1]))
    say(f"linearity: {path.name} ({n} pages) repeated, one report each:")
    first = None
    for times in (1, 10, 100):
        long = "\n\n".join([text] * times)
        process_text(long[:20000])
        t = best_of(lambda: process_text(long), repeat if times < 100 else 1)
        first = first or t
        say(f"  {times:>3}x ({len(long):>9,} characters, {n * times:>5} pages) {t:8.3f} s   "
            f"{t / first:7.1f}x the time of 1x   {n * times / t:7.1f} pages/s")


TEXT_STAGES = {"cleaning": ["clean"], "sections": ["find_sections"], "checks": ["find_checks"],
               "metadata": ["document_metadata"], "indicators": ["add_indicators"], "facts": ["document_facts"],
               "sentence spans": ["sentences", "sentence_spans"]}


def text_stages(say: Report, repeat: int) -> None:
    """The text pipeline's time stage by stage on the sample text reports: each stage's function timed where
    the pipeline calls it (a wrapper for the measure; the rest is the pipeline's own rows and boxes)."""
    import extract.pipeline as P
    from extract import schema
    from extract.pipeline import process_text
    reports = sample_reports()
    texts, pages = [text for _, text, _ in reports], sum(n for _, _, n in reports)
    [process_text(text) for text in texts]      # rules compiled and caches filled before timing
    spent: dict[str, float] = {}

    def timed(stage, function):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - start
        return run
    real_nlp = P.nlp()

    class TimedNlp:        # spaCy's tokenizer and sentence component, and the figure rules' component
        make_doc = staticmethod(timed("tokens and sentences (spaCy)", real_nlp.make_doc))
        pipeline = [(name, timed("figures" if name == "ward_figures" else "tokens and sentences (spaCy)", component))
                    for name, component in real_nlp.pipeline]
    originals = {name: getattr(P, name) for names in TEXT_STAGES.values() for name in names}
    originals["nlp"], rows_to_arrow = P.nlp, schema.rows_to_arrow
    try:
        for stage, names in TEXT_STAGES.items():
            for name in names:
                setattr(P, name, timed(stage, originals[name]))
        P.nlp = lambda: TimedNlp
        schema.rows_to_arrow = timed("tables (Arrow)", rows_to_arrow)
        started = time.perf_counter()
        for _ in range(repeat):
            [process_text(text) for text in texts]
        total = (time.perf_counter() - started) / repeat
    finally:
        for name, function in originals.items():
            setattr(P, name, function)
        schema.rows_to_arrow = rows_to_arrow
    spent = {stage: seconds / repeat for stage, seconds in spent.items()}
    spent["the pipeline's own rows, boxes and sorting"] = total - sum(spent.values())
    say(f"the text pipeline stage by stage (the same reports, {repeat} runs, timed where the pipeline calls each):")
    for stage, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        say(f"  {stage:<44} {1000 * seconds / pages:8.3f} ms/page {seconds / total:7.1%}")


def ocr(say: Report, pages: int) -> None:
    from extract.load import InputError
    from extract.readers.ocr import tessdata
    try:
        tessdata()
    except InputError as err:
        say(f"OCR: skipped ({err.cause})")
        return
    import ocr as ocr_bench
    from extract.readers.ocr import ocr_pages
    pdf = ROOT / "samples" / "phuong-tan-an-2025.pdf"
    images = ocr_bench.page_images(pdf, pages)
    ocr_pages(images[:1])
    wall, cpu = time.perf_counter(), time.process_time()
    ocr_pages(images)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    baseline = min(ocr_bench.pdftotext_seconds(pdf, len(images)) for _ in range(3))
    say(f"OCR at {ocr_bench.DPI} dpi, {len(images)} pages of {pdf.name}, one thread:")
    say(f"  {cpu / len(images):.2f} s/page/core (CPU), {wall / len(images):.2f} s/page wall; "
        f"pdftotext {baseline / len(images):.4f} s/page: {baseline / wall:.5f}x   goal <= {ocr_bench.GOAL:.1f} s/page")
    cores = os.cpu_count() or 1
    if cores > 1:       # one scan's pages spread over the cores, as `run` reads a file alone on the machine
        spread = time.perf_counter()
        ocr_pages(images, threads=cores)
        spread = time.perf_counter() - spread
        say(f"  the same pages spread over {cores} cores: {spread / len(images):.2f} s/page wall, "
            f"{wall / spread:.2f}x one thread; pdftotext: {baseline / spread:.5f}x")


STARTUP_PROBE = r"""
import sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from extract.pipeline import warm_up
warm_up()
print(time.perf_counter() - started)
"""

# a worker's per-file cost, in a process of its own as a worker is (its fork server made for what it does)
PER_FILE_PROBE = r"""
import sys, tempfile, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[1] + "/bench")
from pdf_readers import best_of
from extract.engine import Options, Task, process_task
from extract.pipeline import warm_up
bounded, repeat, reports = sys.argv[2] == "bounded", int(sys.argv[3]), sys.argv[4:]
warm_up()
with tempfile.TemporaryDirectory() as out:
    def run():
        for n, path in enumerate(reports):
            outcome = process_task(Task(path, f"{n}-{time.perf_counter()}"), Options(out, bounded_file=bounded))
            assert outcome.status == "ok", outcome.error
    run()               # the fork server started and warmed up before timing
    print(best_of(run, repeat) / len(reports))
"""


def workers(say: Report, repeat: int) -> None:
    say("a worker beyond the pipeline:")
    startup = min(float(subprocess.run([sys.executable, "-c", STARTUP_PROBE, str(ROOT)], capture_output=True,
                                       text=True, check=True).stdout) for _ in range(repeat))
    say(f"  start-up of a worker (imports, spaCy, rules compiled): {startup:.2f} s, once per run in its parent")
    reports = [str(path) for path, _, _ in sample_reports()]

    def per_file(way: str) -> float:
        return float(subprocess.run([sys.executable, "-c", PER_FILE_PROBE, str(ROOT), way, str(repeat), *reports],
                                    capture_output=True, text=True, check=True).stdout)
    local, bounded = per_file("local"), per_file("bounded")
    say(f"  {len(reports)} sample text reports, processed and written: in the worker (`run`) "
        f"{1000 * local:.0f} ms/file; each in a bounded child (Dask) {1000 * bounded:.0f} ms/file, "
        f"{1000 * (bounded - local):.0f} ms/file more")


MEMORY_PROBE = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from extract.readers import ReadOptions
from extract.pipeline import nlp, process_file
def peak():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
nlp()
ready = peak()
start = time.perf_counter()
# a `run` worker: the reading and the text pipeline in the one process
result = process_file(sys.argv[2], options=ReadOptions(bounded=False))
assert result.ok, result.error
print(ready, peak(), time.perf_counter() - start, result.document["figures"])
"""


def peak_rss_of(command: list[str]) -> tuple[float, str]:
    """The peak resident memory (MiB) of a command run to its end (GNU time's %M), and what it printed."""
    with tempfile.NamedTemporaryFile("r") as rss:
        done = subprocess.run(["/usr/bin/time", "-o", rss.name, "-f", "%M", *command], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"{command[:3]} failed: {done.stderr[-2000:]}")
        return int(rss.read().split()[-1]) / 1024, done.stdout


def worker_memory(pdf: Path, label: str, say: Report) -> None:
    text_mib, _ = peak_rss_of(["pdftotext", "-layout", str(pdf), os.devnull])
    ready, worker, seconds, figures = peak_rss_of([sys.executable, "-c", MEMORY_PROBE, str(ROOT), str(pdf)])[1].split()
    ready, worker = int(ready) / 1024, int(worker) / 1024
    say(f"  {label:<36} {page_count(pdf):>5} pages: worker {worker:6.1f} MiB ({ready:.0f} after start-up, "
        f"{worker / text_mib:5.1f}x pdftotext's {text_mib:4.1f}); {float(seconds):.1f} s, {figures} figures")


def big_pdf(pages: int, out: Path) -> Path:
    """A PDF of PAGES pages: the sample PDFs' pages over and over (their text, footnotes and ruled tables)."""
    import pypdfium2 as pdfium
    big = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(str(f)) for f in sorted((ROOT / "samples").glob("*.pdf"))]
    while len(big) < pages:
        for src in sources:
            take = min(len(src), pages - len(big))
            if take <= 0:
                break
            big.import_pages(src, list(range(take)))
    big.save(str(out))
    for src in sources:
        src.close()
    big.close()
    return out


def memory(say: Report, big_pages: int) -> None:
    say("peak memory (VmHWM) of one worker processing one file as `run` does (reading it and the text pipeline\n"
        "in the one process), goal < 300 MiB:")
    largest = max(sorted((ROOT / "samples").glob("*.pdf")), key=page_count)
    worker_memory(largest, f"largest sample {largest.name}", say)
    if big_pages:
        with tempfile.TemporaryDirectory() as tmp:
            for n in sorted({100, big_pages}):
                worker_memory(big_pdf(n, Path(tmp) / f"big-{n}.pdf"), f"generated {n}-page PDF", say)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=2, help="0: no OCR")
    parser.add_argument("--big-pages", type=int, default=1000, help="0: no generated PDF")
    parser.add_argument("--out", type=Path, help="also write the output to this file")
    args = parser.parse_args()
    say = Report()
    started = time.perf_counter()
    say(f"bench/speed.py, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
        f"git {subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()}")
    files = pdf_files()
    pages = sum(page_count(f) for f in files)
    baseline = end_to_end(say, files, pages, args.repeat)
    stages(say, files, pages, args.repeat, baseline)
    text_pipeline(say, args.repeat, pages / baseline if baseline else None)
    text_stages(say, args.repeat)
    if args.ocr_pages:
        ocr(say, args.ocr_pages)
    workers(say, args.repeat)
    memory(say, args.big_pages)
    say(f"({time.perf_counter() - started:.0f} s in all)")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(say.lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
