"""thread-burst: after one call to warm the pool, 10,000 asyncio.to_thread calls of a function
adding two numbers, all submitted at once and gathered: the pool's throughput."""

import asyncio
import time

from common import SIZES, check, report, run

N = SIZES["thread-burst"]["calls"]


def add(a, b):
    return a + b


async def main():
    check(await asyncio.to_thread(add, 1, 2) == 3, "warm-up call")
    start = time.perf_counter()
    results = await asyncio.gather(*[asyncio.to_thread(add, i, 1) for i in range(N)])
    seconds = time.perf_counter() - start
    check(sum(results) == N * (N + 1) // 2, "sum of results")
    return seconds


run(main)
report("thread-burst", N, run(main))
