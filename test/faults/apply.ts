import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, cpSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { transform, type FileRef, type Mutation, type TextOp } from './mutations.ts';
import { PNG_FIELD } from './faults.harness.ts';

// Applies the fuzzer's mutations to a copy of the base bundle. Anything that
// lies outside the bundle (the targets of links) goes to `outside`, and all
// its text carries SECRET: a page that shows SECRET has read outside the bundle.

export const SECRET = 'ZZSECRETZZ';

export interface Env {
  dir: string;
  outside: string;
  /** The base bundle's YAML and Markdown files, sorted: what `file` indexes pick from. */
  textFiles: string[];
  /** A PNG that is not in the bundle: if its hash is ever stored, the import read outside the bundle. */
  outsidePng: Buffer;
}

/** The same text with SECRET in its first translated value, title and section. */
export const withSecret = (text: string) => text.replace(/(\n\s*(?:de|en|title): )/, `$1${SECRET} `).replace(/(\n::: \S+\n)/, `$1${SECRET} `);

export function applyAll(env: Env, list: Mutation[]): void {
  mkdirSync(env.outside, { recursive: true });
  writeFileSync(join(env.outside, 'outside.png'), env.outsidePng);
  writeFileSync(join(env.outside, 'secret.md'), `${SECRET}: a transcript from outside the bundle.\n`);
  writeFileSync(join(dirname(env.dir), 'outside.png'), env.outsidePng);
  for (const m of list) apply(env, m);
}

const pick = <T>(list: readonly T[], i: number): T | undefined => list[i % Math.max(1, list.length)];
const fileOf = (files: readonly string[], f: FileRef): string | undefined => (typeof f === 'string' ? f : pick(files, f));

