import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpLimits } from '../../config/config.ts';

// The HTTP server with limits that keep it answering when clients misbehave.
// Every connection holds an open file; with the common limit of 1,024, a few
// hundred idle or slow sockets used to exhaust it, and every request failed
// until Node's defaults (60 s for headers, checked every 30 s) closed them.

/** Bytes read while looking for the first request line before giving up (the parser then has its own limit). */
const FIRST_LINE_LIMIT = 8192;
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * A Node HTTP server with the given limits:
 * - a request's headers must arrive within `headersTimeoutMs`, measured from
 *   the connection for a first request: a socket that sends nothing, or
 *   headers a byte at a time, is closed (checked every `checkIntervalMs`);
 * - the whole request within `requestTimeoutMs`; an idle keep-alive socket is
 *   closed after `keepAliveTimeoutMs`; a response that cannot be written for
 *   `sendTimeoutMs` (a client that stopped reading) is abandoned;
 * - at most `maxConnections` open connections: more are closed at once, so
 *   that the process keeps files for its database and media;
 * - a request line without an HTTP version (HTTP/0.9) gets a 400 at once,
 *   instead of waiting for headers that such a client never sends.
 */
export function createHttpServer(handler: RequestListener, limits: HttpLimits, log: (line: string) => void = console.warn): Server {
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
  }, handler);
  server.timeout = limits.sendTimeoutMs;
  server.maxConnections = limits.maxConnections;
  server.on('connection', refuseHttp09);
  // Refused connections are said once a minute at most: an attack must not flood the log.
  let refused = 0;
  let lastSaid = 0;
  server.on('drop', () => {
    refused++;
    const now = Date.now();
    if (now - lastSaid < 60_000) return;
    log(`parcours: ${refused} connection${refused === 1 ? '' : 's'} refused: ${limits.maxConnections} already open (MAX_CONNECTIONS).`);
    lastSaid = now;
    refused = 0;
  });
  const advice = fileLimitAdvice(limits.maxConnections, openFileLimit());
  if (advice) log(`parcours: ${advice}`);
  return server;
}

/**
 * Watches a connection's first bytes, only until the end of its first line:
 * Node's parser takes "GET /\r\n" for an HTTP/0.9 request and waits for
 * headers that will never come.
 */
function refuseHttp09(socket: Socket): void {
  let head = '';
  const onData = (chunk: Buffer) => {
    head = (head + chunk.toString('latin1')).replace(/^(\r?\n)+/, '');
    const end = head.indexOf('\n');
    if (end < 0 && head.length < FIRST_LINE_LIMIT) return;
    socket.off('data', onData);
    if (end >= 0 && /^[A-Za-z]+ [^ ]+$/.test(head.slice(0, end).replace(/\r$/, ''))) {
      socket.end(BAD_REQUEST, () => socket.destroy());
    }
  };
  socket.on('data', onData);
}

/** The soft limit of open files of this process (Linux), or undefined where it cannot be read. */
export function openFileLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    return line === undefined || line === 'unlimited' ? undefined : Number(line);
  } catch {
    return undefined;
  }
}

/** Files the process needs besides connections: the database and its journal, logs, the listening socket, esbuild, Node's own. */
export const FILES_BESIDE_CONNECTIONS = 64;

/**
 * Each connection may hold two files (its socket, and a media file being
 * sent): a cap above what the limit allows fails requests instead of
 * refusing connections.
 */
export function fileLimitAdvice(maxConnections: number, limit: number | undefined): string | undefined {
  if (limit === undefined) return undefined;
  const needed = 2 * maxConnections + FILES_BESIDE_CONNECTIONS;
  if (needed <= limit) return undefined;
  return `MAX_CONNECTIONS=${maxConnections} needs up to ${needed} open files, but the limit is ${limit}: raise it (ulimit -n, or LimitNOFILE= in the systemd unit) or lower MAX_CONNECTIONS to ${Math.max(1, Math.floor((limit - FILES_BESIDE_CONNECTIONS) / 2))}.`;
}
