/**
 * A barrier between phases: three workers each do two phases of work, taking different times,
 * and none starts the next phase before all three have finished the current one. `wait()`
 * returns each worker's arrival index; the last to arrive (index 2) announces the phase.
 *
 * ```python
 * async def worker(name, barrier, times):
 *     for phase, ms in enumerate(times, start=1):
 *         await asyncio.sleep(ms / 1000)
 *         print(f'{name} finished phase {phase}')
 *         if await barrier.wait() == barrier.parties - 1:
 *             print(f'all {barrier.parties} finished phase {phase}')
 *
 * async def main():
 *     barrier = asyncio.Barrier(3)
 *     await asyncio.gather(
 *         worker('A', barrier, [100, 300]),
 *         worker('B', barrier, [200, 100]),
 *         worker('C', barrier, [300, 200]),
 *     )
 * ```
 */
import { Barrier, type Coro, gather, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

function* worker(out: Output, name: string, barrier: Barrier, times: number[]): Coro<void> {
  for (const [index, ms] of times.entries()) {
    const phase = index + 1;
    yield* sleep(ms); // this worker's part of the phase
    out.print(`${name} finished phase ${phase}`);
    if ((yield* barrier.wait()) === barrier.parties - 1) {
      out.print(`all ${barrier.parties} finished phase ${phase}`);
    }
  }
}

export function* main(out: Output): Coro<void> {
  const barrier = new Barrier(3);
  yield* gather([
    worker(out, 'A', barrier, [100, 300]),
    worker(out, 'B', barrier, [200, 100]),
    worker(out, 'C', barrier, [300, 200]),
  ]);
}
