"""thread-cpu: fib(30) eight times in turn on the loop thread, then, after warming the default
executor (one fib(30) per CPU), eight asyncio.to_thread calls of it at once, gathered. The
figure is the speed-up: the median time in turn over the median time at once, of five rounds
that alternate the two. The GIL lets one thread run Python code at a time, so CPython's honest
figure is about 1.0."""

import asyncio
import os
import statistics
import time

from common import FIB_30, SIZES, check, fib, report, run

N = SIZES["thread-cpu"]["calls"]
FIB_N = SIZES["thread-cpu"]["fib_n"]
ROUNDS = SIZES["thread-cpu"]["rounds"]


def in_turn():
    start = time.perf_counter()
    for _ in range(N):
        check(fib(FIB_N) == FIB_30, "fib on the loop thread")
    return time.perf_counter() - start


async def at_once():
    await asyncio.gather(*[asyncio.to_thread(fib, FIB_N) for _ in range(os.cpu_count() or 1)])
    start = time.perf_counter()
    results = await asyncio.gather(*[asyncio.to_thread(fib, FIB_N) for _ in range(N)])
    seconds = time.perf_counter() - start
    check(all(r == FIB_30 for r in results), "fib on the workers")
    return seconds


in_turn_times = []
at_once_times = []
for _ in range(ROUNDS):
    in_turn_times.append(in_turn())
    at_once_times.append(run(at_once))
sequential_seconds = statistics.median(in_turn_times)
seconds = statistics.median(at_once_times)
report("thread-cpu", N, seconds, sequentialSeconds=sequential_seconds)
