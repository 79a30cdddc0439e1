"""group: 10,000 task groups of 10 children each (each child sleep(0)), run one after another;
children per second. Each child returns its index, and the sum of every group's results is
checked."""

import asyncio
import time

from common import SIZES, check, report, run, warm_up

GROUPS = SIZES["group"]["groups"]
CHILDREN = SIZES["group"]["children"]


async def child(i):
    await asyncio.sleep(0)
    return i


async def main():
    start = time.perf_counter()
    total = 0
    for _ in range(GROUPS):
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(child(i)) for i in range(CHILDREN)]
        for t in tasks:
            total += t.result()
    seconds = time.perf_counter() - start
    check(total == GROUPS * CHILDREN * (CHILDREN - 1) // 2, "sum of every child's index")
    return seconds


warm_up(lambda: run(main))
report("group", GROUPS * CHILDREN, run(main))
