/**
 * The loops a snapshot looks at. core-loop keeps no list of the loops a process made (and
 * should not: a list would keep them alive), so this module keeps one of its own, of weak
 * references: the loops handed to {@link trackLoop}, plus, at the moment of each snapshot, the
 * loop `run()` or a `Runner` made current (`getEventLoop()` between the loop's turns).
 */
import { type EventLoop, getEventLoop, RuntimeError } from '@asyncio-ts/core-loop';

const trackedLoops = new Set<WeakRef<EventLoop>>();
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
  for (const ref of trackedLoops) if (ref.deref() === loop) return loop;
  trackedLoops.add(new WeakRef(loop));
  loopIdOf(loop);
  return loop;
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
