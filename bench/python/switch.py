"""switch: 1,000 tasks, each doing 1,000 sleep(0)."""

import asyncio
import time

from common import SIZES, check, report, run, warm_up

TASKS = SIZES["switch"]["tasks"]
SWITCHES = SIZES["switch"]["switches"]


async def child():
    n = 0
    for _ in range(SWITCHES):
        await asyncio.sleep(0)
        n += 1
    return n


async def main():
    start = time.perf_counter()
    tasks = [asyncio.create_task(child()) for _ in range(TASKS)]
    results = await asyncio.gather(*tasks)
    seconds = time.perf_counter() - start
    check(sum(results) == TASKS * SWITCHES, "every switch happened")
    return seconds


warm_up(lambda: run(main))
report("switch", TASKS * SWITCHES, run(main))
