// typescript-eslint parses with the JavaScript API of TypeScript (ts.createSourceFile and friends). The project's
// `typescript` is 7, the native compiler, whose package no longer ships that API (typescript-eslint's peer range is
// `<6.1.0`; upstream plans TS 7 support with 7.1, typescript-eslint#10940). So the linter alone gets TypeScript 6.0,
// installed as the alias `typescript-js-api` (npm:typescript@~6.0.3), and this resolve hook sends the `typescript`
// imports of typescript-eslint's own packages (and of ts-api-utils) there. Everything else — `tsc`, the editor's
// `typescript` — stays TypeScript 7. Remove this file and the alias once typescript-eslint supports TypeScript 7.
// (Parsing only: no type-aware rules, so the TS 6 compiler never reads tsconfig.json.)
import { registerHooks } from 'node:module';

const LINTER = /[\\/]node_modules[\\/](?:@typescript-eslint[\\/]|typescript-eslint[\\/]|ts-api-utils[\\/])/;
const KEY = Symbol.for('parcours.eslint.typescript-api');

if (!globalThis[KEY]) {
  globalThis[KEY] = true;
  registerHooks({
    resolve(specifier, context, next) {
      if ((specifier === 'typescript' || specifier.startsWith('typescript/')) && context.parentURL && LINTER.test(context.parentURL)) {
        return next(`typescript-js-api${specifier.slice('typescript'.length)}`, context);
      }
      return next(specifier, context);
    },
  });
}
