import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { presentation3StrictUpgrade } from '@iiif/parser/strict';
import { normalize } from '@iiif/parser';
import { copyBundle, mediaBundle, memoryDb, siteFor, testStore, type TestSite } from './harness.ts';
import { importBundle, checkBundle, contentVersion, exportBundle } from '../src/modules/bundle/bundle.service.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { MediaStore } from '../src/modules/media/media.store.ts';
import { isAppError } from '../src/shared/errors.ts';

// Media end to end: import (derivatives, metadata, tracks), what is served
// (types, ranges, caching, CORS, traversal), the pages and IIIF manifests,
// and every kind of bad file, which must change nothing.

const hashOf = (html: string, re: RegExp) => re.exec(html)?.[1] ?? assert.fail(`no match for ${re}`);
const editFile = (dir: string, rel: string, f: (s: string) => string) => writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8')));

describe('a bundle with media files', () => {
  let s: TestSite;
  let page: string;
  let imageHash: string;
  before(async () => {
    s = await siteFor(await mediaBundle());
    page = await s.html('/en/tour/fossils');
    imageHash = hashOf(page, /\/media\/([0-9a-f]{64})\/w320\.avif/);
  });
  after(() => s.close());

  test('an image gets AVIF, WebP and JPEG at each width, EXIF orientation applied, with width, height and a placeholder', async () => {
    // The 1200 × 800 original says "turn 90°": the page shows it 800 × 1200.
    assert.match(page, /<img class="picture-placeholder" src="data:image\/webp;base64,[A-Za-z0-9+/=]+" alt="" width="800" height="1200"/);
    for (const fmt of ['avif', 'webp']) assert.match(page, new RegExp(`<source type="image/${fmt}" srcset="/media/${imageHash}/w320\\.${fmt} 320w, /media/${imageHash}/w640\\.${fmt} 640w, /media/${imageHash}/w800\\.${fmt} 800w" sizes="[^"]+"`));
    assert.match(page, new RegExp(`<img src="/media/${imageHash}/w800\\.jpg" srcset="[^"]+w800\\.jpg 800w" sizes="[^"]+" width="800" height="1200" alt="A large, spirally coiled ammonite`));
    const jpg = await s.get(`/media/${imageHash}/w640.jpg`);
    const meta = await sharp(Buffer.from(await jpg.arrayBuffer())).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [640, 960, 'jpeg']);
  });

  test('served images carry no EXIF, GPS or other metadata', async () => {
    for (const name of ['w320.avif', 'w320.webp', 'w640.jpg', 'full.jpg']) {
      const r = await s.get(`/media/${imageHash}/${name}`);
      assert.equal(r.status, 200, name);
      const buf = Buffer.from(await r.arrayBuffer());
      const meta = await sharp(buf).metadata();
      assert.equal(meta.exif, undefined, `${name} has EXIF`);
      assert.equal(meta.xmp, undefined, `${name} has XMP`);
      assert.ok(!buf.toString('latin1').includes('secret-owner') && !buf.toString('latin1').includes('TestCam'), `${name} leaks camera data`);
    }
  });

  test('media responses: type, length, year-long caching for content-addressed files, CORS', async () => {
    const expect = { 'w320.avif': 'image/avif', 'w320.webp': 'image/webp', 'w320.jpg': 'image/jpeg', 'full.jpg': 'image/jpeg' };
    for (const [name, type] of Object.entries(expect)) {
      const r = await s.get(`/media/${imageHash}/${name}`);
      assert.equal(r.headers.get('content-type'), type);
      assert.equal(Number(r.headers.get('content-length')), (await r.arrayBuffer()).byteLength);
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('video: range requests give 206 with the exact bytes; a range past the end gives 416', async () => {
    const mp4 = hashOf(page, /\/media\/([0-9a-f]{64})\/original\.mp4/);
    const whole = Buffer.from(await (await s.get(`/media/${mp4}/original.mp4`)).arrayBuffer());
    assert.deepEqual(whole, readFileSync('test/fixtures/media/tiny.mp4'));
    const r = await s.get(`/media/${mp4}/original.mp4`, { Range: 'bytes=100-199' });
    assert.equal(r.status, 206);
    assert.equal(r.headers.get('content-range'), `bytes 100-199/${whole.length}`);
    assert.equal(r.headers.get('content-length'), '100');
    assert.equal(r.headers.get('content-type'), 'video/mp4');
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), whole.subarray(100, 200));
    const tail = await s.get(`/media/${mp4}/original.mp4`, { Range: 'bytes=-10' });
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), whole.subarray(whole.length - 10));
    assert.equal((await s.get(`/media/${mp4}/original.mp4`, { Range: `bytes=${whole.length + 5}-` })).status, 416);
    const head = await s.app.request(`/media/${mp4}/original.mp4`, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(whole.length));
  });

  test('a malformed, foreign-unit, reversed or multiple Range is ignored: 200 with the whole file (RFC 9110)', async () => {
    const mp4 = hashOf(page, /\/media\/([0-9a-f]{64})\/original\.mp4/);
    const size = readFileSync('test/fixtures/media/tiny.mp4').length;
    for (const range of ['bytes=abc', 'items=0-1', 'bytes=0-1,5-6', 'bytes=0-1, 5-6', 'bytes=5-3', '0-1', 'bytes=-', 'bytes 0-1', 'bytes=0x10-']) {
      const r = await s.get(`/media/${mp4}/original.mp4`, { Range: range });
      assert.equal(r.status, 200, range);
      assert.equal(r.headers.get('content-range'), null, range);
      assert.equal((await r.arrayBuffer()).byteLength, size, range);
    }
    const one = await s.get(`/media/${mp4}/original.mp4`, { Range: 'Bytes=0-0' });
    assert.equal(one.status, 206);
    assert.equal((await one.arrayBuffer()).byteLength, 1);
    const past = await s.get(`/media/${mp4}/original.mp4`, { Range: `bytes=0-${size * 10}` });
    assert.equal(past.headers.get('content-range'), `bytes 0-${size - 1}/${size}`);
    await past.arrayBuffer();
    for (const range of ['bytes=-0', `bytes=${size}-`]) {
      const r = await s.get(`/media/${mp4}/original.mp4`, { Range: range });
      assert.equal(r.status, 416, range);
      assert.equal(r.headers.get('content-range'), `bytes */${size}`, range);
    }
  });

  test('media validators: 304 for a matching If-None-Match, a range only when If-Range matches, HEAD says the range', async () => {
    const mp4 = hashOf(page, /\/media\/([0-9a-f]{64})\/original\.mp4/);
    const url = `/media/${mp4}/original.mp4`;
    const first = await s.get(url);
    const etag = first.headers.get('etag') ?? assert.fail('no ETag');
    const lastModified = first.headers.get('last-modified') ?? assert.fail('no Last-Modified');
    await first.arrayBuffer();
    const again = await s.get(url, { 'If-None-Match': `"other", ${etag}` });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal((await s.get(url, { 'If-Modified-Since': lastModified })).status, 304);
    assert.equal((await s.get(url, { 'If-None-Match': '"other"', 'If-Modified-Since': lastModified })).status, 200);
    const resumed = await s.get(url, { Range: 'bytes=10-19', 'If-Range': etag });
    assert.equal(resumed.status, 206);
    await resumed.arrayBuffer();
    const changed = await s.get(url, { Range: 'bytes=10-19', 'If-Range': '"an-older-version"' });
    assert.equal(changed.status, 200);
    assert.equal(changed.headers.get('content-length'), first.headers.get('content-length'));
    await changed.arrayBuffer();
    const head = await s.app.request(url, { method: 'HEAD', headers: { Range: 'bytes=10-19' } });
    assert.equal(head.status, 206);
    assert.equal(head.headers.get('content-length'), '10');
    assert.equal(head.headers.get('content-type'), 'video/mp4');
  });

  test('media routes never leave the media store, and serve neither image originals nor unknown names', async () => {
    const mp4 = hashOf(page, /\/media\/([0-9a-f]{64})\/original\.mp4/);
    const paths = [
      `/media/${imageHash}/original.jpg`, // image originals may hold GPS data: never served
      `/media/${imageHash}/parcours.json`,
      `/media/${imageHash}/w321.jpg`,
      `/media/${mp4}/w320.jpg`,
      `/media/${'0'.repeat(64)}/w320.jpg`,
      `/media/${imageHash.slice(0, 63)}/w320.jpg`,
      `/media/${imageHash}/..%2f..%2f..%2fetc%2fpasswd`,
      `/media/${imageHash}/%2e%2e%2fparcours.json`,
      `/media/..%2F..%2Fetc/passwd`,
      `/iiif/image/${imageHash}/..%2f..%2fparcours.json/full/0/default.jpg`,
      `/iiif/image/${imageHash}/0,0,512,512/512,/0/..%2f..%2f..%2fparcours.json`,
      `/iiif/image/${imageHash}/0,0,512,512/512,/90/default.jpg`,
      `/iiif/image/${mp4}/info.json`,
      '/iiif/media/nope/manifest.json',
      '/iiif/themes/fossils/../../etc/passwd',
    ];
    for (const p of paths) {
      const r = await s.get(p);
      assert.ok(r.status === 404 || r.status === 400, `${p} → ${r.status}`);
      assert.match(r.headers.get('content-type') ?? '', /text\/html/, p);
    }
  });

  test('captions and chapters are served as WebVTT; the video shows the page language\'s captions by default', async () => {
    const de = await s.html('/de/rundgang/fossilien');
    assert.match(de, /<track kind="captions" src="\/media\/[0-9a-f]{64}\/track\.vtt" srclang="de" label="Deutsch" default=""\/><track kind="captions" src="[^"]+" srclang="en" label="English"\/>/);
    assert.match(page, /<track kind="captions" src="[^"]+" srclang="en" label="English" default=""\/><track kind="captions" src="[^"]+" srclang="de" label="Deutsch"\/><track kind="chapters"/);
    const track = hashOf(de, /src="\/media\/([0-9a-f]{64})\/track\.vtt" srclang="de"/);
    const r = await s.get(`/media/${track}/track.vtt`);
    assert.equal(r.headers.get('content-type'), 'text/vtt; charset=utf-8');
    assert.match(await r.text(), /^WEBVTT\n\n00:00:00\.000 --> 00:00:01\.000\nEin Testbild/);
    assert.doesNotMatch(page, /autoplay/);
  });

  test('the transcript is shown under the player, in the page\'s language', async () => {
    assert.match(page, /<\/figure><details class="transcript" open=""><summary>Transcript<\/summary><div class="prose"><p>A coloured <strong>test card<\/strong>, two seconds long, without sound\.<\/p>/);
    assert.match(page, /<audio controls="" preload="metadata" aria-label="The audio guide">.*?<\/audio>.*?<summary>Transcript<\/summary><div class="prose"><p>A 440 hertz tone\.<\/p>/s);
    const de = await s.html('/de/rundgang/fossilien');
    assert.match(de, /<summary>Transkript<\/summary><div class="prose"><p>Ein farbiges <strong>Testbild<\/strong>/);
  });

  test('an external video is a facade: no request to the host before a click, the host is named, and the CSP allows only its player', async () => {
    const facade = /<div class="facade" data-embed="https:\/\/video\.example\.org\/videos\/embed\/kkGMgK9ZtnKfYAgnEtQxbv"[^>]*>(.*?)<\/div><\/div>/s.exec(page)?.[1] ?? assert.fail('no facade');
    assert.match(facade, /This video is hosted on PeerTube \(video\.example\.org\)/);
    assert.match(facade, /<a href="https:\/\/video\.example\.org\/w\/kkGMgK9ZtnKfYAgnEtQxbv" rel="noopener noreferrer external">Watch on PeerTube/);
    // Nothing on the page loads from another origin by itself.
    assert.doesNotMatch(page, /<(img|iframe|script|video|audio|source|link)[^>]+(src|href)="https?:\/\/(?!visite\.example\.org)/);
    const r = await s.get('/en/tour/fossils');
    assert.match(r.headers.get('content-security-policy') ?? '', /frame-src https:\/\/video\.example\.org(;|$)/);
  });

  test('each media item has its own page with its Dublin Core record, credit, licence and a citation', async () => {
    const html = await s.html('/en/media/ammonite');
    assert.match(html, /<h1>Ammonite from the limestone<\/h1>/);
    for (const [dt, dd] of [['Title', 'Ammonite from the limestone'], ['Creator', 'Naturkundemuseum Beispielstadt'], ['Date', '1931-05'], ['Subjects', 'Fossils; Jurassic'], ['Source', 'Inventar F 1931/7'], ['Identifier', 'F 1931/7'], ['Type', 'Still image'], ['Format', 'image/jpeg, 8 kB'], ['Dimensions', '800 × 1200 pixels']] as const) {
      assert.match(html, new RegExp(`<dt>${dt}</dt><dd>${dd.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`), dt);
    }
    assert.match(html, /<dt>Licence<\/dt><dd><a href="https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/" rel="license">/);
    assert.match(html, /<p class="citation">Naturkundemuseum Beispielstadt, “Ammonite from the limestone”, 1931-05\. Beispielstadt Natural History Museum, https:\/\/visite\.example\.org\/en\/media\/ammonite<\/p>/);
    assert.match(html, /<a href="\/iiif\/media\/ammonite\/manifest\.json"/);
    assert.match(html, /"@type":"ImageObject"/);
    const de = await s.html('/de/media/test-film');
    assert.match(de, /<dt>Typ<\/dt><dd>Bewegtbild<\/dd>/);
    assert.match(de, /„Testfilm“/);
    assert.equal((await s.get('/en/media/nope')).status, 404);
  });

  test('IIIF: image and theme manifests are valid Presentation 3, with CORS, the credit, and a level-0 image service', async () => {
    for (const path of ['/iiif/media/ammonite/manifest.json', '/iiif/themes/fossils/manifest.json']) {
      const r = await s.get(path);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.equal(r.headers.get('content-type'), 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"');
      const manifest = await r.json();
      const state = { warnings: [] as string[] };
      presentation3StrictUpgrade(structuredClone(manifest), state);
      assert.deepEqual(state.warnings, [], `${path}: ${state.warnings.join('; ')}`);
      const { entities, resource } = normalize(manifest);
      assert.equal(resource.type, 'Manifest');
      const canvases = Object.values(entities.Canvas) as { width?: number; height?: number }[];
      assert.equal(canvases.length, 1);
      assert.deepEqual([canvases[0]?.width, canvases[0]?.height], [800, 1200]);
      const service = Object.values(entities.Service)[0] as { id: string; type: string; profile: string } | undefined;
      assert.deepEqual([service?.type, service?.profile], ['ImageService3', 'level0']);
      assert.equal(service?.id, `https://visite.example.org/iiif/image/${imageHash}`);
    }
    const m = await (await s.get('/iiif/media/ammonite/manifest.json')).json();
    assert.deepEqual(m.label, { de: ['Ammonit aus dem Plattenkalk'], en: ['Ammonite from the limestone'] });
    assert.equal(m.rights, 'http://creativecommons.org/licenses/by/4.0/');
    assert.deepEqual(m.requiredStatement.value, { de: ['Naturkundemuseum Beispielstadt'], en: ['Beispielstadt Natural History Museum'] });
    assert.ok(m.metadata.some((row: { value: Record<string, string[]> }) => row.value.none?.[0] === 'F 1931/7'));
    assert.match(page, /<a href="\/iiif\/themes\/fossils\/manifest\.json"/);
  });

  test('IIIF image service: info.json names the public URL, and its tiles are served', async () => {
    const r = await s.get(`/iiif/image/${imageHash}/info.json`);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    const info = await r.json();
    assert.equal(info.id, `https://visite.example.org/iiif/image/${imageHash}`);
    assert.deepEqual([info.type, info.profile, info.width, info.height], ['ImageService3', 'level0', 800, 1200]);
    const tile = await s.get(`/iiif/image/${imageHash}/0,0,512,512/512,512/0/default.jpg`);
    assert.equal(tile.status, 200);
    assert.equal(tile.headers.get('content-type'), 'image/jpeg');
    const meta = await sharp(Buffer.from(await tile.arrayBuffer())).metadata();
    assert.deepEqual([meta.width, meta.height], [512, 512]);
  });

  test('export writes the media files back byte for byte, and the export imports again', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'parcours-media-export-')), 'b');
    await exportBundle(s.db, out, testStore());
    assert.deepEqual(readFileSync(join(out, 'media/tiny.mp4')), readFileSync('test/fixtures/media/tiny.mp4'));
    assert.match(readFileSync(join(out, 'media/tiny.de.vtt'), 'utf8'), /Ein Testbild/);
    assert.match(readFileSync(join(out, 'bundle.yaml'), 'utf8'), /version: 2/);
    const db = await memoryDb();
    await importBundle(db, out, testStore());
    assert.deepEqual((await loadContent(db))?.files, (await loadContent(s.db))?.files);
    await db.destroy();
  });
});

