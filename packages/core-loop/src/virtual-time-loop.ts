/**
 * VirtualTimeLoop: an EventLoop with its own clock, for tests. When nothing is ready, the clock
 * jumps to the next timer, so a coroutine that sleeps an hour finishes at once and `time()`
 * shows exactly an hour more.
 */
import { EventLoop } from './event-loop.js';

/**
 * An {@link EventLoop} whose clock starts at 0 and jumps to the next timer when nothing is
 * ready. Before each jump the host gets one turn, so promises that are already settled land
 * first.
 * @example
 * ```ts
 * import { VirtualTimeLoop } from '@asyncio-ts/core-loop';
 * import { run, sleep } from '@asyncio-ts/tasks';
 * const loop = new VirtualTimeLoop();
 * await run(function* () { yield* sleep(3_600_000); }, { loopFactory: () => loop });
 * loop.time(); // 3600000
 * ```
 */
export class VirtualTimeLoop extends EventLoop {
  #now: number;
  #jumpScheduled: boolean;
  readonly #jump: () => void;

  constructor() {
    super({ clockResolution: 0 });
    this.#now = 0;
    this.#jumpScheduled = false;
    this.#jump = () => {
      this.#jumpScheduled = false;
      // A loop that stopped meanwhile waits for nothing: its clock stays where it stopped.
      if (!this.isRunning()) return;
      const when = this._nextTimerWhen();
      if (when !== null && this._readyCount() === 0 && when > this.#now) this.#now = when;
      this._resume();
    };
  }

  override time(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` (timers that become due run on the next iteration). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance() takes a non-negative number, got ${ms}`);
    this.#now += ms;
  }

  protected override _waitForTimer(_delayMs: number): void {
    if (this.#jumpScheduled) return;
    this.#jumpScheduled = true;
    setImmediate(this.#jump);
  }
}
