import { readFileSync } from 'node:fs';
import type { Context, Hono } from 'hono';
import type { SiteStore } from '../site/site.service.ts';
import type { MediaStore } from '../../modules/media/media.store.ts';
import { HASH_PATTERN } from '../../modules/media/media.store.ts';
import { INFO_TYPE, imageInfo } from '../../modules/media/media.iiif.ts';
import { CACHE, prepare, respond, type Prepared } from './prepared.ts';
import { fileResponse } from './ranges.ts';

// Media and IIIF routes. Every name is checked against the few names the
// store writes before it reaches the file system, and only hashes of the
// current content are served: a path can never leave the media directory.
//   /media/<hash>/w640.avif | full.jpg | original.mp4 | track.vtt
//   /iiif/image/<hash>/info.json and /iiif/image/<hash>/<region>/<size>/0/default.jpg
//   /iiif/media/<id>/manifest.json, /iiif/themes/<id>/manifest.json

const DERIVATIVE = /^(w\d{1,5}\.(avif|webp|jpg)|full\.jpg)$/;
const ORIGINAL = /^original\.[a-z0-9]{2,5}$/;
const REGION = /^(full|\d{1,6},\d{1,6},\d{1,6},\d{1,6})$/;
const SIZE = /^(max|\d{1,6},\d{0,6})$/;
const TYPES: Record<string, string> = { avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg' };

/** IIIF resources are meant to be opened by viewers on other sites. */
const CORS = { 'Access-Control-Allow-Origin': '*' };

export function mediaRoutes(app: Hono, site: SiteStore, store: MediaStore, notFound: (c: Context) => Response | Promise<Response>): void {
  // info.json as sharp wrote it, rewritten once with the public URL; forgotten when the content changes.
  const infos = new Map<string, Prepared>();
  let infosVersion = '';

  const sendFile = (c: Context, hash: string, name: string, type: string): Response | Promise<Response> => {
    const file = store.file(hash, name);
    // Content-addressed: the bytes under this name never change.
    const res = file && fileResponse(c.req.raw, file.path, { 'Content-Type': type, 'Cache-Control': CACHE.immutable, ...CORS });
    return res ?? notFound(c);
  };

  app.get('/media/:hash/:name', async (c) => {
    const state = site.current;
    const { hash, name } = c.req.param();
    if (!state || !HASH_PATTERN.test(hash)) return notFound(c);
    if (name === 'track.vtt') {
      const track = state.media.tracks.get(hash);
      return track ? respond(c.req.raw, track, 200, CORS) : notFound(c);
    }
    const f = state.media.files.get(hash);
    if (!f) return notFound(c);
    // Image originals are never served (they may carry EXIF/GPS data or be SVG): derivatives only.
    if (f.image && DERIVATIVE.test(name)) return sendFile(c, hash, name, TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream');
    if (!f.image && ORIGINAL.test(name)) return sendFile(c, hash, name, f.mime);
    return notFound(c);
  });

  app.get('/iiif/image/:hash/info.json', (c) => {
    const state = site.current;
    const { hash } = c.req.param();
    if (!state || !HASH_PATTERN.test(hash) || !state.media.files.get(hash)?.image) return notFound(c);
    if (infosVersion !== state.version) {
      infos.clear();
      infosVersion = state.version;
    }
    let info = infos.get(hash);
    if (!info) {
      const file = store.file(hash, 'iiif/info.json');
      if (!file) return notFound(c);
      info = prepare(imageInfo(readFileSync(file.path, 'utf8'), site.publicUrl, hash), INFO_TYPE, CACHE.page);
      infos.set(hash, info);
    }
    return respond(c.req.raw, info, 200, CORS);
  });

  app.get('/iiif/image/:hash/:region/:size/:rotation/:quality', (c) => {
    const state = site.current;
    const { hash, region, size, rotation, quality } = c.req.param();
    if (!state || !HASH_PATTERN.test(hash) || !state.media.files.get(hash)?.image) return notFound(c);
    if (!REGION.test(region) || !SIZE.test(size) || rotation !== '0' || quality !== 'default.jpg') return notFound(c);
    return sendFile(c, hash, `iiif/${region}/${size}/0/default.jpg`, 'image/jpeg');
  });

  const manifest = (c: Context) => {
    const m = site.current?.media.manifests.get(c.req.path);
    return m ? respond(c.req.raw, m, 200, CORS) : notFound(c);
  };
  app.get('/iiif/media/:id/manifest.json', manifest);
  app.get('/iiif/themes/:id/manifest.json', manifest);
}
