/**
 * A file-name part from free text: accents dropped, lower-case ASCII letters
 * and digits joined by single hyphens, at most `max` characters, no hyphen at
 * either end. Empty when nothing of the text survives (callers choose the
 * fallback, e.g. "partner").
 */
export function slug(text: string, max = 60): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}
