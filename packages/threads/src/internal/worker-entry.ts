/**
 * The program a bridged worker thread runs. A pool worker serves jobs from its parent port,
 * one at a time; a worker from `startWorker()` links to its loop and imports the user's module.
 * Errors a job throws are sent back, never left uncaught: an uncaught error here means the
 * worker died, and the pool replaces it.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import {
  parentPort,
  receiveMessageOnPort,
  type Transferable,
  workerData,
} from 'node:worker_threads';
import { importRef } from '../function-ref.js';
import { jobScope } from '../loop-handle.js';
import { unwrapResult } from '../transfer.js';
import {
  BRIDGE_KEY,
  type BridgeData,
  JOBS,
  type JobReply,
  type RunMessage,
  type ToWorkerMessage,
} from './protocol.js';
import { serializeThrown } from './serialize-error.js';
import { installBridge } from './worker-bridge.js';

type JobFn = (...args: unknown[]) => unknown;

const data = (workerData as Record<string, BridgeData>)[BRIDGE_KEY]!;
const bridge = installBridge(data);
const port = parentPort!;
const functions = new Map<number, JobFn>();
/** Ids of the functions compiled from source, whose ReferenceErrors may be closure mistakes. */
const fromSource = new Set<number>();

function sourceUrl(id: number): string {
  return `asyncio-ts-thread-fn-${id}.js`;
}

/**
 * A function from its source text. Method shorthand (`add(a, b) { ... }`) is no expression on
 * its own, so it is read as an object literal's only member.
 */
function compile(id: number, source: string): JobFn {
  const tail = `\n//# sourceURL=${sourceUrl(id)}`;
  try {
    return new Function(`return (${source}\n)${tail}`)() as JobFn;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const holder = new Function(`return ({ ${source}\n })${tail}`)() as Record<string, JobFn>;
    return Object.values(holder)[0]!;
  }
}

/**
 * A ReferenceError thrown by the function's own code, for a name it does not define, is
 * almost always a variable of the scope it was written in, which did not come along.
 */
function explainClosure(fnId: number, fn: JobFn | undefined, error: unknown): unknown {
  if (!(error instanceof ReferenceError) || !fromSource.has(fnId)) return error;
  const match = /^(\S+) is not defined$/.exec(error.message);
  const firstFrame = error.stack?.split('\n').find((line) => line.trimStart().startsWith('at '));
  if (match === null || firstFrame === undefined || !firstFrame.includes(sourceUrl(fnId))) {
    return error;
  }
  const name = match[1];
  const label = fn?.name ? fn.name : 'fn';
  const message =
    `toThread(fn): ${label} uses "${name}" from its enclosing scope; a function run in a ` +
    `worker thread must be self-contained: pass ${name} as an argument or use a { module, export } reference`;
  const explained = new ReferenceError(message);
  explained.stack = `ReferenceError: ${message}\n${error.stack!.split('\n').slice(1).join('\n')}`;
  return explained;
}

function reply(message: JobReply, transferList?: readonly Transferable[]): void {
  port.postMessage(message, transferList as Transferable[] | undefined);
}

function finish(run: RunMessage, fn: JobFn | undefined, ok: boolean, outcome: unknown): void {
  bridge.job = null;
  try {
    sendOutcome(run, fn, ok, outcome);
  } finally {
    if (!lingering) linger();
  }
}

function sendOutcome(run: RunMessage, fn: JobFn | undefined, ok: boolean, outcome: unknown): void {
  if (!ok) {
    reply({ t: 'err', id: run.id, error: serializeThrown(explainClosure(run.fn, fn, outcome)) });
    return;
  }
  const [value, transferList] = unwrapResult(outcome);
  try {
    reply({ t: 'ok', id: run.id, value }, transferList);
  } catch (error) {
    const reason = new TypeError(
      `toThread(fn): the result cannot be copied to the loop thread: ${(error as Error).message}`,
    );
    reply({ t: 'err', id: run.id, error: serializeThrown(reason) });
  }
}

function invoke(run: RunMessage, fn: JobFn): void {
  let outcome: unknown;
  try {
    outcome = fn.apply(jobScope, run.args);
  } catch (error) {
    finish(run, fn, false, error);
    return;
  }
  if (typeof (outcome as PromiseLike<unknown> | null)?.then === 'function') {
    (outcome as PromiseLike<unknown>).then(
      (value) => finish(run, fn, true, value),
      (error: unknown) => finish(run, fn, false, error),
    );
  } else {
    finish(run, fn, true, outcome);
  }
}

function runJob(run: RunMessage): void {
  // Busy from now on, also while a referenced module loads (see linger()).
  bridge.job = { id: run.id, controller: null };
  let fn = functions.get(run.fn);
  if (fn !== undefined) {
    invoke(run, fn);
    return;
  }
  if (run.source !== undefined) {
    try {
      fn = compile(run.fn, run.source);
    } catch (error) {
      finish(run, undefined, false, error);
      return;
    }
    functions.set(run.fn, fn);
    fromSource.add(run.fn);
    invoke(run, fn);
    return;
  }
  importRef(run.ref!).then(
    (imported) => {
      functions.set(run.fn, imported);
      invoke(run, imported);
    },
    (error: unknown) => finish(run, undefined, false, error),
  );
}

function receive(message: ToWorkerMessage): void {
  if (message.t === 'run') runJob(message);
  else if (bridge.job !== null && bridge.job.id === message.id) bridge.checkAborted(bridge.job);
}

/** How long an idle pool worker keeps waiting for its next job in Atomics.wait. */
const LINGER_MS = 5;
let lingering = false;

/**
 * Waking a thread's event loop for a message costs tens of microseconds; a worker that has just
 * finished a job waits a little for the next one in Atomics.wait instead, and reads it with
 * receiveMessageOnPort as soon as the loop thread bumps JOBS (about three times as many calls a
 * second, one after another). It gives its event loop a turn at least every LINGER_MS, and at
 * once when a job is in progress (a promise, a module that loads), so timers and promises of
 * jobs still run.
 */
function linger(): void {
  lingering = true;
  try {
    const deadline = performance.now() + LINGER_MS;
    for (;;) {
      if (bridge.job !== null) return;
      const seen = Atomics.load(data.control, JOBS);
      for (;;) {
        const received = receiveMessageOnPort(port);
        if (received === undefined) break;
        receive(received.message as ToWorkerMessage);
        if (bridge.job !== null) return;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0 || Atomics.wait(data.control, JOBS, seen, remaining) === 'timed-out') {
        return;
      }
    }
  } finally {
    lingering = false;
  }
}

if (data.kind === 'user') {
  // The user's module reads its own workerData, not the bridge's wrapper around it.
  const threads = createRequire(import.meta.url)('node:worker_threads') as { workerData: unknown };
  threads.workerData = data.userData;
  syncBuiltinESMExports();
  await import(data.module!);
} else {
  port.on('message', (message: ToWorkerMessage) => {
    receive(message);
    if (!lingering) linger();
  });
}
