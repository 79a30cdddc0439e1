import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EventLoop,
  type ExceptionContext,
  type ExceptionHandler,
  logger,
  VirtualTimeLoop,
} from '../src/index.js';
import { captureExceptions, expectThrows, runOnce } from './utils.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Replaces `logger.error` with a spy that records instead of printing. */
function spyOnErrors(): string[] {
  const written: string[] = [];
  vi.spyOn(logger, 'error').mockImplementation((message: string) => {
    written.push(message);
  });
  return written;
}

/** A loop whose default handler records the contexts it is given (and may throw). */
class RecordingLoop extends EventLoop {
  readonly defaultContexts: ExceptionContext[] = [];
  defaultThrows: Error | null = null;

  override defaultExceptionHandler(context: ExceptionContext): void {
    this.defaultContexts.push(context);
    if (this.defaultThrows !== null) throw this.defaultThrows;
  }
}

function boom(_a: number, _b: string): void {
  throw new Error('boom');
}

describe('the exception handler', () => {
  it('getExceptionHandler() is null until a handler is set, and setExceptionHandler(null) restores that', () => {
    const loop = new EventLoop();
    const handler: ExceptionHandler = () => {};
    const seen = [loop.getExceptionHandler()];
    loop.setExceptionHandler(handler);
    seen.push(loop.getExceptionHandler());
    loop.setExceptionHandler(null);
    seen.push(loop.getExceptionHandler());
    expect(seen).toEqual([null, handler, null]);
  });

  it('setExceptionHandler() with something other than a function or null throws TypeError', () => {
    const loop = new EventLoop();
    expectThrows(
      () => loop.setExceptionHandler(5 as never),
      TypeError,
      'A function or null is expected, got number',
    );
  });

  it("an error in a callback reaches the handler as 'Exception in callback name(args)' with the error and the handle", async () => {
    const loop = new EventLoop();
    const reports = captureExceptions(loop);
    const handle = loop.callSoon(boom, 1, 'x');
    await runOnce(loop);
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(Object.keys(report!).sort()).toEqual(['exception', 'handle', 'message']);
    expect(report!.message).toBe("Exception in callback boom(1, 'x')");
    expect((report!.exception as Error).message).toBe('boom');
    expect(report!.handle).toBe(handle);
  });

  it('the handler is called with the loop first', async () => {
    const loop = new EventLoop();
    const loops: EventLoop[] = [];
    loop.setExceptionHandler((l) => {
      loops.push(l);
    });
    loop.callSoon(boom, 1, 'x');
    await runOnce(loop);
    expect(loops.length === 1 && loops[0] === loop).toBe(true);
  });

  it('an error in one callback does not keep the next callbacks of the iteration from running', async () => {
    const loop = new EventLoop();
    const events: string[] = [];
    loop.setExceptionHandler((_l, context) => {
      events.push(context.message);
    });
    loop.callSoon(() => events.push('before'));
    loop.callSoon(boom, 2, 'y');
    loop.callSoon(() => events.push('after'));
    await runOnce(loop);
    expect(events).toEqual(['before', "Exception in callback boom(2, 'y')", 'after']);
  });

  it('an error in a done callback is reported naming the callback and the future it received', async () => {
    const loop = new EventLoop();
    const reports = captureExceptions(loop);
    const fut = loop.createFuture<number>();
    fut.addDoneCallback(function failing() {
      throw new Error('in done callback');
    });
    fut.setResult(1);
    await runOnce(loop);
    expect(reports.map((r) => [r.message, (r.exception as Error).message])).toEqual([
      ['Exception in callback failing(<Future finished result=1>)', 'in done callback'],
    ]);
  });

  it('an error in a timer callback is reported with the TimerHandle', async () => {
    const loop = new VirtualTimeLoop();
    const reports = captureExceptions(loop);
    const timer = loop.callLater(10, function tickTock() {
      loop.stop();
      throw new RangeError('late');
    });
    await loop.runForever();
    expect(
      reports.map((r) => [r.message, (r.exception as Error).message, r.handle === timer]),
    ).toEqual([['Exception in callback tickTock()', 'late', true]]);
  });

  it('in debug mode the report of a callback error also carries where it was scheduled', async () => {
    const loop = new EventLoop();
    const reports = captureExceptions(loop);
    loop.callSoon(boom, 1, 'x');
    loop.setDebug(true);
    loop.callSoon(boom, 2, 'y');
    await runOnce(loop);
    expect(reports.map((r) => [r.message, typeof r.sourceTraceback])).toEqual([
      ["Exception in callback boom(1, 'x')", 'undefined'],
      ["Exception in callback boom(2, 'y')", 'string'],
    ]);
  });

  it('a handler that throws is reported by the default handler as "Unhandled error in exception handler"', async () => {
    const loop = new RecordingLoop();
    const handlerError = new Error('handler broke');
    loop.setExceptionHandler(() => {
      throw handlerError;
    });
    const context: ExceptionContext = { message: 'original' };
    loop.callExceptionHandler(context);
    expect(loop.defaultContexts).toEqual([
      { message: 'Unhandled error in exception handler', exception: handlerError, context },
    ]);
    expect(loop.defaultContexts[0]!.context).toBe(context);
  });

  it('the report of a throwing handler is written through logger.error', () => {
    const written = spyOnErrors();
    const loop = new EventLoop();
    const handlerError = new Error('handler broke');
    loop.setExceptionHandler(() => {
      throw handlerError;
    });
    loop.callExceptionHandler({ message: 'original' });
    expect(written).toEqual([
      `Unhandled error in exception handler\ncontext: { message: 'original' }\n${handlerError.stack}`,
    ]);
  });

  it('a default handler that throws is logged as "Exception in default exception handler"', () => {
    const written = spyOnErrors();
    const loop = new RecordingLoop();
    const broken = new Error('default broke');
    loop.defaultThrows = broken;
    loop.callExceptionHandler({ message: 'something' });
    expect(written).toEqual([`Exception in default exception handler\n${broken.stack}`]);
  });

  it('when the handler and then the default handler throw, the second error is logged', () => {
    const written = spyOnErrors();
    const loop = new RecordingLoop();
    const broken = new Error('default broke');
    loop.defaultThrows = broken;
    loop.setExceptionHandler(() => {
      throw new Error('handler broke');
    });
    loop.callExceptionHandler({ message: 'something' });
    expect(written).toEqual([
      'Exception in default exception handler while handling an unexpected error in custom ' +
        `exception handler\n${broken.stack}`,
    ]);
  });
});

