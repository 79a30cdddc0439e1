/**
 * A Node stream poured into a bounded queue: the stream's 'data' events arrive outside the
 * loop, in plain callbacks, and each line goes into a `Queue` of at most two with
 * `putNowait()`. When the queue is full, `QueueFull` pauses the stream and the line is held;
 * a worker that takes a line makes room, puts the held line in and resumes the stream. Two
 * worker tasks drain the queue; at the stream's end `shutdown()` lets them finish what is
 * queued and stop.
 *
 * A file works the same way (`createReadStream` split into lines); `Readable.from` of an
 * array of lines keeps the example self-contained.
 */
import { Readable } from 'node:stream';
import {
  type Coro,
  createTask,
  gather,
  getRunningLoop,
  Queue,
  QueueFull,
  QueueShutDown,
  sleep,
} from 'asyncio-ts';
import type { Output } from '../output.js';

const LINES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];

/** Feeds `stream`'s lines into `queue` from its event callbacks, pausing it while full. */
function pour(out: Output, stream: Readable, queue: Queue<string>) {
  let held: string | null = null;
  stream.on('data', (line: string) => {
    try {
      queue.putNowait(line);
    } catch (error) {
      if (!(error instanceof QueueFull)) throw error;
      held = line;
      stream.pause();
      out.print(`queue full: stream paused at ${line}`);
    }
  });
  return {
    /** Called after a get() made room: puts the held line in and resumes the stream. */
    roomMade(): void {
      if (held === null) return;
      queue.putNowait(held);
      held = null;
      out.print('stream resumed');
      stream.resume();
    },
  };
}

function* worker(
  out: Output,
  name: string,
  queue: Queue<string>,
  feed: { roomMade(): void },
): Coro<number> {
  let count = 0;
  for (;;) {
    let line: string;
    try {
      line = yield* queue.get();
    } catch (error) {
      // The stream has ended and the queue is empty.
      if (error instanceof QueueShutDown) return count;
      throw error;
    }
    out.print(`${name} handles ${line}`);
    feed.roomMade();
    yield* sleep(100); // the work on one line
    count++;
  }
}

export function* main(out: Output): Coro<void> {
  const loop = getRunningLoop();
  const queue = new Queue<string>(2);
  const stream = Readable.from(LINES);

  // The stream's end arrives in a host callback too; setResult() wakes the loop.
  const ended = loop.createFuture<void>();
  stream.on('end', () => ended.setResult(undefined));
  stream.on('error', (error) => ended.setException(error));

  const feed = pour(out, stream, queue);
  const workers = ['worker-1', 'worker-2'].map((name) =>
    createTask(worker(out, name, queue, feed)),
  );

  yield* ended;
  out.print('stream ended');
  queue.shutdown(); // the workers finish what is queued, then get() raises QueueShutDown
  const counts = yield* gather(workers);
  out.print(`lines handled: ${counts.join(' + ')} = ${counts.reduce((a, b) => a + b, 0)}`);
}
