/**
 * TaskGroup: structured concurrency, Python's `asyncio.TaskGroup` (CPython's `taskgroups.py`,
 * with `cancel()` from 3.15).
 *
 * Invariant: once the group has begun to exit, `run()` does not return or throw until every one
 * of its children is done; a child leaves the group's list only when its link runs (the link is
 * queued by the child's completion, CPython's `_on_task_done`). Where a cancellation starts is
 * decided here (the first failing child, an outside cancel, `cancel()`); how it is delivered is
 * the Task's business (`cancel()` / `uncancel()` / `cancelling()`). The group cancels its parent
 * task at most once (`#parentCancelRequested`) and undoes exactly that request with `uncancel()`
 * on exit, so cancellations that come from outside are never swallowed.
 */
import { inspect } from 'node:util';
import {
  CancelledError,
  type Context,
  type Coro,
  describeKind,
  type EventLoop,
  type Future,
  getRunningLoop,
  isCoroutine,
  KeyboardInterrupt,
  type Runnable,
  RuntimeError,
  type TaskOptions,
} from '@asyncio-ts/core-loop';
import { currentTask, type Task } from '@asyncio-ts/tasks';
import { ExceptionGroup } from './exception-group.js';

/** The options of {@link TaskGroup.createTask}: those of `createTask`, plus a null name. */
export interface TaskGroupTaskOptions {
  /** The task's name; null or absent: `Task-N`. */
  name?: string | null;
  /** The context the task runs in; default: a copy of the current one. */
  context?: Context;
  /** Start running the coroutine inside `createTask`, until its first suspension. */
  eagerStart?: boolean;
}

/** Marks "no error" where any thrown value, `undefined` included, is a possible error. */
const NO_ERROR: unique symbol = Symbol('NO_ERROR');

/** The message of the ExceptionGroup a TaskGroup raises (CPython's wording). */
const GROUP_MESSAGE = 'unhandled errors in a TaskGroup';

/**
 * Errors that end the program rather than one task (CPython's SystemExit and KeyboardInterrupt):
 * the group re-raises them as they are instead of grouping them.
 */
function isBaseError(error: unknown): boolean {
  return error instanceof KeyboardInterrupt;
}

/** What a done task failed with, or NO_ERROR when it returned. Not for cancelled tasks. */
function failureOf(task: Future<unknown>): unknown {
  try {
    task.result();
    return NO_ERROR;
  } catch (error) {
    return error;
  }
}

/** TaskGroup's handler of a finished child, reachable from {@link ChildLink} (set by TaskGroup). */
let childDone: (group: TaskGroup, link: ChildLink) => void;

/**
 * A child's place in its group's list of running children, and the runnable that the child's
 * completion queues on the loop (CPython's `_on_task_done` callback). Being both, it is the only
 * allocation a child adds: no Set entry, no callback handle, no context copy (the group's
 * bookkeeping reads no context variable).
 */
class ChildLink implements Runnable {
  readonly group: TaskGroup;
  readonly task: Task<unknown>;
  prev: ChildLink | null;
  next: ChildLink | null;

  constructor(group: TaskGroup, task: Task<unknown>, prev: ChildLink | null) {
    this.group = group;
    this.task = task;
    this.prev = prev;
    this.next = null;
  }

  /** Called by the loop once the child is done; must not throw, as a Handle's callback. */
  _run(): void {
    try {
      childDone(this.group, this);
    } catch (error) {
      this.task.getLoop().callExceptionHandler({
        message: `Exception in callback ${this}`,
        exception: error,
        task: this.task,
      });
    }
  }

  toString(): string {
    return 'TaskGroup._on_task_done()';
  }
}

