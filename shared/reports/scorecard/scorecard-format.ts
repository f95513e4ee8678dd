// How the scorecard says figures in prose and e-mail cells (the workbook keeps
// numbers as typed cells instead): compact money ($1.23M, $312k), whole
// percentages, signed point changes with a true minus sign, multiples, and
// dates read in the organisation's time zone. Intl does the locale work.
import type { MinorUnits } from '../../domain/types.js';
import type { ReportLocale } from '../excel/index.js';
import { amountFromMinorUnits } from '../excel/index.js';

const MINUS = '\u2212';
const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: ReportLocale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (format === undefined) formatters.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

/** Intl's hyphen-minus → a typographic minus, so "−$120k" lines up with "+$210k". */
function trueMinus(text: string): string {
  return text.replace(/-/g, MINUS);
}

export class ScorecardFormat {
  constructor(
    readonly locale: ReportLocale,
    readonly currency: string,
    readonly timeZone: string,
  ) {}

  /** "$1.23M", "$312k", "$950" (es: "1,23 M US$"); `signed` adds "+" to gains. */
  moneyCompact(amount: MinorUnits, signed = false): string {
    const major = amountFromMinorUnits(amount, this.currency);
    const options: Intl.NumberFormatOptions =
      Math.abs(major) < 1000
        ? { style: 'currency', currency: this.currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }
        : { style: 'currency', currency: this.currency, notation: 'compact', maximumSignificantDigits: 3 };
    if (signed) options.signDisplay = 'exceptZero';
    const text = numberFormat(this.locale, options).format(major);
    // English compact thousands read "312k" in finance prose; Intl says "312K".
    return trueMinus(this.locale === 'en' ? text.replace(/(\d)K\b/, '$1k') : text);
  }

  /** A deal amount in full with its cents: "$84,500.00". */
  moneyFull(amount: MinorUnits): string {
    return trueMinus(numberFormat(this.locale, { style: 'currency', currency: this.currency }).format(amountFromMinorUnits(amount, this.currency)));
  }

  /** 0.82 → "82%" ("82 %" in Spanish). */
  percent(ratio: number): string {
    return numberFormat(this.locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
  }

  /** A change of a ratio in whole percentage points, signed: 0.06 → "+6", −0.021 → "−2", 0.001 → "0". */
  signedPoints(change: number): string {
    const points = Math.round(change * 100);
    return points > 0 ? `+${points}` : points < 0 ? `${MINUS}${-points}` : '0';
  }

  /** 2.14 → "2.1×" ("2,1×"). */
  times(ratio: number): string {
    return `${numberFormat(this.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ratio)}×`;
  }

  /** A signed change of a multiple: "+0.3×", "−0.1×". */
  signedTimes(change: number): string {
    return trueMinus(`${numberFormat(this.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(change)}×`);
  }

  /** 2412 → "2,412" ("2412" / "2.412" by the locale's rules). */
  count(value: number): string {
    return numberFormat(this.locale, { maximumFractionDigits: 0 }).format(value);
  }

  /** A plain local date: "Mon 17 Aug" (es: "lun 17 ago"). */
  day(date: string): string {
    const parts = dateParts(this.locale, 'UTC', new Date(`${date}T00:00:00Z`), { weekday: 'short', day: 'numeric', month: 'short' });
    return `${parts.weekday} ${parts.day} ${parts.month}`;
  }

  /** An instant in the organisation's time zone: "Mon 07:02". */
  weekdayTime(iso: string): string {
    const parts = dateParts(this.locale, this.timeZone, new Date(iso), { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    return `${parts.weekday} ${parts.hour}:${parts.minute}`;
  }
}

function dateParts(locale: string, timeZone: string, date: Date, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of new Intl.DateTimeFormat(locale, { ...options, timeZone }).formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = part.value.replace(/\.$/, '');
  }
  return parts;
}
