import { translator } from '../i18n/messages.ts';

// Dates are written the way each language writes them, at the precision the
// source gives: never "1 August" when only "August" is known.

/**
 * A date at the precision its source gives: the content schema's EventDate
 * has this shape (views pass one, so the typecheck keeps them in step);
 * shared/ is the bottom layer and does not import the content model.
 */
export type DateAtPrecision =
  | { precision: 'day' | 'night' | 'month' | 'year'; start: string }
  | { precision: 'range'; start: string; end: string };

// Intl's plain "en" is US English ("August 31, 1944"); museum English reads
// "31 August 1944", as British and international usage write it.
function intl(locale: string): string {
  return locale === 'en' ? 'en-GB' : locale;
}

function utc(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function dayNumber(d: Date, locale: string): string {
  const n = d.getUTCDate();
  if (locale === 'fr' && n === 1) return '1er';
  if (locale === 'de') return `${n}.`;
  return String(n);
}

// One formatter per language and shape, made once, and the days already
// written kept: making an Intl.DateTimeFormat costs some 100 µs and
// formatToParts some 40, and a theme page with day-by-day maps writes
// thousands of days (it was most of the render time of such a page).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, shape: 'day' | 'month'): Intl.DateTimeFormat {
  const key = `${shape} ${locale}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intl(locale), shape === 'day' ? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' });
    formatters.set(key, f);
  }
  return f;
}

/** Days written, by language and date; emptied when full (a site uses a few thousand). */
const days = new Map<string, string>();
const MAX_DAYS = 20_000;

export function formatDay(iso: string, locale: string): string {
  const key = `${locale} ${iso}`;
  const known = days.get(key);
  if (known !== undefined) return known;
  const d = utc(iso);
  const parts = formatter(locale, 'day').formatToParts(d);
  // Intl already writes German "1." and English "1"; only French needs "1er".
  const out = parts.map((p) => (p.type === 'day' && locale === 'fr' ? dayNumber(d, locale) : p.value)).join('');
  if (days.size >= MAX_DAYS) days.clear();
  days.set(key, out);
  return out;
}

function monthYear(iso: string, locale: string): string {
  return formatter(locale, 'month').format(utc(iso.length === 7 ? `${iso}-01` : iso));
}

function nextDay(iso: string): string {
  const d = utc(iso);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function formatEventDate(date: DateAtPrecision, locale: string): string {
  const t = translator(locale);
  switch (date.precision) {
    case 'day':
      return formatDay(date.start, locale);
    case 'month':
      return monthYear(date.start, locale);
    case 'year':
      return String(Number(date.start));
    case 'night': {
      const end = nextDay(date.start);
      if (end.slice(0, 7) === date.start.slice(0, 7)) {
        return t('date.night', { day1: dayNumber(utc(date.start), locale), day2: dayNumber(utc(end), locale), monthYear: monthYear(end, locale) });
      }
      return t('date.nightAcross', { start: formatDay(date.start, locale), end: formatDay(end, locale) });
    }
    case 'range':
      if (date.start.slice(0, 7) === date.end.slice(0, 7)) {
        return t('date.rangeSameMonth', { day1: dayNumber(utc(date.start), locale), day2: dayNumber(utc(date.end), locale), monthYear: monthYear(date.start, locale) });
      }
      return t('date.range', { start: formatDay(date.start, locale), end: formatDay(date.end, locale) });
  }
}

/** A machine-readable value for <time datetime>. */
export function isoValue(date: DateAtPrecision): string {
  return date.start;
}
