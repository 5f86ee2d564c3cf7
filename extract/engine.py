"""Engines: the per-file work of a batch run spread over worker processes, or over a Dask cluster.

Takes the files of an archive and an output folder; gives the dataset of extract.dataset, written part by
part by the workers, and one Outcome per file. The local engine keeps one process per core, gives each
file a time limit and a memory cap, and replaces a worker that exceeds them. Files are identified by the
sha256 of their bytes: a file already in the dataset is skipped, the same bytes under two names are
processed once.
"""
import hashlib
import os
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path


from . import dataset


@dataclass
class Task:
    path: str
    key: str                        # sha256 of the bytes (of the path, for a file that cannot be read)
    also_at: list[str] = field(default_factory=list)


@dataclass
class Options:
    out: str
    pdf_reader: str = "pdfium"
    timeout: float = 300.0          # seconds per file
    memory_mb: int = 3072           # per worker, on top of what it holds when idle
    metadata: dict = field(default_factory=dict)   # doc_id or path -> fields that override what was read
    bounded_pdf: bool = False       # read each PDF in a child process of its own (when the worker is not bounded)
    bounded_file: bool = False      # process each file whole in a child process with the limits (a Dask worker)
    ocr: str = "auto"               # auto | never | always: OCR for pages without a usable text layer
    ocr_threads: int = 1            # pages of one scan read by OCR at once (the cores a worker may take)


@dataclass
class Outcome:
    path: str
    key: str
    status: str                     # ok | error | skipped
    error: str | None = None
    pages: int = 0
    figures: int = 0
    checks_failed: int = 0
    seconds: float = 0.0
    part: str | None = None         # its documents part in the dataset, where one was written


def file_key(path: Path) -> str:
    """The file's identity: the hash of its content; for what is no regular file (a pipe, a device, whose
    reading may never end) its path, so that only a worker with a time limit ever reads it."""
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return hashlib.sha256(f"special:{os.path.abspath(path)}".encode()).hexdigest()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return hashlib.sha256(f"unreadable:{path}".encode()).hexdigest()
    return digest.hexdigest()


def plan(files: list[Path], out: Path, retry_failed: bool = False) -> tuple[list[Task], list[Outcome]]:
    """Tasks for the files not yet in the dataset (one per distinct content) and for those in error there
    because of the run (time, memory, a lost worker, a missing tool), or in error at all with RETRY_FAILED;
    outcomes for the rest."""
    by_key: dict[str, list[str]] = {}
    for path in files:
        by_key.setdefault(file_key(path), []).append(str(path))
    done = dataset.done_keys(out)
    failed = dataset.failed_keys(out) if done else {}
    tasks, skipped = [], []
    for key, paths in by_key.items():
        again = key in failed and (failed[key] == "run" or retry_failed)
        if key in done and not again:
            skipped.extend(Outcome(p, key, "skipped") for p in paths)
        else:
            if again:
                dataset.remove_document(out, key)
            tasks.append(Task(paths[0], key, paths[1:]))
    return tasks, skipped


def process_task(task: Task, options: Options) -> Outcome:
    """Process one file and write its parts: the unit of work of every engine."""
    from .pipeline import process_file
    from .readers import ReadOptions
    started = time.perf_counter()
    read_options = ReadOptions(pdf_reader=options.pdf_reader, ocr=options.ocr, timeout=options.timeout,
                               memory_mb=options.memory_mb, bounded=options.bounded_pdf and not options.bounded_file,
                               ocr_threads=options.ocr_threads)
    if options.bounded_file:
        from .load import InputError, RunFailure
        from .sandbox import run_bounded
        try:
            result = run_bounded(extract_file, (task.path, read_options), task.path, options.timeout,
                                 options.memory_mb, doing=None)
        except RunFailure as err:
            return failed_outcome(task, options, err.cause)
        except InputError as err:
            return failed_outcome(task, options, err.cause, kind="file")
    else:
        result = process_file(task.path, options=read_options)
    apply_overrides(result, task, options.metadata)
    part = dataset.write_document(Path(options.out), result, task.key)
    doc = result.document
    return Outcome(task.path, task.key, doc["status"], doc["error"], doc["pages"] or 0,
                   result.arrow["figures"].num_rows, doc["checks_failed"] or 0, time.perf_counter() - started,
                   str(part))


def extract_file(path: str, read_options):
    """The Result of one file with its tables only (what a bounded child process runs and sends back: the
    spaCy doc and the cleaned text, which only the tables came from, would weigh five times as much)."""
    from .pipeline import Result, process_file
    result = process_file(path, options=read_options)
    return Result(result.source, result.arrow)


def apply_overrides(result, task: Task, overrides: dict) -> None:
    """Record the file's other paths, and let --metadata (by doc_id or by path) override what was read."""
    document = result.document
    document["doc_id"] = document["doc_id"] or task.key
    document["also_at"] = list(task.also_at)
    for name in (task.key, task.path, *task.also_at):
        document.update(overrides.get(name, {}))
    result.set_document(document)


def failed_outcome(task: Task, options: Options, cause: str, kind: str = "run") -> Outcome:
    """A file whose worker was stopped or lost: recorded in the dataset as an error of the run's (read
    again by the next run), or of the file's where the pipeline itself failed on it."""
    from .pipeline import failed
    result = failed(task.path, cause, doc_id=task.key, kind=kind)
    apply_overrides(result, task, options.metadata)
    part = dataset.write_document(Path(options.out), result, task.key)
    return Outcome(task.path, task.key, "error", cause, part=str(part))


# --- the local engine: a pool of replaceable worker processes ---------------------------------------

