/**
 * The loop thread's end of a worker's loop port: it runs the coroutines and callbacks a worker
 * asks for on the right loop, and answers each call on the port, then bumps the shared wake
 * word so a worker blocked in `ConcurrentFuture.result()` wakes and reads the answer.
 */
import type { MessagePort } from 'node:worker_threads';
import {
  describeKind,
  type EventLoop,
  type Future,
  isCoroutine,
  RuntimeError,
} from '@asyncio-ts/core-loop';
import { importedRef, importRef } from '../function-ref.js';
import type { CallReply, LoopRequest, WireRef } from './protocol.js';
import { WAKE } from './protocol.js';
import { serializeThrown } from './serialize-error.js';

/** A call whose task is not created yet (its module may still be loading). */
const PENDING = 1;
/** A call the worker cancelled before its task was created. */
const CANCELLED = 0;

/** Answers the requests that arrive on one worker's loop port. */
export class LoopBridge {
  readonly #port: MessagePort;
  readonly #control: Int32Array;
  readonly #loopFor: (job: number) => EventLoop | null;
  /** Calls in flight: their task once created, else PENDING or CANCELLED. */
  readonly #calls: Map<number, Future<unknown> | typeof PENDING | typeof CANCELLED>;
  /** Requests wait here while an earlier one's module loads, so they run in the order sent. */
  #tail: Promise<void> | null;

  constructor(port: MessagePort, control: Int32Array, loopFor: (job: number) => EventLoop | null) {
    this.#port = port;
    this.#control = control;
    this.#loopFor = loopFor;
    this.#calls = new Map();
    this.#tail = null;
    port.on('message', (request: LoopRequest) => this.#receive(request));
    port.unref();
  }

  /** Stops listening; the worker is gone. */
  close(): void {
    this.#port.close();
  }

  #receive(request: LoopRequest): void {
    if (request.t === 'cancel') {
      this.#cancel(request.call);
      return;
    }
    const loop = this.#loopFor(request.job);
    if (loop === null || loop.isClosed()) {
      const error = new RuntimeError(
        loop === null
          ? 'no event loop to run on: the job was submitted outside a running loop'
          : 'the event loop this worker belongs to is closed',
      );
      if (request.t === 'coro')
        this.#reply({ call: request.call, ok: false, error: serializeThrown(error) });
      return;
    }
    if (request.t === 'coro') this.#calls.set(request.call, PENDING);
    const fn = this.#tail === null ? importedRef(request.ref) : undefined;
    if (fn !== undefined) {
      this.#dispatch(loop, request, fn);
      return;
    }
    const previous = this.#tail ?? Promise.resolve();
    const next = previous
      .then(() => importRef(request.ref))
      .then(
        (imported) => this.#dispatch(loop, request, imported),
        (error: unknown) => this.#failToLoad(loop, request, error),
      );
    this.#tail = next;
    next.then(() => {
      if (this.#tail === next) this.#tail = null;
    });
  }

  #dispatch(
    loop: EventLoop,
    request: Exclude<LoopRequest, { t: 'cancel' }>,
    fn: (...args: unknown[]) => unknown,
  ): void {
    if (loop.isClosed()) return;
    if (request.t === 'soon') loop.callSoonThreadsafe(fn, ...request.args);
    else
      loop.callSoonThreadsafe(() =>
        this.#startTask(loop, request.call, request.ref, fn, request.args),
      );
  }

  #failToLoad(
    loop: EventLoop,
    request: Exclude<LoopRequest, { t: 'cancel' }>,
    error: unknown,
  ): void {
    if (request.t === 'coro') {
      this.#calls.delete(request.call);
      this.#reply({ call: request.call, ok: false, error: serializeThrown(error) });
    } else if (!loop.isClosed()) {
      loop.callExceptionHandler({
        message: `callSoonThreadsafe() from a worker thread could not load ${request.ref.module}`,
        exception: error,
      });
    }
  }

  /**
   * Python's `run_coroutine_threadsafe` callback: when creating the task fails (a coroutine
   * function that returns something else, a task factory that throws), the worker's future
   * gets the error and the loop's exception handler sees it too.
   */
  #startTask(
    loop: EventLoop,
    call: number,
    ref: WireRef,
    fn: (...args: unknown[]) => unknown,
    args: unknown[],
  ): void {
    if (this.#calls.get(call) === CANCELLED) {
      this.#calls.delete(call);
      return;
    }
    let task: Future<unknown>;
    try {
      const coro = fn(...args);
      if (!isCoroutine(coro)) {
        throw new TypeError(
          `A coroutine object is required: ${ref.module}#${ref.export} returned ${describeKind(coro)}`,
        );
      }
      task = loop.createTask(coro);
    } catch (error) {
      this.#calls.delete(call);
      this.#reply({ call, ok: false, error: serializeThrown(error) });
      throw error;
    }
    this.#calls.set(call, task);
    task.addDoneCallback((done) => {
      this.#calls.delete(call);
      this.#reply(outcomeOf(call, done));
    });
  }

  #cancel(call: number): void {
    const task = this.#calls.get(call);
    if (task === PENDING) {
      this.#calls.set(call, CANCELLED);
    } else if (task !== undefined && task !== CANCELLED) {
      const loop = task.getLoop();
      if (!loop.isClosed()) loop.callSoonThreadsafe(() => task.cancel());
    }
  }

  #reply(reply: CallReply): void {
    try {
      this.#port.postMessage(reply);
    } catch (error) {
      const reason = new TypeError(
        `the coroutine's result cannot be copied to the worker thread: ${(error as Error).message}`,
      );
      this.#port.postMessage({ call: reply.call, ok: false, error: serializeThrown(reason) });
    }
    Atomics.add(this.#control, WAKE, 1);
    Atomics.notify(this.#control, WAKE);
  }
}

function outcomeOf(call: number, task: Future<unknown>): CallReply {
  try {
    return { call, ok: true, value: task.result() };
  } catch (error) {
    if (task.cancelled()) return { call, ok: false, cancelled: (error as Error).message };
    return { call, ok: false, error: serializeThrown(error) };
  }
}
