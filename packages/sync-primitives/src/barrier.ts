/**
 * Barrier: a meeting point for a fixed number of tasks (Python's `asyncio.Barrier`).
 *
 * Lifecycle: FILLING (tasks arrive and wait) -> DRAINING (the last arrival released them; they
 * leave, and newcomers wait until all have left) -> FILLING again. `reset()` moves a barrier
 * with tasks inside to RESETTING (they leave with BrokenBarrierError, then it is FILLING);
 * `abort()` moves it to BROKEN for good (until a `reset()`). Every state change happens under
 * one Condition, which also wakes the tasks that wait for it.
 */
import { inspect } from 'node:util';
import { type Coro, RuntimeError } from '@asyncio-ts/core-loop';
import { Condition } from './condition.js';
import { LoopBound } from './loop-bound.js';

/**
 * A barrier was aborted or reset while a task waited at it, or a task came to an aborted
 * barrier (Python's `asyncio.BrokenBarrierError`, a RuntimeError).
 */
export class BrokenBarrierError extends RuntimeError {}
Object.defineProperty(BrokenBarrierError.prototype, 'name', {
  value: 'BrokenBarrierError',
  writable: true,
  configurable: true,
});

const BarrierState = {
  Filling: 'filling',
  Draining: 'draining',
  Resetting: 'resetting',
  Broken: 'broken',
} as const;
type BarrierState = (typeof BarrierState)[keyof typeof BarrierState];

/**
 * Makes `parties` tasks wait for each other: each `wait()` blocks until the last of them
 * arrives, then all go on together (Python's `asyncio.Barrier`).
 *
 * `wait()` returns each task's arrival index, 0 to `parties - 1`, so that one of them can be
 * picked to do something once. The barrier is reusable: after all have left it fills again,
 * and tasks that arrive while the previous round still leaves wait for the next round.
 * `abort()` breaks it: waiting and arriving tasks get {@link BrokenBarrierError} until
 * `reset()`, which also breaks the current round (its waiters get BrokenBarrierError) and makes
 * it ready for a new one. A cancelled waiter simply leaves: the barrier is not broken and
 * waits for one more arrival. To wait for a number of tasks to finish, `gather` them instead.
 *
 * A Barrier may be created outside a running loop; it binds to the loop that first waits on it.
 * @example
 * ```ts
 * import { Barrier } from '@asyncio-ts/sync-primitives';
 * import { createTask, gather } from '@asyncio-ts/tasks';
 * function* main() {
 *   const barrier = new Barrier(3);
 *   function* worker(name: string) {
 *     const index = yield* barrier.wait(); // all three get here before any goes on
 *     return `${name} arrived ${index}`;
 *   }
 *   return yield* gather(['a', 'b', 'c'].map((n) => createTask(worker(n))));
 *   // ['a arrived 0', 'b arrived 1', 'c arrived 2']
 * }
 * ```
 */
export class Barrier extends LoopBound {
  readonly #cond: Condition;
  readonly #parties: number;
  #state: BarrierState;
  /** Tasks inside `wait()` past the entry check: waiting while filling, leaving while draining. */
  #count: number;

  /**
   * @param parties how many tasks must wait before all of them go on.
   * @throws RangeError "parties must be >= 1" for fewer than one.
   */
  constructor(parties: number) {
    super();
    if (!(parties >= 1)) throw new RangeError('parties must be >= 1');
    this.#cond = new Condition();
    this.#parties = parties;
    this.#state = BarrierState.Filling;
    this.#count = 0;
  }

  /**
   * Waits until `parties` tasks wait, then returns with all of them. A task that arrives while
   * the previous round is still leaving (or resetting) first waits for it to finish.
   * @returns this task's arrival index, 0 for the first to `parties - 1` for the last.
   * @throws BrokenBarrierError "Barrier aborted" when the barrier is broken on arrival;
   * "Abort or reset of barrier" when it is aborted or reset while the task waits.
   * @throws CancelledError when the task is cancelled while waiting (the barrier stays whole).
   */
  *wait(): Coro<number> {
    const cond = this.#cond;
    yield* cond.acquire();
    try {
      yield* this.#block();
      try {
        const index = this.#count;
        this.#count++;
        if (index + 1 === this.#parties) this.#release();
        else yield* this.#waitForRelease();
        return index;
      } finally {
        this.#count--;
        this.#exit();
      }
    } finally {
      cond.release();
    }
  }

  /**
   * Returns the barrier to its empty, filling state. Tasks waiting at it get
   * BrokenBarrierError; a broken barrier becomes usable again.
   */
  *reset(): Coro<void> {
    const cond = this.#cond;
    yield* cond.acquire();
    try {
      if (this.#count > 0) this.#state = BarrierState.Resetting;
      else this.#state = BarrierState.Filling;
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /**
   * Breaks the barrier: tasks waiting at it, and every later `wait()`, get BrokenBarrierError
   * until `reset()`. Useful when a party fails and the others must not wait for it forever.
   */
  *abort(): Coro<void> {
    const cond = this.#cond;
    yield* cond.acquire();
    try {
      this.#state = BarrierState.Broken;
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /** How many tasks must wait before all go on. */
  get parties(): number {
    return this.#parties;
  }

  /** How many tasks wait for the barrier to fill (0 unless it is filling). */
  get nWaiting(): number {
    return this.#state === BarrierState.Filling ? this.#count : 0;
  }

  /** Whether the barrier is broken (aborted and not reset since). */
  get broken(): boolean {
    return this.#state === BarrierState.Broken;
  }

  /** Waits while the previous round drains or resets; then refuses a broken barrier. */
  *#block(): Coro<void> {
    yield* this.#cond.waitFor(
      () => this.#state !== BarrierState.Draining && this.#state !== BarrierState.Resetting,
    );
    if (this.#state === BarrierState.Broken) throw new BrokenBarrierError('Barrier aborted');
  }

  /** The last arrival: let everyone go. */
  #release(): void {
    this.#state = BarrierState.Draining;
    this.#cond.notifyAll();
  }

  /** Waits for the last arrival; a reset or an abort meanwhile breaks the wait. */
  *#waitForRelease(): Coro<void> {
    yield* this.#cond.waitFor(() => this.#state !== BarrierState.Filling);
    if (this.#state === BarrierState.Broken || this.#state === BarrierState.Resetting)
      throw new BrokenBarrierError('Abort or reset of barrier');
  }

  /** The last task out ends draining or resetting, and wakes the tasks blocked on entry. */
  #exit(): void {
    if (this.#count === 0) {
      if (this.#state === BarrierState.Resetting || this.#state === BarrierState.Draining)
        this.#state = BarrierState.Filling;
      this.#cond.notifyAll();
    }
  }

  /** `<Barrier [filling, waiters:1/3]>`, `<Barrier [broken]>`. */
  override toString(): string {
    const extra = this.broken ? '' : `, waiters:${this.nWaiting}/${this.#parties}`;
    return `<${this.constructor.name} [${this.#state}${extra}]>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
