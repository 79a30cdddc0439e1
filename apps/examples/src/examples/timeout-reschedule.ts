/**
 * Changing a timeout's deadline while it runs. A `Timeout` made without a deadline gets one
 * with `reschedule()` once it is known, and `expired()` tells afterwards whether it fired; a
 * block under `timeoutAt()` pushes its deadline later when it sees it needs more time, and
 * finishes in time.
 *
 * ```python
 * async def long_running_task():
 *     await asyncio.sleep(3600)
 *
 * async def main():
 *     try:
 *         # We do not know the timeout when starting, so we pass ``None``.
 *         async with asyncio.timeout(None) as cm:
 *             # We know the timeout now, so we reschedule it.
 *             new_deadline = asyncio.get_running_loop().time() + 10
 *             cm.reschedule(new_deadline)
 *
 *             await long_running_task()
 *     except TimeoutError:
 *         pass
 *
 *     if cm.expired():
 *         print("Looks like we haven't finished on time.")
 *
 *     loop = asyncio.get_running_loop()
 *     async with asyncio.timeout_at(loop.time() + 2) as cm:
 *         for step in (1, 2, 3):
 *             await asyncio.sleep(1)
 *             print(f'step {step} of 3 done')
 *             if step == 1:
 *                 cm.reschedule(loop.time() + 3)
 *                 print('two steps left: deadline pushed to 3 s from now')
 *         print(f'all steps done, expired() = {cm.expired()}')
 * ```
 */
import { type Coro, getRunningLoop, sleep, Timeout, TimeoutError, timeoutAt } from 'asyncio-ts';
import type { Output } from '../output.js';

function* longRunningTask(): Coro<void> {
  yield* sleep(3_600_000);
}

/** The documentation's example: a deadline set once known, which then passes. */
function* rescheduleOnceKnown(out: Output): Coro<void> {
  // We do not know the timeout when starting, so we pass null. `asyncio.timeout(None)` makes
  // this object; holding it here lets us ask it afterwards, as Python's `cm` outlives its block.
  const cm = new Timeout(null);
  try {
    yield* cm.run(function* () {
      out.print(`no deadline yet: when() is ${cm.when()}`);
      // We know the timeout now, so we reschedule it.
      const newDeadline = getRunningLoop().time() + 10_000;
      cm.reschedule(newDeadline);
      out.print('deadline set to 10 s from now');

      yield* longRunningTask();
    });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
  }

  if (cm.expired()) out.print("Looks like we haven't finished on time.");
}

/** A block that needs more time than first given pushes its deadline later. */
function* pushDeadlineLater(out: Output): Coro<void> {
  const loop = getRunningLoop();
  yield* timeoutAt(loop.time() + 2000, function* (cm) {
    for (const step of [1, 2, 3]) {
      yield* sleep(1000);
      out.print(`step ${step} of 3 done`);
      if (step === 1) {
        cm.reschedule(loop.time() + 3000);
        out.print('two steps left: deadline pushed to 3 s from now');
      }
    }
    out.print(`all steps done, expired() = ${cm.expired()}`);
  });
}

export function* main(out: Output): Coro<void> {
  yield* rescheduleOnceKnown(out);
  yield* pushDeadlineLater(out);
}
