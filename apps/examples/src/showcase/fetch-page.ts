/**
 * One HTTP request of the crawl, under a timeout that really aborts it.
 */
import { abortable, type Coro, TimeoutError, timeout } from 'asyncio-ts';

/** What a request gave: a page, a failure with its reason, or nothing in time. */
export type FetchOutcome =
  | { readonly kind: 'ok'; readonly body: string }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'timed out' };

/**
 * GETs `url` and reads its body within `timeoutMs`. When the time is up, the timeout cancels the
 * wait and `abortable` aborts the request's signal, so the connection is dropped rather than
 * left to finish unseen. A status other than 200 is a failure named `HTTP <status>`; a dropped
 * connection is a `connection reset`.
 */
export function* fetchPage(url: string, timeoutMs: number): Coro<FetchOutcome> {
  try {
    return yield* timeout(timeoutMs, function* () {
      return yield* abortable((signal) => request(url, signal));
    });
  } catch (error) {
    // Only the timeout is an outcome: a CancelledError (the crawl is stopping) goes on up.
    if (error instanceof TimeoutError) return { kind: 'timed out' };
    throw error;
  }
}

/** The request as a promise that never rejects: a failure is an outcome like a page. */
async function request(url: string, signal: AbortSignal): Promise<FetchOutcome> {
  try {
    const response = await fetch(url, { signal });
    const body = await response.text();
    if (response.status !== 200) return { kind: 'failed', reason: `HTTP ${response.status}` };
    return { kind: 'ok', body };
  } catch (error) {
    return { kind: 'failed', reason: failureReason(error) };
  }
}

/** A short reason for a failed fetch: undici wraps the socket's error in a TypeError. */
function failureReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
