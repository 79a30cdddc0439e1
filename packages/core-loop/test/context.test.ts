import { describe, expect, it } from 'vitest';
import {
  Context,
  ContextVar,
  copyContext,
  currentContext,
  EventLoop,
  enterContext,
  exitContext,
  LookupError,
  RuntimeError,
  shareContext,
  Token,
  VirtualTimeLoop,
} from '../src/index.js';
import { expectError, expectThrows, runOnce, thrownBy } from './utils.js';

describe('ContextVar', () => {
  it('a variable has a name and names it in toString()', () => {
    const v = new ContextVar<number>('requestId');
    expect([v.name, String(v)]).toEqual(['requestId', '<ContextVar name=requestId>']);
  });

  it('a name that is not a string throws TypeError', () => {
    expectThrows(
      () => new ContextVar(5 as never),
      TypeError,
      'context variable name must be a string, got number',
    );
  });

  it('get() of a variable with no value and no default throws LookupError naming it', () => {
    const v = new ContextVar<string>('missing');
    expectThrows(() => v.get(), LookupError, '<ContextVar name=missing> has no value');
  });

  it("get(default) returns the argument, which wins over the variable's own default", () => {
    const plain = new ContextVar<string>('plain');
    const withDefault = new ContextVar<string>('withDefault', { default: 'own' });
    expect([plain.get('arg'), withDefault.get(), withDefault.get('arg')]).toEqual([
      'arg',
      'own',
      'arg',
    ]);
  });

  it('get(undefined) passed explicitly returns undefined instead of throwing', () => {
    const v = new ContextVar<string | undefined>('v');
    expect(v.get(undefined)).toBe(undefined);
    expectError(
      thrownBy(() => v.get()),
      LookupError,
      '<ContextVar name=v> has no value',
    );
  });

  it('a default of undefined given in the options counts as a default', () => {
    const v = new ContextVar<string | undefined>('v', { default: undefined });
    expect(v.get()).toBe(undefined);
  });

  it('set() returns a Token recording the variable and the value it replaced', () => {
    const v = new ContextVar<number>('counter');
    const ctx = new Context();
    const [first, second] = ctx.run(() => [v.set(1), v.set(2)]);
    expect([first.var === v, first.oldValue === Token.MISSING, second.oldValue]).toEqual([
      true,
      true,
      1,
    ]);
    expect(ctx.get(v)).toBe(2);
  });

  it('reset(token) restores the previous value, and resetting the first set removes the value', () => {
    const v = new ContextVar<number>('counter');
    const seen = new Context().run(() => {
      const first = v.set(1);
      const second = v.set(2);
      const values: unknown[] = [v.get()];
      v.reset(second);
      values.push(v.get());
      v.reset(first);
      values.push(v.get(-1));
      return values;
    });
    expect(seen).toEqual([2, 1, -1]);
  });

  it("reset() with a token used once already throws RuntimeError '... has already been used once'", () => {
    const v = new ContextVar<number>('v');
    new Context().run(() => {
      const token = v.set(1);
      v.reset(token);
      expectThrows(
        () => v.reset(token),
        RuntimeError,
        '<Token used var=<ContextVar name=v>> has already been used once',
      );
    });
  });

  it('reset() with the token of another variable throws RangeError', () => {
    const a = new ContextVar<number>('a');
    const b = new ContextVar<number>('b');
    new Context().run(() => {
      const token = b.set(1);
      expectThrows(
        () => a.reset(token),
        RangeError,
        '<Token var=<ContextVar name=b>> was created by a different ContextVar',
      );
    });
  });

  it('reset() with a token made in another context throws RangeError', () => {
    const v = new ContextVar<number>('v');
    const token = new Context().run(() => v.set(1));
    new Context().run(() => {
      expectThrows(
        () => v.reset(token),
        RangeError,
        '<Token var=<ContextVar name=v>> was created in a different Context',
      );
    });
  });

  it('reset() with something that is not a Token throws TypeError', () => {
    const v = new ContextVar<number>('v');
    expectThrows(() => v.reset({} as never), TypeError, 'expected a Token, got object');
  });
});

