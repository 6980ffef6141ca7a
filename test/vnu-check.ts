import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Nu Html Checker's errors on some pages (name, HTML) and, optionally, a
 * stylesheet: one line each, "<page name>: <message> <extract>"; [] when all
 * are valid. Runs the checker once, on files in a temporary folder.
 */
export function vnuErrors(pages: readonly (readonly [string, string])[], css?: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-vnu-'));
  try {
    const files = pages.map(([name, html], i) => {
      const f = join(dir, `${i}.html`);
      writeFileSync(f, html);
      return [f, name] as const;
    });
    const extra = css === undefined ? [] : [join(dir, 'style.css')];
    if (css !== undefined) writeFileSync(extra[0]!, css);
    const vnu = createRequire(import.meta.url).resolve('vnu-jar/build/dist/vnu.jar');
    const run = spawnSync('java', ['-Xss2m', '-jar', vnu, '--errors-only', '--also-check-css', '--format', 'json', ...files.map(([f]) => f), ...extra], { encoding: 'utf8' });
    const messages = (JSON.parse(run.stderr) as { messages: { url?: string; message: string; extract?: string }[] }).messages;
    const named = new Map<string, string>([...files, ...extra.map((f) => [f, 'stylesheet'] as const)]);
    return messages.map((m) => `${named.get(new URL(m.url ?? 'file:///x').pathname) ?? m.url}: ${m.message} ${m.extract ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** false when a Java runtime runs the checker; otherwise the reason to skip, said loudly once per caller. */
export function javaMissing(what: string): string | false {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (!java.error && java.status === 0) return false;
  console.warn(`\n!!! ${what} (vnu) SKIPPED: install a Java runtime (apt-get install default-jre-headless) !!!\n`);
  return 'java is not available';
}
