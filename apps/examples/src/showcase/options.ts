/**
 * The showcase's command line: `crawl [--pages N] [--workers N] ... [--tree]`.
 */

/** Everything the showcase can be told. */
export interface ShowcaseOptions {
  /** Pages of the generated site. */
  pages: number;
  /** Worker tasks fetching at once. */
  workers: number;
  /** The per-request timeout, in ms. */
  timeoutMs: number;
  /** How long a slow page takes to answer, in ms. */
  slowMs: number;
  /** SHA-256 rounds over each page's body. */
  hashRounds: number;
  /** Hashing jobs on worker threads at once. */
  hashSlots: number;
  /** The time between two progress updates, in ms (0: none). */
  progressMs: number;
  /** Print the task tree once, `treeAfterMs` after the crawl starts. */
  tree: boolean;
  treeAfterMs: number;
}

/** The defaults: a crawl of about 2 s on one machine. */
export const defaultOptions: Readonly<ShowcaseOptions> = {
  pages: 120,
  workers: 8,
  timeoutMs: 1000,
  slowMs: 400,
  hashRounds: 3000,
  hashSlots: 2,
  progressMs: 200,
  tree: false,
  treeAfterMs: 300,
};

const numberFlags = {
  '--pages': 'pages',
  '--workers': 'workers',
  '--timeout-ms': 'timeoutMs',
  '--slow-ms': 'slowMs',
  '--hash-rounds': 'hashRounds',
  '--hash-slots': 'hashSlots',
  '--progress-ms': 'progressMs',
  '--tree-after-ms': 'treeAfterMs',
} as const satisfies Record<string, keyof ShowcaseOptions>;

/** The flags as help text. */
export const showcaseUsage = `usage: asyncio-ts-examples crawl [options]

Serves a generated site on 127.0.0.1 and crawls it with worker tasks; Ctrl-C stops it early.

  --pages N          pages of the site (${defaultOptions.pages})
  --workers N        worker tasks fetching at once (${defaultOptions.workers})
  --timeout-ms N     per-request timeout (${defaultOptions.timeoutMs})
  --slow-ms N        how long a slow page takes (${defaultOptions.slowMs})
  --hash-rounds N    SHA-256 rounds over each page, on a worker thread (${defaultOptions.hashRounds})
  --hash-slots N     hashing jobs at once (${defaultOptions.hashSlots})
  --progress-ms N    time between progress updates, 0 for none (${defaultOptions.progressMs})
  --tree             print the task tree once during the crawl
  --tree-after-ms N  when to print it (${defaultOptions.treeAfterMs})
`;

/**
 * Reads the showcase's flags.
 * @throws RangeError naming the flag that is unknown or lacks a whole number.
 */
export function parseShowcaseArgs(args: readonly string[]): ShowcaseOptions {
  const options: ShowcaseOptions = { ...defaultOptions };
  for (let index = 0; index < args.length; index++) {
    const flag = args[index]!;
    if (flag === '--tree') {
      options.tree = true;
      continue;
    }
    if (!Object.hasOwn(numberFlags, flag)) throw new RangeError(`unknown crawl option: ${flag}`);
    const key = numberFlags[flag as keyof typeof numberFlags];
    const text = args[++index];
    const value = Number(text);
    const least = key === 'progressMs' || key === 'treeAfterMs' ? 0 : 1;
    if (text === undefined || !Number.isInteger(value) || value < least) {
      throw new RangeError(
        `${flag} needs a whole number of at least ${least}, got ${text ?? 'nothing'}`,
      );
    }
    options[key] = value;
  }
  return options;
}
