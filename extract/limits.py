"""Per-process limits of the batch: a memory cap on what the work of one file may add."""
import os
import resource


def cap_memory(extra_bytes: int) -> None:
    """Let this process grow by at most EXTRA_BYTES of address space beyond what it holds now."""
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (in_use + extra_bytes, resource.RLIM_INFINITY))
