/**
 * The local HTTP server that serves a {@link Site} on 127.0.0.1, with its slow and broken pages.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Page, pageHtml, pagePath, type Site } from './site.js';

/** A running site server. */
export interface SiteServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  /** How many requests came in so far. */
  requests(): number;
  /**
   * How many requests the client gave up on (closed its connection) before they were answered:
   * the requests a timeout or a cancellation really aborted.
   */
  abortedByClient(): number;
  /**
   * Stops listening, waits up to {@link closeGraceMs} for the requests still open, then drops
   * the connections left (a request that hangs forever included).
   */
  close(): Promise<void>;
}

/** How long `close()` lets open requests end before it drops their connections, in ms. */
export const closeGraceMs = 500;

/** Options of {@link startSiteServer}. */
export interface SiteServerOptions {
  /** How long a slow page takes to answer, in ms. */
  readonly slowMs: number;
}

/** Starts serving `site` on 127.0.0.1 at a free port. */
export function startSiteServer(site: Site, options: SiteServerOptions): Promise<SiteServer> {
  const byPath = new Map<string, Page>(site.pages.map((page) => [pagePath(page.index), page]));
  const timers = new Set<NodeJS.Timeout>();
  let requests = 0;
  let abortedByClient = 0;
  let dropping = false;
  /** The slow and hanging responses whose 'close' event has not come yet. */
  const unsettled = new Set<ServerResponse>();
  let onSettled: (() => void) | undefined;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests++;
    const page = byPath.get(request.url ?? '');
    if (page === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no such page\n');
      return;
    }
    answer(page, request, response);
  });

  function answer(page: Page, request: IncomingMessage, response: ServerResponse): void {
    if (page.kind === 'slow' || page.kind === 'hang') watchForAbort(response);
    switch (page.kind) {
      case 'ok':
        sendPage(page, response);
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          sendPage(page, response);
        }, options.slowMs);
        timers.add(timer);
        return;
      }
      case 'error':
        response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'hang':
        // Never answers: only the client's timeout (or close()) ends this request.
        return;
    }
  }

  /**
   * Counts the request if its connection closes before the answer is sent. Its response's
   * 'close' event can come after the server's own, so `close()` waits for these too.
   */
  function watchForAbort(response: ServerResponse): void {
    unsettled.add(response);
    response.once('close', () => {
      unsettled.delete(response);
      if (!response.writableEnded && !dropping) abortedByClient++;
      onSettled?.();
    });
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        requests: () => requests,
        abortedByClient: () => abortedByClient,
        close: () =>
          new Promise<void>((closed) => {
            const dropAll = setTimeout(() => {
              dropping = true;
              server.closeAllConnections();
            }, closeGraceMs);
            let listening = true;
            onSettled = () => {
              if (listening || unsettled.size > 0) return;
              clearTimeout(dropAll);
              for (const timer of timers) clearTimeout(timer);
              timers.clear();
              closed();
            };
            server.close(() => {
              listening = false;
              onSettled?.();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}

function sendPage(page: Page, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(page));
}
