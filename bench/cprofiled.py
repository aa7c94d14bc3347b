"""Run a module under cProfile, in every thread it starts (the database threads of runtime.aio too,
which a plain `python -m cProfile` misses), timed by each thread's CPU time (not wall time, which
the other work on a shared machine stretches):

    python bench/cprofiled.py OUT -m servicedesk serve

SIGUSR1 writes what was counted so far to OUT.start, SIGUSR2 to OUT.end, and the exit to OUT.exit:
the difference of two is what happened in between (bench/servicedesk_filing.py takes the measured
calls' this way, without the start-up). Each file is a pstats file (marshal of its stats dict).
cProfile counts every call exactly, so the calls per request do not depend on the machine's load."""

from __future__ import annotations

import atexit
import cProfile
import marshal
import runpy
import signal
import sys
import threading
import time

_profiles: list[cProfile.Profile] = []
_lock = threading.Lock()


def _new_profile() -> cProfile.Profile:
    profile = cProfile.Profile(time.thread_time)
    with _lock:
        _profiles.append(profile)
    return profile


def _thread_start(*_args) -> None:
    # Called once as the new thread's profile function: hand the thread to a profiler of its own.
    sys.setprofile(None)
    _new_profile().enable()


def merged() -> dict:
    """Every thread's counts so far, summed per function (callers left out). Read without
    disabling any profiler (create_stats would disable the calling thread's)."""
    out: dict = {}
    with _lock:
        profiles = list(_profiles)
    for p in profiles:
        p.snapshot_stats()
        for key, (cc, nc, tt, ct, _callers) in p.stats.items():  # type: ignore[attr-defined]
            c0, n0, t0, u0, _ = out.get(key, (0, 0, 0.0, 0.0, {}))
            out[key] = (c0 + cc, n0 + nc, t0 + tt, u0 + ct, {})
    return out


def dump(path: str) -> None:
    with open(path, "wb") as f:
        marshal.dump(merged(), f)


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[2] != "-m":
        raise SystemExit(__doc__)
    out, module = sys.argv[1], sys.argv[3]
    sys.argv = [module, *sys.argv[4:]]
    atexit.register(dump, out + ".exit")
    signal.signal(signal.SIGUSR1, lambda *_: dump(out + ".start"))
    signal.signal(signal.SIGUSR2, lambda *_: dump(out + ".end"))
    threading.setprofile(_thread_start)
    _new_profile().enable()
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
