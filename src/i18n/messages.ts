// UI message catalogues. Whole sentences per key, with named variables, so that
// each language can order words its own way. `en` is the reference: every
// other catalogue must have exactly its keys (checked by the type below).

const en = {
  'route.articles': 'learn-more',
  'route.chronology': 'chronology',
  'skip': 'Skip to content',
  'nav.label': 'Main',
  'nav.home': 'Home',
  'nav.visit': 'The visit',
  'nav.chronology': 'Chronology',
  'nav.themes': 'Themes',
  'nav.themesMenu': 'Theme menu',
  'nav.language': 'Language',
  'nav.otherLanguage': 'Read this page in {language}',
  'breadcrumb': 'Breadcrumb',
  'home.start': 'Start the visit',
  'home.themes': 'The themes of the visit',
  'home.practical': 'Practical information',
  'home.address': 'Address',
  'home.site': 'About this website',
  'home.more': 'More about the museum',
  'visit.themeCount': '{count} themes',
  'theme.position': 'Theme {n} of {total}',
  'theme.positionShort': 'Theme {n}',
  'theme.inPreparation': 'The text of this theme is in preparation. It will be published here soon; in the meantime you can go on to the other themes of the visit.',
  'theme.inPreparationShort': 'Text in preparation.',
  'theme.previous': 'Previous theme',
  'theme.next': 'Next theme',
  'theme.end': 'This is the last theme of the visit.',
  'theme.backToVisit': 'Back to the list of themes',
  'theme.pager': 'Theme navigation',
  'theme.events': 'Dated events in this theme',
  'theme.seeChronology': 'See the whole chronology',
  'theme.keys': 'Tip: with a keyboard, the ← and → keys go to the previous and next theme.',
  'fallback.notice': 'Not yet translated: shown in {language}.',
  'figure.placeholder': 'Image to be supplied by the museum',
  'media.placeholder.video': 'Video to be supplied by the museum',
  'media.placeholder.audio': 'Recording to be supplied by the museum',
  'media.described': 'Description',
  'note.sourcesDisagree': 'Sources disagree',
  'note.info': 'Note',
  'quote.source': 'Source',
  'links.title': 'Learn more',
  'chronology.title': 'Chronology',
  'chronology.intro': 'The dated events of the visit, year by year. Each event links to the theme that tells its story.',
  'chronology.place': 'Place',
  'chronology.places': 'Places',
  'chronology.theme': 'Theme',
  'chronology.themes': 'Themes',
  'chronology.empty': 'No dated events have been published yet.',
  'map.places': 'Places',
  'map.noCoordinates': 'No coordinates',
  'article.kicker': 'Learn more',
  'article.relatedThemes': 'Related themes',
  'footer.credits': 'Credits',
  'footer.poweredBy': 'Published with Parcours, open-source software for museum visits.',
  'notFound.title': 'Page not found',
  'notFound.text': 'There is no page at this address. It may have moved, or the address may be mistyped.',
  'notFound.themes': 'The themes of the visit',
  'notFound.languages': 'This site is available in these languages:',
  'error.badRequest.title': 'Bad request',
  'error.badRequest.text': 'This address is not valid.',
  'error.tooLong.title': 'Address too long',
  'error.tooLong.text': 'This address is too long to be a page of this site.',
  'error.internal.title': 'Something went wrong',
  'error.internal.text': 'The page could not be shown. Please try again in a moment.',
  'date.night': 'night of {day1}–{day2} {monthYear}',
  'date.nightAcross': 'night of {start} – {end}',
  'date.rangeSameMonth': '{day1}–{day2} {monthYear}',
  'date.range': '{start} – {end}',
  'lang.name': 'English',
  'punct.colon': ': ',
  'table.label': 'Table (scrolls sideways on small screens)',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

const fr: Catalogue = {
  'route.articles': 'en-savoir-plus',
  'route.chronology': 'chronologie',
  'skip': 'Aller au contenu',
  'nav.label': 'Navigation principale',
  'nav.home': 'Accueil',
  'nav.visit': 'La visite',
  'nav.chronology': 'Chronologie',
  'nav.themes': 'Thèmes',
  'nav.themesMenu': 'Menu des thèmes',
  'nav.language': 'Langue',
  'nav.otherLanguage': 'Lire cette page en {language}',
  'breadcrumb': "Fil d'Ariane",
  'home.start': 'Commencer la visite',
  'home.themes': 'Les thèmes de la visite',
  'home.practical': 'Informations pratiques',
  'home.address': 'Adresse',
  'home.site': 'À propos de ce site',
  'home.more': 'En savoir plus sur le musée',
  'visit.themeCount': '{count} thèmes',
  'theme.position': 'Thème {n} sur {total}',
  'theme.positionShort': 'Thème {n}',
  'theme.inPreparation': 'Le texte de ce thème est en préparation. Il sera publié ici prochainement ; en attendant, vous pouvez poursuivre la visite avec les autres thèmes.',
  'theme.inPreparationShort': 'Texte en préparation.',
  'theme.previous': 'Thème précédent',
  'theme.next': 'Thème suivant',
  'theme.end': 'Ce thème est le dernier de la visite.',
  'theme.backToVisit': 'Retour à la liste des thèmes',
  'theme.pager': 'Navigation entre les thèmes',
  'theme.events': 'Les événements datés de ce thème',
  'theme.seeChronology': 'Voir toute la chronologie',
  'theme.keys': 'Astuce : au clavier, les touches ← et → mènent au thème précédent et au thème suivant.',
  'fallback.notice': 'Pas encore traduit : affiché en {language}.',
  'figure.placeholder': 'Image à fournir par le musée',
  'media.placeholder.video': 'Vidéo à fournir par le musée',
  'media.placeholder.audio': 'Enregistrement à fournir par le musée',
  'media.described': 'Description',
  'note.sourcesDisagree': 'Les sources divergent',
  'note.info': 'Remarque',
  'quote.source': 'Source',
  'links.title': 'Pour aller plus loin',
  'chronology.title': 'Chronologie',
  'chronology.intro': 'Les événements datés de la visite, année par année. Chaque événement renvoie au thème qui en fait le récit.',
  'chronology.place': 'Lieu',
  'chronology.places': 'Lieux',
  'chronology.theme': 'Thème',
  'chronology.themes': 'Thèmes',
  'chronology.empty': "Aucun événement daté n'est encore publié.",
  'map.places': 'Lieux',
  'map.noCoordinates': 'Sans coordonnées',
  'article.kicker': 'En savoir plus',
  'article.relatedThemes': 'Thèmes liés',
  'footer.credits': 'Crédits',
  'footer.poweredBy': 'Publié avec Parcours, logiciel libre de visites de musée.',
  'notFound.title': 'Page introuvable',
  'notFound.text': "Il n'y a pas de page à cette adresse. Elle a peut-être été déplacée, ou l'adresse contient une faute de frappe.",
  'notFound.themes': 'Les thèmes de la visite',
  'notFound.languages': 'Ce site est disponible dans ces langues :',
  'error.badRequest.title': 'Requête invalide',
  'error.badRequest.text': "Cette adresse n'est pas valide.",
  'error.tooLong.title': 'Adresse trop longue',
  'error.tooLong.text': 'Cette adresse est trop longue pour être une page de ce site.',
  'error.internal.title': 'Un problème est survenu',
  'error.internal.text': "La page n'a pas pu être affichée. Veuillez réessayer dans un instant.",
  'date.night': 'nuit du {day1} au {day2} {monthYear}',
  'date.nightAcross': 'nuit du {start} au {end}',
  'date.rangeSameMonth': 'du {day1} au {day2} {monthYear}',
  'date.range': 'du {start} au {end}',
  'lang.name': 'français',
  'punct.colon': ' : ',
  'table.label': 'Tableau (défile horizontalement sur petit écran)',
};

const de: Catalogue = {
  'route.articles': 'mehr-erfahren',
  'route.chronology': 'chronologie',
  'skip': 'Zum Inhalt springen',
  'nav.label': 'Hauptnavigation',
  'nav.home': 'Startseite',
  'nav.visit': 'Der Rundgang',
  'nav.chronology': 'Chronologie',
  'nav.themes': 'Themen',
  'nav.themesMenu': 'Themenmenü',
  'nav.language': 'Sprache',
  'nav.otherLanguage': 'Diese Seite auf {language} lesen',
  'breadcrumb': 'Brotkrumennavigation',
  'home.start': 'Rundgang beginnen',
  'home.themes': 'Die Themen des Rundgangs',
  'home.practical': 'Praktische Informationen',
  'home.address': 'Adresse',
  'home.site': 'Über diese Website',
  'home.more': 'Mehr über das Museum',
  'visit.themeCount': '{count} Themen',
  'theme.position': 'Thema {n} von {total}',
  'theme.positionShort': 'Thema {n}',
  'theme.inPreparation': 'Der Text dieses Themas ist in Vorbereitung. Er wird bald hier veröffentlicht; bis dahin können Sie den Rundgang mit den anderen Themen fortsetzen.',
  'theme.inPreparationShort': 'Text in Vorbereitung.',
  'theme.previous': 'Vorheriges Thema',
  'theme.next': 'Nächstes Thema',
  'theme.end': 'Dies ist das letzte Thema des Rundgangs.',
  'theme.backToVisit': 'Zurück zur Themenliste',
  'theme.pager': 'Navigation zwischen den Themen',
  'theme.events': 'Datierte Ereignisse dieses Themas',
  'theme.seeChronology': 'Die ganze Chronologie ansehen',
  'theme.keys': 'Tipp: Mit der Tastatur führen die Tasten ← und → zum vorherigen und nächsten Thema.',
  'fallback.notice': 'Noch nicht übersetzt: auf {language} angezeigt.',
  'figure.placeholder': 'Bild wird vom Museum geliefert',
  'media.placeholder.video': 'Video wird vom Museum geliefert',
  'media.placeholder.audio': 'Aufnahme wird vom Museum geliefert',
  'media.described': 'Beschreibung',
  'note.sourcesDisagree': 'Die Quellen widersprechen sich',
  'note.info': 'Hinweis',
  'quote.source': 'Quelle',
  'links.title': 'Mehr erfahren',
  'chronology.title': 'Chronologie',
  'chronology.intro': 'Die datierten Ereignisse des Rundgangs, Jahr für Jahr. Jedes Ereignis verweist auf das Thema, das davon erzählt.',
  'chronology.place': 'Ort',
  'chronology.places': 'Orte',
  'chronology.theme': 'Thema',
  'chronology.themes': 'Themen',
  'chronology.empty': 'Noch keine datierten Ereignisse veröffentlicht.',
  'map.places': 'Orte',
  'map.noCoordinates': 'Ohne Koordinaten',
  'article.kicker': 'Mehr erfahren',
  'article.relatedThemes': 'Verwandte Themen',
  'footer.credits': 'Nachweise',
  'footer.poweredBy': 'Veröffentlicht mit Parcours, freier Software für Museumsrundgänge.',
  'notFound.title': 'Seite nicht gefunden',
  'notFound.text': 'Unter dieser Adresse gibt es keine Seite. Sie wurde vielleicht verschoben, oder die Adresse enthält einen Tippfehler.',
  'notFound.themes': 'Die Themen des Rundgangs',
  'notFound.languages': 'Diese Website gibt es in diesen Sprachen:',
  'error.badRequest.title': 'Ungültige Anfrage',
  'error.badRequest.text': 'Diese Adresse ist nicht gültig.',
  'error.tooLong.title': 'Adresse zu lang',
  'error.tooLong.text': 'Diese Adresse ist zu lang für eine Seite dieser Website.',
  'error.internal.title': 'Ein Fehler ist aufgetreten',
  'error.internal.text': 'Die Seite konnte nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.',
  'date.night': 'Nacht vom {day1} zum {day2} {monthYear}',
  'date.nightAcross': 'Nacht vom {start} zum {end}',
  'date.rangeSameMonth': '{day1}–{day2} {monthYear}',
  'date.range': '{start} – {end}',
  'lang.name': 'Deutsch',
  'punct.colon': ': ',
  'table.label': 'Tabelle (auf kleinen Bildschirmen seitlich verschiebbar)',
};

const catalogues: Record<string, Catalogue> = { en, fr, de };

/** UI locales with a catalogue; content may use others, whose UI falls back to English. */
export const UI_LOCALES = Object.keys(catalogues);

/** The catalogue for a locale, or for its primary language ("fr-CA" → "fr"). */
export function catalogueFor(locale: string): Catalogue {
  return catalogues[locale] ?? catalogues[locale.split('-')[0] ?? ''] ?? en;
}

/** Whether the interface can speak this language (itself or its primary language). */
export function hasCatalogue(locale: string): boolean {
  return locale in catalogues || (locale.split('-')[0] ?? '') in catalogues;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: string): Translate {
  const cat = catalogueFor(locale);
  return (key, vars) => {
    const template = cat[key];
    return vars ? template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : template;
  };
}

/** The name of a language in that language (for the switcher), or in `inLocale`. */
export function languageName(locale: string, inLocale = locale): string {
  try {
    const name = new Intl.DisplayNames([inLocale], { type: 'language' }).of(locale) ?? locale;
    return name;
  } catch {
    return locale;
  }
}

/** Segments of the URL space that the app uses itself; content slugs may not take them. */
export function reservedSegments(locale: string): string[] {
  const t = translator(locale);
  return [t('route.articles'), t('route.chronology'), 'assets', 'media', 'healthz'];
}
