// Northwind's revperf.config.json.
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import type { LocalDate } from '../../shared/domain/types.js';
import { addDays, isoWeekday, toLocalDate } from './dates.js';
import type { Timeline } from './model.js';
import { OPEN_STAGES, RENEWAL_LOST_STAGE, RENEWAL_WON_STAGE, RENEWALS_PIPELINE } from './org-deals.js';
import { emailLocalPart, quarterAt } from './org-people.js';
import { FISCAL_YEAR_START_MONTH, KEY_ACCOUNTS, LEADERS, MAIL_DOMAIN, ORG_NAME, ORG_TIME_ZONE } from './roster.js';

export function buildConfig(timeline: Timeline): RevperfConfigInput {
  const fiscalYearStart = quarterAt(timeline, 1 - timeline.current.quarter).start;
  const fiscalYearEnd = quarterAt(timeline, 4 - timeline.current.quarter).end;
  return {
    org: { name: ORG_NAME, timeZone: ORG_TIME_ZONE, locale: 'en' },
    fiscal: {
      yearStartMonth: FISCAL_YEAR_START_MONTH,
      naming: 'end',
      weekStart: 'monday',
      holidays: usHolidays(fiscalYearStart, fiscalYearEnd),
    },
    // No rates here on purpose: they arrive as fx/rates.csv, so that upload is exercised.
    currency: { reporting: 'USD', rates: {} },
    // The Salesforce export writes 3/4/2026 month first; Pipedrive's dotted dates are always day first.
    ingest: { mode: 'full', dateOrder: 'mdy', defaultOpenProbability: 0.1 },
    // Salesforce stages and HubSpot's default-pipeline ids are built in; these are Northwind's own.
    stages: [
      ...OPEN_STAGES.pipedrive.map(([stage, probability]) => ({ stage, class: 'open' as const, probability })),
      ...OPEN_STAGES.hubspotRenewals.map(([stage, probability]) => ({
        stage,
        class: 'open' as const,
        probability,
        pipeline: RENEWALS_PIPELINE,
      })),
      { stage: RENEWAL_WON_STAGE, class: 'won', pipeline: RENEWALS_PIPELINE },
      { stage: RENEWAL_LOST_STAGE, class: 'lost', pipeline: RENEWALS_PIPELINE },
    ],
    mappings: [],
    keyAccounts: { names: KEY_ACCOUNTS.map((account) => account.name) },
    metrics: { coverageTarget: 3, rag: { green: 1, amber: 0.8 }, teamAttribution: 'history' },
    schedule: { dailyAt: '07:00', weeklyScorecardDay: 'monday', quarterlyPackBusinessDaysBefore: 10, repScorecards: true },
    mail: {
      from: `revperf@${MAIL_DOMAIN}`,
      allowedDomains: [MAIL_DOMAIN],
      leadership: [LEADERS.ceo, LEADERS.cro].map((name) => `${emailLocalPart(name)}@${MAIL_DOMAIN}`),
      maxAttachmentBytes: 7 * 1024 * 1024,
      linkExpiryHours: 72,
    },
  };
}

/** US federal holidays the company observes (weekend dates move to Friday/Monday) between two dates. */
export function usHolidays(from: LocalDate, to: LocalDate): LocalDate[] {
  const holidays: LocalDate[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    holidays.push(
      observed(toLocalDate(year, 1, 1)),
      nthWeekday(year, 5, 1, -1), // Memorial Day: last Monday of May
      observed(toLocalDate(year, 7, 4)),
      nthWeekday(year, 9, 1, 1), // Labor Day: first Monday of September
      nthWeekday(year, 11, 4, 4), // Thanksgiving: fourth Thursday of November
      observed(toLocalDate(year, 12, 25)),
    );
  }
  return holidays.filter((date) => date >= from && date <= to).sort();
}

function observed(date: LocalDate): LocalDate {
  const weekday = isoWeekday(date);
  if (weekday === 6) return addDays(date, -1);
  return weekday === 7 ? addDays(date, 1) : date;
}

/** The nth (1-based; -1 = last) ISO weekday of a month. */
function nthWeekday(year: number, month: number, weekday: number, nth: number): LocalDate {
  if (nth > 0) {
    const first = toLocalDate(year, month, 1);
    return addDays(first, ((weekday - isoWeekday(first) + 7) % 7) + 7 * (nth - 1));
  }
  const last = addDays(month === 12 ? toLocalDate(year + 1, 1, 1) : toLocalDate(year, month + 1, 1), -1);
  return addDays(last, -((isoWeekday(last) - weekday + 7) % 7));
}
