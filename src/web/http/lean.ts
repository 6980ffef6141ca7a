import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { SiteStore } from '../site/site.service.ts';
import { answer, type Prepared } from './prepared.ts';
import { LANG_COOKIE, readCookie, rememberLocale } from './locale.ts';
import { securityHeaderValues } from './security.ts';

// The lean path: a page already rendered and cached is written straight to
// the socket, without building a WHATWG Request, a Headers object, a Response
// and the middleware chain for it. It gives exactly the answer the app gives
// (the same `answer` and `rememberLocale` rules, the same security headers;
// test/lean.test.ts compares the two); everything else — a query string, an
// encoded or dotted path, an uncached page, a method other than GET and
// HEAD, the administration (/admin: one person's, never cached) — goes to the app unchanged.

export interface LeanOptions {
  /** Longer request targets go to the app, which answers 414. */
  maxUrlLength: number;
  logRequests?: boolean;
  secureCookies?: boolean;
}

/** A target the app would serve as a plain path: nothing to decode, no dot segment, no query. */
const PLAIN = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;
/** A client could send endless Accept-Encoding spellings: a few answers are kept per page and cookie case. */
const READY_PER_CASE = 8;

/** What the lean path writes for one page in one encoding, cookie case and security policy: built once, reused. */
interface Ready {
  origins: readonly string[];
  status: number;
  headers: string[];
  body: Buffer | undefined;
}

/** A page's ready answers by Accept-Encoding value: [0] when the language cookie must be set, [1] when it already matches. */
type ReadyByCase = [Map<string, Ready>, Map<string, Ready>];

export function leanListener(site: SiteStore, options: LeanOptions, app: RequestListener): RequestListener {
  const secure = options.secureCookies ?? false;
  const log = options.logRequests ?? false;
  // Security headers per list of frame origins (one list per content version).
  let origins: readonly string[] | undefined;
  let security: Record<string, string> = securityHeaderValues([]);
  const securityFor = (frameOrigins: readonly string[]) => {
    if (frameOrigins !== origins) {
      origins = frameOrigins;
      security = securityHeaderValues(frameOrigins);
    }
    return security;
  };
  // Per cached page, the answers already written once. Held weakly: a page the cache lets go takes its answers with it.
  // Looked up without building anything per request (no cookie headers, no key string): this runs for every page served.
  const ready = new WeakMap<Prepared, ReadyByCase>();

  return (req: IncomingMessage, res: ServerResponse) => {
    const t = log ? performance.now() : 0;
    const url = req.url ?? '';
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || url.length > options.maxUrlLength || !PLAIN.test(url) || DOT_SEGMENT.test(url) || url.startsWith('/admin')) return app(req, res);
    const hit = site.cached(url);
    const state = site.current;
    if (!hit || !state) return app(req, res);
    const h = req.headers;
    const frameOrigins = state.media.frameOrigins;
    let status: number;
    let headers: string[] | Record<string, string>;
    let body: Buffer | undefined;
    if (method === 'GET' && h['if-none-match'] === undefined) {
      // The same test rememberLocale makes: a cookie naming the page's language sets nothing.
      const matched = readCookie(h.cookie, LANG_COOKIE) === hit.locale ? 1 : 0;
      const enc = h['accept-encoding'] ?? '';
      let byCase = ready.get(hit.page);
      if (!byCase) ready.set(hit.page, (byCase = [new Map(), new Map()]));
      const byEnc = byCase[matched];
      let r = byEnc.get(enc);
      if (!r || r.origins !== frameOrigins) {
        const a = answer(hit.page, 'GET', h['accept-encoding'], undefined, 200, rememberLocale(h.cookie, hit.locale, secure));
        r = { origins: frameOrigins, status: a.status, headers: Object.entries({ ...a.headers, ...securityFor(frameOrigins) }).flat(), body: a.body };
        if (byEnc.size >= READY_PER_CASE) byEnc.clear();
        byEnc.set(enc, r);
      }
      ({ status, headers, body } = r);
    } else {
      const a = answer(hit.page, method, h['accept-encoding'], h['if-none-match'], 200, rememberLocale(h.cookie, hit.locale, secure));
      ({ status, body } = a);
      headers = { ...a.headers, ...securityFor(frameOrigins) };
    }
    res.writeHead(status, headers);
    res.end(body);
    // JSON-quoted so that a path cannot forge a log line (as the app's log does).
    if (log) console.log(`${method} ${JSON.stringify(url)} ${status} ${(performance.now() - t).toFixed(1)}ms`);
  };
}
