import type { Example } from './example.js';
import * as awaitingATask from './examples/awaiting-a-task.js';
import * as futureFromCallback from './examples/future-from-callback.js';
import * as helloWorld from './examples/hello-world.js';
import * as nestedCoroutine from './examples/nested-coroutine.js';
import * as sayAfterSequential from './examples/say-after-sequential.js';
import * as sayAfterTasks from './examples/say-after-tasks.js';

/** Every example, in the order of the "Coroutines and Tasks" page. */
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
];

/** The example called `name`, or `undefined`. */
export function findExample(name: string): Example | undefined {
  return examples.find((example) => example.name === name);
}
