/**
 * Which loop is running now, and which is current (Python's `events.get_running_loop` and the
 * default policy's `get_event_loop` / `set_event_loop`). A loop is running only while its own
 * callbacks run: between its turns, host callbacks (promise reactions, I/O) see no running loop.
 */
import { RuntimeError } from './errors.js';
import type { EventLoop } from './event-loop.js';

let running: EventLoop | null = null;
let current: EventLoop | null = null;

/**
 * The loop whose callback is running now.
 * @throws RuntimeError "no running event loop" outside the loop's own callbacks.
 */
export function getRunningLoop(): EventLoop {
  if (running === null) throw new RuntimeError('no running event loop');
  return running;
}

/** The running loop, or null outside the loop's callbacks (Python's `_get_running_loop`). */
export function tryGetRunningLoop(): EventLoop | null {
  return running;
}

/** @internal Set by the loop around its own turns. */
export function setRunningLoop(loop: EventLoop | null): void {
  running = loop;
}

/**
 * The running loop, else the current one set by {@link setEventLoop}.
 * @throws RuntimeError "There is no current event loop" when there is neither.
 */
export function getEventLoop(): EventLoop {
  if (running !== null) return running;
  if (current === null) throw new RuntimeError('There is no current event loop');
  return current;
}

/** Makes `loop` the current loop (null to clear it). */
export function setEventLoop(loop: EventLoop | null): void {
  current = loop;
}
