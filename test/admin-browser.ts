import type { Hono } from 'hono';
import { PUBLIC_URL } from './harness.ts';

const ORIGIN = new URL(PUBLIC_URL).origin;
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0';

/**
 * A browser for the administration's tests, through `app.request`: its cookies
 * (path /admin), its address (the socket's), its user agent and, if given, its
 * language; a form is posted from our own origin unless `headers` say
 * otherwise (an empty value drops a header). `app()` is asked at each request:
 * the tests build their app in before().
 */
export class AdminBrowser {
  cookies = new Map<string, string>();
  constructor(readonly app: () => Hono, readonly address = '192.0.2.10', readonly userAgent = FIREFOX, readonly language?: string) {}
  async request(path: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent, ...(this.language ? { 'accept-language': this.language } : {}),
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, 'sec-fetch-site': 'same-origin' } : {}), ...init.headers,
    };
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    if (this.cookies.size) headers.cookie = [...[...this.cookies].map(([k, v]) => `${k}=${v}`), ...(headers.cookie ? [headers.cookie] : [])].join('; ');
    const r = await this.app().request(`${PUBLIC_URL}${path}`, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}) }, { incoming: { socket: { remoteAddress: this.address } } });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (/Max-Age=0/.test(c)) this.cookies.delete(k!);
      else this.cookies.set(k!, v!);
    }
    return r;
  }
  async page(path: string): Promise<{ r: Response; html: string; csrf: string | undefined }> {
    const r = await this.request(path);
    const html = await r.text();
    return { r, html, csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] };
  }
}
