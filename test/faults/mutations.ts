import fc from 'fast-check';
import { GARBAGE } from './faults.harness.ts';

// The ways the fuzzer breaks a bundle, as plain data (fast-check shrinks it
// and prints it). Files and places inside them are picked by index, resolved
// modulo what exists when the mutation is applied (see apply.ts).

/** Textual breaks of a YAML file (or a Markdown file with its front matter). */
export type TextOp =
  | { op: 'truncate'; permille: number }
  | { op: 'tab'; line: number }
  | { op: 'indent'; line: number; by: number }
  | { op: 'duplicate'; line: number }
  | { op: 'insert'; permille: number; text: string }
  | { op: 'replace'; text: string };

/** A value put in place of another, by the parsed structure. Strings starting with "§" are written as raw YAML. */
export type Weird = unknown;

export type Mutation =
  | { kind: 'text'; file: FileRef; op: TextOp }
  | { kind: 'value'; file: number; at: number; value: Weird }
  | { kind: 'transform'; file: number; at: number; how: string }
  | { kind: 'key'; file: number; at: number; key: string; value: Weird }
  | { kind: 'delete'; file: number; at: number }
  | { kind: 'path'; item: number; field: string; path: string }
  | { kind: 'file'; file: FileRef; op: string }
  | { kind: 'bytes'; op: string; permille: number; bytes: number[] }
  | { kind: 'set'; file: string; path: (string | number)[]; value: Weird }
  | { kind: 'body'; file: FileRef; permille: number; text: string }
  | { kind: 'places'; op: string }
  | { kind: 'locales'; op: string }
  | { kind: 'array'; file: FileRef; at: number; op: 'reverse' | 'truncate' | 'duplicate' | 'empty' | 'nest'; k: number };

/** A file of the base bundle: by its index among the YAML and Markdown files (generated), or by its path (written by hand). */
export type FileRef = number | string;

const clean = (s: string) => !GARBAGE.test(s);

/** Odd pieces of Unicode: NUL, bidi overrides, combining marks, lone surrogates, emoji, invisible characters. */
export const ODD = ['\u0000', '\u202E', '\u202D', '\u0301', '\u0308\u0308\u0308', '\uD800', '\uDFFF', '\uD83D', '😀', '👩‍👩‍👧', '\uFEFF', '\u2028', '\u2029',
  '\u200B', '\u00AD', 'e\u0301', 'é', 'ﬁ', 'İ', 'ß', '\r', '\n', '\t', '\x1b[31m', '\x7f', '<script>alert(1)</script>', '&amp;', '"', "'", '{{x}}', '${x}', '%s', '\\', '\uFFFF', '\uFFFD'];

const oddString = fc.array(fc.oneof(fc.constantFrom(...ODD), fc.constantFrom('fossils', 'a', '-', 'Ammonit', ' ')), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));

/** Wrong types, wrong ranges, impossible dates, huge and odd strings, YAML tricks. */
export const weird: fc.Arbitrary<Weird> = fc.oneof(
  fc.constantFrom<Weird>({ a: 1 }, {}, [], [1, 'x'], [[]], [{}], null, 0, -1, -0.5, 1e308, -1e308, Infinity, -Infinity, NaN, true, false,
    2 ** 53 + 1, -(2 ** 31), 19440230, { de: { a: 1 }, en: [1] }, { de: null }, { de: 42 }, { toString: 1 }, { valueOf: 'x', toString: 'y' }),
  fc.constantFrom('', ' ', '\t', '1944-02-30', '1944-13-01', '0000-00-00', '1944-2-3', '99999-01-01', '1944-02-29', '1943-02-29', '-0001-01-01',
    '1944-06-31T00:00', '1944', 'null', '~', 'true', '0x1F', '1e999', '.nan', '-.inf', 'https://evil.example/x.png', 'javascript:alert(1)'),
  fc.constantFrom('§&c [*c]', '§*nope', '§{<<: *nope}', '§!!binary aGVsbG8=', '§!!set {a, b}', '§!!omap [a: 1]', '§!!timestamp 2001-12-14', '§!!float .nan'),
  oddString,
  fc.constantFrom(30_000, 300_000, 2_500_000).map((n) => 'Ab '.repeat(Math.ceil(n / 3))),
  fc.string({ maxLength: 40 }).filter(clean),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => clean(JSON.stringify(v) ?? '')),
);

/** Changes of an existing value that keep it close to right: ids and slugs that almost match. */
export const TRANSFORMS = ['nfd', 'combining', 'rtl', 'nul', 'emoji', 'upper', 'trailing-space', 'zwsp', 'lone-surrogate', 'double', 'hyphen', 'number'] as const;

