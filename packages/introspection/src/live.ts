/**
 * The opt-in that needs no change to the program:
 * `node --import @asyncio-ts/introspection/live app.js` (or the same `--import` in
 * `NODE_OPTIONS`) serves the live view from the start, before the program's first line runs.
 * `ASYNCIO_TS_LIVE=0` turns it off again without removing the flag, and `ASYNCIO_TS_INTROSPECT=0`
 * serves it without recording where tasks suspend (see `recordStacks`). A failure to serve (the
 * socket cannot be made) is reported on standard error and does not stop the program.
 */
import { enableLiveView } from './server.js';

const setting = process.env.ASYNCIO_TS_LIVE;
if (setting !== '0' && setting !== 'false') {
  try {
    await enableLiveView({ recordStacks: process.env.ASYNCIO_TS_INTROSPECT !== '0' });
  } catch (error) {
    process.stderr.write(
      `asyncio-ts: the live view of process ${process.pid} is not served: ${
        error instanceof Error ? error.message : String(error)
      }\n`,
    );
  }
}
