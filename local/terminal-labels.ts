// The texts `revperf run` and `npm start` print in the terminal, in the
// config's `org.locale`. One module for both locales: the interface is the
// contract, so a missing translation is a compile error. (The reports' own
// texts are in shared/reports/labels/.)
import type { ReportLocale } from '../shared/reports/labels/index.js';

export interface TerminalLabels {
  /** Intl locale for numbers and money. */
  numberLocale: string;
  scorecard: {
    rep: string;
    team: string;
    region: string;
    revenue: string;
    quota: string;
    attainment: string;
    pace: string;
    coverage: string;
    company: string;
    notApplicable: string;
    quotaMet: string;
    /** Heading of the compact scorecard's team table. */
    teams: (count: number) => string;
    top: (count: number) => string;
    bottom: (count: number) => string;
    /** Reps left out of the compact scorecard. */
    more: (shown: number, total: number) => string;
    /** Reps without a quota: not ranked. */
    unranked: (count: number) => string;
    heading: (period: string, asOf: string, currency: string) => string;
  };
  verdict: {
    heading: string;
    config: (path: string) => string;
    uploads: (count: number) => string;
    upload: (counts: { read: number; accepted: number; skipped: number; rejected: number }) => string;
    refusedUpload: string;
    generic: string;
    allClear: string;
    attention: (count: number) => string;
    unknownStages: (count: number, list: string) => string;
    unknownStagesFix: (config: string) => string;
    unmatchedOwners: (count: number, list: string) => string;
    unmatchedOwnersFix: string;
    quotaRows: (count: number, list: string) => string;
    quotaRowsFix: string;
    peopleRows: (count: number, list: string) => string;
    peopleRowsFix: string;
    rejectedRows: (count: number, files: number) => string;
    rejectedRowsFix: (config: string) => string;
    refused: (count: number) => string;
    refusedFix: string;
    refusedRecipients: (count: number, list: string) => string;
    refusedRecipientsFix: (config: string) => string;
    failedRecipients: (count: number, list: string) => string;
    failedRecipientsFix: string;
    check: (command: string) => string;
    deals: (count: number) => string;
    andMore: (count: number) => string;
  };
  details: {
    heading: string;
    unusedRows: (kind: string, unused: number, loaded: number, period: string) => string;
    outputs: (dir: string) => string;
    ingest: string;
    ingestReports: (count: number) => string;
    metrics: string;
    scorecards: string;
    pack: string;
    emails: string;
    /** After OUT/emails/. */
    emailFiles: string;
    scopes: { organisation: string; teams: (count: number) => string; reps: (count: number) => string };
    refusedExit: string;
    /** `Time per phase: upload 0.1 s · ingest 80 s · …; peak memory 900 MB`, phase names given. */
    timing: (phases: string, peakRssMb: number) => string;
    phases: Record<'upload' | 'ingest' | 'metrics' | 'render' | 'send' | 'write', string>;
  };
  /** Who was mailed (local-delivery.ts deliveryLines). */
  delivery: {
    none: string;
    heading: (recipients: number) => string;
    alreadyHad: string;
    late: string;
    repsOnly: (count: number) => string;
    refused: string;
    failed: string;
    reports: { 'weekly-scorecard': string; 'pre-review-pack': string; 'quarter-close-pack': string };
  };
  progress: {
    phase: { upload: string; metrics: string; reports: string; write: string };
    rowsPerSecond: string;
  };
}

