/**
 * The loops a snapshot looks at. core-loop keeps no list of the loops a process made (and
 * should not: a list would keep them alive), so this module keeps one of its own, of weak
 * references: the loops handed to {@link trackLoop}, the loops of tasks created while a live
 * view watches (the `asyncio-ts:task:created` diagnostics channel), plus, at the moment of each
 * snapshot, the loop `run()` or a `Runner` made current (`getEventLoop()` between its turns).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { type EventLoop, getEventLoop, RuntimeError } from '@asyncio-ts/core-loop';
import { TASK_CREATED_CHANNEL, type TaskLifecycleMessage } from '@asyncio-ts/tasks';

const trackedLoops = new Set<WeakRef<EventLoop>>();
const trackedSet = new WeakSet<EventLoop>();
const loopIds = new WeakMap<EventLoop, number>();
let nextLoopId = 1;

/**
 * Adds `loop` to the loops that live views and task dumps show. Not needed for the loop of
 * `run()` or of a `Runner` without a `loopFactory` (that loop is the current one, which every
 * snapshot includes); call it for loops made by a `loopFactory`, or any loop run directly.
 * The registry holds the loop weakly: tracking never keeps a loop alive.
 * @example
 * ```ts
 * import { trackLoop } from '@asyncio-ts/introspection';
 * import { run } from '@asyncio-ts/tasks';
 * import { VirtualTimeLoop } from '@asyncio-ts/core-loop';
 * const loop = trackLoop(new VirtualTimeLoop());
 * await run(main, { loopFactory: () => loop });
 * ```
 * @returns `loop`, so the call can wrap a `loopFactory`.
 */
export function trackLoop<L extends EventLoop>(loop: L): L {
  if (trackedSet.has(loop)) return loop;
  trackedSet.add(loop);
  trackedLoops.add(new WeakRef(loop));
  loopIdOf(loop);
  return loop;
}

function trackLoopOfTask(message: unknown): void {
  trackLoop((message as TaskLifecycleMessage).task.getLoop());
}

let watchers = 0;

/**
 * Tracks the loop of every task created from now on, until the returned function is called.
 * A task publishes its creation only while someone subscribes, so an unwatched process pays
 * nothing; a watched one pays a set lookup per task.
 */
export function watchNewTasks(): () => void {
  if (watchers++ === 0) diagnosticsChannel.subscribe(TASK_CREATED_CHANNEL, trackLoopOfTask);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    if (--watchers === 0) diagnosticsChannel.unsubscribe(TASK_CREATED_CHANNEL, trackLoopOfTask);
  };
}

/**
 * The loops a snapshot shows now, oldest first: the tracked ones and the current one, each once,
 * closed and collected loops left out.
 */
export function liveLoops(): EventLoop[] {
  const loops: EventLoop[] = [];
  for (const ref of trackedLoops) {
    const loop = ref.deref();
    if (loop === undefined) trackedLoops.delete(ref);
    else if (!loop.isClosed()) loops.push(loop);
  }
  const current = currentLoopOrNull();
  if (current !== null && !current.isClosed() && !loops.includes(current)) loops.push(current);
  return loops.sort((a, b) => loopIdOf(a) - loopIdOf(b));
}

/** A small number naming `loop` in snapshots, given in the order loops are first seen. */
export function loopIdOf(loop: EventLoop): number {
  let id = loopIds.get(loop);
  if (id === undefined) {
    id = nextLoopId++;
    loopIds.set(loop, id);
  }
  return id;
}

function currentLoopOrNull(): EventLoop | null {
  try {
    return getEventLoop();
  } catch (error) {
    if (error instanceof RuntimeError) return null;
    throw error;
  }
}
