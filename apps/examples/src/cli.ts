import { run } from 'asyncio-ts';
import type { Example } from './example.js';
import { timestampedOutput } from './output.js';
import { examples, findExample } from './registry.js';
import { runShowcase } from './showcase/main.js';

/** Where the command line writes. */
export interface Streams {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether standard output is a terminal (the showcase then redraws its progress line). */
  readonly isTTY?: boolean;
}

const usage = `usage: asyncio-ts-examples [--list | --help | NAME...]
       asyncio-ts-examples crawl [--tree] [options]   (crawl --help for its options)

Runs every example in turn, or only the ones named. \`crawl\` runs the showcase instead: a
crawler of a local web site, with worker tasks, timeouts, threads and Ctrl-C; it is not one of
the examples run by default.
`;

function listing(): string {
  const width = Math.max(...examples.map((example) => example.name.length));
  return examples
    .map((example) => `${example.name.padEnd(width)}  ${example.description}\n`)
    .join('');
}

/**
 * The examples app: `--list` lists the examples, no argument runs them all in turn, names run
 * those; `crawl ...` runs the showcase crawler. Each example runs on its own event loop with
 * `run()`. Resolves to the exit code.
 */
export async function cli(args: readonly string[], streams: Streams): Promise<number> {
  // `pnpm start -- NAME` may pass the `--` through.
  const words = args.filter((arg) => arg !== '--');
  if (words[0] === 'crawl') return runShowcase(words.slice(1), streams);
  if (words.includes('--help') || words.includes('-h')) {
    streams.stdout(`${usage}\n${listing()}`);
    return 0;
  }
  if (words.includes('--list') || words.includes('-l')) {
    streams.stdout(listing());
    return 0;
  }
  const unknownOption = words.find((word) => word.startsWith('-'));
  if (unknownOption !== undefined) {
    streams.stderr(`unknown option: ${unknownOption}\n${usage}`);
    return 2;
  }

  const chosen: Example[] = [];
  for (const name of words) {
    const example = findExample(name);
    if (example === undefined) {
      streams.stderr(`unknown example: ${name}\nthe examples are:\n${listing()}`);
      return 2;
    }
    chosen.push(example);
  }
  const selected = chosen.length > 0 ? chosen : examples;

  const out = timestampedOutput(streams.stdout);
  for (const [index, example] of selected.entries()) {
    if (selected.length > 1) {
      streams.stdout(`${index === 0 ? '' : '\n'}== ${example.name}: ${example.description}\n`);
    }
    try {
      await run(() => example.main(out));
    } catch (error) {
      streams.stderr(`example ${example.name} failed: ${String(error)}\n`);
      if (error instanceof Error && error.stack !== undefined) {
        streams.stderr(`${error.stack}\n`);
      }
      return 1;
    }
  }
  return 0;
}
