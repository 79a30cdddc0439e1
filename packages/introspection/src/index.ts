export { AwaitCycleError, buildAwaitTree, formatAwaitTree } from './await-tree.js';
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
