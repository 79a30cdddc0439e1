export {
  futureAddToAwaitedBy,
  futureAwaitedBy,
  futureDiscardFromAwaitedBy,
} from './awaited-by.js';
export {
  Context,
  ContextVar,
  copyContext,
  currentContext,
  enterContext,
  exitContext,
  isCurrentContext,
  shareContext,
  Token,
} from './context.js';
export {
  describeKind,
  isCoroutine,
  isCoroutineFunction,
  markCoroutineFunction,
} from './coroutine.js';
export { ensureFuture } from './ensure-future.js';
export {
  CancelledError,
  InvalidStateError,
  KeyboardInterrupt,
  LookupError,
  loopCancelledError,
  RuntimeError,
  TimeoutError,
} from './errors.js';
export {
  EventLoop,
  type ExceptionContext,
  type ExceptionHandler,
  newEventLoop,
  type TaskConstructor,
  type TaskFactory,
  type TaskOptions,
} from './event-loop.js';
export { type Executor, HostTurnExecutor, setDefaultExecutorFactory } from './executor.js';
export {
  type Awaitable,
  type Coro,
  type DoneCallback,
  Future,
  inspectValue,
  isFuture,
  recordSuspension,
  takeSuspensionStack,
  type Yieldable,
} from './future.js';
export { type Callback, Handle, type Runnable, TimerHandle } from './handle.js';
export {
  isIntrospectionEnabled,
  recordsSuspensions,
  runningLoopInDebug,
  runningLoopRecordsSuspensions,
  setIntrospection,
} from './introspection-switch.js';
export { logger } from './logger.js';
export { RingQueue } from './ring-queue.js';
export { getEventLoop, getRunningLoop, setEventLoop, tryGetRunningLoop } from './running-loop.js';
export {
  captureTrace,
  coroutineFrames,
  formatStackFrame,
  type StackFrame,
} from './stack-frames.js';
export { coroutineStarted, watchUnawaitedCoroutine } from './unawaited-coroutines.js';
export { VirtualTimeLoop } from './virtual-time-loop.js';
export { wrapFuture } from './wrap-future.js';
