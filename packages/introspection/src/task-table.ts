/**
 * The table `asyncio-ts ps` prints: one row per pending task and task awaiting it (CPython's
 * `asyncio.tools.build_task_table`), with the loop in place of the thread and the task's state.
 */
import type { ProcessSnapshot } from './snapshot.js';

/** The column titles of {@link buildTaskTable}'s rows. */
export const TASK_TABLE_HEADER = [
  'loop',
  'task id',
  'task name',
  'state',
  'coroutine stack',
  'awaiter chain',
  'awaiter name',
  'awaiter id',
] as const;

/**
 * The rows of the task table: a task awaited by two tasks has two rows, one awaited by none has
 * one with empty awaiter columns. Stacks list function names, innermost first, joined by ` -> `;
 * ids are in hex, as call graphs print them (`0x2a`).
 */
export function buildTaskTable(snapshot: ProcessSnapshot): string[][] {
  const rows: string[][] = [];
  for (const loop of snapshot.loops) {
    for (const task of loop.tasks) {
      const coroutineStack = task.coroutineStack.map((f) => f.functionName).join(' -> ');
      const row = [String(loop.id), hexId(task.id), task.name, task.state, coroutineStack];
      if (task.awaitedBy.length === 0) rows.push([...row, '', '', '']);
      for (const awaiter of task.awaitedBy) {
        const chain = awaiter.callStack.map((f) => f.functionName).join(' -> ');
        rows.push([...row, chain, awaiter.taskName, hexId(awaiter.taskId)]);
      }
    }
  }
  return rows;
}

/**
 * The task table as text: a header, a rule, and the rows, each column as wide as its widest
 * cell.
 * @example
 * ```ts
 * import { formatTaskTable, takeSnapshot } from '@asyncio-ts/introspection';
 * console.log(formatTaskTable(takeSnapshot()));
 * ```
 */
export function formatTaskTable(snapshot: ProcessSnapshot): string {
  const rows = [[...TASK_TABLE_HEADER], ...buildTaskTable(snapshot)];
  const widths = TASK_TABLE_HEADER.map((_, column) =>
    Math.max(...rows.map((row) => row[column]!.length)),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((total, width) => total + width + 2, -2));
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

function hexId(id: number): string {
  return `0x${id.toString(16)}`;
}