export function transform(v: unknown, how: string): unknown {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  switch (how) {
    case 'nfd': return `${s}-caf\u00e9`.normalize('NFD');
    case 'combining': return `${s}\u0301`;
    case 'rtl': return `\u202E${s}`;
    case 'nul': return `${s}\u0000`;
    case 'emoji': return `${s}😀`;
    case 'upper': return s.toUpperCase();
    case 'trailing-space': return `${s} `;
    case 'zwsp': return `${s.slice(0, 1)}\u200B${s.slice(1)}`;
    case 'lone-surrogate': return `${s}\uD800`;
    case 'double': return `${s}${s}`;
    case 'hyphen': return s.replace(/-/g, '\u2010');
    default: return s.length;
  }
}

/** Paths that try to leave the bundle or to confuse the rules on names. */
export const PATH_TRICKS = ['../outside.png', '../../../../etc/passwd', '/etc/passwd', '/tmp/x.png', 'media/../bundle.yaml', 'media/../../outside.png',
  'media\\ammonite.png', 'media/..\\..\\outside.png', 'media/%2e%2e/%2e%2e/outside.png', 'media%2Fammonite.png', 'media/ammonite.png%00.txt',
  'media/ammonite.png\u0000.txt', 'media/ammonite.png/', 'media//ammonite.png', 'media/./ammonite.png', 'MEDIA/ammonite.png', 'media/ammonite.PNG',
  'file:///etc/passwd', 'https://evil.example/x.png', `media/${'a'.repeat(150)}.png`, `media/${'a'.repeat(300)}.png`, `media/${`${'b'.repeat(100)}/`.repeat(3)}x.png`,
  'media/link.png', 'media/ext/outside.png', 'media/up/media/ammonite.png', 'media/dir.png', 'media/empty.png', 'media/missing.png', 'media/ammonite.png.',
  'media/ammonite', 'media/ammonite.png ', ' media/ammonite.png', 'media/ammonite\u202Egnp.png', 'media/caf\u00e9.png', 'media/cafe\u0301.png',
  'media/.hidden.png', 'media/text.png', 'media/ammonite.jpg', 'media/notes.vtt', 'media/notes.md', 'media/link.md', 'media/ext/secret.md', 'media/ammonite.png.md'];

export const PATH_FIELDS = ['file', 'poster', 'sources', 'captions', 'transcript', 'chapters'];

/** Changes to the files of the bundle: names, links, folders in the place of files. */
export const FILE_OPS = ['link-outside', 'link-dir', 'link-self', 'remove', 'dir-instead', 'rename-nfd', 'rename-upper', 'rename-space', 'rename-long',
  'rename-yml', 'rename-hidden', 'copy-dup-id', 'copy-odd-name', 'crlf', 'bom', 'latin1', 'empty'];

/** Changes to the bytes of the image file. */
export const BYTE_OPS = ['truncate', 'empty', 'random', 'text', 'gif-header', 'append', 'flip', 'svg-script', 'svg-huge'];

/** Fields whose values reach pages as they are: dates, numbers, codes, slugs, texts (the files' own paths; Markdown: its front matter). */
export const TARGETS: [string, (string | number)[]][] = [
  ['bundle.yaml', ['museum', 'address', 'postal_code']], ['bundle.yaml', ['museum', 'address', 'country']], ['bundle.yaml', ['museum', 'name', 'de']],
  ['bundle.yaml', ['museum', 'data_licence']], ['bundle.yaml', ['museum', 'locales']], ['bundle.yaml', ['museum', 'intro', 'en']],
  ['events.yaml', [0, 'date', 'start']], ['events.yaml', [2, 'date', 'end']], ['events.yaml', [2, 'date', 'precision']], ['events.yaml', [0, 'title', 'de']],
  ['events.yaml', [0, 'description', 'en']], ['events.yaml', [0, 'tags', 0]], ['events.yaml', [0, 'places']],
  ['media.yaml', [0, 'date']], ['media.yaml', [0, 'caption', 'en']], ['media.yaml', [0, 'alt', 'de']], ['media.yaml', [0, 'width']], ['media.yaml', [0, 'license']],
  ['media.yaml', [0, 'title']], ['media.yaml', [0, 'identifier']], ['media.yaml', [3, 'external']],
  ['places.yaml', [0, 'lat']], ['places.yaml', [1, 'lon']], ['places.yaml', [0, 'name', 'en']], ['places.yaml', [2, 'description']],
  ['themes/01-fossils.yaml', ['blocks', 3, 'from']], ['themes/01-fossils.yaml', ['blocks', 3, 'to']], ['themes/01-fossils.yaml', ['blocks', 3, 'tag']],
  ['themes/01-fossils.yaml', ['blocks', 5, 'items', 1, 'url']], ['themes/01-fossils.yaml', ['blocks', 4, 'tone']],
  ['themes/01-fossils.en.md', ['title']], ['themes/01-fossils.en.md', ['slug']], ['themes/01-fossils.en.md', ['summary']], ['themes/01-fossils.en.md', ['lead']],
  ['themes/01-fossils.en.md', ['blocks', 'ammonite-figure', 'caption']], ['layers.yaml', [0, 'role']], ['layers.yaml', [1, 'label_property']],
  ['layers.yaml', [0, 'name', 'en']], ['tags.yaml', [0, 'label', 'en']], ['tags.yaml', [1, 'id']], ['geo/area.geojson', ['features', 0, 'geometry', 'coordinates', 0, 1]],
  ['geo/area.geojson', ['features', 0, 'geometry', 'coordinates', 0, 2, 0]], ['geo/river.geojson', ['features', 0, 'properties', 'name_en']],
  ['geo/river.geojson', ['features', 0, 'geometry', 'coordinates']], ['geo/area.geojson', ['features', 0, 'geometry', 'type']],
  ['themes/02-minerals.yaml', ['blocks', 4, 'by_date']], ['themes/02-minerals.yaml', ['blocks', 4, 'tag']], ['visits/main.yaml', ['slug', 'en']], ['visits/main.yaml', ['title', 'de']],
];