/**
 * A group of tasks that live no longer than a block of code: the block is the body of
 * {@link TaskGroup.run} (Python's `async with TaskGroup() as tg:`), and `run()` returns only once
 * every task created through {@link TaskGroup.createTask} is done.
 *
 * The first child that fails (with anything but CancelledError) cancels the other children and
 * the body; the group then waits for all of them and throws one {@link ExceptionGroup}
 * ("unhandled errors in a TaskGroup") holding every child's error, and the body's own when it
 * threw. The CancelledError that this abort caused in the body is swallowed. A cancellation that
 * comes from outside cancels the children too, and is re-thrown once they are all done. A
 * `KeyboardInterrupt` from a child or the body is re-thrown as it is, not grouped.
 *
 * Prefer {@link taskGroup} for the usual case; make a `TaskGroup` yourself to hand it to code
 * that may {@link TaskGroup.cancel} it before or while it runs. Use `gather` instead when the
 * tasks should not cancel one another.
 * @example
 * ```ts
 * import { run, sleep } from '@asyncio-ts/tasks';
 * import { TaskGroup } from '@asyncio-ts/task-groups';
 * await run(function* () {
 *   const group = new TaskGroup();
 *   const [a, b] = yield* group.run(function* (tg) {
 *     return [tg.createTask(sleep(100, 'a')), tg.createTask(sleep(200, 'b'))];
 *   });
 *   console.log(a.result(), b.result()); // a b, after 200 ms
 * });
 * ```
 */
export class TaskGroup {
  #entered: boolean;
  #exiting: boolean;
  #aborting: boolean;
  /** Set when the coroutine running the body was closed (`return()`) instead of finishing. */
  #closed: boolean;
  #cancelOnEnter: boolean;
  #parentCancelRequested: boolean;
  #loop: EventLoop | null;
  #parentTask: Task<unknown> | null;
  /** The children whose link has not run yet, oldest first, and how many. */
  #firstChild: ChildLink | null;
  #lastChild: ChildLink | null;
  #childCount: number;
  /** Null until a child fails, and again once the group has exited (errors are heavy). */
  #errors: unknown[] | null;
  #baseError: unknown;
  /** Resolved by the last child to finish while the exit waits for them. */
  #onCompleted: Future<void> | null;

  static {
    childDone = (group, link) => group.#childDone(link);
  }

  constructor() {
    this.#entered = false;
    this.#exiting = false;
    this.#aborting = false;
    this.#closed = false;
    this.#cancelOnEnter = false;
    this.#parentCancelRequested = false;
    this.#loop = null;
    this.#parentTask = null;
    this.#firstChild = null;
    this.#lastChild = null;
    this.#childCount = 0;
    this.#errors = null;
    this.#baseError = NO_ERROR;
    this.#onCompleted = null;
  }

  /**
   * Runs `body(tg)` in the current task as the group's block, then waits for every child.
   * The body's value is returned when the group ends without an error; when {@link cancel}
   * stopped the body before it returned, the group ends quietly and `run()` returns `undefined`
   * (the body's value never existed), whatever `R` says.
   * @example
   * ```ts
   * const group = new TaskGroup();
   * const label = yield* group.run(function* (tg) {
   *   tg.createTask(sleep(100));
   *   tg.createTask(sleep(200));
   *   return 'done';
   * }); // 'done', after 200 ms: the group waited for both sleeps
   * ```
   * @throws RuntimeError "TaskGroup <...> has already been entered" when run twice;
   * "TaskGroup <...> cannot determine the parent task" outside a task; an {@link ExceptionGroup}
   * of the children's and the body's errors; CancelledError when the task was cancelled from
   * outside; a KeyboardInterrupt as it is.
   */
  *run<R>(body: (tg: TaskGroup) => Coro<R>): Coro<R> {
    if (typeof body !== 'function') {
      throw new TypeError(
        `TaskGroup.run() expects a function* body called with the group, got ${describeKind(body)}`,
      );
    }
    this.#enter();
    let settled = false;
    try {
      let value: R | undefined;
      let bodyError: unknown = NO_ERROR;
      try {
        value = yield* body(this);
      } catch (error) {
        bodyError = error;
      }
      try {
        yield* this.#exit(bodyError);
      } catch (error) {
        settled = true;
        throw error;
      }
      settled = true;
      return (bodyError === NO_ERROR ? value : undefined) as R;
    } finally {
      // Unsettled only when the coroutine was closed with `return()`, which skips every `catch`.
      if (!settled) this.#close();
    }
  }

