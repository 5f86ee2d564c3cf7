"""Per-process limits of the batch: a memory cap on what the work of one file may add, and no process
outliving the one that started it."""
import os
import resource
import signal


def cap_memory(extra_bytes: int) -> None:
    """Let this process grow by at most EXTRA_BYTES of address space beyond what it holds now."""
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (in_use + extra_bytes, resource.RLIM_INFINITY))


CAP_MARGIN = 8 * 2**20      # an allocation that fails this close to the cap is the cap's doing


def reached_memory_cap() -> bool:
    """Whether this process's address space came within CAP_MARGIN of its cap (RLIMIT_AS) at its peak."""
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit == resource.RLIM_INFINITY:
        return False
    with open("/proc/self/status") as status:
        peak = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmPeak:")), 0)
    return peak + CAP_MARGIN >= limit


def die_with_parent() -> None:
    """Have the kernel kill this process when the process that started it ends: no orphan keeps working."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)      # PR_SET_PDEATHSIG
    except OSError:
        pass
