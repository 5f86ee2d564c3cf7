"""The sandbox around every reader (and, on a Dask worker, around each file's whole processing): the work
runs in a fresh child process with a time limit and a memory cap, so that one pathological file cannot
hang or exhaust a batch.

Takes a reader function and its arguments; gives what the reader returns, or an InputError naming the
file and why it could not be read (time, memory, a crashed library).
"""
import contextlib
import sys
import types

from .load import InputError, RunFailure

# loaded once in the fork server, so that each file's child starts with them; extract.readers.warm also
# compiles the PDF reader's rules there, and extract.warm the whole pipeline's, where the children process
# whole files (a Dask worker's)
PRELOAD = ["extract.readers", "pypdfium2", "pdfplumber", "extract.pipeline"]
WARM = {False: "extract.readers.warm", True: "extract.warm"}


def _run_in_child(function, args: tuple, source: str, memory_bytes: int, conn) -> None:
    from .limits import cap_memory, die_with_parent, reached_memory_cap
    die_with_parent()       # the fork server: it ends with the process that uses it
    try:
        cap_memory(memory_bytes)
        conn.send(("ok", function(*args)))
    except InputError as err:
        conn.send(("error", (err.cause, err.kind)))
    except MemoryError:
        conn.send(("error", (f"needs more than {memory_bytes // 2**20} MiB of memory to read", "run")))
    except Exception as err:  # a format library failing on a malformed file: report it, do not crash the batch
        if reached_memory_cap():
            # a C library that could not allocate may say so with another error ("SystemError: error return
            # without exception set"): the process at its cap is what stopped it
            conn.send(("error", (f"needs more than {memory_bytes // 2**20} MiB of memory to read", "run")))
        else:
            conn.send(("error", (f"unreadable file ({type(err).__name__}: {err})", "file")))
    finally:
        conn.close()


_CONTEXT = None


@contextlib.contextmanager
def _main_module_hidden():
    """The child needs nothing from the main script; without this, multiprocessing would run the script
    again in every child (with spaCy and the whole pipeline: more than a second per file)."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _context(whole_files: bool = False):
    """A fork server with the readers' libraries loaded (and the whole pipeline warmed up, where its first
    use is for WHOLE_FILES): each file is read in a fresh, small child process."""
    global _CONTEXT
    if _CONTEXT is None:
        import multiprocessing
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload([*PRELOAD, WARM[whole_files]])
    return _CONTEXT


def run_bounded(function, args: tuple, source: str, timeout: float = 120.0, memory_mb: int = 2048,
                doing: str | None = "reading the file"):
    """FUNCTION(*ARGS) in a child process that is killed after TIMEOUT seconds or when it passes MEMORY_MB.
    DOING names the work in the message of a file stopped at the time limit (None: the whole file's)."""
    too_long = f"{doing + ' ' if doing else ''}took longer than {timeout:g} s (stopped)"
    context = _context(whole_files=doing is None)
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_run_in_child, args=(function, args, source, memory_mb * 2**20, child),
                              daemon=True)
    with _main_module_hidden(), _children_allowed():
        process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            process.kill()
            raise RunFailure(source, too_long)
        try:
            status, payload = parent.recv()
        except EOFError:
            process.join(5)
            raise RunFailure(source, f"the reader stopped (exit code {process.exitcode}): it ran out of the "
                                     f"{memory_mb} MiB of memory allowed, or a format library crashed") from None
    finally:
        process.join(5)
        parent.close()
    if status == "error":
        cause, kind = payload
        raise (RunFailure if kind == "run" else InputError)(source, cause)
    return payload


@contextlib.contextmanager
def _children_allowed():
    """A daemonic process (a Dask worker under its nanny, as `dask worker` starts it) may start the child:
    multiprocessing refuses a daemonic process children lest they outlive it, and this one cannot (it dies
    with the fork server, which ends with this process, and this process ends it at its exit like any child)."""
    import multiprocessing
    config = multiprocessing.current_process()._config
    daemon = config.pop("daemon", None)
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon
