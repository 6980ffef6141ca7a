import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

// Rewrites a backup archive for the tests of restore's refusals: one member
// edited (its checksum in the manifest fixed or not), the manifest changed or
// left out.

interface Edit {
  /** The new manifest from the old (null: none written). */
  manifest?: ((m: Record<string, unknown>) => Record<string, unknown>) | null;
  member?: [string, (text: string) => string];
  /** Whether the manifest's size and sha256 of the edited member follow the edit (default true). */
  fixChecksums?: boolean;
  /** Rows to add to a table's count in the manifest. */
  rows?: Record<string, number>;
}

export async function repack(archive: Buffer, edit: Edit): Promise<Buffer> {
  const members: [string, Buffer][] = [];
  const extract = tar.extract();
  Readable.from([gunzipSync(archive)]).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const d of entry) chunks.push(d as Buffer);
    members.push([entry.header.name, Buffer.concat(chunks)]);
  }
  const manifestAt = members.findIndex(([n]) => n === 'manifest.json');
  type Manifest = Record<string, unknown> & { members: Record<string, unknown>; tables: Record<string, { rows: number }> };
  let manifest = JSON.parse(members[manifestAt]![1].toString('utf8')) as Manifest;
  members.splice(manifestAt, 1);
  if (edit.member) {
    const [name, change] = edit.member;
    const at = members.findIndex(([n]) => n === name);
    const body = Buffer.from(change(members[at]![1].toString('utf8')), 'utf8');
    members[at] = [name, body];
    if (edit.fixChecksums !== false) manifest.members[name] = { bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
  }
  for (const [table, n] of Object.entries(edit.rows ?? {})) manifest.tables[table]!.rows += n;
  if (edit.manifest) manifest = edit.manifest(manifest) as Manifest;
  const pack = tar.pack();
  for (const [name, body] of members) pack.entry({ name, size: body.length }, body);
  if (edit.manifest !== null) {
    const body = Buffer.from(JSON.stringify(manifest), 'utf8');
    pack.entry({ name: 'manifest.json', size: body.length }, body);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const d of pack) chunks.push(d as Buffer);
  return gzipSync(Buffer.concat(chunks));
}
