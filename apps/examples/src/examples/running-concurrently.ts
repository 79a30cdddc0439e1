/**
 * Running tasks concurrently: `gather()` runs three factorials at once and gives their results
 * in the order the awaitables were passed, whatever order they finish in.
 *
 * ```python
 * import asyncio
 *
 * async def factorial(name, number):
 *     f = 1
 *     for i in range(2, number + 1):
 *         print(f"Task {name}: Compute factorial({number}), currently i={i}...")
 *         await asyncio.sleep(1)
 *         f *= i
 *     print(f"Task {name}: factorial({number}) = {f}")
 *     return f
 *
 * async def main():
 *     # Schedule three calls *concurrently*:
 *     L = await asyncio.gather(
 *         factorial("A", 2),
 *         factorial("B", 3),
 *         factorial("C", 4),
 *     )
 *     print(L)
 *
 * asyncio.run(main())
 * ```
 *
 * The docs' one-second step only stands for some work; here a step takes 500 ms, so the whole
 * run takes 1.5 s instead of 3 s.
 */
import { type Coro, gather, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

const stepMs = 500;

function* factorial(out: Output, name: string, number: number): Coro<number> {
  let f = 1;
  for (let i = 2; i <= number; i++) {
    out.print(`Task ${name}: Compute factorial(${number}), currently i=${i}...`);
    yield* sleep(stepMs);
    f *= i;
  }
  out.print(`Task ${name}: factorial(${number}) = ${f}`);
  return f;
}

export function* main(out: Output): Coro<void> {
  // Schedule three calls *concurrently*:
  const results = yield* gather([
    factorial(out, 'A', 2),
    factorial(out, 'B', 3),
    factorial(out, 'C', 4),
  ]);
  out.print(`[${results.join(', ')}]`);
}
