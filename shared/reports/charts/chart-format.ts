// Numbers and texts as the charts show them. Amounts arrive as integer minor
// units; the currency's exponent (2 for USD, 0 for JPY, 3 for KWD) comes from
// Intl, so nothing here keeps a table of currencies. Compact notation reads
// best on axes and bar labels ("$1.2M", "1,2 M€"); the tables carry the exact
// figures.
import type { MinorUnits } from '../../domain/types.js';

export type ChartLocale = 'en' | 'es';

/** What a chart formatter is asked for; also the `format` argument vega passes back to it. */
export type ChartNumberFormat =
  | { kind: 'money'; locale: ChartLocale; currency: string; signed?: boolean }
  | { kind: 'percent'; locale: ChartLocale }
  | { kind: 'multiple'; locale: ChartLocale };

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: ChartLocale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.NumberFormat(locale, options);
    formatters.set(key, cached);
  }
  return cached;
}

/** Digits after the decimal mark in `currency`'s minor units. Throws RangeError for a code Intl does not know. */
export function minorUnitExponent(currency: string): number {
  return formatter('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function toMajorUnits(amount: MinorUnits, currency: string): number {
  return amount / 10 ** minorUnitExponent(currency);
}

/** "$1.2M", "$850K", "1,2 M €"; `signed` adds + to gains (losses always carry the minus sign). */
export function formatMoney(amount: MinorUnits, currency: string, locale: ChartLocale, signed = false): string {
  const major = toMajorUnits(amount, currency);
  // Below a thousand compact notation changes nothing but would show cents.
  const options: Intl.NumberFormatOptions =
    Math.abs(major) < 1000
      ? { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 }
      : { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 };
  if (signed) options.signDisplay = 'exceptZero';
  return formatter(locale, options).format(major);
}

/** 0.82 → "82%" ("82 %" in Spanish). */
export function formatPercent(ratio: number, locale: ChartLocale): string {
  return formatter(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** 2.14 → "2.1×" ("2,1×"); axis ticks (`tick`) drop a zero decimal: "2×". */
export function formatMultiple(ratio: number, locale: ChartLocale, tick = false): string {
  const decimals = tick || ratio >= 10 ? 0 : 1;
  return `${formatter(locale, { maximumFractionDigits: 1, minimumFractionDigits: decimals }).format(ratio)}×`;
}

/** The one formatter vega calls for axis ticks (registered as an expression function). */
export function formatChartNumber(value: unknown, format: ChartNumberFormat): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  switch (format.kind) {
    case 'money':
      return formatMoney(value, format.currency, format.locale, format.signed ?? false);
    case 'percent':
      return formatPercent(value, format.locale);
    case 'multiple':
      return formatMultiple(value, format.locale, true);
  }
}

// XML 1.0 forbids most C0 controls and noncharacters even when escaped, and a
// lone surrogate is not text at all: either would make the SVG unparseable.
const NOT_XML_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MAX_TEXT_LENGTH = 120;

/** A caller's label made safe to draw: no control characters, one line, a bounded length (vega truncates further to fit). */
export function chartText(text: string): string {
  const clean = text.replace(NOT_XML_TEXT, '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean);
  return chars.length > MAX_TEXT_LENGTH ? `${chars.slice(0, MAX_TEXT_LENGTH - 1).join('')}…` : clean;
}

const ALT_ITEMS = 8;
const ALT_NAME_LENGTH = 40;

function altName(name: string): string {
  const chars = Array.from(name);
  return chars.length > ALT_NAME_LENGTH ? `${chars.slice(0, ALT_NAME_LENGTH - 1).join('')}…` : name;
}

/**
 * "Attainment by rep: Ana Peña 104%, Ben Ito 67%, … (+52)." — the first items
 * in the chart's order and how many more, in one sentence whatever the language.
 */
export function altSentence(title: string, items: readonly { name: string; value: string }[], emptyText: string): string {
  if (items.length === 0) return `${title}: ${emptyText}.`;
  const shown = items.slice(0, items.length > ALT_ITEMS + 1 ? ALT_ITEMS : items.length);
  const parts = shown.map((item) => `${altName(item.name)} ${item.value}`);
  const rest = items.length - shown.length;
  return `${title}: ${parts.join(', ')}${rest > 0 ? `, … (+${rest})` : ''}.`;
}
