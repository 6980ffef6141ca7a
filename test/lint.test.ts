import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

// The lint rules of eslint.config.js fire where they should: each layer rule on a forbidden import and not on an
// allowed one, from a file inside the layer (the file need not exist: lintText only uses its path).

const root = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;
before(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: 'eslint.config.js' });
});

async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, `no result for ${filePath}`);
  assert.deepEqual(result.messages.filter((m) => m.fatal), [], `${filePath} parses`);
  return result.messages;
}
const LAYERS = 'no-restricted-imports';
const fires = async (filePath: string, source: string, rule = LAYERS) => {
  const messages = await lint(filePath, `import { x } from '${source}';\nexport const y = x;\n`);
  const hit = messages.filter((m) => m.ruleId === rule);
  assert.equal(hit.length, 1, `${rule} fires in ${filePath} for '${source}': ${JSON.stringify(messages)}`);
  assert.match(hit[0]!.message, /Layers point down \(ARCHITECTURE\.md\)/, 'the message states the layering rule');
};
const allowed = async (filePath: string, source: string) => {
  const messages = await lint(filePath, `import { x } from '${source}';\nexport const y = x;\n`);
  assert.deepEqual(messages, [], `'${source}' is allowed in ${filePath}`);
};

describe('lint: the layers point down', () => {
  test('src/modules/ never imports web/, app.ts, server.ts, main.ts or cli/', async () => {
    const file = 'src/modules/geo/example.ts';
    for (const s of ['../../web/site/site.service.ts', '../../web/views/geo.tsx', '../../app.ts', '../../server.ts', '../../main.ts', '../../cli/index.ts', '../../islands/zoom.ts']) await fires(file, s);
    for (const s of ['../content/content.schema.ts', './map.types.ts', '../../shared/errors.ts', '../../i18n/messages.ts', '../../db/schema.ts', 'd3-geo']) await allowed(file, s);
  });

  test('also for type-only imports and re-exports', async () => {
    const file = 'src/modules/content/example.ts';
    const typeOnly = await lint(file, `import type { X } from '../../web/site/site.context.ts';\nexport type Y = X;\n`);
    assert.deepEqual(typeOnly.map((m) => m.ruleId), [LAYERS]);
    const reexport = await lint(file, `export { renderPage } from '../../web/site/site.builder.tsx';\n`);
    assert.deepEqual(reexport.map((m) => m.ruleId), [LAYERS]);
  });

  test('src/shared/ and src/i18n/ import nothing from modules/, db/, web/ or islands/', async () => {
    for (const file of ['src/shared/example.ts', 'src/i18n/example.ts']) {
      for (const s of ['../modules/content/content.schema.ts', '../db/schema.ts', '../web/assets.ts', '../islands/keys.ts', '../app.ts', '../cli/report.ts']) await fires(file, s);
    }
    await allowed('src/shared/example.ts', './errors.ts');
    await allowed('src/shared/example.ts', '../i18n/messages.ts');
    await allowed('src/i18n/example.ts', './catalogues/en.ts');
  });

  test('src/db/ never imports modules/ or web/', async () => {
    const file = 'src/db/example.ts';
    for (const s of ['../modules/content/content.loader.ts', '../web/site/site.service.ts', '../server.ts']) await fires(file, s);
    for (const s of ['./schema.ts', '../shared/errors.ts', 'kysely']) await allowed(file, s);
  });

  test('a migration imports nothing from the app, only kysely', async () => {
    const file = 'src/db/migrations/0099_example.ts';
    for (const s of ['../schema.ts', '../../shared/errors.ts', '../../modules/content/content.schema.ts', './0001_initial.ts']) await fires(file, s);
    await allowed(file, 'kysely');
  });

  test('src/islands/ import only src/shared/ and their own folder', async () => {
    const file = 'src/islands/example.ts';
    for (const s of ['../i18n/messages.ts', '../modules/geo/map.svg.ts', '../web/assets.ts', '../../test/harness.ts', '../shared/../modules/x.ts']) await fires(file, s);
    for (const s of ['./keys.ts', '../shared/dates.ts', 'openseadragon']) await allowed(file, s);
  });

  test('the web and the tests may import the layers below them', async () => {
    await allowed('src/web/site/example.ts', '../../modules/content/content.events.ts');
    await allowed('test/example.test.ts', '../src/web/site/site.service.ts');
  });
});

describe('lint: unused code', () => {
  const unused = async (code: string) => (await lint('src/modules/content/example.ts', code)).filter((m) => m.ruleId === '@typescript-eslint/no-unused-vars').map((m) => m.message.match(/'([^']+)'/)?.[1]);

  test('an unused import, variable or function is an error', async () => {
    assert.deepEqual(await unused(`import { a } from './a.ts';\nconst b = 1;\nfunction c() {}\nexport const d = 2;\n`), ['a', 'b', 'c']);
  });

  test('arguments: only those after the last used one; a leading _ says "unused on purpose"', async () => {
    assert.deepEqual(await unused(`export function f(a: number, b: number) { return b; }\n`), []);
    assert.deepEqual(await unused(`export function f(a: number, b: number) { return a; }\n`), ['b']);
    assert.deepEqual(await unused(`export function f(a: number, _b: number) { return a; }\nconst _c = 1;\n`), []);
  });

  test('a caught error that is not used is reported unless it is omitted or _-prefixed', async () => {
    assert.deepEqual(await unused(`try { JSON.parse(''); } catch (e) { /* ignored */ }\n`), ['e']);
    assert.deepEqual(await unused(`try { JSON.parse(''); } catch { /* ignored */ }\ntry { JSON.parse(''); } catch (_e) { /* ignored */ }\n`), []);
  });
});
