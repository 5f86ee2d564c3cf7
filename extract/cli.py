"""The `ward-extract` command: parses arguments, calls the library, prints with rich."""
import argparse
import sys
from pathlib import Path

import regex
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import batch
from .verdicts import SEVERITY

DEFAULT_INPUT = "samples"
DEFAULT_OUT = "output"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ward-extract",
                                     description="Turn Vietnamese ward/commune reports into Parquet tables.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="extract sections, figures and checks into Parquet tables")
    run.add_argument("inputs", nargs="*", metavar="INPUT",
                     help=f"report files or folders (searched recursively); default: {DEFAULT_INPUT}/")
    run.add_argument("--out", default=DEFAULT_OUT, help=f"output dataset folder (default: {DEFAULT_OUT}/)")
    add_pdf_reader(run)
    run.add_argument("--engine", choices=["local", "dask"], default="local",
                     help="local worker processes (default) or a dask.distributed cluster")
    run.add_argument("--scheduler", help="address of a running Dask scheduler (default: start a LocalCluster)")
    run.add_argument("--workers", type=positive(int), help="worker processes (default: one per core)")
    run.add_argument("--timeout", type=positive(float), default=300.0, help="seconds allowed per file (default 300)")
    run.add_argument("--memory", type=positive(int), default=3072, help="MiB of memory allowed per file (default 3072)")
    run.add_argument("--metadata", help="CSV of doc_id or path -> metadata that overrides what is read")
    run.add_argument("--retry-failed", action="store_true",
                     help="read again the files in error in the dataset (those that failed for the run's time, "
                          "memory or tools are read again anyway)")
    audit = commands.add_parser("audit", help="cross-check the figures of each report and list what does not hold")
    audit.add_argument("inputs", nargs="*", metavar="INPUT",
                       help=f"report files or folders (searched recursively); default: {DEFAULT_INPUT}/")
    audit.add_argument("--all", action="store_true", help="list every check, not only those that are not ok")
    audit.add_argument("--fail-on", choices=["mismatch", "any"],
                       help="exit 1 when a check is inconsistent (mismatch) or anything is not ok (any)")
    audit.add_argument("--format", choices=["text", "csv", "xlsx"], default="text",
                       help="text (printed, default), or the checks that are not ok as a sheet: csv or xlsx")
    audit.add_argument("-o", "--output", help="the sheet's file (default: output/audit.csv or output/audit.xlsx)")
    add_lang(audit)
    add_pdf_reader(audit)
    review = commands.add_parser("review", help="write a self-contained HTML review page of one report")
    review.add_argument("input", metavar="INPUT", help="a report file")
    review.add_argument("-o", "--output", help="the HTML file (default: output/NAME.review.html)")
    add_lang(review)
    add_pdf_reader(review)
    text = commands.add_parser("text", help="print the text read from a file, as the figures' offsets index it")
    text.add_argument("input", metavar="FILE", help="a report file of any format")
    add_pdf_reader(text)
    panel = commands.add_parser("panel", help="build the cross-ward panel of a dataset: long, wide, conflicts")
    panel.add_argument("dataset", metavar="DATASET", help="a dataset folder written by run")
    panel.add_argument("--out", required=True, help="the panel's folder")
    panel.add_argument("--html", action="store_true", help="also write panel.html: a chart per indicator")
    return parser


