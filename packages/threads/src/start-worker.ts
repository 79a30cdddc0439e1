/**
 * Starting a long-lived worker thread that can call back into the loop that started it.
 */
import { MessageChannel, Worker, type WorkerOptions } from 'node:worker_threads';
import { getEventLoop } from '@asyncio-ts/core-loop';
import { toWireRef } from './function-ref.js';
import { LoopBridge } from './internal/loop-bridge.js';
import { BRIDGE_KEY, type BridgeData, newControlWords } from './internal/protocol.js';
import { WORKER_ENTRY } from './worker-pool-executor.js';

/**
 * Starts a worker thread running the module `module` (an absolute path or URL), linked to the
 * running loop (else the current one): code in that worker can call
 * {@link runCoroutineThreadsafe} and `parentLoop().callSoonThreadsafe(...)`, which run on this
 * loop. `options` are Node's `WorkerOptions`; the module reads `options.workerData` as usual.
 * The returned `Worker` is Node's, to talk to, `unref()` or `terminate()` as any other.
 * @example
 * ```ts
 * const worker = startWorker(new URL('./indexer.js', import.meta.url), { workerData: { dir } });
 * // indexer.js: parentLoop().runCoroutineThreadsafe({ module: DB, export: 'save' }, doc).result();
 * ```
 * @throws RuntimeError when there is neither a running nor a current loop; TypeError when
 * `module` is not an absolute path or URL.
 */
export function startWorker(module: string | URL, options: WorkerOptions = {}): Worker {
  const loop = getEventLoop();
  const moduleUrl = toWireRef({ module, export: 'default' }, 'startWorker()').module;
  const control = newControlWords();
  const { port1, port2 } = new MessageChannel();
  const bridge: BridgeData = {
    kind: 'user',
    port: port2,
    control,
    module: moduleUrl,
    userData: options.workerData,
  };
  const worker = new Worker(WORKER_ENTRY, {
    ...options,
    workerData: { [BRIDGE_KEY]: bridge },
    transferList: [...(options.transferList ?? []), port2],
  });
  const loopBridge = new LoopBridge(port1, control, () => loop);
  worker.once('exit', () => loopBridge.close());
  return worker;
}