describe('defaultExceptionHandler', () => {
  it('with no handler set, a callback error is written through logger.error: message, handle, stack', async () => {
    const written = spyOnErrors();
    const loop = new EventLoop();
    let thrown: Error | null = null;
    loop.callSoon(function failing() {
      thrown = new Error('in callback');
      throw thrown;
    });
    await runOnce(loop);
    expect(written).toEqual([
      `Exception in callback failing()\nhandle: <Handle failing()>\n${(thrown as Error | null)?.stack}`,
    ]);
  });

  it('writes the message, then every other key in sorted order, then the exception stack', () => {
    const written = spyOnErrors();
    const loop = new EventLoop();
    const error = new TypeError('bad');
    loop.defaultExceptionHandler({
      message: 'it failed',
      task: 'T',
      future: 'F',
      exception: error,
    });
    expect(written).toEqual([`it failed\nfuture: F\ntask: T\n${error.stack}`]);
  });

  it("an empty message is written as 'Unhandled exception in event loop'", () => {
    const written = spyOnErrors();
    new EventLoop().defaultExceptionHandler({ message: '' });
    expect(written).toEqual(['Unhandled exception in event loop']);
  });

  it('an exception that is not an Error is written with util.inspect', () => {
    const written = spyOnErrors();
    new EventLoop().defaultExceptionHandler({ message: 'odd', exception: { code: 7 } });
    expect(written).toEqual(['odd\n{ code: 7 }']);
  });

  it('callExceptionHandler() without a handler uses the default handler', () => {
    const loop = new RecordingLoop();
    loop.callExceptionHandler({ message: 'direct' });
    expect(loop.defaultContexts).toEqual([{ message: 'direct' }]);
  });
});