def positive(number):
    """An argument type: a number above zero, or argparse's one-line error."""
    def parse(text: str):
        try:
            value = number(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
        return value
    parse.__name__ = number.__name__
    return parse


def add_lang(command) -> None:
    command.add_argument("--lang", choices=["vi", "en"], default="vi",
                         help="language of the labels and explanations shown: vi (Vietnamese, default) or en")


def add_pdf_reader(command) -> None:
    command.add_argument("--pdf-reader", choices=["pdfium", "pdfplumber"], default="pdfium",
                         help="PDF reader: pdfium (fast, default) or pdfplumber (the reference)")
    command.add_argument("--ocr", choices=["auto", "never", "always"], default="auto",
                         help="OCR (Tesseract) for images and scanned pages: auto (pages without a usable text "
                              "layer, default), never, or always (every page, ignoring the text layer)")


def process(path, args):
    """One file through the pipeline with the reading options of the command line."""
    from .pipeline import process_file
    from .readers import ReadOptions
    return process_file(path, options=ReadOptions(pdf_reader=args.pdf_reader, ocr=args.ocr))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console()
    if args.command == "run":
        return run(args, console)
    if args.command == "audit":
        return audit(args, console)
    if args.command == "review":
        return review(args, console)
    if args.command == "text":
        return print_text(args)
    if args.command == "panel":
        return panel(args, console)
    return 2


def panel(args, console: Console) -> int:
    from .panel import build_panel
    if not (Path(args.dataset) / "documents").is_dir():
        console.print(f"[red]error[/red] {args.dataset}: no dataset (no documents folder)", highlight=False,
                      soft_wrap=True)
        return 2
    for name, path in build_panel(args.dataset, args.out, args.html).items():
        console.print(f"{name}: {path}", highlight=False, soft_wrap=True)
    return 0


def run(args, console: Console) -> int:
    """Extract every report under the inputs into the dataset at --out; resumable, in parallel."""
    from . import dataset
    from .engine import DaskEngine, EngineError, LocalEngine, Options, plan
    from .progress import BatchProgress
    inputs = args.inputs or [DEFAULT_INPUT]
    files, missing = batch.discover(inputs)
    for path in missing:
        console.print(f"[red]error[/red] {path}: no such file or folder", highlight=False, soft_wrap=True)
    if not files and not missing:
        console.print(f"[yellow]no reports found in {', '.join(inputs)}[/yellow]")
    out = Path(args.out)
    dataset.remove_unfinished(out)
    dataset.add_missing_facts(out)
    try:
        overrides = batch.read_metadata_csv(args.metadata) if args.metadata else {}
    except ValueError as err:
        console.print(f"[red]error[/red] {err}", highlight=False, soft_wrap=True)
        return 2
    options = Options(str(out), args.pdf_reader, args.timeout, args.memory, overrides, ocr=args.ocr)
    tasks, skipped = plan(files, out, args.retry_failed)
    if args.engine == "dask":
        engine = DaskEngine(options, args.scheduler, args.workers)
    else:
        engine = LocalEngine(options, args.workers)
    outcomes = []
    with BatchProgress(console, len(tasks)) as progress:
        def report(outcome):
            outcomes.append(outcome)
            progress.advance(outcome)
        if tasks:
            try:
                engine.run(tasks, report)
            except EngineError as err:
                console.print(f"[red]error[/red] {err}", highlight=False, soft_wrap=True)
                return 2
    if overrides:
        for key in sorted(dataset.update_metadata(out, overrides)):
            console.print(f"[yellow]warning[/yellow] {args.metadata}: {key} matches no document in the dataset",
                          highlight=False, soft_wrap=True)
    in_error = print_run_summary(console, out, files, tasks, skipped, outcomes)
    return 1 if in_error or missing else 0


def print_run_summary(console: Console, out: Path, files, tasks, skipped, outcomes) -> int:
    """The run's summary; gives how many documents of the dataset are in error."""
    from . import dataset
    # this run's documents only: a dataset of many thousands is not read again to sum up one run
    parts = [o.part for o in outcomes if o.part]
    documents = dataset.read_parts(out, "documents", parts)
    duplicates = sum(len(t.also_at) for t in tasks)
    if 0 < len(outcomes) <= 30:
        print_summary(console, documents, dataset.read_parts(out, "figures", parts))
    errors = [o for o in outcomes if o.status == "error"]
    not_read = [o for o in outcomes if o.status == "skipped"]
    for o in not_read:
        console.print(f"[yellow]skipped[/yellow] {o.path}: {o.error}", highlight=False, soft_wrap=True)
    for o in errors:
        console.print(f"[red]error[/red] {o.path}: {o.error}", highlight=False, soft_wrap=True)
    for message in page_warnings(documents):
        console.print(f"[yellow]warning[/yellow] {message}", highlight=False, soft_wrap=True)
    console.print(f"{len(files)} files: {len(outcomes) - len(errors) - len(not_read)} extracted, {len(errors)} failed, "
                  f"{len(not_read)} skipped (not a report format), "
                  f"{len(skipped)} already in the dataset, {duplicates} duplicates of another file; "
                  f"{sum(o.figures for o in outcomes)} figures; dataset in {out}/", highlight=False, soft_wrap=True)
    failed = dataset.failed_keys(out)
    if failed:
        by_run = sum(1 for kind in failed.values() if kind == "run")
        console.print(f"[red]{len(failed)} file{'s' if len(failed) > 1 else ''} in error in the dataset[/red]"
                      f" ({by_run} for this run's time, memory or tools: read again by the next run; the rest "
                      f"with --retry-failed)", highlight=False, soft_wrap=True)
    return len(failed)


def audit(args, console: Console) -> int:
    """Per file, the checks that do not hold (or all with --all), worst first, with the text around them; with
    --format csv or xlsx, the checks that are not ok written as a sheet."""
    from .labels import text
    lang = args.lang
    inputs = args.inputs or [DEFAULT_INPUT]
    files, missing = batch.discover(inputs)
    for path in missing:
        console.print(f"[red]error[/red] {path}: no such file or folder", highlight=False, soft_wrap=True)
    inconsistent = not_ok = 0
    results = [process(path, args) for path in files]
    for r in results:
        if not r.ok:
            label = "[red]error[/red]" if r.status == "error" else "[yellow]skipped[/yellow]"
            console.print(f"{label} {r.source}: {r.error}", highlight=False, soft_wrap=True)
            continue
        checks = r.checks.to_dict("records")
        bad = sum(1 for c in checks if c["consistent"] is False)
        inconsistent += bad
        not_ok += sum(1 for c in checks if c["verdict"] != "ok")
        if args.format != "text":
            continue
        shown = [c for c in checks if (args.all or c["verdict"] != "ok") and c["verdict"] != "ocr_unsure"]
        shown.sort(key=lambda c: (severity(c["verdict"]), c["line"] or 0))
        unsure = [c for c in checks if c["verdict"] == "ocr_unsure"]
        figures = {f["figure_id"]: f for f in r.figures.to_dict("records")}
        console.print(f"[bold]{r.source}[/bold]: {text('checks_inconsistent', lang, checks=len(checks), bad=bad)}",
                      highlight=False, soft_wrap=True)
        for message in page_warnings(r.documents):
            console.print(f"  [yellow]warning[/yellow] {message}", highlight=False, soft_wrap=True)
        for c in shown:
            print_check(console, r, c, figures, lang)
        if unsure:
            console.print(f"  [bold]{text('ocr_unsure_heading', lang, n=len(unsure))}[/bold]", highlight=False,
                          soft_wrap=True)
            for c in sorted(unsure, key=lambda c: (c["page"] or 0, c["line"] or 0)):
                print_check(console, r, c, figures, lang)
    if args.format != "text":
        from .review import audit_sheet, write_sheet
        out = Path(args.output) if args.output else Path(DEFAULT_OUT) / f"audit.{args.format}"
        if out.suffix.lower() != f".{args.format}":
            out = out.with_name(f"{out.name}.{args.format}")
        write_sheet(audit_sheet([r for r in results if r.ok], lang), out)
        console.print(text("written", lang, path=out), highlight=False, soft_wrap=True)
    failed = any(r.status == "error" for r in results) or bool(missing)
    if args.fail_on == "mismatch" and inconsistent:
        return 1
    if args.fail_on == "any" and (not_ok or failed):
        return 1
    return 1 if failed else 0


def print_check(console: Console, r, c: dict, figures: dict, lang: str) -> None:
    from .labels import check_label, ocr_note, sentence, text, verdict_label
    colour = "green" if c["verdict"] == "ok" else ("yellow" if c["consistent"] is not False else "red")
    where = f"{text('page', lang)} {c['page']} " if c.get("page") else ""
    note = ocr_note(c, figures, r.documents.iloc[0], lang)
    console.print(f"  [{colour}]{verdict_label(c['verdict'], lang):<26}[/{colour}] {where}{text('line', lang)} "
                  f"{c['line']:<5} {check_label(c['check'], lang):<20} {sentence(c, figures, lang)}"
                  + (f" ({note})" if note else ""), highlight=False, soft_wrap=True)
    console.print(f"      [dim]{context(r.cleaned.source, c['char_start'], c['char_end'])}[/dim]",
                  highlight=False, soft_wrap=True)


def severity(verdict: str) -> int:
    return SEVERITY.index(verdict) if verdict in SEVERITY else 0


def context(source: str, start: int, end: int, around: int = 50) -> str:
    """The source text around a span, on one line, the span itself marked."""
    def flat(text):
        return regex.sub(r"\s+", " ", text)
    before, middle, after = source[max(0, start - around):start], source[start:end], source[end:end + around]
    return f"…{escape(flat(before))}[bold]{escape(flat(middle))}[/bold]{escape(flat(after))}…".strip()


def print_text(args) -> int:
    """The text ward-extract reads from a file (pages separated by form feeds), as pdftotext prints a PDF's:
    the first thing to look at when a figure looks wrong."""
    from .load import InputError
    from .readers import ReadOptions, read
    try:
        src = read(args.input, ReadOptions(pdf_reader=args.pdf_reader, ocr=getattr(args, "ocr", "auto")))
    except InputError as err:
        print(f"{err.status} {args.input}: {err.cause}", file=sys.stderr)
        return 1
    sys.stdout.write(src.text if src.text.endswith("\n") else src.text + "\n")
    return 0


def review(args, console: Console) -> int:
    from .labels import text
    from .review import write_review
    result = process(Path(args.input), args)
    if not result.ok:
        console.print(f"[red]error[/red] {result.source}: {result.error}", highlight=False, soft_wrap=True)
        return 1
    out = Path(args.output) if args.output else Path(DEFAULT_OUT) / f"{Path(args.input).stem}.review.html"
    write_review(result, out, args.lang)
    console.print(text("review_written", args.lang, path=out), highlight=False, soft_wrap=True)
    return 0


KIND_LABELS = {"money": "money", "percent": "%", "per_mille": "‰", "ratio": "ratio", "count": "count",
               "quantity": "quantity"}


def page_warnings(documents) -> list[str]:
    """What a user must know about files that were extracted: pages whose figures could not be read."""
    if "pages_without_text" not in documents:
        return []
    found = []
    for doc in documents.sort_values("source").to_dict("records"):
        pages = doc["pages_without_text"]
        if pages is not None and len(pages):
            numbers = ", ".join(str(int(p)) for p in pages)
            found.append(f"{doc['source']}: page{'s' if len(pages) > 1 else ''} {numbers} of {int(doc['pages'])} "
                         f"{'are' if len(pages) > 1 else 'is'} images only (no text layer): their figures are "
                         f"missing, OCR needed")
    return found


def print_summary(console: Console, documents, figures) -> None:
    """One row per file: sections, figures by kind, checks that fail."""
    table = Table(title="ward-extract", title_justify="left")
    table.add_column("file", overflow="fold")
    table.add_column("sections", justify="right")
    table.add_column("figures by kind")
    table.add_column("failing checks", justify="right")
    for doc in documents.sort_values("source").to_dict("records"):
        if doc["status"] != "ok":
            status = "[red]error[/red]" if doc["status"] == "error" else "[yellow]skipped[/yellow]"
            table.add_row(Path(doc["source"]).name, "", status, "")
            continue
        kinds = figures[figures["doc_id"] == doc["doc_id"]]["kind"].value_counts()
        by_kind = ", ".join(f"{kinds[k]} {label}" for k, label in KIND_LABELS.items() if kinds.get(k, 0))
        failing = int(doc["checks_failed"] or 0)
        table.add_row(Path(doc["source"]).name, str(int(doc["sections"])), f"{int(kinds.sum())}: {by_kind}",
                      f"[red]{failing}[/red]" if failing else "0")
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
