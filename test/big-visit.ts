import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyBundle, DEMO } from './harness.ts';

// The demo with a visit of 60 themes (its 11, then 49 short ones): a visit
// large enough for the compact theme menu (more than MENU_FULL_MAX themes).

export const BIG_VISIT_THEMES = 60;

const SUBJECTS: [fr: string, en: string][] = [
  ['Les archives de la vallée', 'Archives of the valley'],
  ['Voix des villages', 'Voices of the villages'],
  ['Routes et ponts', 'Roads and bridges'],
  ['L’école pendant la guerre', 'School in wartime'],
  ['Marchés et rationnement', 'Markets and rationing'],
  ['Lettres de captivité', 'Letters from captivity'],
  ['Le chemin de fer', 'The railway'],
];

/** The subject of an added theme (12 to 60), in French and English. */
export function extraTitle(n: number): { fr: string; en: string } {
  const [fr, en] = SUBJECTS[n % SUBJECTS.length]!;
  return { fr: `${fr} (${n})`, en: `${en} (${n})` };
}

/** A copy of the demo whose main visit has 60 themes; `untranslated` themes have no English text (shown in French). */
export function bigVisitBundle(untranslated: number[] = []): string {
  const dir = copyBundle(DEMO);
  for (let n = 12; n <= BIG_VISIT_THEMES; n += 1) {
    const base = join(dir, 'themes', `${n}-extra-${n}`);
    const title = extraTitle(n);
    writeFileSync(`${base}.yaml`, 'visit: main\nblocks:\n  - {id: body, kind: text}\n');
    writeFileSync(`${base}.fr.md`, `---\ntitle: "${title.fr}"\nslug: theme-${n}\nsummary: Un thème ajouté pour essayer une longue visite.\n---\n\n::: body\nUn thème ajouté (${n}).\n`);
    writeFileSync(`${base}.en.md`, `---\ntitle: "${title.en}"\nslug: theme-${n}\nsummary: A theme added to try a long visit.\n---\n\n::: body\nAn added theme (${n}).\n`);
    if (untranslated.includes(n)) rmSync(`${base}.en.md`);
  }
  return dir;
}
