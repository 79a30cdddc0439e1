/**
 * A worker thread's end of its loop port: it sends the loop thread the coroutines and
 * callbacks to run, and blocks for the answers. Answers are read with `receiveMessageOnPort`
 * (synchronously, even while this thread is blocked) after the loop thread bumps the shared
 * wake word; Atomics.wait sleeps on that word, so waiting costs no CPU.
 */
import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { CancelledError } from '@asyncio-ts/core-loop';
import { ConcurrentFuture, type OutcomeSource } from '../concurrent-future.js';
import { toWireRef } from '../function-ref.js';
import { unwrapArgs } from '../transfer.js';
import { ABORTED, type BridgeData, type CallReply, type LoopRequest, WAKE } from './protocol.js';
import { deserializeThrown } from './serialize-error.js';

/** The job a pool worker is running. */
export interface CurrentJob {
  readonly id: number;
  controller: AbortController | null;
}

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;

/** This worker's link to the loop thread. */
export class WorkerBridge implements OutcomeSource {
  readonly #port: MessagePort;
  readonly #control: Int32Array;
  readonly #pending: Map<number, ConcurrentFuture<unknown>>;
  #nextCall: number;
  /** The job running now (pool workers only). */
  job: CurrentJob | null;

  constructor(data: BridgeData) {
    this.#port = data.port;
    this.#control = data.control;
    this.#pending = new Map();
    this.#nextCall = 1;
    this.job = null;
    this.#port.on('message', (reply: CallReply) => this.#deliver(reply));
    this.#port.unref();
  }

  runCoroutine<T>(ref: unknown, args: unknown[], caller: string): ConcurrentFuture<T> {
    const wireRef = toWireRef(ref, caller);
    const call = this.#nextCall++;
    this.#post({ t: 'coro', call, job: this.job?.id ?? 0, ref: wireRef, args }, args, caller);
    const future = new ConcurrentFuture<T>(this, call);
    this.#pending.set(call, future as ConcurrentFuture<unknown>);
    return future;
  }

  callSoon(ref: unknown, args: unknown[], caller: string): void {
    const wireRef = toWireRef(ref, caller);
    this.#post({ t: 'soon', job: this.job?.id ?? 0, ref: wireRef, args }, args, caller);
  }

  poll(): void {
    for (;;) {
      const received = receiveMessageOnPort(this.#port);
      if (received === undefined) return;
      this.#deliver(received.message as CallReply);
    }
  }

  waitUntil(isDone: () => boolean, timeoutMs: number | undefined): void {
    const deadline = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
    for (;;) {
      // Read the word before polling: an answer posted after the poll changes it, so the
      // wait below returns at once instead of missing it.
      const seen = Atomics.load(this.#control, WAKE);
      this.poll();
      if (isDone()) return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return;
      Atomics.wait(this.#control, WAKE, seen, remaining === Infinity ? undefined : remaining);
    }
  }

  cancel(call: number): void {
    this.#pending.delete(call);
    this.#port.postMessage({ t: 'cancel', call } satisfies LoopRequest);
  }

  /**
   * The AbortSignal of `job`. Its `aborted` and `throwIfAborted()` also read the shared word the
   * loop thread writes on cancel, so a job that never yields to this thread's event loop (a
   * CPU-bound loop) still sees the cancellation.
   */
  signalOf(job: CurrentJob): AbortSignal {
    if (job.controller === null) {
      const controller = new AbortController();
      const signal = controller.signal;
      const poll = (): void => {
        if (!abortedGetter.call(signal) && Atomics.load(this.#control, ABORTED) === job.id) {
          controller.abort(new CancelledError('the job was cancelled'));
        }
      };
      Object.defineProperty(signal, 'aborted', {
        configurable: true,
        get: () => {
          poll();
          return abortedGetter.call(signal) as boolean;
        },
      });
      signal.throwIfAborted = () => {
        poll();
        AbortSignal.prototype.throwIfAborted.call(signal);
      };
      job.controller = controller;
    }
    return job.controller.signal;
  }

  /** Aborts `job`'s signal, if it has one, when the loop thread cancelled it. */
  checkAborted(job: CurrentJob): void {
    if (job.controller !== null) void job.controller.signal.aborted;
  }

  #post(request: LoopRequest, args: unknown[], caller: string): void {
    const transferList = unwrapArgs(args);
    try {
      if (transferList === null) this.#port.postMessage(request);
      else this.#port.postMessage(request, transferList);
    } catch (error) {
      throw new TypeError(
        `${caller}: an argument cannot be copied to the loop thread: ${(error as Error).message}`,
      );
    }
  }

  #deliver(reply: CallReply): void {
    const future = this.#pending.get(reply.call);
    if (future === undefined) return;
    this.#pending.delete(reply.call);
    if (reply.ok) future._settle(true, reply.value, false);
    else if ('cancelled' in reply) future._settle(false, new CancelledError(reply.cancelled), true);
    else future._settle(false, deserializeThrown(reply.error), false);
  }
}

let bridge: WorkerBridge | null = null;

/** @internal Links this worker to its loop thread (the worker entry does it once). */
export function installBridge(data: BridgeData): WorkerBridge {
  bridge = new WorkerBridge(data);
  return bridge;
}

/** @internal This worker's bridge, or null on a thread that has none (the loop thread). */
export function currentBridge(): WorkerBridge | null {
  return bridge;
}
