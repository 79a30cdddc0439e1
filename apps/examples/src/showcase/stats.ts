/**
 * The counts a crawl keeps as it goes: what the progress line and the final report show.
 */

/** What a crawl has done so far. */
export class CrawlStats {
  /** Pages fetched with a 200 and hashed. */
  ok = 0;
  /** Failed requests by reason (`HTTP 500`, `connection reset`, ...). */
  readonly failed = new Map<string, number>();
  /** Requests that did not answer in time and were aborted. */
  timedOut = 0;
  /** Bytes of the bodies of the pages fetched with a 200. */
  bytes = 0;
  /** Bodies hashed on a worker thread. */
  hashes = 0;
  /** Pages found (linked to) so far, the root included. */
  found = 0;
  /** Pages a worker is fetching or hashing now. */
  inProgress = 0;

  /** Counts a failure of kind `reason`. */
  fail(reason: string): void {
    this.failed.set(reason, (this.failed.get(reason) ?? 0) + 1);
  }

  /** How many requests failed, whatever the reason. */
  failedTotal(): number {
    let total = 0;
    for (const count of this.failed.values()) total += count;
    return total;
  }

  /** How many pages are finished, one way or another. */
  finished(): number {
    return this.ok + this.failedTotal() + this.timedOut;
  }
}