function apply(env: Env, m: Mutation): void {
  const { dir } = env;
  switch (m.kind) {
    case 'text': return editText(dir, fileOf(env.textFiles, m.file), (t) => breakText(t, m.op));
    case 'value': return editValue(dir, pick(env.textFiles, m.file), (root) => {
      const p = pick(paths(root), m.at);
      if (p) setAt(root, p, m.value);
    });
    case 'transform': return editValue(dir, pick(env.textFiles, m.file), (root) => {
      const p = pick(paths(root).filter((x) => typeof getAt(root, x) !== 'object' || getAt(root, x) === null), m.at);
      if (p) setAt(root, p, transform(getAt(root, p), m.how));
    });
    case 'key': return editValue(dir, pick(env.textFiles, m.file), (root) => {
      const objects = [[], ...paths(root)].filter((x) => isObject(getAt(root, x)));
      const p = pick(objects, m.at);
      if (p) Object.defineProperty(getAt(root, p), m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
    });
    case 'delete': return editValue(dir, pick(env.textFiles, m.file), (root) => {
      const p = pick(paths(root), m.at);
      if (!p) return;
      const parent = getAt(root, p.slice(0, -1));
      const last = p[p.length - 1]!;
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else if (isObject(parent)) delete parent[last];
    });
    case 'array': return editValue(dir, fileOf(env.textFiles, m.file), (root) => {
      // Lists: reordered, cut short, with an entry twice, emptied, or one level deeper.
      const p = pick([[], ...paths(root)].filter((x) => Array.isArray(getAt(root, x))), m.at);
      const list = p && (getAt(root, p) as unknown[]);
      if (!list) return;
      if (m.op === 'reverse') list.reverse();
      if (m.op === 'truncate') list.splice(m.k);
      if (m.op === 'duplicate' && list.length) list.splice(m.k % list.length, 0, structuredClone(list[m.k % list.length]));
      if (m.op === 'empty') list.splice(0);
      if (m.op === 'nest') list.splice(0, list.length, [...list]);
    });
    case 'path': return setMediaPath(env, m.item, m.field, m.path);
    case 'file': return fileOp(env, fileOf(env.textFiles, m.file), m.op);
    case 'bytes': return byteOp(env, m.op, m.permille, m.bytes);
    case 'set': return editValue(dir, m.file, (root) => {
      // Missing parents are made, so that a field that was absent can be set.
      let at: unknown = root;
      for (const k of m.path.slice(0, -1)) {
        const o = at as Record<string | number, unknown>;
        if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
        at = o[k];
      }
      setAt(root, m.path, m.value);
    });
    case 'places': return editValue(dir, 'places.yaml', (root) => {
      if (!Array.isArray(root)) return;
      const at: Record<string, (i: number) => [number, number]> = {
        same: () => [48.9412, 11.0526], antimeridian: (i) => [0, i % 2 ? 179.999 : -179.999], poles: (i) => [i % 2 ? 90 : -90, i * 60],
        far: (i) => (i === 0 ? [-89.9, -179.9] : [48.9, 11.05]), zero: () => [0, 0], tiny: (i) => [48.9412 + i * 1e-12, 11.0526],
      };
      root.forEach((p, i) => {
        if (isObject(p) && at[m.op]) [p.lat, p.lon] = at[m.op]!(i);
      });
    });
    case 'locales': return editValue(dir, 'bundle.yaml', (root) => {
      // A language with no text at all (everything falls back), another default, fewer languages.
      const museum = isObject(root) ? root.museum : undefined;
      const locales = isObject(museum) ? museum.locales : undefined;
      if (!isObject(museum) || !Array.isArray(locales)) return;
      const add = ({ 'add-fr': 'fr', 'add-de-CH': 'de-CH' } as Record<string, string>)[m.op];
      if (add) {
        locales.push(add);
        // Visits need a URL segment in every language; everything else may fall back.
        for (const v of ['visits/main.yaml', 'visits/kids.yaml']) {
          editValue(dir, v, (visit) => {
            const slug = isObject(visit) ? visit.slug : undefined;
            if (isObject(slug)) slug[add] = `${String(slug.de)}-${add.toLowerCase()}`;
          });
        }
      }
      if (m.op === 'add-ar') locales.push('ar');
      if (m.op === 'default-en') museum.default_locale = 'en';
      if (m.op === 'only-de') museum.locales = ['de'];
      if (m.op === 'reorder') locales.reverse();
    });
    case 'body': return editText(dir, fileOf(env.textFiles.filter((f) => f.endsWith('.md')), m.file), (t) => {
      // Inside the body, after the front matter.
      const start = t.indexOf('\n---\n', 4) + 5;
      if (start < 5) return t;
      const at = start + Math.floor(((t.length - start) * m.permille) / 1000);
      return t.slice(0, at) + m.text + t.slice(at);
    });
  }
}

type Path = (string | number)[];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every node's path below the root, depth first (a YAML alias can make the structure circular: bounded). */
function paths(root: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (out.length > 5000 || at.length > 20) return out;
  const entries = Array.isArray(root) ? root.map((v, i) => [i, v] as const) : isObject(root) ? Object.entries(root) : [];
  for (const [k, v] of entries) {
    out.push([...at, k]);
    paths(v, [...at, k], out);
  }
  return out;
}
const getAt = (root: unknown, p: Path): unknown => p.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], root);
function setAt(root: unknown, p: Path, value: unknown): void {
  const parent = getAt(root, p.slice(0, -1)) as Record<string | number, unknown>;
  Object.defineProperty(parent, p[p.length - 1]!, { value, enumerable: true, configurable: true, writable: true });
}

function editText(dir: string, rel: string | undefined, edit: (t: string) => string): void {
  if (!rel || !existsSync(join(dir, rel)) || !lstatSync(join(dir, rel)).isFile()) return;
  writeFileSync(join(dir, rel), edit(readFileSync(join(dir, rel), 'utf8')));
}

/** Parses a YAML file (or a Markdown file's front matter), lets `edit` change it, writes it back; raw "§…" values are written as YAML. */
function editValue(dir: string, rel: string | undefined, edit: (root: unknown) => void): void {
  editText(dir, rel, (text) => {
    const md = rel!.endsWith('.md') ? /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) : undefined;
    if (rel!.endsWith('.md') && !md) return text;
    const json = rel!.endsWith('.geojson');
    let root: unknown;
    try {
      root = json ? JSON.parse(text) : parse(md ? md[1]! : text, { logLevel: 'error' });
    } catch {
      return text;
    }
    if (typeof root !== 'object' || root === null) return text;
    try {
      JSON.stringify(root);
    } catch {
      return text; // made circular by an alias: left as it is
    }
    edit(root);
    if (json) return JSON.stringify(root);
    const raw: string[] = [];
    const rawOut = (v: unknown): unknown => {
      if (typeof v === 'string' && v.startsWith('§')) return `RAWYAML${raw.push(v.slice(1)) - 1}X`;
      if (Array.isArray(v)) return v.map(rawOut);
      if (isObject(v)) {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) Object.defineProperty(o, k, { value: rawOut(x), enumerable: true, configurable: true, writable: true });
        return o;
      }
      return v;
    };
    let yaml = stringify(rawOut(root), { lineWidth: 0 });
    yaml = yaml.replace(/RAWYAML(\d+)X/g, (_, i: string) => raw[Number(i)]!);
    return md ? `---\n${yaml}---\n${md[2]}` : yaml;
  });
}

