/**
 * Call graphs as text, in CPython's layout (`asyncio.format_call_graph` / `print_call_graph`):
 *
 * ```text
 * * Task(name='worker', id=0x2)
 *   + Call stack:
 *   |   File '/app/main.ts', line 12, in async worker()
 *   + Awaited by:
 *       * Task(name='Task-1', id=0x1)
 *           + Call stack:
 *           |   File '/app/main.ts', line 20, in async main()
 * ```
 */

import type { Future } from '@asyncio-ts/core-loop';
import { Task } from '@asyncio-ts/tasks';
import {
  type CallGraphOptions,
  captureCallGraph,
  type FrameCallGraphEntry,
  type FutureCallGraph,
} from './call-graph.js';
import { futureId } from './future-id.js';

/** Python's `repr()` of a string: single quotes unless the text has one and no double quote. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const char of text) {
    if (char === '\\') body += '\\\\';
    else if (char === quote) body += `\\${quote}`;
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (char === '\t') body += '\\t';
    else body += char;
  }
  return `${quote}${body}${quote}`;
}

function frameLine(frame: FrameCallGraphEntry): string {
  const file = pythonRepr(frame.fileName ?? '<unknown>');
  const line = frame.lineNumber ?? '?';
  const kind = frame.isCoroutine ? 'async ' : '';
  return `  |   File ${file}, line ${line}, in ${kind}${frame.functionName}()`;
}

function render(graph: FutureCallGraph, lines: string[], level: number): void {
  const indent = '    '.repeat(level);
  const future = graph.future;
  const id = `0x${futureId(future).toString(16)}`;
  lines.push(
    future instanceof Task
      ? `${indent}* Task(name=${pythonRepr(future.getName())}, id=${id})`
      : `${indent}* Future(id=${id})`,
  );
  if (graph.callStack.length > 0) {
    lines.push(`${indent}  + Call stack:`);
    for (const frame of graph.callStack) lines.push(indent + frameLine(frame));
  }
  if (graph.awaitedBy.length > 0) {
    lines.push(`${indent}  + Awaited by:`);
    for (const waiter of graph.awaitedBy) render(waiter, lines, level + 1);
  }
}

/** A captured call graph as text, in CPython's layout (no trailing newline). */
export function renderCallGraph(graph: FutureCallGraph): string {
  const lines: string[] = [];
  render(graph, lines, 0);
  return lines.join('\n');
}

/**
 * The call graph of `future` (default: the current task) as text, in CPython's layout (Python's
 * `asyncio.format_call_graph`); `''` when no future is given and no task runs.
 * @example
 * ```ts
 * import { formatCallGraph } from '@asyncio-ts/introspection';
 * function* worker() {
 *   console.log(formatCallGraph()); // * Task(name='Task-2', id=0x1) ...
 * }
 * ```
 * @throws as {@link captureCallGraph}.
 */
export function formatCallGraph(
  future?: Future<unknown> | null,
  options?: CallGraphOptions,
): string {
  const graph = captureCallGraph(future, options);
  return graph === null ? '' : renderCallGraph(graph);
}

/**
 * Writes {@link formatCallGraph}'s text and a newline to `file` (default: standard output), as
 * Python's `asyncio.print_call_graph`.
 * @example
 * ```ts
 * import { printCallGraph } from '@asyncio-ts/introspection';
 * function* worker() {
 *   printCallGraph(); // this task, where it runs, and who awaits it
 * }
 * ```
 */
export function printCallGraph(
  future?: Future<unknown> | null,
  options?: CallGraphOptions & { file?: { write(text: string): unknown } | null },
): void {
  const file = options?.file ?? process.stdout;
  const graphOptions: CallGraphOptions = {};
  if (options?.depth !== undefined) graphOptions.depth = options.depth;
  if (options?.limit !== undefined) graphOptions.limit = options.limit;
  file.write(`${formatCallGraph(future, graphOptions)}\n`);
}
