import type { Coro } from 'asyncio-ts';
import type { Output } from './output.js';

/** One runnable example: a section of the asyncio documentation, written with asyncio-ts. */
export interface Example {
  /** The name given on the command line, the example's file name. */
  readonly name: string;
  /** One line saying what the example shows. */
  readonly description: string;
  /** The example's coroutine function, run with `run(() => main(out))`. */
  readonly main: (out: Output) => Coro<void>;
}
