import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMAT_MAX, derivativePlan } from './media.image.ts';
import { embedOf } from './media.external.ts';
import { iiifRights } from './media.iiif.ts';
import { canonicalExt, extensionsFor } from './media.types.ts';
import { mediaRefs } from './media.import.ts';
import { fullUrl, originalUrl, trackUrl, variantUrl, widthAtLeast } from './media.urls.ts';
import { MediaStore } from './media.store.ts';

const H = 'a'.repeat(64);

test('derivative widths: the standard steps below the original, then the original (at most 2560)', () => {
  const widthsFor = (w: number) => derivativePlan(w, w).widths;
  assert.deepEqual(widthsFor(6000), [320, 640, 960, 1280, 1920, 2560]);
  assert.deepEqual(widthsFor(2560), [320, 640, 960, 1280, 1920, 2560]);
  assert.deepEqual(widthsFor(1000), [320, 640, 960, 1000]);
  assert.deepEqual(widthsFor(800), [320, 640, 800]);
  assert.deepEqual(widthsFor(320), [320]);
  assert.deepEqual(widthsFor(100), [100]);
});

test('derivative sizes fit every format for tall scans, panoramas and strips', () => {
  // A 1200 × 18000 scan: at 1200 px wide it would be too tall for WebP and AVIF.
  assert.deepEqual(derivativePlan(1200, 18000).widths, [320, 640, 960, 1092]);
  assert.deepEqual(derivativePlan(1200, 18000).full, { width: 1200, height: 18000 });
  // A 70000 × 200 panorama: full.jpg is fitted inside libjpeg's 65,500 pixels.
  assert.deepEqual(derivativePlan(70000, 200).full, { width: 65500, height: 187 });
  assert.deepEqual(derivativePlan(70000, 200).widths, [320, 640, 960, 1280, 1920, 2560]);
  // A 1 × 65535 strip keeps one responsive width of 1 px (made inside a 1 × 16,383 box).
  assert.deepEqual(derivativePlan(1, 65535).widths, [1]);
  for (const [w, h] of [[1, 1], [1, 100_000_000], [100_000_000, 1], [10_000, 10_000], [16_384, 6_103], [3, 65_536]] as const) {
    const p = derivativePlan(w, h);
    for (const x of p.widths) assert.ok(x >= 1 && x <= Math.min(w, 2560) && Math.round((x * h) / w) <= FORMAT_MAX.webp || x === 1, `${w}×${h}: width ${x}`);
    assert.ok(p.full.width <= FORMAT_MAX.jpeg && p.full.height <= FORMAT_MAX.jpeg, `${w}×${h}: full ${JSON.stringify(p.full)}`);
  }
});

test('derivative and file names: content-addressed and predictable', () => {
  const image = { hash: H, mime: 'image/png', bytes: 1, widths: [320, 640, 1200] };
  assert.equal(variantUrl(image, 640, 'avif'), `/media/${H}/w640.avif`);
  assert.equal(fullUrl(image), `/media/${H}/full.jpg`);
  assert.equal(widthAtLeast(image, 500), 640);
  assert.equal(widthAtLeast(image, 2000), 1200);
  assert.equal(originalUrl({ hash: H, mime: 'video/mp4', bytes: 1 }), `/media/${H}/original.mp4`);
  assert.equal(originalUrl({ hash: H, mime: 'audio/mpeg', bytes: 1 }), `/media/${H}/original.mp3`);
  assert.equal(trackUrl({ hash: H, mime: 'text/vtt; charset=utf-8', bytes: 1 }), `/media/${H}/track.vtt`);
  assert.equal(canonicalExt('image/jpeg'), 'jpg');
  assert.deepEqual(extensionsFor('captions'), ['.vtt']);
});

test('the store never resolves a name outside a hash folder', () => {
  const store = new MediaStore('/tmp/parcours-store-unit');
  assert.equal(store.file(H, '../../../etc/passwd'), undefined);
  assert.equal(store.file(H, '/etc/passwd'), undefined);
  assert.equal(store.file('../etc', 'passwd'), undefined);
  assert.throws(() => store.folder('not-a-hash'));
});

test('every file a media item names is listed once with its role', () => {
  const refs = mediaRefs([{
    id: 'film', kind: 'video', file: 'media/f.mp4', sources: ['media/f.webm'], poster: 'media/p.jpg',
    captions: { fr: 'media/f.fr.vtt' }, chapters: { fr: 'media/c.fr.vtt' }, transcript: { fr: 'media/f.fr.md' },
    caption: { fr: 'x' }, credit: { fr: 'y' },
  }]);
  assert.deepEqual(refs.map((r) => [r.path, r.role]), [
    ['media/f.mp4', 'video'], ['media/f.webm', 'video'], ['media/p.jpg', 'image'],
    ['media/f.fr.vtt', 'captions'], ['media/c.fr.vtt', 'chapters'], ['media/f.fr.md', 'transcript'],
  ]);
  assert.equal(refs[3]?.where, 'media "film": captions (fr)');
});

test('external videos: page URLs become privacy-friendly player URLs; other URLs are refused', () => {
  assert.deepEqual(embedOf({ provider: 'youtube', url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10' }), {
    src: 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', origin: 'https://www.youtube-nocookie.com', hostName: 'YouTube', watch: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  });
  assert.equal((embedOf({ provider: 'youtube', url: 'https://youtu.be/dQw4w9WgXcQ' }) as { src: string }).src, 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.equal((embedOf({ provider: 'vimeo', url: 'https://vimeo.com/76979871' }) as { src: string }).src, 'https://player.vimeo.com/video/76979871?dnt=1');
  assert.deepEqual(embedOf({ provider: 'peertube', url: 'https://tube.example.fr/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d' }), {
    src: 'https://tube.example.fr/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d', origin: 'https://tube.example.fr', hostName: 'PeerTube (tube.example.fr)', watch: 'https://tube.example.fr/w/9c9de5e8-0a1e-484a-b099-e80766180a6d',
  });
  for (const [provider, url] of [['youtube', 'https://evil.example/watch?v=dQw4w9WgXcQ'], ['youtube', 'https://www.youtube.com/watch?v=short'], ['vimeo', 'https://vimeo.com/channels/staff'], ['peertube', 'https://tube.example.fr/about']] as const) {
    assert.equal(typeof embedOf({ provider, url }), 'string', url);
  }
});

test('IIIF rights: Creative Commons and RightsStatements URIs in their http form; other licences stay in the metadata', () => {
  assert.equal(iiifRights('https://creativecommons.org/licenses/by/4.0/'), 'http://creativecommons.org/licenses/by/4.0/');
  assert.equal(iiifRights('http://rightsstatements.org/vocab/InC/1.0/'), 'http://rightsstatements.org/vocab/InC/1.0/');
  assert.equal(iiifRights('https://www.etalab.gouv.fr/licence-ouverte-open-licence'), undefined);
  assert.equal(iiifRights(undefined), undefined);
});
