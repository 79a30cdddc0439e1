/**
 * A semaphore limiting concurrency: five downloads are started at once, but a `Semaphore(2)`
 * lets only two run at a time; each waits for a free slot, and `sleep` stands in for the
 * download itself.
 *
 * ```python
 * async def download(sem, name, ms):
 *     async with sem:
 *         print(f'{name} starts')
 *         await asyncio.sleep(ms / 1000)
 *         print(f'{name} done ({ms} ms)')
 *
 * async def main():
 *     sem = asyncio.Semaphore(2)
 *     files = [('a.zip', 300), ('b.zip', 100), ('c.zip', 200), ('d.zip', 100), ('e.zip', 300)]
 *     await asyncio.gather(*(download(sem, name, ms) for name, ms in files))
 *     print('all downloads done')
 * ```
 */
import { type Coro, gather, Semaphore, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

function* download(out: Output, slots: Semaphore, name: string, ms: number): Coro<void> {
  // `async with sem:` — the slot is released however the body ends.
  yield* slots.with(function* () {
    out.print(`${name} starts`);
    yield* sleep(ms); // the download
    out.print(`${name} done (${ms} ms)`);
  });
}

export function* main(out: Output): Coro<void> {
  const slots = new Semaphore(2);
  const files: [string, number][] = [
    ['a.zip', 300],
    ['b.zip', 100],
    ['c.zip', 200],
    ['d.zip', 100],
    ['e.zip', 300],
  ];
  yield* gather(files.map(([name, ms]) => download(out, slots, name, ms)));
  out.print('all downloads done');
}
