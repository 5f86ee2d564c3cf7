"""The `ward-extract` command: parses arguments, calls the library, prints with rich."""
import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import batch

DEFAULT_INPUT = "samples"
DEFAULT_OUT = "output"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ward-extract",
                                     description="Turn Vietnamese ward/commune reports into Parquet tables.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="extract sections, figures and checks into Parquet tables")
    run.add_argument("inputs", nargs="*", metavar="INPUT",
                     help=f"report files or folders (searched recursively); default: {DEFAULT_INPUT}/")
    run.add_argument("--out", default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT}/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console()
    if args.command == "run":
        return run(args, console)
    return 2


def run(args, console: Console) -> int:
    inputs = args.inputs or [DEFAULT_INPUT]
    files, missing = batch.discover(inputs)
    for path in missing:
        console.print(f"[red]error[/red] {path}: no such file or folder", highlight=False, soft_wrap=True)
    if not files and not missing:
        console.print(f"[yellow]no reports found in {', '.join(inputs)}[/yellow]")
    results = [batch.process(path) for path in files]
    written = batch.write(results, Path(args.out))
    print_summary(console, results)
    console.print(f"tables written to {Path(args.out)}/: {', '.join(p.name for p in written.values())}",
                  highlight=False, soft_wrap=True)
    failed = [r for r in results if not r.ok]
    return 1 if failed or missing else 0


KIND_LABELS = {"money": "money", "percent": "%", "per_mille": "‰", "ratio": "ratio", "count": "count",
               "quantity": "quantity"}


def print_summary(console: Console, results) -> None:
    """One row per file: sections, figures by kind, checks that fail; then one line per failed file."""
    table = Table(title="ward-extract", title_justify="left")
    table.add_column("file", overflow="fold")
    table.add_column("sections", justify="right")
    table.add_column("figures by kind")
    table.add_column("failing checks", justify="right")
    for r in results:
        if not r.ok:
            table.add_row(Path(r.source).name, "", "[red]error[/red]", "")
            continue
        kinds = r.figures["kind"].value_counts()
        by_kind = ", ".join(f"{kinds[k]} {label}" for k, label in KIND_LABELS.items() if kinds.get(k, 0))
        doc = r.documents.iloc[0]
        failing = int(doc["checks_failed"])
        table.add_row(Path(r.source).name, str(doc["sections"]), f"{len(r.figures)}: {by_kind}",
                      f"[red]{failing}[/red]" if failing else "0")
    console.print(table)
    for r in results:
        if not r.ok:
            console.print(f"[red]error[/red] {r.source}: {r.error}", highlight=False, soft_wrap=True)


if __name__ == "__main__":
    sys.exit(main())