const en: TerminalLabels = {
  numberLocale: 'en',
  scorecard: {
    rep: 'Rep',
    team: 'Team',
    region: 'Region',
    revenue: 'Revenue',
    quota: 'Quota',
    attainment: 'Attainment',
    pace: 'Pace',
    coverage: 'Coverage',
    company: 'Company',
    notApplicable: 'n/a',
    quotaMet: 'quota met',
    teams: (count) => `${count} team(s):`,
    top: (count) => `Top ${count} reps by attainment:`,
    bottom: (count) => `Bottom ${count} reps by attainment:`,
    more: (shown, total) => `${shown} of ${total} reps shown — --all-reps lists every one`,
    unranked: (count) => `${count} rep(s) without a quota are not ranked`,
    heading: (period, asOf, currency) => `${period} as of ${asOf} — ${currency}`,
  },
  verdict: {
    heading: 'Verdict',
    config: (path) => `config        ${path}`,
    uploads: (count) => `uploads       ${count}:`,
    upload: ({ read, accepted, skipped, rejected }) => `${read} rows read, ${accepted} accepted, ${skipped} skipped, ${rejected} rejected`,
    refusedUpload: 'refused',
    generic: 'generic headers',
    allClear: '✓ nothing needs attention: every upload loaded, every row read was used, every recipient was mailed',
    attention: (count) => `Needs attention (${count}):`,
    unknownStages: (count, list) => `${count} unknown stage(s), counted as open pipeline: ${list}`,
    unknownStagesFix: (config) => `classify each with a rule in \`stages\` of ${config}`,
    unmatchedOwners: (count, list) => `${count} deal owner(s) match no one in the people file (their deals count under Unassigned): ${list}`,
    unmatchedOwnersFix: 'add them to the people file (people/), or fix the owner in the CRM',
    quotaRows: (count, list) => `${count} quota row(s) count for no one: ${list}`,
    quotaRowsFix: 'fix the name, team or region in the quota file (quotas/), or add the person to the people file (people/)',
    peopleRows: (count, list) => `${count} people-file row(s) are not placed in the org chart: ${list}`,
    peopleRowsFix: "give them a Team, or their reports' Manager, in the people file (people/)",
    rejectedRows: (count, files) => `${count} row(s) rejected in ${files} upload(s)`,
    rejectedRowsFix: (config) => `each row and why: the .rejected.csv beside its ingest report; a column read wrongly: \`mappings\` in ${config}`,
    refused: (count) => `${count} upload(s) refused as a whole (exit 3)`,
    refusedFix: 'fix or replace the file; the reason is in its ingest report',
    refusedRecipients: (count, list) => `${count} recipient(s) refused: ${list}`,
    refusedRecipientsFix: (config) => `\`mail.allowedDomains\` and \`mail.leadership\` in ${config}, or the person's e-mail in the people file`,
    failedRecipients: (count, list) => `${count} e-mail(s) failed: ${list}`,
    failedRecipientsFix: 'run it again: what was sent is not sent twice with --state',
    check: (command) => `check: ${command}`,
    deals: (count) => `${count} deal(s)`,
    andMore: (count) => `and ${count} more`,
  },
  details: {
    heading: 'Details',
    unusedRows: (kind, unused, loaded, period) => `⚠ ${kind}: ${unused} of ${loaded} row(s) read for ${period} count for no one:`,
    outputs: (dir) => `Outputs in ${dir}:`,
    timing: (phases, peakRssMb) => `Time per phase: ${phases}; peak memory ${peakRssMb} MB`,
    phases: { upload: 'upload', ingest: 'ingest', metrics: 'metrics', render: 'render', send: 'send', write: 'write outputs' },
    ingest: 'ingest reports',
    ingestReports: (count) => `(${count} uploads)`,
    metrics: 'metrics',
    scorecards: 'scorecards',
    pack: 'pre-review pack',
    emails: 'e-mails',
    emailFiles: '<recipient>/ (.eml and .html)',
    scopes: { organisation: 'the organisation', teams: (count) => `${count} team(s)`, reps: (count) => `${count} rep(s)` },
    refusedExit: 'Some uploads were refused as a whole; see their ingest reports above.',
  },
  delivery: {
    none: 'No e-mail: no recipient in mail.leadership or the people file for any report.',
    heading: (recipients) => `E-mail (embedded SES) to ${recipients} recipient(s):`,
    alreadyHad: 'already had it, not sent again',
    late: 'late',
    repsOnly: (count) => `${count} rep(s): their own weekly scorecard (schedule.repScorecards)`,
    refused: 'refused',
    failed: 'failed',
    reports: { 'weekly-scorecard': 'scorecard', 'pre-review-pack': 'pack', 'quarter-close-pack': 'close pack' },
  },
  progress: {
    phase: { upload: 'ingest', metrics: 'metrics', reports: 'render & send', write: 'write outputs' },
    rowsPerSecond: 'rows/s',
  },
};

