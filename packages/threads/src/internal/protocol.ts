/**
 * The messages between the loop thread and a worker. Every reply names the job or call it
 * answers, so a reply that comes late (after its caller gave up waiting) can only ever settle
 * its own job or call, never a later one.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SerializedThrown } from './serialize-error.js';

/** A function reference as it crosses threads: the module as an absolute URL string. */
export interface WireRef {
  readonly module: string;
  readonly export: string;
}

/** Loop thread -> pool worker: run a job; `source` or `ref` comes with the first use of `fn`. */
export interface RunMessage {
  readonly t: 'run';
  readonly id: number;
  readonly fn: number;
  readonly source?: string;
  readonly ref?: WireRef;
  readonly args: unknown[];
}

/** Loop thread -> pool worker: the job `id` was cancelled while running. */
export interface AbortMessage {
  readonly t: 'abort';
  readonly id: number;
}

export type ToWorkerMessage = RunMessage | AbortMessage;

/** Pool worker -> loop thread: how job `id` ended. */
export type JobReply =
  | { readonly t: 'ok'; readonly id: number; readonly value: unknown }
  | { readonly t: 'err'; readonly id: number; readonly error: SerializedThrown };

/** Worker -> loop thread, on the loop port. `job` is the worker's current job (0: none). */
export type LoopRequest =
  | {
      readonly t: 'coro';
      readonly call: number;
      readonly job: number;
      readonly ref: WireRef;
      readonly args: unknown[];
    }
  | { readonly t: 'soon'; readonly job: number; readonly ref: WireRef; readonly args: unknown[] }
  | { readonly t: 'cancel'; readonly call: number };

/** Loop thread -> worker, on the loop port: how the task of call `call` ended. */
export type CallReply =
  | { readonly call: number; readonly ok: true; readonly value: unknown }
  | { readonly call: number; readonly ok: false; readonly error: SerializedThrown }
  | { readonly call: number; readonly ok: false; readonly cancelled: string };

/**
 * What a bridged worker gets in its `workerData`: the worker's end of the loop port and the
 * shared control words (index {@link WAKE}: bumped after each reply on the loop port, so a
 * blocked worker wakes; {@link ABORTED}: the id of the job that was cancelled last;
 * {@link JOBS}: bumped after each message to a pool worker, which may be waiting for it).
 */
export interface BridgeData {
  readonly kind: 'pool' | 'user';
  readonly port: MessagePort;
  readonly control: Int32Array;
  readonly module?: string;
  readonly userData?: unknown;
}

/** The key under which {@link BridgeData} travels in `workerData`. */
export const BRIDGE_KEY = '__asyncioTsBridge';
/** Index of the wake counter in the control words. */
export const WAKE = 0;
/** Index of the last cancelled job id in the control words. */
export const ABORTED = 1;

/** Index of the count of messages sent to a pool worker in the control words. */
export const JOBS = 2;

/** New control words, shared between the loop thread and one worker. */
export function newControlWords(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(12));
}
