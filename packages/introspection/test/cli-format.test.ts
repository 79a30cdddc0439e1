/**
 * What `asyncio-ts ps` and `pstree` print for a snapshot: the cases of CPython's test_tools.py
 * (a timer awaited from two task groups, two roots, cycles), on hand-made snapshots.
 */
import { describe, expect, test } from 'vitest';
import {
  AwaitCycleError,
  buildAwaitTree,
  buildTaskTable,
  type FrameInfo,
  formatAwaitTree,
  formatTaskTable,
  type ProcessSnapshot,
  type TaskInfo,
} from '../src/index.js';

/** A frame: a bare name, or `[name, file, line]`. */
type FrameSpec = string | [string, string, number];
/** A task: `[id, name, [[awaiter's frames, innermost first], awaiter id][]]`, optional stack. */
type TaskSpec = [number, string, [FrameSpec[], number][], FrameSpec[]?];

function frame(spec: FrameSpec): FrameInfo {
  return typeof spec === 'string'
    ? { functionName: spec, fileName: '', line: 0, column: 0 }
    : { functionName: spec[0], fileName: spec[1], line: spec[2], column: 1 };
}

/** A snapshot of one loop per entry of `loops`. */
function snapshotOf(...loops: TaskSpec[][]): ProcessSnapshot {
  const names = new Map(loops.flat().map(([id, name]) => [id, name]));
  return {
    pid: 1,
    argv: [],
    loops: loops.map((tasks, index) => ({
      id: index + 1,
      running: true,
      time: 0,
      tasks: tasks.map(
        ([id, name, awaitedBy, stack]): TaskInfo => ({
          id,
          name,
          state: 'pending',
          coroutineStack: (stack ?? []).map(frame),
          awaitedBy: awaitedBy.map(([frames, taskId]) => ({
            taskId,
            taskName: names.get(taskId) ?? 'Unknown',
            callStack: frames.map(frame),
          })),
        }),
      ),
    })),
  };
}

const EXIT = ['_aexit', '__aexit__'];
const app = (name: string, line: number): FrameSpec => [name, '/path/to/app.py', line];
const AWAITER: FrameSpec[] = [app('awaiter3', 130), app('awaiter2', 120), app('awaiter', 110)];
const AWAITER_B: FrameSpec[] = [app('awaiterB3', 190), app('awaiterB2', 180), app('awaiterB', 170)];

/** A timer awaited from two task groups (root1, root2), each with two children. */
const TWO_GROUPS = snapshotOf([
  [2, 'Task-1', []],
  [
    3,
    'timer',
    [
      [AWAITER, 4],
      [AWAITER_B, 5],
      [AWAITER_B, 6],
      [AWAITER, 7],
    ],
  ],
  [8, 'root1', [[[...EXIT, 'main'], 2]]],
  [9, 'root2', [[[...EXIT, 'main'], 2]]],
  [4, 'child1_1', [[[...EXIT, 'blocho_caller', 'bloch'], 8]]],
  [6, 'child2_1', [[[...EXIT, 'blocho_caller', 'bloch'], 8]]],
  [7, 'child1_2', [[[...EXIT, 'blocho_caller', 'bloch'], 9]]],
  [5, 'child2_2', [[[...EXIT, 'blocho_caller', 'bloch'], 9]]],
]);

