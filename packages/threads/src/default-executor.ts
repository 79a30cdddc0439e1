/**
 * Importing this package makes a {@link WorkerPoolExecutor} what every loop creates as its
 * default executor, so `toThread` and `loop.runInExecutor(null, ...)` run on worker threads.
 * (A module with a side effect on purpose: package.json lists it under `sideEffects`.)
 */
import { setDefaultExecutorFactory } from '@asyncio-ts/core-loop';
import { createDefaultPool } from './worker-pool-executor.js';

setDefaultExecutorFactory(createDefaultPool);
