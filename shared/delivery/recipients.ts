// Who receives a report of a scope (pure):
//   organisation → the leadership addresses in the config (mail.leadership);
//   a team       → its managers on the as-of date (people file), active ones;
//   a rep        → the rep, when schedule.repScorecards is on (weekly scorecard only).
// Only addresses whose domain is on mail.allowedDomains ever receive mail:
// anyone else is refused, with the reason, so the ledger and the run record
// name them. The people file can name any address; it can never widen the
// allowlist. Someone without an address in the people file is named too.
import type { RevperfConfig } from '../config/schema.js';
import type { OrgChart } from '../domain/org-chart.js';
import type { LocalDate } from '../domain/types.js';
import type { ReportKind, ReportScope } from '../reports/report-data.js';

export interface Recipient {
  /** Lower-cased e-mail address. */
  address: string;
  /** Display name (people file), '' for a leadership address. */
  name: string;
  /** Why they get this scope: 'leadership', 'manager', 'rep'. */
  role: 'leadership' | 'manager' | 'rep';
}

export interface RefusedRecipient {
  /** The address as given ('' when the person has none). */
  address: string;
  name: string;
  reason: string;
}

export interface RecipientList {
  to: Recipient[];
  refused: RefusedRecipient[];
}

/** The domain part of an address, lower-cased; '' when it is not an address. */
function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? address.slice(at + 1).trim().toLowerCase() : '';
}

/**
 * A plain address: a local part of letters, digits and . _ + ' - only (no %, !, quotes or anything a header
 * or a relaying mail server could read as a route to another domain), one @, a domain of DNS labels.
 */
const PLAIN_ADDRESS = /^[a-z0-9._+'-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** Why an address may not receive mail, or null when it may (compared lower-cased). The one rule for recipients and resends. */
export function refusalReason(address: string, allowedDomains: readonly string[]): string | null {
  const lower = address.trim().toLowerCase();
  if (!PLAIN_ADDRESS.test(lower)) return 'not a plain e-mail address';
  if (!allowedDomains.includes(domainOf(lower))) return `domain ${domainOf(lower)} is not in mail.allowedDomains`;
  return null;
}

export function isAllowedAddress(address: string, allowedDomains: readonly string[]): boolean {
  return refusalReason(address, allowedDomains) === null;
}

export function recipientsFor(
  config: Pick<RevperfConfig, 'mail' | 'schedule'>,
  org: OrgChart,
  kind: ReportKind,
  scope: ReportScope,
  asOf: LocalDate,
): RecipientList {
  const candidates: { address: string | null; name: string; role: Recipient['role'] }[] = [];
  switch (scope.level) {
    case 'company':
      for (const address of config.mail.leadership) candidates.push({ address, name: '', role: 'leadership' });
      break;
    case 'team':
      for (const id of org.managersOf(scope.team, asOf)) {
        const person = org.person(id);
        // A manager the reps name but who is not in the people file, or not active that day, gets nothing.
        if (!person || !org.assignmentAt(id, asOf)?.active) continue;
        candidates.push({ address: person.email, name: person.name, role: 'manager' });
      }
      break;
    case 'rep': {
      if (kind !== 'weekly-scorecard' || !config.schedule.repScorecards) break;
      const person = org.person(scope.repId);
      if (person && org.assignmentAt(scope.repId, asOf)?.active) candidates.push({ address: person.email, name: person.name, role: 'rep' });
      break;
    }
  }

  const list: RecipientList = { to: [], refused: [] };
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const address = (candidate.address ?? '').trim().toLowerCase();
    if (address === '') {
      list.refused.push({ address: '', name: candidate.name, reason: 'no e-mail address in the people file' });
      continue;
    }
    if (seen.has(address)) continue;
    seen.add(address);
    const reason = refusalReason(address, config.mail.allowedDomains);
    if (reason === null) list.to.push({ address, name: candidate.name, role: candidate.role });
    else list.refused.push({ address, name: candidate.name, reason });
  }
  return list;
}
