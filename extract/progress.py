"""Progress of a batch run: a rich progress bar on a terminal, plain log lines elsewhere."""
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

LOG_EVERY = 10.0    # seconds between log lines when not on a terminal


class BatchProgress:
    def __init__(self, console: Console, total: int):
        self.console, self.total = console, total
        self.files = self.pages = self.figures = self.errors = 0
        self.started = self.logged = time.monotonic()
        self.bar = None

    def __enter__(self):
        if self.console.is_terminal and self.total:
            self.bar = Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[stats]}"), TimeRemainingColumn(), console=self.console)
            self.bar.start()
            self.task = self.bar.add_task("files", total=self.total, stats="")
        return self

    def stats(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        pages = f"{self.pages} PDF pages, " if self.pages else ""
        return f"{pages}{self.figures} figures, {self.errors} errors, {self.files / elapsed:.1f} files/s"

    def advance(self, outcome) -> None:
        self.files += 1
        self.pages += outcome.pages
        self.figures += outcome.figures
        self.errors += outcome.status == "error"
        if self.bar is not None:
            self.bar.update(self.task, advance=1, stats=self.stats())
            return
        now = time.monotonic()
        if now - self.logged >= LOG_EVERY or self.files == self.total:
            self.logged = now
            rate = self.files / max(now - self.started, 1e-9)
            eta = (self.total - self.files) / rate if rate else 0
            self.console.print(f"{self.files}/{self.total} files, {self.stats()}, ETA {eta:.0f} s",
                               highlight=False, soft_wrap=True)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
