export { ConcurrentFuture } from './concurrent-future.js';
export { BrokenWorkerError } from './errors.js';
export { type FunctionRef, isFunctionRef } from './function-ref.js';
export {
  currentJobSignal,
  type JobScope,
  type LoopHandle,
  parentLoop,
  runCoroutineThreadsafe,
} from './loop-handle.js';
export { startWorker } from './start-worker.js';
export { toThread } from './to-thread.js';
export { transfer } from './transfer.js';
export {
  type JobPromise,
  WorkerPoolExecutor,
  type WorkerPoolOptions,
} from './worker-pool-executor.js';

import './default-executor.js';
