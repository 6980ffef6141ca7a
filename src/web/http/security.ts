import type { RequestListener } from 'node:http';
import type { MiddlewareHandler } from 'hono';

// Security headers on every response. No inline script is ever emitted (the
// JSON-LD data block is not executed), so script-src is 'self' only.
const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/**
 * The Content-Security-Policy. `frameOrigins` are the players of external
 * videos the content names (YouTube's, a PeerTube instance's…): a page may
 * frame them only after the visitor clicks, since the facade adds the frame.
 */
export function csp(frameOrigins: readonly string[] = []): string {
  return [...POLICY, `frame-src ${frameOrigins.length ? frameOrigins.join(' ') : "'none'"}`].join('; ');
}

/** The security headers every response carries, the start-up 503 included. */
export function securityHeaderValues(frameOrigins: readonly string[]): Record<string, string> {
  return {
    'Content-Security-Policy': csp(frameOrigins),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  };
}

/** The administration's paths (docs/decisions/0021): their own, stricter headers; the public site's are unchanged. */
export const isAdminPath = (path: string): boolean => path === '/admin' || path.startsWith('/admin/');

// The administration runs only its own script (an enhancement: the Markdown preview, drag and drop), asks only
// itself, frames nothing and is framed by nothing; its forms post to itself.
const ADMIN_POLICY = [
  "default-src 'none'", "script-src 'self'", "connect-src 'self'", "style-src 'self'", "img-src 'self'", "form-action 'self'",
  "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

/**
 * Every /admin answer, a redirect or an error included: never stored by any cache (it is one person's), never
 * indexed, no referrer to another site (a set-password link's secret is in its path). Not "no-referrer": with it
 * browsers send `Origin: null` on the admin's own form posts, which the CSRF check must refuse.
 */
export function adminHeaderValues(overTls = false): Record<string, string> {
  return {
    ...securityHeaderValues([]),
    'Content-Security-Policy': ADMIN_POLICY,
    'Cache-Control': 'no-store',
    'X-Robots-Tag': 'noindex, nofollow',
    'Referrer-Policy': 'same-origin',
    // Behind TLS (an https PUBLIC_URL), a browser that has seen the admin never asks for it over plain HTTP again.
    ...(overTls ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by the preview's routes (docs/decisions/0023): the headers of their answer, in place of the path's own set. */
    previewHeaders: Record<string, string>;
  }
}

/**
 * A preview of the draft site (docs/decisions/0023): the public page's CSP (with the draft's players), so that it
 * looks and works as it will; never stored, never indexed. `frameOrigins` undefined: a page of the administration
 * (a share link that no longer works), with the admin's CSP. A share link's token is in the path: `shared` sends no
 * referrer at all. Staff keep "same-origin" (see adminHeaderValues).
 */
export function previewHeaderValues(frameOrigins: readonly string[] | undefined, shared: boolean, overTls = false): Record<string, string> {
  return {
    ...(frameOrigins ? securityHeaderValues(frameOrigins) : adminHeaderValues(overTls)),
    'Cache-Control': 'no-store, private',
    'X-Robots-Tag': 'noindex, nofollow',
    'Referrer-Policy': shared ? 'no-referrer' : 'same-origin',
    ...(overTls ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}

/** `overTls`: the site is served over https (its PUBLIC_URL), so the admin's answers carry HSTS. */
export const securityHeaders = (frameOrigins: () => readonly string[], overTls = false): MiddlewareHandler => async (c, next) => {
  await next();
  const values = c.get('previewHeaders') ?? (isAdminPath(c.req.path) ? adminHeaderValues(overTls) : securityHeaderValues(frameOrigins()));
  for (const [name, value] of Object.entries(values)) c.res.headers.set(name, value);
};

/** The answer while the site is prepared at start: never cached (a proxy must not keep it), and asks to come back. */
export const startingListener: RequestListener = (_req, res) => {
  res.writeHead(503, {
    ...securityHeaderValues([]),
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'Retry-After': '5',
  }).end('Parcours is starting; try again in a few seconds.\n');
};
