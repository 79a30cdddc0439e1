/**
 * `--tree`: the crawl's tasks as a tree, printed while they run.
 */
import { formatAwaitTree, takeSnapshot } from '@asyncio-ts/introspection';
import { type Coro, getRunningLoop, sleep } from 'asyncio-ts';

/**
 * After `afterMs`, writes the await tree of the running loop: the main task, under it the frames
 * where it waits, and under those the tasks it awaits (the workers of its task group), each down
 * to where it is suspended. Frames are only known for suspensions recorded while introspection
 * is on (`setIntrospection(true)` before the tasks start).
 */
export function* printTreeAfter(afterMs: number, write: (text: string) => void): Coro<void> {
  yield* sleep(afterMs);
  write(`task tree after ${afterMs} ms:\n${formatAwaitTree(takeSnapshot([getRunningLoop()]))}\n`);
}
