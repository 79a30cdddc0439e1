import {
  type Context,
  ContextVar,
  type Coro,
  copyContext,
  currentContext,
  RuntimeError,
} from '@asyncio-ts/core-loop';
import { describe, expect, it } from 'vitest';
import { createTask, sleep, type Task } from '../src/index.js';
import { runVirtual, thrownBy } from './utils.js';

// Tasks created in one context share a read-only copy of it until one of them sets a variable
// or asks for its context; these pin that nobody can tell the shared copy from a private one.
describe('tasks created in one context', () => {
  it('see the values of their creator at creation, and not its later changes', async () => {
    const variable = new ContextVar<string>('v');
    const seen = await runVirtual(function* () {
      variable.set('before');
      const read = function* (): Coro<string> {
        yield* sleep(1);
        return variable.get('unset');
      };
      const a = createTask(read());
      const b = createTask(read());
      variable.set('after');
      return [yield* a, yield* b, variable.get()];
    });
    expect(seen).toEqual(['before', 'before', 'after']);
  });

  it('do not see what a sibling sets, and neither does their creator', async () => {
    const variable = new ContextVar<string>('v', { default: 'default' });
    const log: string[] = [];
    await runVirtual(function* () {
      const setter = createTask(
        (function* (): Coro<void> {
          variable.set('setter');
          yield;
          log.push(`setter sees ${variable.get()}`);
        })(),
      );
      const reader = createTask(
        (function* (): Coro<void> {
          yield;
          yield;
          log.push(`reader sees ${variable.get()}`);
        })(),
      );
      yield* setter;
      yield* reader;
      log.push(`main sees ${variable.get()}`);
    });
    expect(log).toEqual(['setter sees setter', 'reader sees default', 'main sees default']);
  });

  it('keep a value set in an early step for every later step, and reset() undoes it', async () => {
    const variable = new ContextVar<number>('n', { default: 0 });
    const seen = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<number[]> {
          const token = variable.set(1);
          yield* sleep(1);
          const later = variable.get();
          variable.reset(token);
          yield;
          return [later, variable.get()];
        })(),
      );
      return yield* task;
    });
    expect(seen).toEqual([1, 0]);
  });

  it('each get a context of their own from getContext(), the same object every time', async () => {
    const seen = await runVirtual(function* () {
      const idle = function* (): Coro<void> {
        yield;
      };
      const a = createTask(idle());
      const b = createTask(idle());
      const contexts = [a.getContext(), b.getContext()];
      yield* a;
      yield* b;
      return [contexts[0] !== contexts[1], a.getContext() === contexts[0]];
    });
    expect(seen).toEqual([true, true]);
  });

  it('getContext() from outside is a context whose run() works and holds what the task set', async () => {
    const variable = new ContextVar<string>('v', { default: 'default' });
    const seen = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<void> {
          yield;
          variable.set('set by the task');
        })(),
      );
      const context = task.getContext();
      const before = context.run(() => variable.get());
      yield* task;
      return [before, context.get(variable), task.getContext() === context];
    });
    expect(seen).toEqual(['default', 'set by the task', true]);
  });

  it('getContext() inside the task is the entered context its next sets land in', async () => {
    const variable = new ContextVar<string>('v', { default: 'default' });
    const seen = await runVirtual(function* () {
      let own: Context | null = null;
      const self: { task?: Task<unknown[]> } = {};
      const task = createTask(
        (function* (): Coro<unknown[]> {
          own = self.task!.getContext();
          variable.set('set after getContext()');
          const reentered = thrownBy(() => own!.run(() => 0));
          yield;
          return [own.get(variable), currentContext() === own, reentered];
        })(),
      );
      self.task = task;
      const [value, current, reentered] = yield* task;
      return [value, current, task.getContext() === own, reentered];
    });
    expect(seen.slice(0, 3)).toEqual(['set after getContext()', true, true]);
    expect(seen[3]).toBeInstanceOf(RuntimeError);
    expect((seen[3] as Error).message).toBe(
      'cannot enter context: <Context vars=1 entered> is already entered',
    );
  });

  it('currentContext() inside a task is the task’s own context', async () => {
    const seen = await runVirtual(function* () {
      let inside: Context | null = null;
      const task = createTask(
        (function* (): Coro<void> {
          inside = currentContext();
          yield;
        })(),
      );
      yield* task;
      return inside === task.getContext();
    });
    expect(seen).toBe(true);
  });

  it('an eager task that sets a variable leaves its creator’s value alone', async () => {
    const variable = new ContextVar<string>('v', { default: 'default' });
    const seen = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<string> {
          variable.set('eager');
          yield;
          return variable.get();
        })(),
        { eagerStart: true },
      );
      const inCreator = variable.get();
      return [inCreator, yield* task, task.getContext().get(variable)];
    });
    expect(seen).toEqual(['default', 'eager', 'eager']);
  });

  it('copyContext() inside a task is a private copy that run() can change', async () => {
    const variable = new ContextVar<string>('v', { default: 'default' });
    const seen = await runVirtual(function* () {
      const task = createTask(
        (function* (): Coro<string[]> {
          const copy = copyContext();
          copy.run(() => variable.set('in the copy'));
          yield;
          return [copy.get(variable) ?? 'unset', variable.get()];
        })(),
      );
      return yield* task;
    });
    expect(seen).toEqual(['in the copy', 'default']);
  });
});
