#!/usr/bin/env node
/**
 * The examples app: `node dist/main.js` runs every example in turn, `node dist/main.js NAME`
 * runs one, `node dist/main.js --list` lists them, `node dist/main.js crawl` runs the showcase.
 */
import { cli } from './cli.js';

process.exitCode = await cli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
});
