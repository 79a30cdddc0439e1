/**
 * The switch that makes tasks record where they suspend. A suspended generator keeps no frames
 * that could be read later, so the only way to know where a task waits is to capture the stack
 * at the moment it suspends, while its whole `yield*` chain is on the engine's stack. That costs
 * a stack capture per suspension, so it happens only in debug mode or when introspection is
 * switched on by itself (without the rest of debug mode: no slow-callback timing, no creation
 * stacks for every future).
 */
import type { EventLoop } from './event-loop.js';
import { tryGetRunningLoop } from './running-loop.js';

let introspection = typeof process !== 'undefined' && process.env.ASYNCIO_TS_INTROSPECT === '1';
/** Whether any loop was ever put in debug mode: spares the common case a loop lookup. */
let debugSeen = typeof process !== 'undefined' && process.env.ASYNCIO_TS_DEBUG === '1';

/**
 * Makes every task record the stack where it suspends (on every loop), as debug mode does, without
 * the rest of debug mode. Also on when the environment variable `ASYNCIO_TS_INTROSPECT=1` is set.
 * What it buys: call graphs and `Task.getStack()` that name each coroutine frame, file and line.
 * @example
 * ```ts
 * import { setIntrospection } from '@asyncio-ts/core-loop';
 * setIntrospection(true); // before the tasks to inspect suspend
 * ```
 */
export function setIntrospection(enabled: boolean): void {
  introspection = Boolean(enabled);
}

/** Whether {@link setIntrospection} (or `ASYNCIO_TS_INTROSPECT=1`) switched recording on. */
export function isIntrospectionEnabled(): boolean {
  return introspection;
}

/** @internal Called when a loop enters debug mode. */
export function noteDebugLoop(): void {
  debugSeen = true;
}

/** Whether a task on `loop` records its suspensions: introspection is on, or the loop debugs. */
export function recordsSuspensions(loop: EventLoop): boolean {
  return introspection || (debugSeen && loop.getDebug());
}

/** {@link recordsSuspensions} for the running loop, without looking it up in the common case. */
export function runningLoopRecordsSuspensions(): boolean {
  if (introspection) return true;
  if (!debugSeen) return false;
  return tryGetRunningLoop()?.getDebug() === true;
}

/** Whether the running loop, if any, is in debug mode, without a loop lookup in the common case. */
export function runningLoopInDebug(): boolean {
  return debugSeen && tryGetRunningLoop()?.getDebug() === true;
}