/** Markdown that a section body may hold: images from other hosts, raw HTML, odd links, attributes. */
export const BODY_TEXTS = ['![x](https://evil.example/x.png)', '![x](media/ammonite.png)', '![x](/etc/passwd)', '<img src=x onerror=alert(1)>', '<script>alert(1)</script>',
  '[a](javascript:alert(1))', '[a](data:text/html,x)', '[a]{lang=xx}', '[a]{onclick=alert(1)}', '[a]{lang="de onmouseover=x"}', '\n# Title\n', '\n::: nope\n',
  '\n::: fossils-intro\n', '\u0000', '\u202E', '| a | b |\n|---|---|\n| 1 |', '<!--', '```\nx', '[x]: https://evil.example/x.png\n![y][x]', '&#0;', '&#x202E;', '\\'];

const line = fc.nat(200);
const permille = fc.nat(1000);
const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), permille }),
  fc.record({ op: fc.constant('tab' as const), line }),
  fc.record({ op: fc.constant('indent' as const), line, by: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ op: fc.constant('duplicate' as const), line }),
  fc.record({ op: fc.constant('insert' as const), permille, text: fc.constantFrom('\u0000', '\t', ': ', '- ', '&a ', '*a ', '*nope ', '<<: *a\n', '{', '[', '"', "'", '#', '|\n', '>\n',
    '%YAML 1.1\n', '---\n', '...\n', '!!binary ', '!!js/function ', '\uFEFF', '\r', '? ', '@', '`', '\n\t', '\u2028', '\uD800', '\\u0000') }),
  fc.record({ op: fc.constant('replace' as const), text: fc.constantFrom('', '[]', '{}', 'null', '42', '"x"', '---\n---\n', 'a: &a [*a]\n', '- &a [*a]\n', 'x: &a [1]\ny: *a\n',
    'l1: &a [x, x, x, x, x, x, x, x, x]\nl2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nl3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nl4: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    '\u0000', 'key: value\nkey: value\n', 'a:\n\t- b\n', '---\ntitle: x\n---\n', '- 1\n- 2\n', '- id: x\n- id: x\n', '- {id: {toString: 1}}\n', '- id: [a]\n', '- __proto__: {id: x}\n') }),
);

const file = fc.nat(100);
const at = fc.nat(400);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('text' as const), file, op: textOp }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('value' as const), file, at, value: weird }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('transform' as const), file, at, how: fc.constantFrom(...TRANSFORMS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('key' as const), file, at, key: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x', 'id', '', ' ', 'de\u0000', 'DE', 'fr'), value: weird }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), file, at }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('path' as const), item: fc.nat(10), field: fc.constantFrom(...PATH_FIELDS), path: fc.constantFrom(...PATH_TRICKS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('file' as const), file, op: fc.constantFrom(...FILE_OPS) }) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...TARGETS), weird).map(([[file, path], value]) => ({ kind: 'set' as const, file, path, value })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('body' as const), file, permille, text: fc.constantFrom(...BODY_TEXTS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('array' as const), file, at, op: fc.constantFrom('reverse' as const, 'truncate' as const, 'duplicate' as const, 'empty' as const, 'nest' as const), k: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('locales' as const), op: fc.constantFrom('add-fr', 'default-en', 'only-de', 'reorder', 'add-de-CH', 'add-ar') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('places' as const), op: fc.constantFrom('same', 'antimeridian', 'poles', 'far', 'zero', 'tiny') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), op: fc.constantFrom(...BYTE_OPS), permille, bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 64 }) }) },
);

/** One case: one to three mutations of the base bundle. */
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });
