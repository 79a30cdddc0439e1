"""timers: 100,000 tasks each sleeping a seeded pseudo-random 0-50 ms."""

import asyncio
import time

from common import SIZES, check, report, run, timer_delays, warm_up

N = SIZES["timers"]["tasks"]
MAX_MS = SIZES["timers"]["max_ms"]
DELAYS = timer_delays(N, MAX_MS)


async def child(delay_ms):
    await asyncio.sleep(delay_ms / 1000)
    return delay_ms


async def main():
    start = time.perf_counter()
    tasks = [asyncio.create_task(child(d)) for d in DELAYS]
    results = await asyncio.gather(*tasks)
    seconds = time.perf_counter() - start
    check(sum(results) == sum(DELAYS), "every timer fired")
    return seconds


warm_up(lambda: run(main))
report("timers", N, run(main), maxDelayMs=max(DELAYS))
