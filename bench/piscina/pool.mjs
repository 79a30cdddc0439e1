// The piscina pool every piscina workload uses: as many threads as asyncio-ts's default pool
// (os.availableParallelism()), all started with the pool; piscina's other options at their
// defaults.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

export function createPool() {
  const threads = availableParallelism();
  return new Piscina({
    filename: new URL('./workers.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  });
}
