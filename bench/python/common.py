"""Shared helpers for the Python workload scripts (CPython asyncio and uvloop).

Every script warms its workload up (warm_up), then runs it once measured, and prints one JSON
line.
Pass --uvloop to run on uvloop's event loop instead of asyncio's default one.
"""

import asyncio
import json
import sys
import time

SIZES = {
    "spawn": {"tasks": 100_000},
    "switch": {"tasks": 1_000, "switches": 1_000},
    "timers": {"tasks": 100_000, "max_ms": 50},
    "cancel": {"tasks": 100_000},
    "group": {"groups": 10_000, "children": 10},
    "queue": {"items": 200_000, "maxsize": 1},
    "lock": {"tasks": 1_000, "acquisitions": 100},
    "thread-small": {"calls": 10_000},
    "thread-burst": {"calls": 10_000},
    "thread-cpu": {"calls": 8, "fib_n": 30, "rounds": 5},
    "memory": {"tasks": 100_000, "warmup_tasks": 1_000},
}

FIB_30 = 832_040


def fib(n):
    """The CPU-bound function of thread-cpu."""
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def contender():
    return "uvloop" if "--uvloop" in sys.argv[1:] else "asyncio"


def run(main_factory):
    """Runs main_factory() to completion on a fresh loop; returns its result."""
    if contender() == "uvloop":
        import uvloop

        if hasattr(uvloop, "run"):
            return uvloop.run(main_factory())
        # uvloop < 0.18 has no uvloop.run; this is what it does.
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(main_factory())
    return asyncio.run(main_factory())


# How a script warms up before its measured run, as lib/report.mjs: the workload runs
# WARMUP_RUNS times, or fewer once WARMUP_SECONDS have passed (never fewer than once).
WARMUP_RUNS = 3
WARMUP_SECONDS = 3.0


def warm_up(once):
    """Runs once() to warm up, following WARMUP_RUNS and WARMUP_SECONDS."""
    start = time.perf_counter()
    for _ in range(WARMUP_RUNS):
        once()
        if time.perf_counter() - start >= WARMUP_SECONDS:
            return


def report(workload, ops, seconds, **extra):
    line = {"workload": workload, "contender": contender(), "ops": ops, "seconds": seconds}
    line.update(extra)
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def check(condition, message):
    if not condition:
        raise RuntimeError(f"workload check failed: {message}")


def mulberry32(seed):
    """The same PRNG as lib/report.mjs, so both languages sleep the same delays."""
    a = seed & 0xFFFFFFFF

    def imul(x, y):
        return (x * y) & 0xFFFFFFFF

    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return nxt


def timer_delays(count, max_ms, seed=42):
    nxt = mulberry32(seed)
    return [int(nxt() * (max_ms + 1)) for _ in range(count)]
