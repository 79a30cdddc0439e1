"""cancel: 100,000 tasks each waiting on a future that is never set; cancel all; gather with
return_exceptions. (Each task waits on its own future, which is what Event.wait() does inside.)"""

import asyncio
import time

from common import SIZES, check, report, run, warm_up

N = SIZES["cancel"]["tasks"]


async def waiter(loop):
    await loop.create_future()


async def main():
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    tasks = [asyncio.create_task(waiter(loop)) for _ in range(N)]
    await asyncio.sleep(0)  # every task is now waiting
    for t in tasks:
        t.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    seconds = time.perf_counter() - start
    check(all(isinstance(r, asyncio.CancelledError) for r in results), "every task cancelled")
    return seconds


warm_up(lambda: run(main))
report("cancel", N, run(main))