const es: TerminalLabels = {
  numberLocale: 'es',
  scorecard: {
    rep: 'Comercial',
    team: 'Equipo',
    region: 'Región',
    revenue: 'Ingresos',
    quota: 'Cuota',
    attainment: 'Cumplimiento',
    pace: 'Ritmo',
    coverage: 'Cobertura',
    company: 'Empresa',
    notApplicable: 'n/d',
    quotaMet: 'cuota cumplida',
    teams: (count) => `${count} equipo(s):`,
    top: (count) => `Los ${count} comerciales con mayor cumplimiento:`,
    bottom: (count) => `Los ${count} comerciales con menor cumplimiento:`,
    more: (shown, total) => `${shown} de ${total} comerciales — --all-reps los muestra todos`,
    unranked: (count) => `${count} comercial(es) sin cuota no se clasifican`,
    heading: (period, asOf, currency) => `${period} a ${asOf} — ${currency}`,
  },
  verdict: {
    heading: 'Veredicto',
    config: (path) => `configuración ${path}`,
    uploads: (count) => `archivos      ${count}:`,
    upload: ({ read, accepted, skipped, rejected }) =>
      `${read} filas leídas, ${accepted} aceptadas, ${skipped} omitidas, ${rejected} rechazadas`,
    refusedUpload: 'rechazado',
    generic: 'cabeceras genéricas',
    allClear: '✓ nada requiere atención: todos los archivos se cargaron, todas las filas leídas se usaron y todos los destinatarios recibieron su correo',
    attention: (count) => `Requiere atención (${count}):`,
    unknownStages: (count, list) => `${count} etapa(s) desconocida(s), contadas como pipeline abierto: ${list}`,
    unknownStagesFix: (config) => `clasifique cada una con una regla en \`stages\` de ${config}`,
    unmatchedOwners: (count, list) =>
      `${count} propietario(s) de oportunidades no coinciden con nadie del archivo de personas (sus oportunidades cuentan como Sin asignar): ${list}`,
    unmatchedOwnersFix: 'añádalos al archivo de personas (people/) o corrija el propietario en el CRM',
    quotaRows: (count, list) => `${count} fila(s) de cuota no cuentan para nadie: ${list}`,
    quotaRowsFix: 'corrija el nombre, equipo o región en el archivo de cuotas (quotas/) o añada la persona al archivo de personas (people/)',
    peopleRows: (count, list) => `${count} fila(s) del archivo de personas no tienen lugar en el organigrama: ${list}`,
    peopleRowsFix: 'indique su Team, o el Manager de quienes le reportan, en el archivo de personas (people/)',
    rejectedRows: (count, files) => `${count} fila(s) rechazada(s) en ${files} archivo(s)`,
    rejectedRowsFix: (config) =>
      `cada fila y su motivo: el .rejected.csv junto a su informe de ingesta; una columna mal leída: \`mappings\` en ${config}`,
    refused: (count) => `${count} archivo(s) rechazado(s) por completo (salida 3)`,
    refusedFix: 'corrija o sustituya el archivo; el motivo está en su informe de ingesta',
    refusedRecipients: (count, list) => `${count} destinatario(s) rechazado(s): ${list}`,
    refusedRecipientsFix: (config) => `\`mail.allowedDomains\` y \`mail.leadership\` en ${config}, o el correo de la persona en el archivo de personas`,
    failedRecipients: (count, list) => `${count} correo(s) fallido(s): ${list}`,
    failedRecipientsFix: 'vuelva a ejecutarlo: con --state lo ya enviado no se envía dos veces',
    check: (command) => `revise: ${command}`,
    deals: (count) => `${count} oportunidad(es)`,
    andMore: (count) => `y ${count} más`,
  },
  details: {
    heading: 'Detalles',
    unusedRows: (kind, unused, loaded, period) => `⚠ ${kind}: ${unused} de ${loaded} fila(s) leídas para ${period} no cuentan para nadie:`,
    outputs: (dir) => `Resultados en ${dir}:`,
    timing: (phases, peakRssMb) => `Tiempo por fase: ${phases}; memoria máxima ${peakRssMb} MB`,
    phases: { upload: 'subida', ingest: 'ingesta', metrics: 'métricas', render: 'generación', send: 'envío', write: 'escritura' },
    ingest: 'informes ingesta',
    ingestReports: (count) => `(${count} archivos)`,
    metrics: 'métricas',
    scorecards: 'scorecards',
    pack: 'pack de revisión',
    emails: 'correos',
    emailFiles: '<destinatario>/ (.eml y .html)',
    scopes: { organisation: 'la organización', teams: (count) => `${count} equipo(s)`, reps: (count) => `${count} comercial(es)` },
    refusedExit: 'Algunos archivos se rechazaron por completo; vea sus informes de ingesta arriba.',
  },
  delivery: {
    none: 'Ningún correo: ningún destinatario en mail.leadership ni en el archivo de personas para ningún informe.',
    heading: (recipients) => `Correo (SES integrado) a ${recipients} destinatario(s):`,
    alreadyHad: 'ya lo tenía, no se envía de nuevo',
    late: 'con retraso',
    repsOnly: (count) => `${count} comercial(es): su propio scorecard semanal (schedule.repScorecards)`,
    refused: 'rechazado',
    failed: 'fallido',
    reports: { 'weekly-scorecard': 'scorecard', 'pre-review-pack': 'pack', 'quarter-close-pack': 'pack de cierre' },
  },
  progress: {
    phase: { upload: 'ingesta', metrics: 'métricas', reports: 'generar y enviar', write: 'escribir resultados' },
    rowsPerSecond: 'filas/s',
  },
};

export function terminalLabels(locale: ReportLocale): TerminalLabels {
  return locale === 'es' ? es : en;
}
