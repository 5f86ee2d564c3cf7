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
# compiles the PDF reader's rules there
PRELOAD = ["extract.readers", "pypdfium2", "pdfplumber", "extract.pipeline", "extract.readers.warm"]


def _run_in_child(function, args: tuple, source: str, memory_bytes: int, conn) -> None:
    from .limits import cap_memory, reached_memory_cap
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


def _context():
    """A fork server with the readers' libraries loaded: each file is read in a fresh, small child process."""
    global _CONTEXT
    if _CONTEXT is None:
        import multiprocessing
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(PRELOAD)
    return _CONTEXT


def run_bounded(function, args: tuple, source: str, timeout: float = 120.0, memory_mb: int = 2048,
                doing: str | None = "reading the file"):
    """FUNCTION(*ARGS) in a child process that is killed after TIMEOUT seconds or when it passes MEMORY_MB.
    DOING names the work in the message of a file stopped at the time limit."""
    import multiprocessing
    too_long = f"{doing + ' ' if doing else ''}took longer than {timeout:g} s (stopped)"
    if multiprocessing.current_process().daemon:
        # a daemonic process (a Dask worker under its nanny) may not start multiprocessing children: a
        # fresh interpreter instead, which costs its start-up
        return _run_in_subprocess(function, args, source, timeout, memory_mb, too_long)
    context = _context()
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_run_in_child, args=(function, args, source, memory_mb * 2**20, child),
                              daemon=True)
    with _main_module_hidden():
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


def _run_in_subprocess(function, args: tuple, source: str, timeout: float, memory_mb: int, too_long: str):
    import pickle
    import subprocess
    request = pickle.dumps((function, args, source, memory_mb * 2**20))
    process = subprocess.Popen([sys.executable, "-m", "extract.sandbox"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        answer, _ = process.communicate(request, timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RunFailure(source, too_long) from None
    try:
        status, payload = pickle.loads(answer)
    except (pickle.UnpicklingError, EOFError):
        raise RunFailure(source, f"the reader stopped (exit code {process.returncode}): it ran out of the "
                                 f"{memory_mb} MiB of memory allowed, or a format library crashed") from None
    if status == "error":
        cause, kind = payload
        raise (RunFailure if kind == "run" else InputError)(source, cause)
    return payload


class _Pipe:
    """The child's end for _run_in_child when it answers on its standard output."""

    def __init__(self, stream):
        self.stream = stream

    def send(self, message) -> None:
        import pickle
        self.stream.write(pickle.dumps(message))

    def close(self) -> None:
        self.stream.flush()


if __name__ == "__main__":
    import pickle
    function, args, source, memory_bytes = pickle.loads(sys.stdin.buffer.read())
    _run_in_child(function, args, source, memory_bytes, _Pipe(sys.stdout.buffer))
