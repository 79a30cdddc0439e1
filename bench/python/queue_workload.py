"""queue: a producer and a consumer through Queue(maxsize=1), 200,000 items; check the sum.

(Not named queue.py: that would shadow the standard library's queue module, which uvloop imports.)"""

import asyncio
import time

from common import SIZES, check, report, run, warm_up

N = SIZES["queue"]["items"]
MAXSIZE = SIZES["queue"]["maxsize"]


async def producer(queue):
    for i in range(N):
        await queue.put(i)


async def consumer(queue):
    total = 0
    for _ in range(N):
        total += await queue.get()
    return total


async def main():
    start = time.perf_counter()
    queue = asyncio.Queue(MAXSIZE)
    consuming = asyncio.create_task(consumer(queue))
    producing = asyncio.create_task(producer(queue))
    total, _ = await asyncio.gather(consuming, producing)
    seconds = time.perf_counter() - start
    check(total == N * (N - 1) // 2, "sum of items")
    return seconds


warm_up(lambda: run(main))
report("queue", N, run(main))