/** A PNG whose header claims `w` × `h` pixels, with a tiny body: what a decompression bomb looks like from outside. */
function pngHeader(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

describe('bad media files are refused with a clear message, and change nothing', () => {
  const store = new MediaStore(mkdtempSync(join(tmpdir(), 'parcours-bad-media-')));
  const storeEntries = () => (existsSync(store.dir) ? readdirSync(store.dir).filter((d) => d !== 'tmp').flatMap((d) => readdirSync(join(store.dir, d))).sort() : []);
  const tmpLeft = () => (existsSync(join(store.dir, 'tmp')) ? readdirSync(join(store.dir, 'tmp')) : []);

  async function refused(change: (dir: string) => void | Promise<void>, expected: RegExp): Promise<void> {
    const good = await mediaBundle();
    const db = await memoryDb();
    await importBundle(db, good, store);
    const before = { version: await contentVersion(db), content: JSON.stringify(await loadContent(db)), store: storeEntries() };
    const bad = await mediaBundle();
    await change(bad);
    await assert.rejects(importBundle(db, bad, store), (e) => {
      assert.ok(isAppError(e, 'bundle_invalid'), String(e));
      assert.ok(e.details.some((d) => expected.test(d)), `expected ${expected} in:\n${e.details.join('\n')}`);
      return true;
    });
    await assert.rejects(checkBundle(bad, store), (e) => isAppError(e, 'bundle_invalid') && e.details.some((d) => expected.test(d)));
    assert.equal(await contentVersion(db), before.version);
    assert.equal(JSON.stringify(await loadContent(db)), before.content);
    assert.deepEqual(storeEntries(), before.store, 'the media store changed');
    assert.deepEqual(tmpLeft(), []);
    await db.destroy();
    rmSync(bad, { recursive: true, force: true });
  }

  test('bytes that do not match the name (a PNG called .jpg)', () =>
    refused(async (dir) => {
      await sharp({ create: { width: 40, height: 30, channels: 3, background: '#888' } }).png().toFile(join(dir, 'media/ammonite.jpg'));
    }, /^media\/ammonite\.jpg: is a PNG file \(image\/png\), but its name says JPEG image \(media "ammonite": file\)$/));

  test('a truncated JPEG', () =>
    refused(async (dir) => {
      const full = await sharp({ create: { width: 900, height: 700, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 30 } } }).jpeg().toBuffer();
      writeFileSync(join(dir, 'media/ammonite.jpg'), full.subarray(0, Math.floor(full.length / 2)));
    }, /^media\/ammonite\.jpg: is damaged or incomplete \(.+\) \(media "ammonite": file\)$/));

  test('random bytes under an image name', () =>
    refused((dir) => writeFileSync(join(dir, 'media/ammonite.jpg'), Buffer.from('this is not an image at all, just text'.repeat(10))), /^media\/ammonite\.jpg: is not a recognisable JPEG image/));

  test('a decompression bomb (an image over the pixel limit)', { timeout: 30_000 }, () =>
    refused((dir) => {
      writeFileSync(join(dir, 'media/ammonite.png'), pngHeader(50_000, 50_000));
      editFile(dir, 'media.yaml', (t) => t.replace('file: media/ammonite.jpg', 'file: media/ammonite.png'));
    }, /^media\/ammonite\.png: is 50000 × 50000 pixels \(2500 megapixels\), over the limit of 100 megapixels/)
      .then(() => undefined));

  test('an unsupported format', () =>
    refused((dir) => {
      writeFileSync(join(dir, 'media/ammonite.bmp'), Buffer.from('BM'));
      editFile(dir, 'media.yaml', (t) => t.replace('file: media/ammonite.jpg', 'file: media/ammonite.bmp'));
    }, /^media\/ammonite\.bmp: \.bmp files cannot be used as an image; use \.jpg, \.jpeg, \.png/));

  test('a video without captions in every language', () =>
    refused((dir) => editFile(dir, 'media.yaml', (t) => t.replace('captions: { de: media/tiny.de.vtt, en: media/tiny.en.vtt }', 'captions: { de: media/tiny.de.vtt }')),
      /^media\.yaml: media "test-film": captions: missing for "en"\. A video needs a WebVTT caption file in every language of the site/));

  test('a caption file that is not WebVTT', () =>
    refused((dir) => writeFileSync(join(dir, 'media/tiny.en.vtt'), '1\n00:00:00,000 --> 00:00:01,000\nSRT, not WebVTT\n'),
      /^media\/tiny\.en\.vtt: is not valid WebVTT: line 1: No valid signature/));

  test('a video file that is a picture', () =>
    refused(async (dir) => {
      await sharp({ create: { width: 40, height: 30, channels: 3, background: '#888' } }).jpeg().toFile(join(dir, 'media/tiny.mp4'));
    }, /^media\/tiny\.mp4: is a JPG file \(image\/jpeg\), but its name says MP4 video/));

  test('a file that is missing, and a path that tries to leave the bundle', () =>
    refused((dir) => editFile(dir, 'media.yaml', (t) => t.replace('poster: media/ammonite.jpg', 'poster: media/../../etc/passwd.jpg').replace('sources: [media/tiny.webm]', 'sources: [media/gone.webm]')),
      /poster: must not contain hidden or parent folders|poster: must be a file under media\//));

  test('a folder of the bundle that is a link to one outside it', () =>
    refused((dir) => {
      const outside = mkdtempSync(join(tmpdir(), 'parcours-outside-'));
      copyFileSync(join(dir, 'media/tiny.en.md'), join(outside, 'tiny.en.md'));
      symlinkSync(outside, join(dir, 'media/ext'));
      editFile(dir, 'media.yaml', (t) => t.replace('en: media/tiny.en.md', 'en: media/ext/tiny.en.md'));
    }, /^media\/ext\/tiny\.en\.md: is inside "media\/ext", a symbolic link that leads outside the bundle/));

  test('a transcript that shows an image from another site', () =>
    refused((dir) => writeFileSync(join(dir, 'media/tiny.en.md'), 'A test card.\n\n![a chart](https://elsewhere.example/chart.png)\n'),
      /^media\/tiny\.en\.md: line 3: shows the image "https:\/\/elsewhere\.example\/chart\.png", which visitors would not see/));

  test('a truncated MP4 (an interrupted copy)', () =>
    refused((dir) => {
      const mp4 = readFileSync('test/fixtures/media/tiny.mp4');
      writeFileSync(join(dir, 'media/tiny.mp4'), mp4.subarray(0, mp4.length - 100));
    }, /^media\/tiny\.mp4: is truncated: its "\w+" box needs 100 more bytes/));

  test('a fake MP4: a valid first box, then garbage', () =>
    refused((dir) => {
      const mp4 = readFileSync('test/fixtures/media/tiny.mp4');
      const ftyp = mp4.readUInt32BE(0);
      writeFileSync(join(dir, 'media/tiny.mp4'), Buffer.concat([mp4.subarray(0, ftyp), Buffer.from('\0\0\0\x10\x01\x02\x03\x04 not a real box')]));
    }, /^media\/tiny\.mp4: is not a well-formed MP4 file \(unreadable box at byte \d+\)/));

  test('a symbolic link that would read a file outside the bundle', () =>
    refused((dir) => {
      rmSync(join(dir, 'media/tiny.en.md'));
      symlinkSync('/etc/hostname', join(dir, 'media/tiny.en.md'));
    }, /^media\/tiny\.en\.md: is a symbolic link that leads outside the bundle/));

  test('an audio item without transcripts, and an external video URL of the wrong host', () =>
    refused((dir) => editFile(dir, 'media.yaml', (t) => t.replace('  transcript: { de: media/tone.de.md, en: media/tone.en.md }\n', '').replace('provider: peertube', 'provider: youtube')),
      /media "audio-guide": transcript: missing for "de", "en"/));

  test('version-1 bundles still import, but may not name media files', async () => {
    const dir = copyBundle('test/fixtures/bundles/naturkunde');
    editFile(dir, 'media.yaml', (t) => t.replace(/- id: ammonite\n  kind: image\n/, '- id: ammonite\n  kind: image\n  file: media/ammonite.jpg\n'));
    await assert.rejects(importBundle(await memoryDb(), dir, store), (e) => isAppError(e) && e.details.some((d) => /media "ammonite": media files need bundle version 2/.test(d)));
  });
});

describe('SVG drawings', () => {
  test('are rasterised: the site serves images made from them, never the SVG with its script', async () => {
    const dir = await mediaBundle();
    writeFileSync(join(dir, 'media/drawing.svg'), '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><script>alert(1)</script><rect width="400" height="300" fill="#c33" onload="alert(2)"/></svg>\n');
    editFile(dir, 'media.yaml', (t) => t.replace('file: media/ammonite.jpg', 'file: media/drawing.svg'));
    const s = await siteFor(dir);
    try {
      const html = await s.html('/en/media/ammonite');
      const hash = hashOf(html, /\/media\/([0-9a-f]{64})\/w320\.jpg/);
      for (const name of ['w320.jpg', 'w320.webp', 'full.jpg']) {
        const r = await s.get(`/media/${hash}/${name}`);
        assert.match(r.headers.get('content-type') ?? '', /^image\/(jpeg|webp)$/);
        const buf = Buffer.from(await r.arrayBuffer());
        assert.ok(!buf.toString('latin1').includes('<script'), name);
      }
      for (const name of ['original.svg', 'original.jpg']) assert.equal((await s.get(`/media/${hash}/${name}`)).status, 404);
      assert.doesNotMatch(html, /\/media\/[^"]*\.svg|drawing\.svg/, "the drawing itself is never linked (the site icon may be an SVG)");
    } finally {
      await s.close();
    }
  });
});
