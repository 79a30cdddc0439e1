/**
 * How a frame reads in a table or a tree: `name file:line`, as CPython's `asyncio ps/pstree`.
 */
import type { FrameInfo } from './internal/task-graph.js';

/** `name file:line`, or only the name when the file is unknown. */
export function frameLabel(frame: FrameInfo): string {
  return frame.fileName === '' && frame.line === 0
    ? frame.functionName
    : `${frame.functionName} ${frame.fileName}:${frame.line}`;
}
