export {
  futureAddToAwaitedBy,
  futureAwaitedBy,
  futureDiscardFromAwaitedBy,
  isIntrospectionEnabled,
  type StackFrame,
  setIntrospection,
} from '@asyncio-ts/core-loop';
export {
  TASK_CANCELLED_CHANNEL,
  TASK_CREATED_CHANNEL,
  TASK_DONE_CHANNEL,
  type TaskLifecycleMessage,
} from '@asyncio-ts/tasks';
export { AwaitCycleError, buildAwaitTree, formatAwaitTree } from './await-tree.js';
export {
  type CallGraphOptions,
  captureCallGraph,
  type FrameCallGraphEntry,
  type FutureCallGraph,
} from './call-graph.js';
export {
  formatCallGraph,
  printCallGraph,
  pythonRepr,
  renderCallGraph,
} from './format-call-graph.js';
export { futureId } from './future-id.js';
export { LiveViewError, readLiveView } from './live-client.js';
export { liveLoops, trackLoop } from './loop-registry.js';
export {
  enableLiveView,
  type LiveView,
  type LiveViewOptions,
  liveViewDirectories,
  liveViewSocketPath,
} from './server.js';
export {
  type AwaiterInfo,
  type FrameInfo,
  type LoopSnapshot,
  type ProcessSnapshot,
  snapshotLoop,
  type TaskInfo,
  takeSnapshot,
} from './snapshot.js';
export { buildTaskTable, formatTaskTable, TASK_TABLE_HEADER } from './task-table.js';
