// Red/amber/green as the e-mail shows it: a colour never stands alone, it comes
// with a dot and a word. The level itself is decided by the metrics (config
// thresholds); these blocks only draw it.

export type Rag = 'green' | 'amber' | 'red';

/** A level with the words to say it in the report's language. */
export interface RagStatus {
  readonly level: Rag;
  readonly label: string;
}

export type RagInput = Rag | RagStatus;

export type ReportLocale = 'en' | 'es';

/** Text colours with at least 4.5:1 contrast on white (WCAG AA). */
export const RAG_COLOURS: Readonly<Record<Rag, string>> = {
  green: '#1a7f37',
  amber: '#9a6700',
  red: '#cf222e',
};

export const RAG_LABELS: Readonly<Record<ReportLocale, Readonly<Record<Rag, string>>>> = {
  en: { green: 'on track', amber: 'at risk', red: 'behind' },
  es: { green: 'en objetivo', amber: 'en riesgo', red: 'por debajo' },
};

export function ragStatus(rag: RagInput, locale: ReportLocale = 'en'): RagStatus {
  return typeof rag === 'string' ? { level: rag, label: RAG_LABELS[locale][rag] } : rag;
}
