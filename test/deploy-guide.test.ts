import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// docs/deploy.md stays true: its nginx blocks pass `nginx -t` and its systemd
// unit passes `systemd-analyze verify`, as written (only the certificate
// paths are replaced, by a throwaway certificate; nginx -t binds no port).
// Where a tool is missing the test says so loudly.

const GUIDE = readFileSync('docs/deploy.md', 'utf8');
const blocks = (lang: string) => [...GUIDE.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = (cmd: string) => (has(cmd) ? false : `SKIPPED LOUDLY: ${cmd} is not installed here, so docs/deploy.md's ${cmd === 'systemd-analyze' ? 'systemd unit' : 'nginx configuration'} is not checked`);

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'parcours-deploy-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** `nginx -t` of an http block's contents, in a configuration of its own (pid, logs and temp files in `dir`). */
function nginxCheck(http: string): { status: number | null; output: string } {
  const conf = join(dir, `nginx-${Math.random().toString(36).slice(2)}.conf`);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir};`).join(' ');
  writeFileSync(conf, `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  ${temp}\n${http}\n}\n`);
  const r = spawnSync('nginx', ['-t', '-q', '-c', conf], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const nginxSkip = missing('nginx') || missing('openssl');
if (nginxSkip) console.warn(nginxSkip);
const unitSkip = missing('systemd-analyze');
if (unitSkip) console.warn(unitSkip);

test('the guide has the blocks this test checks', () => {
  assert.ok(blocks('nginx').length >= 2, 'a site configuration and an upstream of two servers');
  assert.equal(blocks('ini').filter((b) => b.includes('[Unit]')).length, 1, 'one whole systemd unit');
});

test('the nginx site configuration passes nginx -t', { skip: nginxSkip }, () => {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=visite.example.org'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const site = blocks('nginx')[0]!
    .replace('/etc/letsencrypt/live/visite.example.org/fullchain.pem', cert)
    .replace('/etc/letsencrypt/live/visite.example.org/privkey.pem', key);
  const r = nginxCheck(site);
  assert.equal(r.status, 0, r.output);
  // A wrong directive is caught: the check can fail.
  assert.notEqual(nginxCheck(`${site}\nproxy_pas http://parcours;`).status, 0);
});

test('the nginx upstream of two app processes passes nginx -t', { skip: nginxSkip }, () => {
  const upstream = blocks('nginx')[1]!;
  assert.match(upstream, /server 127\.0\.0\.1:3001[\s\S]*server 127\.0\.0\.1:3002/);
  const r = nginxCheck(`${upstream}\nserver { listen 127.0.0.1:18081; location / { proxy_pass http://parcours; proxy_next_upstream error timeout http_503; } }`);
  assert.equal(r.status, 0, r.output);
});

test('the systemd unit passes systemd-analyze verify', { skip: unitSkip }, () => {
  const unit = blocks('ini').find((b) => b.includes('[Unit]'))!;
  const file = join(dir, 'parcours.service');
  writeFileSync(file, unit);
  const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.match(unit, /^LimitNOFILE=\d+$/m);
  assert.match(unit, /^Environment=MALLOC_ARENA_MAX=2$/m);
});
