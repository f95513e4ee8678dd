// Excel's rules for worksheet names: 1–31 characters (UTF-16 code units, as
// Excel counts them), none of []:*?/\, not starting or ending with an
// apostrophe, not the reserved name "History", unique ignoring case.

export const SHEET_NAME_MAX_LENGTH = 31;
const FORBIDDEN = /[[\]:*?/\\]/g;
const RESERVED = new Set(['history']);
const FALLBACK = 'Sheet';

/**
 * A name Excel accepts for a new sheet, as close to `desired` as the rules
 * allow, and unique (case-insensitively) among `taken`. Forbidden characters
 * become `-`, control characters become spaces, and a clash gets a
 * deterministic ` (2)`, ` (3)`, … suffix, the base being shortened so the
 * suffix fits. `taken` is not changed: the caller records the result.
 */
export function sheetName(desired: string, taken: Iterable<string>): string {
  const takenLower = new Set<string>();
  for (const name of taken) takenLower.add(name.toLowerCase());

  let base = desired
    .replace(/[\u0000-\u001F\u007F\uFFFE\uFFFF]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(FORBIDDEN, '-')
    .replace(/\s+/g, ' ')
    .trim();
  base = trimApostrophes(base);
  if (base === '' || RESERVED.has(base.toLowerCase())) base = base === '' ? FALLBACK : `${base} sheet`;
  base = cut(base, SHEET_NAME_MAX_LENGTH);

  let candidate = base;
  for (let n = 2; takenLower.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = `${cut(base, SHEET_NAME_MAX_LENGTH - suffix.length)}${suffix}`;
  }
  return candidate;
}

/** Cut to at most `max` UTF-16 units without splitting a surrogate pair, then tidy the end. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  const shortened = trimApostrophes(text.slice(0, end).trimEnd());
  return shortened === '' ? FALLBACK : shortened;
}

function trimApostrophes(text: string): string {
  return text.replace(/^'+/, '').replace(/'+$/, '').trim();
}

/** A sheet name quoted for use in a formula or defined name: 'Ana''s deals'!$1:$1. */
export function quotedSheetName(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}