function breakText(t: string, op: TextOp): string {
  const lines = t.split('\n');
  const li = (n: number) => n % Math.max(1, lines.length);
  switch (op.op) {
    case 'truncate': return t.slice(0, Math.floor((t.length * op.permille) / 1000));
    case 'tab': lines[li(op.line)] = `\t${lines[li(op.line)]!.replace(/^ {1,2}/, '')}`; return lines.join('\n');
    case 'indent': {
      const l = lines[li(op.line)]!;
      lines[li(op.line)] = op.by >= 0 ? `${' '.repeat(op.by)}${l}` : l.replace(new RegExp(`^ {0,${-op.by}}`), '');
      return lines.join('\n');
    }
    case 'duplicate': lines.splice(li(op.line), 0, lines[li(op.line)]!); return lines.join('\n');
    case 'insert': {
      const at = Math.floor((t.length * op.permille) / 1000);
      return t.slice(0, at) + op.text + t.slice(at);
    }
    case 'replace': return op.text;
  }
}

/** Files a path trick needs in the bundle or around it. */
function setUpPath(env: Env, path: string): void {
  const media = join(env.dir, 'media');
  mkdirSync(media, { recursive: true });
  const png = () => readFileSync(join(env.dir, PNG_FIELD));
  const at = (name: string) => join(media, name);
  const make: Record<string, () => void> = {
    'media/link.png': () => symlinkSync(join(env.outside, 'outside.png'), at('link.png')),
    'media/link.md': () => symlinkSync(join(env.outside, 'secret.md'), at('link.md')),
    'media/ext/outside.png': () => symlinkSync(env.outside, at('ext')),
    'media/ext/secret.md': () => symlinkSync(env.outside, at('ext')),
    'media/up/media/ammonite.png': () => symlinkSync('..', at('up')),
    'media/dir.png': () => mkdirSync(at('dir.png')),
    'media/empty.png': () => writeFileSync(at('empty.png'), ''),
    'media/text.png': () => writeFileSync(at('text.png'), 'not an image\n'),
    'media/ammonite.jpg': () => writeFileSync(at('ammonite.jpg'), png()),
    'media/notes.vtt': () => writeFileSync(at('notes.vtt'), 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHallo\n'),
    'media/notes.md': () => writeFileSync(at('notes.md'), 'Ein Text.\n'),
    'media/ammonite.png.md': () => writeFileSync(at('ammonite.png.md'), 'Ein Text.\n'),
    'media/caf\u00e9.png': () => writeFileSync(at('cafe\u0301.png'), png()),
    'media/cafe\u0301.png': () => writeFileSync(at('caf\u00e9.png'), png()),
    'media/.hidden.png': () => writeFileSync(at('.hidden.png'), png()),
  };
  try {
    make[path]?.();
  } catch {
    /* already made by an earlier mutation of the case */
  }
}

function setMediaPath(env: Env, item: number, field: string, path: string): void {
  setUpPath(env, path);
  editValue(env.dir, 'media.yaml', (root) => {
    if (!Array.isArray(root)) return;
    const m = pick(root, item);
    if (!isObject(m)) return;
    m[field] = field === 'file' || field === 'poster' ? path : field === 'sources' ? [path] : { de: path, en: path };
  });
}

function fileOp(env: Env, rel: string | undefined, op: string): void {
  if (!rel) return;
  const abs = join(env.dir, rel);
  if (!existsSync(abs) && op !== 'link-dir') return;
  const dir = dirname(abs);
  const name = basename(rel);
  const ext = name.slice(name.indexOf('.'));
  const stem = name.slice(0, name.indexOf('.'));
  const renameTo = (to: string) => renameSync(abs, join(dir, to));
  switch (op) {
    case 'link-outside': {
      const target = join(env.outside, `${rel.replace(/\//g, '_')}`);
      writeFileSync(target, withSecret(readFileSync(abs, 'utf8')));
      rmSync(abs);
      return symlinkSync(target, abs);
    }
    case 'link-dir': {
      // The file's folder (or media/ for a file at the top) moved outside, with SECRET in its texts, and linked back.
      const folder = rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : 'media';
      const from = join(env.dir, folder);
      if (!existsSync(from)) return;
      const to = join(env.outside, `dir-${folder}`);
      cpSync(from, to, { recursive: true });
      for (const f of readdirSync(to)) if (/\.(md|yaml)$/.test(f)) writeFileSync(join(to, f), withSecret(readFileSync(join(to, f), 'utf8')));
      rmSync(from, { recursive: true, force: true });
      return symlinkSync(to, from);
    }
    case 'link-self': rmSync(abs); return symlinkSync(name, abs);
    case 'remove': return rmSync(abs);
    case 'dir-instead': rmSync(abs); return mkdirSync(abs);
    case 'rename-nfd': return renameTo(`${stem}-cafe\u0301${ext}`);
    case 'rename-upper': return renameTo(name.toUpperCase());
    case 'rename-space': return renameTo(`${stem} ${ext}`);
    case 'rename-long': return renameTo(`${stem}${'-a'.repeat(Math.floor((240 - name.length) / 2))}${ext}`);
    case 'rename-yml': return renameTo(name.replace(/\.yaml$/, '.yml'));
    case 'rename-hidden': return renameTo(`.${name}`);
    case 'copy-dup-id': return copyFileSync(abs, join(dir, /^\d+-/.test(name) ? name.replace(/^\d+/, '99') : `${name.replace(/^([^.]+)/, '$1-copy')}`));
    case 'copy-odd-name': return copyFileSync(abs, join(dir, `${stem}\u202E\u0000x${ext}`.replace('\u0000', '')));
    case 'crlf': return writeFileSync(abs, readFileSync(abs, 'utf8').replace(/\n/g, '\r\n'));
    case 'bom': return writeFileSync(abs, `\uFEFF${readFileSync(abs, 'utf8')}`);
    case 'latin1': return writeFileSync(abs, Buffer.from(readFileSync(abs, 'utf8'), 'latin1'));
    case 'empty': return writeFileSync(abs, '');
  }
}

function byteOp(env: Env, op: string, permille: number, bytes: number[]): void {
  const file = join(env.dir, PNG_FIELD);
  if (!existsSync(file)) return;
  const png = readFileSync(file);
  const svg = (body: string) => {
    writeFileSync(join(env.dir, 'media/drawing.svg'), body);
    editText(env.dir, 'media.yaml', (t) => t.replace(`file: ${PNG_FIELD}`, 'file: media/drawing.svg'));
  };
  switch (op) {
    case 'truncate': return writeFileSync(file, png.subarray(0, Math.floor((png.length * permille) / 1000)));
    case 'empty': return writeFileSync(file, '');
    case 'random': return writeFileSync(file, Buffer.from(bytes));
    case 'text': return writeFileSync(file, 'PNG? no.\n');
    case 'gif-header': return writeFileSync(file, Buffer.concat([Buffer.from('GIF89a'), Buffer.from(bytes)]));
    case 'append': return writeFileSync(file, Buffer.concat([png, Buffer.from(bytes)]));
    case 'flip': {
      const b = Buffer.from(png);
      const i = Math.floor(((b.length - 1) * permille) / 1000);
      b[i] = b[i]! ^ (bytes[0]! || 0xff);
      return writeFileSync(file, b);
    }
    case 'svg-script': return svg('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" onload="alert(1)"><script>alert(1)</script><rect width="40" height="30" fill="red"/></svg>');
    case 'svg-huge': return svg('<svg xmlns="http://www.w3.org/2000/svg" width="200000" height="200000"><rect width="10" height="10"/></svg>');
  }
}
