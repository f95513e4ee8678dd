// The one schema of revperf.config.json, read by the CDK app, the Lambda
// functions and the local runner alike. Defaults only where a default is safe:
// never for recipients or the mail-domain allowlist.
// A namespace import, not `{ z }`: esbuild can then drop zod's 64 locales (~260 KB of every bundle; bench/lib/bundles-notes.md).
import * as z from 'zod';
import { isLocalDate } from '../domain/local-date.js';
import { DEFAULT_STALE_AFTER_DAYS } from '../domain/forecast-history.js';

const localDate = z.string().refine(isLocalDate, 'must be a real date YYYY-MM-DD');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as USD');
const weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (24h)');
const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lower-case domain such as example.com');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const stageRuleSchema = z.object({
  /** Stage label or CRM internal id, matched ignoring case and spacing. */
  stage: z.string().min(1),
  class: z.enum(['open', 'won', 'lost']),
  /** Win probability 0..1; defaults to 1 for won, 0 for lost, and the CRM's probability column (or 0.1) for open. */
  probability: z.number().min(0).max(1).optional(),
  /** Restrict the rule to one pipeline (HubSpot's internal stage ids are per pipeline). */
  pipeline: z.string().min(1).optional(),
});

export const columnMappingSchema = z.object({
  /** Which upload kind this mapping is for. */
  kind: z.enum(['deals', 'people', 'quotas', 'accounts', 'fx']).default('deals'),
  /** A name for the mapping, reported in the ingest report. */
  name: z.string().min(1),
  /** revperf field → header in the file (matched ignoring case and spacing). */
  columns: z.record(z.string(), z.string().min(1)),
});

