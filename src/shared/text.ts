// Comparing names as a reader does: « Libération de Crest » names Crest,
// « Saint-Donat » is « Saint Donat », « Montélimar » is « MONTELIMAR ».

/** Lower case (in the text's language), without accents, with apostrophes, hyphens and punctuation as spaces. */
export function normaliseName(text: string, locale: string): string {
  // Lower case first: in Turkish « İ » is « i », which stripping its dot first would make « ı ».
  return text.toLocaleLowerCase(locale).normalize('NFD').replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Whether `text` names `name` as whole words ("Crest" in « Libération de Crest », not in « Crestet »). */
export function names(text: string, name: string, locale: string): boolean {
  const n = normaliseName(name, locale);
  return n !== '' && ` ${normaliseName(text, locale)} `.includes(` ${n} `);
}
