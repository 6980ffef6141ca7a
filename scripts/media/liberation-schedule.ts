// The liberation of the Drôme, day by day, 20–31 August 1944: the one schedule that
// the static liberation map, the animated map, its captions (WebVTT) and its
// transcripts are all drawn from, so that they can never disagree.
// Every date is checked against ../shared/reference/facts-drome.md (§10, §14, §15).

export type Locale = 'fr' | 'en';
export type Text2 = Record<Locale, string>;

export interface Change {
  town: string;
  /** 'free': the town lights up; 'retaken': its dot turns into an empty circle (Romans, 27 August). */
  to: 'free' | 'retaken';
}

export interface Day {
  /** Day of August 1944. */
  day: number;
  changes: Change[];
  /** The caption shown while this day is on screen (WebVTT). */
  caption?: Text2;
  /** The sentence of the transcript for this day. */
  transcript?: Text2;
  /** Where the facts sheet supports it (for the README and the report). */
  facts?: string;
}

export const DAYS: Day[] = [
  {
    day: 20,
    changes: [{ town: 'die', to: 'free' }, { town: 'luc-en-diois', to: 'free' }, { town: 'crest', to: 'free' }],
    caption: {
      fr: '20 août 1944 : Die, Luc-en-Diois et, le soir, Crest sont libérées.',
      en: '20 August 1944: Die, Luc-en-Diois and, that evening, Crest are liberated.',
    },
    transcript: {
      fr: 'Le 20 août, les Américains arrivent par l’est : Die et Luc-en-Diois s’allument, puis Crest, atteinte le soir même.',
      en: 'On 20 August the Americans arrive from the east: Die and Luc-en-Diois light up, then Crest, reached that evening.',
    },
    facts: '§10 “20 Aug”; §15 1944-08-20 [MRL-autres-villes; MRL-premières]',
  },
  {
    day: 21,
    changes: [{ town: 'buis-les-baronnies', to: 'free' }],
    caption: {
      fr: '21 août : Buis-les-Baronnies est libérée (date donnée par le musée).',
      en: '21 August: Buis-les-Baronnies is liberated (the museum’s date).',
    },
    transcript: {
      fr: 'Le 21, c’est le tour de Buis-les-Baronnies, selon le musée.',
      en: 'On the 21st comes Buis-les-Baronnies, according to the museum.',
    },
    facts: '§15 1944-08-21 “Buis-les-Baronnies liberated (museum)” [M-10]',
  },
  {
    day: 22,
    changes: [{ town: 'romans-sur-isere', to: 'free' }],
    caption: {
      fr: '22 août : à Romans-sur-Isère, la garnison allemande se rend aux FFI.',
      en: '22 August: in Romans-sur-Isère, the German garrison surrenders to the FFI.',
    },
    transcript: {
      fr: 'Le 22, Romans-sur-Isère s’allume : sa garnison allemande s’est rendue aux FFI.',
      en: 'On the 22nd Romans-sur-Isère lights up: its German garrison has surrendered to the FFI.',
    },
    facts: '§10 “Romans, liberated twice: 22 Aug”; §15 1944-08-22 [ville-romans]',
  },
  {
    day: 23,
    changes: [{ town: 'nyons', to: 'free' }],
    caption: {
      fr: '23 août : les Américains entrent à Nyons (le musée date sa libération du 25).',
      en: '23 August: American troops enter Nyons (the museum dates its liberation to the 25th).',
    },
    transcript: {
      fr: 'Le 23, Nyons, où entrent les troupes américaines ; le musée, lui, date sa libération du 25.',
      en: 'On the 23rd it is Nyons, where American troops arrive; the museum itself dates its liberation to the 25th.',
    },
    facts: '§10 Nyons “23 Aug, 07:00: the US 142nd Infantry Regiment arrives” ⚠ museum 25 Aug; §14 item 3 [MRL-media9371; M-10]',
  },
  { day: 24, changes: [] },
  { day: 25, changes: [] },
  { day: 26, changes: [] },
  {
    day: 27,
    changes: [{ town: 'romans-sur-isere', to: 'retaken' }, { town: 'valreas', to: 'free' }],
    caption: {
      fr: '27 août : les Allemands reprennent Romans ; Valréas (Vaucluse) est libérée.',
      en: '27 August: the Germans retake Romans; Valréas (Vaucluse) is liberated.',
    },
    transcript: {
      fr: 'Rien ne change jusqu’au 27 : ce jour-là, les Allemands reprennent Romans, dont le point redevient un simple cercle, et Valréas s’allume, dans l’Enclave des Papes, qui appartient au Vaucluse.',
      en: 'Nothing changes until the 27th, when the Germans retake Romans, whose dot turns into an empty circle, and Valréas lights up, in the Enclave des Papes, which belongs to the Vaucluse.',
    },
    facts: '§10 Romans “27 Aug: Kampfgruppe Thieme retakes Romans”; §15 1944-08-27 “Valréas liberated (museum)”; §14 item 2 [MRL-media404; M-10]',
  },
  {
    day: 28,
    changes: [{ town: 'montelimar', to: 'free' }],
    caption: {
      fr: '28 août : Montélimar est libérée par les Américains et les FFI.',
      en: '28 August: Montélimar is liberated by American troops and the FFI.',
    },
    transcript: {
      fr: 'Le 28, Montélimar est libérée.',
      en: 'On the 28th Montélimar is liberated.',
    },
    facts: '§10 “28 Aug: Montélimar liberated”; §15 1944-08-28 [MRL-premières]',
  },
  { day: 29, changes: [] },
  {
    day: 30,
    changes: [{ town: 'romans-sur-isere', to: 'free' }],
    caption: {
      fr: '30 août : Romans est libérée, cette fois pour de bon.',
      en: '30 August: Romans is liberated, this time for good.',
    },
    transcript: {
      fr: 'Le 30, Romans se rallume, cette fois pour de bon.',
      en: 'On the 30th Romans lights up again, this time for good.',
    },
    facts: '§10 Romans “30 Aug: final liberation”; §15 1944-08-30 [ville-romans; MRL-media304]',
  },
  {
    day: 31,
    changes: [{ town: 'valence', to: 'free' }, { town: 'saint-rambert-d-albon', to: 'free' }],
    caption: {
      fr: '31 août : les FFI libèrent Valence ; Saint-Rambert-d’Albon est la dernière ville libérée.',
      en: '31 August: the FFI liberate Valence; Saint-Rambert-d’Albon is the last town to be freed.',
    },
    transcript: {
      fr: 'Le 31 enfin, Valence, libérée par les FFI, et Saint-Rambert-d’Albon, la dernière ville libérée, complètent la carte.',
      en: 'Finally, on the 31st, Valence, freed by the FFI, and Saint-Rambert-d’Albon, the last town to be liberated, complete the map.',
    },
    facts: '§10 Valence “31 Aug: 14 FFI companies”; “31 Aug: Saint-Rambert-d’Albon is the last town liberated”; §15 1944-08-31 [MRL-valence; M-10]',
  },
];