def _worker(conn, options: Options) -> None:
    from .limits import cap_memory, die_with_parent
    from .pipeline import nlp
    die_with_parent()
    nlp()
    cap_memory(options.memory_mb * 2**20)
    conn.send(READY)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            outcome = process_task(task, options)
        except MemoryError:
            outcome = failed_outcome(task, options, f"needs more than {options.memory_mb} MiB of memory")
        except Exception as err:  # a bug or a library failure on one file must not stop the batch
            outcome = failed_outcome(task, options, f"internal error ({type(err).__name__}: {err})", kind="file")
        conn.send(outcome)


READY = "ready"      # a worker's first message: set up, so a file's time limit counts only the file's own work
MAX_FAILED_STARTS = 5


class LocalEngine:
    def __init__(self, options: Options, workers: int | None = None):
        import multiprocessing
        self.options = options
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.context = multiprocessing.get_context("fork")

    def _start(self):
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.options), daemon=True)
        process.start()
        child.close()
        return {"process": process, "conn": parent, "task": None, "since": 0.0, "ready": False}

    def run(self, tasks: list[Task], report):
        """Process TASKS, calling REPORT(outcome) as each file finishes."""
        from multiprocessing.connection import wait
        pending = list(reversed(tasks))
        # the cores no worker takes read a scan's pages: one file on two cores reads two pages at once
        size = min(self.workers, len(tasks))
        self.options = replace(self.options, ocr_threads=max(1, (os.cpu_count() or 1) // max(1, size)))
        if tasks:
            # once, here: each worker (and each one that replaces a stopped one) is forked ready
            from .pipeline import warm_up
            warm_up()
        pool = [self._start() for _ in range(size)]
        failed_starts = 0
        try:
            while pending or any(w["task"] for w in pool):
                for w in pool:
                    if w["ready"] and w["task"] is None and pending:
                        w["task"], w["since"] = pending.pop(), time.monotonic()
                        w["conn"].send(w["task"])
                waiting = [w for w in pool if w["task"] or not w["ready"]]
                ready = wait([w["conn"] for w in waiting], timeout=0.5)
                for i, w in enumerate(pool):
                    if not w["ready"]:
                        if w["conn"] in ready and self._started(w):
                            continue
                        if not w["process"].is_alive() or w["conn"] in ready:
                            failed_starts += 1
                            if failed_starts > MAX_FAILED_STARTS:
                                raise RuntimeError("the worker processes cannot start")
                            w["process"].join(5)
                            pool[i] = self._start()
                        continue
                    if w["task"] is None:
                        continue
                    if w["conn"] in ready:
                        try:
                            outcome = w["conn"].recv()
                        except EOFError:
                            outcome = self._replace(pool, i, "the worker died while processing it (out of memory?)")
                        else:
                            w["task"] = None
                        report(outcome)
                    elif time.monotonic() - w["since"] > self.options.timeout:
                        report(self._replace(pool, i, f"took longer than {self.options.timeout:g} s (stopped)"))
                    elif not w["process"].is_alive():
                        report(self._replace(pool, i, "the worker died while processing it (out of memory?)"))
        finally:
            for w in pool:
                try:
                    w["conn"].send(None)
                except (BrokenPipeError, OSError):
                    pass
            for w in pool:
                w["process"].join(5)
                if w["process"].is_alive():
                    w["process"].kill()

    @staticmethod
    def _started(w) -> bool:
        try:
            w["ready"] = w["conn"].recv() == READY
        except EOFError:
            return False
        return w["ready"]

    def _replace(self, pool, i, cause: str) -> Outcome:
        w = pool[i]
        w["process"].kill()
        w["process"].join(5)
        task = w["task"]
        pool[i] = self._start()
        return failed_outcome(task, self.options, cause)


# --- the Dask engine ---------------------------------------------------------------------------------

class EngineError(Exception):
    """The engine itself cannot run (a cluster that cannot be reached): one line for the user."""


SCHEDULER_TIMEOUT = 15      # seconds to wait for a scheduler's answer before saying it cannot be reached


class DaskEngine:
    """The same per-file work on a dask.distributed cluster (a LocalCluster when no scheduler is given).

    The workers need ward-extract installed and the output folder on a shared file system."""

    def __init__(self, options: Options, scheduler: str | None = None, workers: int | None = None):
        self.options, self.scheduler, self.workers = options, scheduler, workers

    def run(self, tasks: list[Task], report):
        from dask.distributed import Client, LocalCluster, as_completed
        cluster = None
        if self.scheduler is None:
            import dask
            # workers that may start child processes: each file runs in one, with the run's limits
            with dask.config.set({"distributed.worker.daemon": False}):
                cluster = LocalCluster(n_workers=self.workers or os.cpu_count() or 1, threads_per_worker=1,
                                       processes=True, dashboard_address=None)
        try:
            client = Client(self.scheduler or cluster, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError) as err:
            raise EngineError(f"cannot reach the Dask scheduler at {self.scheduler} "
                              f"({type(err).__name__}: {str(err).splitlines()[0] if str(err) else 'no answer'})") from None
        # a Dask task cannot be stopped from outside: each file is processed in a bounded child process instead,
        # with the time limit and memory cap the user set
        options = replace(self.options, bounded_file=True)
        try:
            futures = client.map(process_task, tasks, options=options, pure=False)
            task_of = {future.key: task for future, task in zip(futures, tasks)}
            for future in as_completed(futures):
                try:
                    report(future.result())
                except Exception as err:  # a worker lost mid-task: the file is recorded as failed
                    report(failed_outcome(task_of[future.key], options, f"failed on the cluster ({type(err).__name__})"))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
