#!/usr/bin/env node
// `asyncio-ts ps PID` / `asyncio-ts pstree PID`: see src/cli.ts.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