export const configSchema = z
  .object({
    org: z.object({
      name: z.string().min(1),
      timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Madrid'),
      locale: z.enum(['en', 'es']).default('en'),
    }),
    fiscal: z
      .object({
        /** Month (1–12) the fiscal year starts on the 1st of. */
        yearStartMonth: z.number().int().min(1).max(12).default(1),
        /** Label a fiscal year by the calendar year it starts in or ends in. */
        naming: z.enum(['start', 'end']).default('end'),
        weekStart: weekday.default('monday'),
        holidays: z.array(localDate).default([]),
      })
      .prefault({}),
    currency: z
      .object({
        reporting: currency.default('USD'),
        /** Units of the reporting currency for one unit of the key currency; uploads under uploads/fx/ override. */
        rates: z.record(currency, z.number().positive()).default({}),
      })
      .prefault({}),
    ingest: z
      .object({
        /**
         * full: a deals export is the whole snapshot of its scope — its folder under uploads/deals/ plus its CRM —
         * and deals of that scope missing from it are marked removed. incremental: it only adds/updates.
         */
        mode: z.enum(['full', 'incremental']).default('full'),
        /**
         * A full export that would mark more than half of its scope's deals removed is held (nothing loaded or
         * removed) unless this is true: set it for the upload that confirms the CRM really lost those deals.
         */
        allowMassRemoval: z.boolean().default(false),
        /** How to read ambiguous dates such as 03/04/2026. */
        dateOrder: z.enum(['mdy', 'dmy']).default('mdy'),
        /** Worksheet to read from XLSX uploads; the first sheet when absent. */
        sheet: z.string().min(1).optional(),
        maxFileBytes: z.number().int().positive().default(200 * 1024 * 1024),
        /**
         * Rows a file may have: the largest that ingests within half the ingest function's 15-minute timeout at
         * the measured write rate (bench/RESULTS.md, e2e: ~1,250 deals/s into the embedded DynamoDB unloaded;
         * 450 s × 1,250 ≈ 560k, rounded down). Raise it with the timeout, or split the export by folder.
         */
        maxRows: z.number().int().positive().default(500_000),
        maxCellChars: z.number().int().positive().default(32_767),
        /** Zip-bomb guard for XLSX: total declared uncompressed size and entry count. */
        maxUncompressedBytes: z.number().int().positive().default(1024 * 1024 * 1024),
        maxZipEntries: z.number().int().positive().default(10_000),
        /** Default probability for open deals when neither a stage rule nor the file gives one. */
        defaultOpenProbability: z.number().min(0).max(1).default(0.1),
      })
      .prefault({}),
    stages: z.array(stageRuleSchema).default([]),
    mappings: z.array(columnMappingSchema).default([]),
    keyAccounts: z
      .object({
        /** Accounts flagged key by name (in addition to uploads/accounts/). */
        names: z.array(z.string().min(1)).default([]),
        /** Accounts whose won revenue over the trailing four fiscal quarters reaches this amount (minor units) are key. */
        minTrailingRevenue: z.number().int().nonnegative().optional(),
      })
      .prefault({}),
    metrics: z
      .object({
        coverageTarget: z.number().positive().default(3),
        /** What coverageHealthy compares pipeline coverage with: the target above, or the entity's required coverage (1 ÷ its trailing-four-quarter value win rate; the target when that is n/a). */
        coverageHealthyBy: z.enum(['target', 'required']).default('target'),
        /** Attainment (or pace) at or above green is green; at or above amber is amber; below is red. */
        rag: z
          .object({ green: z.number().positive().default(1), amber: z.number().positive().default(0.8) })
          .prefault({})
          .refine((rag) => rag.amber <= rag.green, { message: 'amber must not be above green', path: ['amber'] }),
        /** history: deals count for the team the rep was in at close (people file effective dates); current: the team now. */
        teamAttribution: z.enum(['history', 'current']).default('history'),
      })
      .prefault({}),
    forecast: z
      .object({
        /**
         * Probability bands that give an open deal its forecast category when the CRM export has none:
         * commit at or above `commit`, best case at or above `bestCase`, pipeline at or above `pipeline`,
         * omitted below. Won deals are closed, lost ones omitted.
         */
        bands: z
          .object({
            commit: z.number().min(0).max(1).default(0.9),
            bestCase: z.number().min(0).max(1).default(0.5),
            pipeline: z.number().min(0).max(1).default(0.1),
          })
          .prefault({})
          .refine((bands) => bands.pipeline <= bands.bestCase && bands.bestCase <= bands.commit, {
            message: 'bands must satisfy pipeline ≤ bestCase ≤ commit',
            path: ['bestCase'],
          }),
        /** An open deal with no activity for this many days or more is stale (where the export carries a last-activity date). */
        staleAfterDays: z.number().int().min(1).max(3650).default(DEFAULT_STALE_AFTER_DAYS),
      })
      .prefault({}),
    snapshots: z
      .object({
        /**
         * Days a pipeline snapshot (one item per open deal per run) is kept before DynamoDB's TTL deletes it: long
         * enough for year-over-year comparisons to find theirs. Metric snapshots (what each report said) are kept.
         */
        pipelineRetentionDays: z.number().int().min(100).max(3650).default(400),
      })
      .prefault({}),
    schedule: z
      .object({
        /** Time of the daily dispatcher tick, in the org's time zone. */
        dailyAt: timeOfDay.default('07:00'),
        weeklyScorecardDay: weekday.default('monday'),
        /** The quarterly pre-review pack goes out this many business days before quarter end. */
        quarterlyPackBusinessDaysBefore: z.number().int().min(1).max(40).default(10),
        /** Send each rep their own card too. */
        repScorecards: z.boolean().default(false),
        /** When set, the quarter-close pack (the pack with the final figures, as of the quarter's last day) goes out this many business days after the quarter ends. */
        quarterClosePackBusinessDaysAfter: z.number().int().min(1).max(20).optional(),
      })
      .prefault({}),
    alarms: z
      .object({
        /** Alarm when no deals file has been ingested for this many days (stale data). */
        staleDealUploadDays: z.number().int().min(1).max(90).default(8),
      })
      .prefault({}),
    mail: z.object({
      from: z.email('must be an e-mail address'),
      /** Only addresses in these domains ever receive mail. Required: no default. */
      allowedDomains: z.array(domainName).min(1, 'list at least one domain'),
      /** Leadership recipients: receive the whole organisation. */
      leadership: z.array(z.email('must be an e-mail address')).default([]),
      /** Attachments above this size are replaced by a presigned link. */
      maxAttachmentBytes: z.number().int().positive().default(7 * 1024 * 1024),
      linkExpiryHours: z.number().int().min(1).max(168).default(72),
    }),
  })
  .superRefine((config, ctx) => {
    config.mail.leadership.forEach((address, index) => {
      const domain = address.split('@')[1]?.toLowerCase() ?? '';
      if (!config.mail.allowedDomains.includes(domain)) {
        ctx.addIssue({
          code: 'custom',
          path: ['mail', 'leadership', index],
          message: `domain ${domain} is not in mail.allowedDomains`,
        });
      }
    });
  });

export type RevperfConfig = z.infer<typeof configSchema>;
export type RevperfConfigInput = z.input<typeof configSchema>;
export type StageRule = z.infer<typeof stageRuleSchema>;
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is not a valid revperf config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates a parsed config object; throws ConfigError naming each field path and what is wrong. */
export function parseConfig(value: unknown, source = 'revperf.config.json'): RevperfConfig {
  const result = configSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  throw new ConfigError(source, problems);
}

/** Parses the JSON text of a config file. */
export function parseConfigText(text: string, source = 'revperf.config.json'): RevperfConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [`(root): not valid JSON (${(error as Error).message})`]);
  }
  return parseConfig(value, source);
}
