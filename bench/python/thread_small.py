"""thread-small: after one call to warm the pool, 10,000 asyncio.to_thread calls of a function
adding two numbers, one after another (each awaited before the next): the round trip."""

import asyncio
import time

from common import SIZES, check, report, run

N = SIZES["thread-small"]["calls"]


def add(a, b):
    return a + b


async def main():
    check(await asyncio.to_thread(add, 1, 2) == 3, "warm-up call")
    start = time.perf_counter()
    total = 0
    for i in range(N):
        total += await asyncio.to_thread(add, i, 1)
    seconds = time.perf_counter() - start
    check(total == N * (N + 1) // 2, "sum of results")
    return seconds


run(main)
report("thread-small", N, run(main))
