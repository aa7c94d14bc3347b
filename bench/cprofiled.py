"""Run a module under cProfile, in every thread it starts (the database threads of runtime.aio too,
which a plain `python -m cProfile` misses), and write the merged statistics when it exits (SIGTERM:
the service's graceful shutdown):

    python bench/cprofiled.py OUT.pstats -m servicedesk serve

cProfile counts every call exactly, so the calls per request do not depend on the machine's load,
as wall time and samples do. It slows the process down: use it for where the calls go, not speed."""

from __future__ import annotations

import atexit
import cProfile
import pstats
import runpy
import sys
import threading

_profiles: list[cProfile.Profile] = []
_lock = threading.Lock()


def _new_profile() -> cProfile.Profile:
    profile = cProfile.Profile()
    with _lock:
        _profiles.append(profile)
    return profile


def _thread_start(*_args) -> None:
    # Called once as the new thread's profile function: hand the thread to a profiler of its own.
    sys.setprofile(None)
    _new_profile().enable()


def _dump(out: str) -> None:
    for p in _profiles:
        p.disable()
    stats = pstats.Stats(_profiles[0])
    for p in _profiles[1:]:
        stats.add(p)
    stats.dump_stats(out)


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[2] != "-m":
        raise SystemExit(__doc__)
    out, module = sys.argv[1], sys.argv[3]
    sys.argv = [module, *sys.argv[4:]]
    atexit.register(_dump, out)
    threading.setprofile(_thread_start)
    _new_profile().enable()
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
