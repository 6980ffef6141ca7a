import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { SiteStore } from '../site/site.service.ts';
import { answer, type Prepared } from './prepared.ts';
import { rememberLocale } from './locale.ts';
import { securityHeaderValues } from './security.ts';

// The lean path: a page already rendered and cached is written straight to
// the socket, without building a WHATWG Request, a Headers object, a Response
// and the middleware chain for it. It gives exactly the answer the app gives
// (the same `answer` and `rememberLocale` rules, the same security headers;
// test/lean.test.ts compares the two); everything else — a query string, an
// encoded or dotted path, an uncached page, a method other than GET and
// HEAD — goes to the app unchanged.

export interface LeanOptions {
  /** Longer request targets go to the app, which answers 414. */
  maxUrlLength: number;
  logRequests?: boolean;
  secureCookies?: boolean;
}

/** A target the app would serve as a plain path: nothing to decode, no dot segment, no query. */
const PLAIN = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;

/** What the lean path writes for one page in one encoding, cookie case and security policy: built once, reused. */
interface Ready {
  origins: readonly string[];
  status: number;
  headers: string[];
  body: Buffer | undefined;
}

export function leanListener(site: SiteStore, options: LeanOptions, app: RequestListener): RequestListener {
  const secure = options.secureCookies ?? false;
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
  // Per cached page, the answers already written once: by Accept-Encoding value and whether the cookie matched.
  // Held weakly: a page the cache lets go takes its answers with it.
  const ready = new WeakMap<Prepared, Map<string, Ready>>();

  return (req: IncomingMessage, res: ServerResponse) => {
    const t = options.logRequests ? performance.now() : 0;
    const url = req.url ?? '';
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || url.length > options.maxUrlLength || !PLAIN.test(url) || DOT_SEGMENT.test(url)) return app(req, res);
    const hit = site.cached(url);
    const state = site.current;
    if (!hit || !state) return app(req, res);
    const h = req.headers;
    const cookie = rememberLocale(h.cookie, hit.locale, secure);
    const frameOrigins = state.media.frameOrigins;
    let status: number;
    let headers: string[] | Record<string, string>;
    let body: Buffer | undefined;
    if (method === 'GET' && h['if-none-match'] === undefined) {
      const key = `${'Set-Cookie' in cookie ? 1 : 0}${h['accept-encoding'] ?? ''}`;
      let byKey = ready.get(hit.page);
      if (!byKey) ready.set(hit.page, (byKey = new Map()));
      let r = byKey.get(key);
      if (!r || r.origins !== frameOrigins) {
        const a = answer(hit.page, 'GET', h['accept-encoding'], undefined, 200, cookie);
        r = { origins: frameOrigins, status: a.status, headers: Object.entries({ ...a.headers, ...securityFor(frameOrigins) }).flat(), body: a.body };
        // A client could send endless Accept-Encoding spellings: keep a few per page.
        if (byKey.size >= 8) byKey.clear();
        byKey.set(key, r);
      }
      ({ status, headers, body } = r);
    } else {
      const a = answer(hit.page, method, h['accept-encoding'], h['if-none-match'], 200, cookie);
      ({ status, body } = a);
      headers = { ...a.headers, ...securityFor(frameOrigins) };
    }
    res.writeHead(status, headers);
    res.end(body);
    // JSON-quoted so that a path cannot forge a log line (as the app's log does).
    if (options.logRequests) console.log(`${method} ${JSON.stringify(url)} ${status} ${(performance.now() - t).toFixed(1)}ms`);
  };
}
