import type { Example } from './example.js';
import * as asCompleted from './examples/as-completed.js';
import * as awaitingATask from './examples/awaiting-a-task.js';
import * as backgroundTasks from './examples/background-tasks.js';
import * as barrierPhases from './examples/barrier-phases.js';
import * as cancelCleanup from './examples/cancel-cleanup.js';
import * as cancelSuppressed from './examples/cancel-suppressed.js';
import * as eagerTaskFactory from './examples/eager-task-factory.js';
import * as futureFromCallback from './examples/future-from-callback.js';
import * as helloWorld from './examples/hello-world.js';
import * as introspection from './examples/introspection.js';
import * as nestedCoroutine from './examples/nested-coroutine.js';
import * as queuePipeline from './examples/queue-pipeline.js';
import * as runningConcurrently from './examples/running-concurrently.js';
import * as runningInThreads from './examples/running-in-threads.js';
import * as sayAfterSequential from './examples/say-after-sequential.js';
import * as sayAfterTasks from './examples/say-after-tasks.js';
import * as schedulingFromThreads from './examples/scheduling-from-threads.js';
import * as semaphoreDownloads from './examples/semaphore-downloads.js';
import * as shield from './examples/shield.js';
import * as sleeping from './examples/sleeping.js';
import * as streamIntoQueue from './examples/stream-into-queue.js';
import * as taskGroup from './examples/task-group.js';
import * as taskGroupFailure from './examples/task-group-failure.js';
import * as taskObject from './examples/task-object.js';
import * as terminateTaskGroup from './examples/terminate-task-group.js';
import * as timeout from './examples/timeout.js';
import * as timeoutReschedule from './examples/timeout-reschedule.js';
import * as wait from './examples/wait.js';
import * as waitFor from './examples/wait-for.js';

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
    name: 'background-tasks',
    description: 'background tasks kept in a set that each leaves by a done callback',
    main: backgroundTasks.main,
  },
  {
    name: 'cancel-cleanup',
    description: 'a task cancelled while asleep cleans up; awaiting it throws CancelledError',
    main: cancelCleanup.main,
  },
  {
    name: 'cancel-suppressed',
    description: 'a cancelled task cleans up, uncancel()s itself and returns a value',
    main: cancelSuppressed.main,
  },
  {
    name: 'task-group',
    description: 'two tasks in a TaskGroup, both done when the group exits: about 2 s',
    main: taskGroup.main,
  },
  {
    name: 'task-group-failure',
    description: 'one task of a group fails: the others are cancelled; splitGroup() is except*',
    main: taskGroupFailure.main,
  },
  {
    name: 'terminate-task-group',
    description: 'a task throws TerminateTaskGroup to end its group; except* takes it out',
    main: terminateTaskGroup.main,
  },
  {
    name: 'sleeping',
    description: 'the loop time printed every second for 5 s, sleeping in between',
    main: sleeping.main,
  },
  {
    name: 'running-concurrently',
    description: 'gather() runs factorials A, B and C at once; results in the order given',
    main: runningConcurrently.main,
  },
  {
    name: 'eager-task-factory',
    description: 'eagerTaskFactory: a task that needs no wait is done inside createTask',
    main: eagerTaskFactory.main,
  },
  {
    name: 'shield',
    description: 'a shielded task runs on when its awaiter is cancelled and gives its result',
    main: shield.main,
  },
  {
    name: 'timeout',
    description: 'a long operation under timeout(10 s) ends in a handled TimeoutError',
    main: timeout.main,
  },
  {
    name: 'timeout-reschedule',
    description: 'a deadline set once known, then one pushed later; expired() tells which fired',
    main: timeoutReschedule.main,
  },
  {
    name: 'wait-for',
    description: 'waitFor(eternity(), 1 s) cancels it and throws TimeoutError: "timeout!"',
    main: waitFor.main,
  },
  {
    name: 'wait',
    description: 'wait() on three tasks with each returnWhen, then with a timeout',
    main: wait.main,
  },
  {
    name: 'as-completed',
    description: 'results in the order the tasks finish, then a TimeoutError from a timeout',
    main: asCompleted.main,
  },
  {
    name: 'running-in-threads',
    description: 'a blocking call on a worker thread via toThread while a task keeps ticking',
    main: runningInThreads.main,
  },
  {
    name: 'scheduling-from-threads',
    description: 'a worker thread calls a coroutine on the main loop with runCoroutineThreadsafe',
    main: schedulingFromThreads.main,
  },
  {
    name: 'introspection',
    description: 'a task prints its call graph: where it runs and who awaits it, up to main',
    main: introspection.main,
  },
  {
    name: 'task-object',
    description: "a task's name, state, result, exception, done callback, coroutine, stack",
    main: taskObject.main,
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