  /**
   * Creates a task in the group (as `createTask`) and returns it. Tasks may create more tasks in
   * the same group while it runs, its exit included.
   * @throws RuntimeError "TaskGroup <...> has not been entered" before {@link run}; "... is
   * finished" after it ended; "... is shutting down" once a failure or a cancel is stopping the
   * group. In each case the coroutine is closed first (`coro.return()`), so it never runs.
   * TypeError when `coro` is not a coroutine object.
   */
  createTask<T>(coro: Coro<T>, options?: TaskGroupTaskOptions): Task<T> {
    if (!this.#entered) this.#refuse(coro, 'has not been entered');
    if (this.#exiting && this.#childCount === 0) this.#refuse(coro, 'is finished');
    if (this.#aborting) this.#refuse(coro, 'is shutting down');
    const loop = this.#loop!;
    const task = (
      options === undefined ? loop.createTask(coro) : loop.createTask(coro, toTaskOptions(options))
    ) as Task<T>;
    // Even an eager task that is already done gets the callback, which runs later from the loop:
    // handling its failure here would cancel the parent before createTask returned (gh-128550).
    const last = this.#lastChild;
    const link = new ChildLink(this, task as Task<unknown>, last);
    if (last === null) this.#firstChild = link;
    else last.next = link;
    this.#lastChild = link;
    this.#childCount++;
    // The task running the group awaits every child: the edge call graphs draw between them.
    task._addAwaitedBy(this.#parentTask!);
    task.addWaiter(link);
    // An eager task may have stopped the group while it ran, before it was linked to be
    // cancelled with the others.
    if (this.#aborting && !task.done()) task.cancel();
    return task;
  }

  /**
   * Stops the group (CPython 3.15): cancels every child that is not done and the body, and lets
   * the group end without an error once they are all done; the CancelledError that this puts in
   * the body is swallowed by {@link run}. Works from inside the group (the body or a child) and
   * from any other task. Before the group is entered it marks the group to be cancelled as soon
   * as it is; after it finished it does nothing. Calling it again changes nothing.
   * Errors that children raised before or while they were cancelled are still thrown.
   */
  cancel(): void {
    if (!this.#entered) {
      this.#cancelOnEnter = true;
      return;
    }
    if (this.#exiting && this.#childCount === 0) return;
    if (this.#aborting) return;
    this.#abort();
    const parent = this.#parentTask;
    if (parent !== null && !this.#parentCancelRequested) {
      this.#parentCancelRequested = true;
      parent.cancel();
    }
  }

  /** `<TaskGroup tasks=2 errors=1 cancelling>`, as CPython's `repr`. */
  toString(): string {
    let text = '<TaskGroup';
    if (this.#childCount > 0) text += ` tasks=${this.#childCount}`;
    const errors = this.#errors;
    if (errors !== null && errors.length > 0) text += ` errors=${errors.length}`;
    if (this.#aborting) text += ' cancelling';
    else if (this.#entered) text += ' entered';
    return `${text}>`;
  }

  /** What `console.log` and `util.inspect` show: the same as {@link toString}. */
  [inspect.custom](): string {
    return this.toString();
  }

  #enter(): void {
    if (this.#entered) throw new RuntimeError(`TaskGroup ${this} has already been entered`);
    const loop = getRunningLoop();
    this.#loop = loop;
    const parent = currentTask(loop);
    if (parent === null) {
      throw new RuntimeError(`TaskGroup ${this} cannot determine the parent task`);
    }
    this.#parentTask = parent;
    this.#entered = true;
    if (this.#cancelOnEnter) this.cancel();
  }

  /** The exit (`__aexit__`); drops the errors and the parent task whatever happens. */
  *#exit(bodyError: unknown): Coro<void> {
    try {
      yield* this.#finish(bodyError);
    } finally {
      this.#parentTask = null;
      this.#errors = null;
      this.#baseError = NO_ERROR;
    }
  }

  /** Waits for the children, then decides what the group raises (CPython's `_aexit`). */
  *#finish(bodyError: unknown): Coro<void> {
    this.#exiting = true;
    const bodyFailed = bodyError !== NO_ERROR;
    if (bodyFailed && isBaseError(bodyError) && this.#baseError === NO_ERROR) {
      this.#baseError = bodyError;
    }
    let propagateCancellation: CancelledError | null =
      bodyError instanceof CancelledError ? bodyError : null;
    // The body threw, or the parent was cancelled while the body waited: stop the children.
    if (bodyFailed && !this.#aborting) this.#abort();
    const pendingCancellation = yield* this.#waitForChildren();
    if (pendingCancellation.fromOutside !== null) {
      propagateCancellation = pendingCancellation.fromOutside;
    }
    const errors = this.#errors ?? [];
    if (this.#baseError !== NO_ERROR) {
      if (bodyFailed && !(bodyError instanceof CancelledError)) errors.push(bodyError);
      this.#throwBaseError(errors);
    }
    if (this.#parentCancelRequested) {
      // The group's own cancel request is undone here, exactly once. Only when none is left is
      // the CancelledError the group's alone; one that is left belongs to someone else and must
      // go on (CPython gh-155433).
      if (this.#parentTask!.uncancel() === 0) propagateCancellation = null;
      else propagateCancellation ??= pendingCancellation.last;
    }
    // Errors take priority over a cancellation.
    if (propagateCancellation !== null && errors.length === 0) throw propagateCancellation;
    if (bodyFailed && !(bodyError instanceof CancelledError)) errors.push(bodyError);
    if (errors.length > 0) this.#throwGroup(errors);
  }

  /**
   * Waits until no child is left. The wait is retried each time the parent is cancelled during
   * it (once or repeatedly): the first such cancel that the group did not cause aborts the
   * children and is kept to be re-thrown.
   */
  *#waitForChildren(): Coro<{ last: CancelledError | null; fromOutside: CancelledError | null }> {
    let last: CancelledError | null = null;
    let fromOutside: CancelledError | null = null;
    while (this.#childCount > 0) {
      const onCompleted = (this.#onCompleted ??= this.#loop!.createFuture<void>());
      try {
        yield* onCompleted;
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
        last = error;
        if (!this.#aborting) {
          // The task running the group was cancelled while children still ran:
          //   function* wrapper() { yield* taskGroup(function* (tg) { tg.createTask(foo()); }); }
          // wrapper's task is cancelled while foo runs.
          fromOutside = error;
          this.#abort();
        }
      }
      this.#onCompleted = null;
    }
    return { last, fromOutside };
  }

  /**
   * Re-throws a KeyboardInterrupt as it is. The other errors cannot travel with it, so each goes
   * to the loop's exception handler instead of being lost (CPython gh-135736; CPython reports the
   * children's errors only, and drops an error of the body: here it is reported too).
   */
  #throwBaseError(errors: unknown[]): never {
    const baseError = this.#baseError;
    for (const error of errors) {
      if (error === baseError) continue;
      this.#loop!.callExceptionHandler({
        message:
          'TaskGroup task exception was not propagated because the TaskGroup body ' +
          'is being closed with a BaseException',
        exception: error,
        taskGroup: this,
      });
    }
    throw baseError;
  }

  #throwGroup(errors: unknown[]): never {
    // When the parent is also being cancelled from outside, take the request back and make it
    // again: the count stays the same and the task still gets a CancelledError at its next wait.
    const parent = this.#parentTask!;
    if (parent.cancelling() > 0) {
      parent.uncancel();
      parent.cancel();
    }
    throw new ExceptionGroup(GROUP_MESSAGE, errors);
  }

  #abort(): void {
    this.#aborting = true;
    // A child that the cancel makes done stays linked until its link runs: none is skipped.
    for (let link = this.#firstChild; link !== null; link = link.next) {
      if (!link.task.done()) link.task.cancel();
    }
  }

  /**
   * The coroutine running the group was closed with `return()` inside the body: there is no way
   * to wait for the children any more, so they are cancelled and left to finish on their own;
   * errors they raise go to the loop's exception handler.
   */
  #close(): void {
    this.#closed = true;
    this.#exiting = true;
    if (!this.#aborting) this.#abort();
    for (const error of this.#errors ?? []) this.#reportOrphan(error, null);
    this.#parentTask = null;
    this.#errors = null;
    this.#baseError = NO_ERROR;
  }

  /** The done callback of every child (CPython's `_on_task_done`). */
  #childDone(link: ChildLink): void {
    this.#unlink(link);
    const task = link.task;
    if (this.#parentTask !== null) task._discardAwaitedBy(this.#parentTask);
    const onCompleted = this.#onCompleted;
    if (onCompleted !== null && this.#childCount === 0 && !onCompleted.done()) {
      onCompleted.setResult(undefined);
    }
    if (task.cancelled()) return;
    const error = failureOf(task);
    if (error === NO_ERROR) return;
    const parent = this.#parentTask;
    if (this.#closed || parent === null || parent.done()) {
      this.#reportOrphan(error, task);
      return;
    }
    (this.#errors ??= []).push(error);
    if (isBaseError(error) && this.#baseError === NO_ERROR) this.#baseError = error;
    if (!this.#aborting && !this.#parentCancelRequested) {
      // The first failure stops the body too, wherever it waits:
      //   try { yield* taskGroup(function* (tg) { tg.createTask(crashSoon()); yield* longWait; }); }
      //   catch { /* the group's errors */ }
      //   yield* somethingElse; // must still run: the cancel is undone when the group exits
      this.#abort();
      this.#parentCancelRequested = true;
      parent.cancel();
    }
  }

  #unlink(link: ChildLink): void {
    const { prev, next } = link;
    if (prev === null) this.#firstChild = next;
    else prev.next = next;
    if (next === null) this.#lastChild = prev;
    else next.prev = prev;
    this.#childCount--;
  }

  /** An error that no `run()` is left to throw: it goes to the loop's exception handler. */
  #reportOrphan(error: unknown, task: Future<unknown> | null): void {
    const parent = this.#parentTask;
    const message =
      task !== null && parent !== null && parent.done()
        ? `Task ${task} has errored out but its parent task ${parent} is already completed`
        : `TaskGroup ${this} was closed before a task exception could be propagated`;
    const context =
      task === null ? { message, exception: error } : { message, exception: error, task };
    this.#loop!.callExceptionHandler(context);
  }

  /** Closes `coro` so it never runs, and refuses it. */
  #refuse(coro: Coro<unknown>, state: string): never {
    if (isCoroutine(coro)) coro.return(undefined);
    throw new RuntimeError(`TaskGroup ${this} ${state}`);
  }
}

function toTaskOptions(options: TaskGroupTaskOptions): TaskOptions {
  const taskOptions: TaskOptions = {};
  if (options.name !== undefined && options.name !== null) taskOptions.name = options.name;
  if (options.context !== undefined) taskOptions.context = options.context;
  if (options.eagerStart !== undefined) taskOptions.eagerStart = options.eagerStart;
  return taskOptions;
}

/**
 * Runs `body` as the block of a new {@link TaskGroup} and returns its value once every task it
 * created is done (Python's `async with asyncio.TaskGroup() as tg:`).
 * @example
 * ```ts
 * import { run, sleep } from '@asyncio-ts/tasks';
 * import { taskGroup } from '@asyncio-ts/task-groups';
 * await run(function* () {
 *   const sum = yield* taskGroup(function* (tg) {
 *     const a = tg.createTask(sleep(100, 1));
 *     const b = tg.createTask(sleep(200, 2));
 *     return (yield* a) + (yield* b);
 *   });
 *   console.log(sum); // 3, after 200 ms
 * });
 * ```
 * @throws an {@link ExceptionGroup} of every error the children and the body raised; see
 * {@link TaskGroup.run}.
 */
export function taskGroup<R>(body: (tg: TaskGroup) => Coro<R>): Coro<R> {
  return new TaskGroup().run(body);
}
