// The labels of a report locale.
import { en } from './en.js';
import { es } from './es.js';
import type { ReportLabels } from './labels.js';

export type ReportLocale = 'en' | 'es';

export function labelsFor(locale: ReportLocale): ReportLabels {
  return locale === 'es' ? es : en;
}
