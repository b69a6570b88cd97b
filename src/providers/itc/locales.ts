// Legacy iTunes Connect names its localizations by language NAME ("English", "English_CA", "Brazilian Portuguese");
// the shared metadata panel (and App Store Connect) uses locale codes ("en-US"). These tables map between them.
// Newer payloads (build test information) also carry `localeCode`, which wins when present.

const NAME_TO_LOCALE: Record<string, string> = {
  'Brazilian Portuguese': 'pt-BR',
  Danish: 'da',
  Dutch: 'nl-NL',
  English: 'en-US',
  English_Australian: 'en-AU',
  English_CA: 'en-CA',
  English_UK: 'en-GB',
  Finnish: 'fi',
  French: 'fr-FR',
  French_CA: 'fr-CA',
  German: 'de-DE',
  Greek: 'el',
  Indonesian: 'id',
  Italian: 'it',
  Japanese: 'ja',
  Korean: 'ko',
  Malay: 'ms',
  Norwegian: 'no',
  Portuguese: 'pt-PT',
  Russian: 'ru',
  'Simplified Chinese': 'zh-Hans',
  Spanish: 'es-ES',
  Spanish_MX: 'es-MX',
  Swedish: 'sv',
  Thai: 'th',
  'Traditional Chinese': 'zh-Hant',
  Turkish: 'tr',
  Vietnamese: 'vi',
};

const LOCALE_TO_NAME: Record<string, string> = Object.fromEntries(Object.entries(NAME_TO_LOCALE).map(([n, l]) => [l.toLowerCase(), n]));
// Common short forms people type on the command line.
const ALIASES: Record<string, string> = { en: 'English', de: 'German', fr: 'French', es: 'Spanish', pt: 'Portuguese', nl: 'Dutch', zh: 'Simplified Chinese' };

/** "German" → "de-DE"; an unknown name is returned unchanged so it still round-trips. */
export function localeOfLanguage(language: string, localeCode?: string | null): string {
  if (localeCode) return localeCode;
  return NAME_TO_LOCALE[language] ?? language;
}

/** "de-DE" (or "German", or "de") → "German"; an unknown value is returned unchanged. */
export function languageOfLocale(locale: string): string {
  if (NAME_TO_LOCALE[locale]) return locale;
  const byLocale = LOCALE_TO_NAME[locale.toLowerCase()];
  if (byLocale) return byLocale;
  const byAlias = ALIASES[locale.toLowerCase()];
  if (byAlias) return byAlias;
  const byName = Object.keys(NAME_TO_LOCALE).find((n) => n.toLowerCase() === locale.toLowerCase());
  return byName ?? locale;
}

export const KNOWN_LANGUAGES: readonly string[] = Object.keys(NAME_TO_LOCALE);
