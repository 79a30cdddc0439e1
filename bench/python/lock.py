"""lock: 1,000 tasks, each 100 times: acquire one Lock, sleep(0), release."""

import asyncio
import time

from common import SIZES, check, report, run, warm_up

TASKS = SIZES["lock"]["tasks"]
ACQUISITIONS = SIZES["lock"]["acquisitions"]


async def worker(lock, counter):
    for _ in range(ACQUISITIONS):
        await lock.acquire()
        try:
            inside = counter[0]
            await asyncio.sleep(0)
            counter[0] = inside + 1
        finally:
            lock.release()


async def main():
    start = time.perf_counter()
    lock = asyncio.Lock()
    counter = [0]
    await asyncio.gather(*[asyncio.create_task(worker(lock, counter)) for _ in range(TASKS)])
    seconds = time.perf_counter() - start
    check(counter[0] == TASKS * ACQUISITIONS, "every acquisition excluded the others")
    return seconds


warm_up(lambda: run(main))
report("lock", TASKS * ACQUISITIONS, run(main))