describe('Context', () => {
  it('a new Context is empty', () => {
    const v = new ContextVar<number>('v');
    const ctx = new Context();
    expect([ctx.size, ctx.has(v), ctx.get(v), ctx.get(v, 3), [...ctx.keys()], String(ctx)]).toEqual(
      [0, false, undefined, 3, [], '<Context vars=0>'],
    );
  });

  it('run(fn, ...args) passes the arguments and returns what fn returns', () => {
    const ctx = new Context();
    expect(ctx.run((a: number, b: number) => a * b, 6, 7)).toBe(42);
  });

  it('a value set inside run() stays in that context and is not seen outside', () => {
    const v = new ContextVar<string>('v', { default: 'outside' });
    const ctx = new Context();
    const inside = ctx.run(() => {
      v.set('inside');
      return v.get();
    });
    expect([inside, v.get(), ctx.get(v), ctx.run(() => v.get())]).toEqual([
      'inside',
      'outside',
      'inside',
      'inside',
    ]);
  });

  it('entries() lists the variables that have a value and their values', () => {
    const a = new ContextVar<number>('a');
    const b = new ContextVar<string>('b');
    const ctx = new Context();
    ctx.run(() => {
      a.set(1);
      b.set('two');
    });
    expect([...ctx.entries()].map(([k, val]) => [k.name, val])).toEqual([
      ['a', 1],
      ['b', 'two'],
    ]);
  });

  it('copy() makes an independent context: later changes to either are not seen by the other', () => {
    const v = new ContextVar<number>('v');
    const original = new Context();
    original.run(() => v.set(1));
    const copy = original.copy();
    copy.run(() => v.set(2));
    original.run(() => v.set(3));
    expect([original.get(v), copy.get(v)]).toEqual([3, 2]);
  });

  it('copyContext() snapshots the current context: later sets are not seen by the copy', () => {
    const v = new ContextVar<string>('v');
    const [snapshot, after] = new Context().run(() => {
      v.set('before');
      const copy = copyContext();
      v.set('after');
      return [copy, v.get()];
    });
    expect([snapshot.get(v), after]).toEqual(['before', 'after']);
  });

  it('running a context that is already entered throws RuntimeError', () => {
    const ctx = new Context();
    const error = ctx.run(() => thrownBy(() => ctx.run(() => 'nested')));
    expectError(
      error,
      RuntimeError,
      'cannot enter context: <Context vars=0 entered> is already entered',
    );
  });

  it('a context is left even when fn throws, and can be entered again', () => {
    const ctx = new Context();
    const error = new Error('inside');
    expect(
      thrownBy(() =>
        ctx.run(() => {
          throw error;
        }),
      ),
    ).toBe(error);
    expect([String(ctx), ctx.run(() => 'again')]).toEqual(['<Context vars=0>', 'again']);
  });

  it('a nested context copied inside another sees the values set in the outer one', () => {
    const v = new ContextVar<string>('v');
    const outer = new Context();
    const seen = outer.run(() => {
      v.set('outer value');
      return copyContext().run(() => v.get());
    });
    expect(seen).toBe('outer value');
  });
});

describe('contexts of loop callbacks', () => {
  it('a callSoon callback runs in a copy of the context current when it was scheduled', async () => {
    const loop = new EventLoop();
    const v = new ContextVar<string>('v', { default: 'unset' });
    const seen: string[] = [];
    const token = v.set('at callSoon');
    loop.callSoon(() => seen.push(v.get()));
    v.reset(token);
    loop.callSoon(() => seen.push(v.get()));
    await runOnce(loop);
    expect(seen).toEqual(['at callSoon', 'unset']);
  });

  it('a value set by a callback is seen neither by the scheduler nor by other callbacks', async () => {
    const loop = new EventLoop();
    const v = new ContextVar<string>('v', { default: 'unset' });
    const seen: string[] = [];
    loop.callSoon(() => {
      v.set('set by first');
      seen.push(v.get());
    });
    loop.callSoon(() => seen.push(v.get()));
    await runOnce(loop);
    seen.push(v.get());
    expect(seen).toEqual(['set by first', 'unset', 'unset']);
  });

  it('a timer callback runs in a copy of the context current when it was scheduled', async () => {
    const loop = new VirtualTimeLoop();
    const v = new ContextVar<string>('v', { default: 'unset' });
    const seen: string[] = [];
    new Context().run(() => {
      v.set('at callLater');
      loop.callLater(100, () => {
        seen.push(v.get());
        loop.stop();
      });
    });
    await loop.runForever();
    expect(seen).toEqual(['at callLater']);
  });
});

describe('shareContext(): the read-only copy tasks share', () => {
  it('is one object for every caller while the values stay the same, a new one after a set', () => {
    const variable = new ContextVar<number>('n', { default: 0 });
    const context = copyContext();
    const [first, second, afterSet] = context.run(() => {
      const a = shareContext();
      const b = shareContext();
      variable.set(1);
      return [a, b, shareContext()];
    });
    expect(first).toBe(second);
    expect(afterSet).not.toBe(first);
    expect([first!.get(variable), afterSet!.get(variable)]).toEqual([undefined, 1]);
    expect([first!._isShared(), context._isShared()]).toEqual([true, false]);
  });

  it('may be entered while entered (nested steps of tasks sharing it) and is never changed', () => {
    const variable = new ContextVar<string>('v', { default: 'default' });
    const shared = copyContext().run(() => shareContext());
    const seen = shared.run(() =>
      shared.run(() => {
        variable.set('inner');
        return [variable.get(), currentContext() !== shared, currentContext()._isShared()];
      }),
    );
    expect(seen).toEqual(['inner', true, false]);
    expect(shared.get(variable)).toBeUndefined();
    expect(shared.toString()).toBe('<Context vars=0>');
  });

  it('a set in it moves the running code to a private copy, which exitContext() hands back', () => {
    const variable = new ContextVar<string>('v', { default: 'default' });
    const shared = copyContext().run(() => shareContext());
    const previous = enterContext(shared);
    const token = variable.set('x');
    const left = exitContext(previous);
    expect(left).not.toBe(shared);
    expect([left.get(variable), left._isShared(), shared.get(variable)]).toEqual([
      'x',
      false,
      undefined,
    ]);
    expect(token._context).toBe(left);
  });

  it('_own() is a private copy of a shared context and the context itself otherwise', () => {
    const context = copyContext();
    const shared = context.run(() => shareContext());
    expect(context._own()).toBe(context);
    const own = shared._own();
    expect([own === shared, own._isShared(), own.size]).toEqual([false, false, 0]);
  });
});
