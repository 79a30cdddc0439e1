"""memory: 100,000 tasks pending on one asyncio.Event. The figure is the memory tracemalloc
traces as allocated (after a full collection, with the tasks kept alive) divided by the number
of tasks: the same method for CPython asyncio and uvloop (uvloop's tasks and futures are
asyncio's, allocated by Python's allocator, so tracemalloc sees them). A small round first, so
the loop's own structures exist before measuring."""

import asyncio
import gc
import tracemalloc

from common import SIZES, check, report, run

N = SIZES["memory"]["tasks"]
WARMUP = SIZES["memory"]["warmup_tasks"]


async def waiter(event):
    await event.wait()


def measure(n):
    async def main():
        event = asyncio.Event()
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        tasks = [asyncio.create_task(waiter(event)) for _ in range(n)]
        await asyncio.sleep(0)  # every task is now waiting on the event
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        check(not any(t.done() for t in tasks), "every task pending")
        event.set()
        await asyncio.gather(*tasks)
        return grown

    return main


run(measure(WARMUP))
report("memory", N, 0, bytes=run(measure(N)))
