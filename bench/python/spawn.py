"""spawn: create 100,000 tasks, each sleep(0) once and returns its index; gather; check the sum."""

import asyncio
import time

from common import SIZES, check, report, run, warm_up

N = SIZES["spawn"]["tasks"]


async def child(i):
    await asyncio.sleep(0)
    return i


async def main():
    start = time.perf_counter()
    tasks = [asyncio.create_task(child(i)) for i in range(N)]
    results = await asyncio.gather(*tasks)
    seconds = time.perf_counter() - start
    check(sum(results) == N * (N - 1) // 2, "sum of indexes")
    return seconds


warm_up(lambda: run(main))
report("spawn", N, run(main))
