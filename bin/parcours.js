#!/usr/bin/env node
// The `parcours` command: runs the TypeScript CLI through tsx (Node 24).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