describe('pstree', () => {
  test('hangs each awaiting task under the frames it awaits in, outermost first, merging shared frames', () => {
    expect(buildAwaitTree(TWO_GROUPS)).toEqual([
      [
        '└── (T) Task-1',
        '    └──  main',
        '        └──  __aexit__',
        '            └──  _aexit',
        '                ├── (T) root1',
        '                │   └──  bloch',
        '                │       └──  blocho_caller',
        '                │           └──  __aexit__',
        '                │               └──  _aexit',
        '                │                   ├── (T) child1_1',
        '                │                   │   └──  awaiter /path/to/app.py:110',
        '                │                   │       └──  awaiter2 /path/to/app.py:120',
        '                │                   │           └──  awaiter3 /path/to/app.py:130',
        '                │                   │               └── (T) timer',
        '                │                   └── (T) child2_1',
        '                │                       └──  awaiterB /path/to/app.py:170',
        '                │                           └──  awaiterB2 /path/to/app.py:180',
        '                │                               └──  awaiterB3 /path/to/app.py:190',
        '                │                                   └── (T) timer',
        '                └── (T) root2',
        '                    └──  bloch',
        '                        └──  blocho_caller',
        '                            └──  __aexit__',
        '                                └──  _aexit',
        '                                    ├── (T) child1_2',
        '                                    │   └──  awaiter /path/to/app.py:110',
        '                                    │       └──  awaiter2 /path/to/app.py:120',
        '                                    │           └──  awaiter3 /path/to/app.py:130',
        '                                    │               └── (T) timer',
        '                                    └── (T) child2_2',
        '                                        └──  awaiterB /path/to/app.py:170',
        '                                            └──  awaiterB2 /path/to/app.py:180',
        '                                                └──  awaiterB3 /path/to/app.py:190',
        '                                                    └── (T) timer',
      ],
    ]);
  });

  test('prints one tree per task nobody awaits, across loops, a lone task as one line', () => {
    const snapshot = snapshotOf(
      [[5, 'Task-5', []]],
      [
        [1, 'Task-1', []],
        [2, 'Task-2', [[['main'], 1]]],
        [3, 'Task-3', [[['main'], 1]]],
      ],
    );
    expect(formatAwaitTree(snapshot).split('\n')).toEqual([
      '└── (T) Task-5',
      '└── (T) Task-1',
      '    └──  main',
      '        ├── (T) Task-2',
      '        └── (T) Task-3',
    ]);
  });

  test('shows where a task that awaits no task is suspended, outermost frame first', () => {
    const snapshot = snapshotOf([
      [1, 'Task-1', [], [app('main', 9)]],
      [2, 'worker', [[[app('main', 9)], 1]], [app('fetch', 3), app('worker', 6)]],
    ]);
    expect(buildAwaitTree(snapshot)).toEqual([
      [
        '└── (T) Task-1',
        '    └──  main /path/to/app.py:9',
        '        └── (T) worker',
        '            └──  worker /path/to/app.py:6',
        '                └──  fetch /path/to/app.py:3',
      ],
    ]);
  });

  test('an empty snapshot prints nothing', () => {
    expect(formatAwaitTree(snapshotOf([]))).toBe('');
  });

  test('two tasks awaiting each other are a cycle, reported with their names', () => {
    const snapshot = snapshotOf([
      [2, 'Task-1', []],
      [
        3,
        'a',
        [
          [['awaiter2'], 4],
          [['main'], 2],
        ],
      ],
      [4, 'b', [[['awaiter'], 3]]],
    ]);
    let error: unknown;
    try {
      buildAwaitTree(snapshot);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AwaitCycleError);
    expect((error as AwaitCycleError).cycles).toEqual([[4, 3, 4]]);
    expect((error as AwaitCycleError).message).toBe(
      'await-graph contains cycles - cannot print a tree!\n\ncycle: b → a → b',
    );
  });

  test('every cycle is found, each from where the search met it', () => {
    const nested = (last: string): string[] => ['nested', 'nested', last];
    const snapshot = snapshotOf([
      [2, 'Task-1', []],
      [3, 'A', [[nested('task_b'), 4]]],
      [
        4,
        'B',
        [
          [nested('task_c'), 5],
          [nested('task_a'), 3],
        ],
      ],
      [5, 'C', [[['nested', 'nested'], 6]]],
      [6, 'Task-2', [[nested('task_b'), 4]]],
    ]);
    expect(() => buildAwaitTree(snapshot)).toThrow(AwaitCycleError);
    let cycles: number[][] = [];
    try {
      buildAwaitTree(snapshot);
    } catch (error) {
      cycles = (error as AwaitCycleError).cycles;
    }
    expect(cycles).toEqual([
      [4, 3, 4],
      [4, 6, 5, 4],
    ]);
  });
});

describe('ps', () => {
  test('has one row per task and awaiter, stacks as function names innermost first', () => {
    expect(buildTaskTable(TWO_GROUPS)).toEqual([
      ['1', '0x2', 'Task-1', 'pending', '', '', '', ''],
      ['1', '0x3', 'timer', 'pending', '', 'awaiter3 -> awaiter2 -> awaiter', 'child1_1', '0x4'],
      ['1', '0x3', 'timer', 'pending', '', 'awaiterB3 -> awaiterB2 -> awaiterB', 'child2_2', '0x5'],
      ['1', '0x3', 'timer', 'pending', '', 'awaiterB3 -> awaiterB2 -> awaiterB', 'child2_1', '0x6'],
      ['1', '0x3', 'timer', 'pending', '', 'awaiter3 -> awaiter2 -> awaiter', 'child1_2', '0x7'],
      ['1', '0x8', 'root1', 'pending', '', '_aexit -> __aexit__ -> main', 'Task-1', '0x2'],
      ['1', '0x9', 'root2', 'pending', '', '_aexit -> __aexit__ -> main', 'Task-1', '0x2'],
      [
        '1',
        '0x4',
        'child1_1',
        'pending',
        '',
        '_aexit -> __aexit__ -> blocho_caller -> bloch',
        'root1',
        '0x8',
      ],
      [
        '1',
        '0x6',
        'child2_1',
        'pending',
        '',
        '_aexit -> __aexit__ -> blocho_caller -> bloch',
        'root1',
        '0x8',
      ],
      [
        '1',
        '0x7',
        'child1_2',
        'pending',
        '',
        '_aexit -> __aexit__ -> blocho_caller -> bloch',
        'root2',
        '0x9',
      ],
      [
        '1',
        '0x5',
        'child2_2',
        'pending',
        '',
        '_aexit -> __aexit__ -> blocho_caller -> bloch',
        'root2',
        '0x9',
      ],
    ]);
  });

  test('aligns every column to its widest cell under a header and a rule', () => {
    const snapshot = snapshotOf([
      [1, 'Task-1', [], [app('main', 9)]],
      [2, 'worker', [[[app('main', 9)], 1]], [app('fetch', 3), app('worker', 6)]],
    ]);
    snapshot.loops[0]!.tasks[1]!.state = 'cancelling';
    expect(formatTaskTable(snapshot).split('\n')).toEqual([
      'loop  task id  task name  state       coroutine stack  awaiter chain  awaiter name  awaiter id',
      '-'.repeat(94),
      '1     0x1      Task-1     pending     main',
      '1     0x2      worker     cancelling  fetch -> worker  main           Task-1        0x1',
    ]);
  });
});
