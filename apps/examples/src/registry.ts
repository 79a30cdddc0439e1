import type { Example } from './example.js';
import * as awaitingATask from './examples/awaiting-a-task.js';
import * as barrierPhases from './examples/barrier-phases.js';
import * as futureFromCallback from './examples/future-from-callback.js';
import * as helloWorld from './examples/hello-world.js';
import * as nestedCoroutine from './examples/nested-coroutine.js';
import * as queuePipeline from './examples/queue-pipeline.js';
import * as sayAfterSequential from './examples/say-after-sequential.js';
import * as sayAfterTasks from './examples/say-after-tasks.js';
import * as semaphoreDownloads from './examples/semaphore-downloads.js';
import * as streamIntoQueue from './examples/stream-into-queue.js';

/**
 * Every example: those of the "Coroutines and Tasks" page in its order, then those of the
 * "Synchronization Primitives" and "Queues" pages.
 */
export const examples: readonly Example[] = [
  {
    name: 'hello-world',
    description: 'print "hello", sleep 1 s, print "world", all run by run()',
    main: helloWorld.main,
  },
  {
    name: 'say-after-sequential',
    description: 'await sayAfter(1 s) then sayAfter(2 s) in turn: about 3 s',
    main: sayAfterSequential.main,
  },
  {
    name: 'say-after-tasks',
    description: 'the same two waits as createTask tasks, concurrently: about 2 s',
    main: sayAfterTasks.main,
  },
  {
    name: 'nested-coroutine',
    description: 'calling a coroutine function runs nothing; yield* runs it and gives 42',
    main: nestedCoroutine.main,
  },
  {
    name: 'awaiting-a-task',
    description: 'a task made from nested() runs soon and is awaited for its 42',
    main: awaitingATask.main,
  },
  {
    name: 'future-from-callback',
    description: 'a Future from loop.createFuture(), resolved by loop.callLater, awaited',
    main: futureFromCallback.main,
  },
  {
    name: 'queue-pipeline',
    description: 'a producer and two workers through a Queue of 2, with taskDone() and join()',
    main: queuePipeline.main,
  },
  {
    name: 'semaphore-downloads',
    description: 'five fake downloads, at most two at a time under a Semaphore(2)',
    main: semaphoreDownloads.main,
  },
  {
    name: 'barrier-phases',
    description: 'three workers meet at a Barrier(3) after each of two phases',
    main: barrierPhases.main,
  },
  {
    name: 'stream-into-queue',
    description: "a stream's lines put into a Queue of 2 from its events, paused while full",
    main: streamIntoQueue.main,
  },
];

/** The example called `name`, or `undefined`. */
export function findExample(name: string): Example | undefined {
  return examples.find((example) => example.name === name);
}
