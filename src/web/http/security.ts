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

export const securityHeaders = (frameOrigins: () => readonly string[]): MiddlewareHandler => async (c, next) => {
  await next();
  const h = c.res.headers;
  h.set('Content-Security-Policy', csp(frameOrigins()));
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  h.set('X-Frame-Options', 'DENY');
  h.set('Cross-Origin-Opener-Policy', 'same-origin');
  h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
};
