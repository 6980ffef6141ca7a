// ESLint (flat config) for Parcours: typescript-eslint's recommended rules without type information,
// unused code, and the layers of ARCHITECTURE.md as `no-restricted-imports` (test/lint.test.ts proves each fires).
// Run: npm run lint. TypeScript 7 has no JavaScript API, so the parser gets TypeScript 6.0's: see the first import.
import './eslint.typescript-api.js';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';

// Imported after the hook above is registered (a static import would be resolved before it runs).
const { default: tseslint } = await import('typescript-eslint');

// Imports are matched as written (relative paths), so each pattern names the folder wherever it is reached from.
const WEB = { group: ['**/web/**', '**/app.ts', '**/server.ts', '**/main.ts', '**/first-start.ts', '**/cli/**'] };
const MODULES = { group: ['**/modules/**'] };
const DB = { group: ['**/db/**'] };
const ISLANDS = { group: ['**/islands/**'] };

/** One `no-restricted-imports` rule whose message states the layering rule it enforces. */
const layer = (rule, ...sets) => ['error', { patterns: sets.map((s) => ({ ...s, message: `Layers point down (ARCHITECTURE.md): ${rule}` })) }];

export default defineConfig(
  { ignores: ['node_modules/', 'data/', 'test-results/', '.scratch/', 'content/', 'src/web/assets/', '**/*.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {
        args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'all', caughtErrorsIgnorePattern: '^_',
        destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
      // TypeScript itself reports undefined names (and knows the DOM and Node globals): no-undef only misfires on types.
      'no-undef': 'off',
      // Validation deliberately finds control characters (C0, DEL) in titles, paths, CSV cells and SVG text.
      'no-control-regex': 'off',
      // Tests match YAML and HTML indentation as written ("  - id:"): two literal spaces are clearer than " {2}".
      'no-regex-spaces': 'off',
    },
  },
  {
    // Kysely's own advice: a frozen migration types its database as Kysely<any>, never as today's schema.
    files: ['src/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // The layers. A later block for the same files replaces the rule's options, so each block lists all it forbids.
  {
    files: ['src/modules/**'],
    rules: { 'no-restricted-imports': layer('src/modules/ holds the domain; it never imports web/, app.ts, server.ts, main.ts or cli/ (the web renders the domain, not the reverse).', WEB, ISLANDS) },
  },
  {
    files: ['src/shared/**', 'src/i18n/**'],
    rules: { 'no-restricted-imports': layer('src/shared/ and src/i18n/ are the bottom layer; they import nothing from modules/, db/, web/, islands/, app.ts, server.ts or cli/.', MODULES, DB, WEB, ISLANDS) },
  },
  {
    files: ['src/db/**'],
    rules: { 'no-restricted-imports': layer('src/db/ stores the domain; it never imports modules/, web/, app.ts, server.ts or cli/.', MODULES, WEB, ISLANDS) },
  },
  {
    files: ['src/db/migrations/**'],
    rules: { 'no-restricted-imports': layer('a migration is frozen: it imports nothing from the app (only kysely), so that later code changes cannot change it.', { regex: '^\\.' }) },
  },
  {
    files: ['src/islands/**'],
    // Only relative imports are restricted: npm packages (openseadragon) are bundled by esbuild.
    rules: { 'no-restricted-imports': layer('src/islands/ run in the browser; they import only src/shared/ and their own folder.', { regex: '^\\.\\./(?!shared/)|^\\.\\./shared/.*\\.\\./' }) },
  },
);