/** The towns that light up, in the order they first do. */
export const LIBERATED_TOWNS: string[] = [...new Set(DAYS.flatMap((d) => d.changes.filter((c) => c.to === 'free').map((c) => c.town)))];

export const dayLabel = (day: number): string => `${String(day).padStart(2, '0')}.08`;

/** Each liberated town's date label for the static map, e.g. "22.08 / 30.08" for Romans. */
export function dateLabels(): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const d of DAYS) for (const c of d.changes) if (c.to === 'free') out.set(c.town, [...(out.get(c.town) ?? []), dayLabel(d.day)]);
  return new Map([...out].map(([town, days]) => [town, days.join(' / ')]));
}

// Timing of the animation, in seconds.
export const TIMING = {
  fps: 25,
  /** The map alone before 20 August, while the first caption is read. */
  intro: 5,
  /** A day with changes stays on screen this long; a quiet day goes by faster. */
  eventDay: 3.5,
  quietDay: 1.2,
  /** Fade-in of a town, and fade-out of Romans on the 27th. */
  fade: 0.8,
  /** The final map is held this long after the last day. */
  hold: 4,
};

export interface TimedDay extends Day { start: number; end: number }

/** When each day starts and ends in the video, and the video's total length. */
export function timeline(): { days: TimedDay[]; total: number } {
  let t = TIMING.intro;
  const days = DAYS.map((d) => {
    const len = d.changes.length ? TIMING.eventDay : TIMING.quietDay;
    const timed = { ...d, start: t, end: t + len };
    t += len;
    return timed;
  });
  return { days, total: t + TIMING.hold };
}

const MONTHS = 'janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|January|February|March|April|May|June|July|August|September|October|November|December';
/**
 * The bundle's typography: a no-break space between a number and its month or unit
 * in both languages, and in French before « : ; ! ? » and inside guillemets.
 */
export function typo(locale: Locale, s: string): string {
  let out = s.replace(new RegExp(`(\\d) (${MONTHS}|km|secondes|seconds)\\b`, 'g'), '$1\u00a0$2');
  if (locale === 'fr') out = out.replace(/ ([:;!?»])/g, '\u00a0$1').replace(/« /g, '«\u00a0');
  return out;
}
