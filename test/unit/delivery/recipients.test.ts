import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/schema.js';
import { OrgChart } from '../../../shared/domain/org-chart.js';
import type { Person } from '../../../shared/domain/types.js';
import { isAllowedAddress, recipientsFor } from '../../../shared/delivery/recipients.js';

function person(name: string, email: string | null, team: string, manager: string | null, extra: Partial<Person> = {}): Person {
  return { id: email ?? name.toLowerCase(), name, email, role: null, team, manager, region: 'EMEA', active: true, effectiveFrom: null, ...extra };
}

const config = (repScorecards = false) =>
  parseConfig({
    org: { name: 'Acme', timeZone: 'Europe/Madrid' },
    schedule: { repScorecards },
    mail: { from: 'revperf@acme.com', allowedDomains: ['acme.com', 'acme.es'], leadership: ['CEO@acme.com', 'vp@acme.es'] },
  });

const AS_OF = '2026-11-16';

describe('who receives a report', () => {
  const people = [
    person('Mo Manager', 'mo@acme.com', 'West', null, { role: 'manager' }),
    person('Ana Rep', 'ana@acme.com', 'West', 'Mo Manager'),
    person('Ben Rep', 'ben@gmail.com', 'West', 'mo@acme.com'),
    // East: managed by an outsider and by someone without an address.
    person('Eve Outside', 'eve@evil.example', 'East', null, { role: 'manager' }),
    person('Nora Noaddress', null, 'East', null, { role: 'manager' }),
    person('Cy Rep', 'cy@acme.com', 'East', 'Eve Outside'),
    // North: its manager left.
    person('Gone Manager', 'gone@acme.com', 'North', null, { role: 'manager', active: false }),
    person('Di Rep', 'di@acme.com', 'North', 'gone@acme.com'),
    person('Ex Rep', 'ex@acme.com', 'North', 'gone@acme.com', { active: false }),
  ];
  const org = new OrgChart(people);

  it('gives the organisation to the leadership of the config, lower-cased', () => {
    expect(recipientsFor(config(), org, 'weekly-scorecard', { level: 'company' }, AS_OF)).toEqual({
      to: [
        { address: 'ceo@acme.com', name: '', role: 'leadership' },
        { address: 'vp@acme.es', name: '', role: 'leadership' },
      ],
      refused: [],
    });
  });

  it("gives a team to its active managers; an outside domain or a missing address is refused with the reason", () => {
    expect(recipientsFor(config(), org, 'pre-review-pack', { level: 'team', team: 'West' }, AS_OF).to).toEqual([{ address: 'mo@acme.com', name: 'Mo Manager', role: 'manager' }]);
    const east = recipientsFor(config(), org, 'weekly-scorecard', { level: 'team', team: 'East' }, AS_OF);
    expect(east.to).toEqual([]);
    expect(east.refused).toEqual([
      { address: 'eve@evil.example', name: 'Eve Outside', reason: 'domain evil.example is not in mail.allowedDomains' },
      { address: '', name: 'Nora Noaddress', reason: 'no e-mail address in the people file' },
    ]);
    // An inactive manager gets nothing, and is not "refused" either: they are simply not a recipient.
    expect(recipientsFor(config(), org, 'weekly-scorecard', { level: 'team', team: 'North' }, AS_OF)).toEqual({ to: [], refused: [] });
  });

  it('gives reps their own card only when schedule.repScorecards is on, only the scorecard, only if active', () => {
    const ana = { level: 'rep', repId: 'ana@acme.com' } as const;
    expect(recipientsFor(config(false), org, 'weekly-scorecard', ana, AS_OF).to).toEqual([]);
    expect(recipientsFor(config(true), org, 'weekly-scorecard', ana, AS_OF).to).toEqual([{ address: 'ana@acme.com', name: 'Ana Rep', role: 'rep' }]);
    expect(recipientsFor(config(true), org, 'pre-review-pack', ana, AS_OF).to).toEqual([]);
    expect(recipientsFor(config(true), org, 'weekly-scorecard', { level: 'rep', repId: 'ex@acme.com' }, AS_OF).to).toEqual([]);
    expect(recipientsFor(config(true), org, 'weekly-scorecard', { level: 'rep', repId: 'ben@gmail.com' }, AS_OF).refused).toEqual([
      { address: 'ben@gmail.com', name: 'Ben Rep', reason: 'domain gmail.com is not in mail.allowedDomains' },
    ]);
  });

  it('never lets an uploaded address smuggle in a header or a second recipient', () => {
    const hostile = new OrgChart([
      person('Mo Manager', 'mo@acme.com\r\nBcc: spy@evil.example', 'South', null, { role: 'manager' }),
      person('Lu Lead', 'lu@acme.com, spy@evil.example', 'South', null, { role: 'manager' }),
      person('Sub Domain', 'sub@mail.acme.com', 'South', null, { role: 'manager' }),
      // A percent-hack route: some relays would deliver it to evil.example.
      person('Relay', 'spy%evil.example@acme.com', 'South', null, { role: 'manager' }),
      person('Rep', 'rep@acme.com', 'South', null),
    ]);
    const south = recipientsFor(config(), hostile, 'weekly-scorecard', { level: 'team', team: 'South' }, AS_OF);
    expect(south.to).toEqual([]);
    expect(south.refused.map((refused) => `${refused.name}: ${refused.reason}`).sort()).toEqual([
      'Lu Lead: not a plain e-mail address',
      'Mo Manager: not a plain e-mail address',
      'Relay: not a plain e-mail address',
      'Sub Domain: domain mail.acme.com is not in mail.allowedDomains',
    ]);
    expect(isAllowedAddress('Ana.OBrien@ACME.com', ['acme.com'])).toBe(true);
    expect(isAllowedAddress("o'brien+reports@acme.com", ['acme.com'])).toBe(true);
    expect(isAllowedAddress('spy%evil.example@acme.com', ['acme.com'])).toBe(false);
  });
});
