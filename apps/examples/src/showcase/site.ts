/**
 * The generated web site the showcase crawls: numbered pages that link to each other, some of
 * them slow or broken in a fixed pattern, so every crawl of the same site ends with the same
 * counts.
 */

/** How a page answers. */
export type PageKind = 'ok' | 'slow' | 'error' | 'reset' | 'hang';

/** One page of the site, served at `/page/<index>`. */
export interface Page {
  readonly index: number;
  readonly kind: PageKind;
  /** The paths this page links to (only an answering page shows them). */
  readonly links: readonly string[];
  /** How many bytes of filler text the page carries besides its links. */
  readonly fillerBytes: number;
}

/** A site of `pages.length` pages whose root is `/page/0`. */
export interface Site {
  readonly pages: readonly Page[];
}

/** The path of page `index`. */
export function pagePath(index: number): string {
  return `/page/${index}`;
}

/** The path some pages link to that the site does not have: it answers 404. */
export const missingPath = '/missing';

/**
 * The kind of page `index`: every 10th (from the 3rd) is slow, every 17th (from the 5th)
 * answers 500, every 23rd (from the 11th) resets its connection, every 29th (from the 13th)
 * never answers. The first rule that matches wins; the root always answers.
 */
export function pageKind(index: number): PageKind {
  if (index === 0) return 'ok';
  if (index % 10 === 3) return 'slow';
  if (index % 17 === 5) return 'error';
  if (index % 23 === 11) return 'reset';
  if (index % 29 === 13) return 'hang';
  return 'ok';
}

/**
 * A site of `count` pages. Page `i` links to its three children `3i+1..3i+3` (so the links form
 * a tree over every page), back to the root, and to page `i+7` (a second way in, so a child of a
 * broken page may still be found); every 8th page also links to {@link missingPath}.
 * @throws RangeError when `count` is not a whole number of at least 1.
 */
export function buildSite(count: number): Site {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`a site needs a whole number of pages, at least 1, got ${count}`);
  }
  const pages: Page[] = [];
  for (let index = 0; index < count; index++) {
    const targets = [3 * index + 1, 3 * index + 2, 3 * index + 3, 0, index + 7];
    const links = targets.filter((target) => target < count).map(pagePath);
    if (index % 8 === 7) links.push(missingPath);
    pages.push({ index, kind: pageKind(index), links, fillerBytes: 200 + ((index * 37) % 800) });
  }
  return { pages };
}

/** The HTML of an answering page. */
export function pageHtml(page: Page): string {
  const anchors = page.links.map((link) => `<a href="${link}">${link}</a>`).join('\n');
  return `<!doctype html>
<title>page ${page.index}</title>
<h1>page ${page.index}</h1>
<p>${'lorem ipsum '.repeat(Math.ceil(page.fillerBytes / 12)).slice(0, page.fillerBytes)}</p>
${anchors}
`;
}
