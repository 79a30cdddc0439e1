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
  /** Drops every open connection (the hanging ones too) and stops listening. */
  close(): Promise<void>;
}

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

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        requests: () => requests,
        close: () =>
          new Promise<void>((closed) => {
            for (const timer of timers) clearTimeout(timer);
            timers.clear();
            server.close(() => closed());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function sendPage(page: Page, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(page));
}
