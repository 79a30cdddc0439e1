/**
 * The CPU step of the crawl, run on a worker thread by `toThread`: it imports nothing from the
 * crawler, so a worker loads it alone.
 */
import { createHash } from 'node:crypto';

/**
 * SHA-256 of `body`, then of that digest and the body again, `rounds` times in all (a stand-in
 * for real work on a page: parsing, indexing). Returns the last digest in hex.
 */
export function hashBody(body: string, rounds: number): string {
  let digest = createHash('sha256').update(body).digest();
  for (let round = 1; round < rounds; round++) {
    digest = createHash('sha256').update(digest).update(body).digest();
  }
  return digest.toString('hex');
}
