import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveStage, stageKey, type StageInput } from '../../../shared/ingest/stages.js';
import type { StageRule } from '../../../shared/config/schema.js';

const defaults = { rules: [] as StageRule[], defaultOpenProbability: 0.1 };

function stage(text: string, more: Partial<StageInput> = {}, rules: StageRule[] = []) {
  return resolveStage(
    { stage: text, pipeline: null, status: null, fileProbability: null, ...more },
    { ...defaults, rules },
  );
}

describe('built-in stages', () => {
  it.each<[string, 'open' | 'won' | 'lost', number]>([
    // Salesforce standard stages and probabilities
    ['Prospecting', 'open', 0.1],
    ['Qualification', 'open', 0.1],
    ['Needs Analysis', 'open', 0.2],
    ['Value Proposition', 'open', 0.5],
    ['Id. Decision Makers', 'open', 0.6],
    ['Perception Analysis', 'open', 0.7],
    ['Proposal/Price Quote', 'open', 0.75],
    ['Negotiation/Review', 'open', 0.9],
    ['Closed Won', 'won', 1],
    ['Closed Lost', 'lost', 0],
    // HubSpot default pipeline: internal ids and labels
    ['appointmentscheduled', 'open', 0.2],
    ['Appointment Scheduled', 'open', 0.2],
    ['qualifiedtobuy', 'open', 0.4],
    ['Qualified To Buy', 'open', 0.4],
    ['presentationscheduled', 'open', 0.6],
    ['decisionmakerboughtin', 'open', 0.8],
    ['Decision Maker Bought-In', 'open', 0.8],
    ['contractsent', 'open', 0.9],
    ['closedwon', 'won', 1],
    ['closedlost', 'lost', 0],
    // case, spacing and punctuation are free
    ['  closed   WON ', 'won', 1],
    ['negotiation / review', 'open', 0.9],
  ])('%s → %s at %d', (text, stageClass, probability) => {
    expect(stage(text)).toEqual({ ok: true, stageClass, probability, recognised: true });
  });
});

describe('probability of open deals', () => {
  it("prefers the file's probability to a built-in standard", () => {
    expect(stage('Prospecting', { fileProbability: 0.25 })).toMatchObject({ stageClass: 'open', probability: 0.25 });
  });

  it("prefers a config rule's probability to the file's", () => {
    const rules: StageRule[] = [{ stage: 'Prospecting', class: 'open', probability: 0.05 }];
    expect(stage('Prospecting', { fileProbability: 0.25 }, rules)).toMatchObject({ probability: 0.05 });
  });

  it('falls back to the file, then the default, for a config rule without probability', () => {
    const rules: StageRule[] = [{ stage: 'Discovery', class: 'open' }];
    expect(stage('Discovery', { fileProbability: 0.3 }, rules)).toMatchObject({ probability: 0.3, recognised: true });
    expect(stage('Discovery', {}, rules)).toMatchObject({ probability: 0.1, recognised: true });
  });

  it('ignores the file probability of won and lost deals', () => {
    expect(stage('Closed Won', { fileProbability: 0.4 })).toMatchObject({ stageClass: 'won', probability: 1 });
    expect(stage('closedlost', { fileProbability: 0.4 })).toMatchObject({ stageClass: 'lost', probability: 0 });
  });
});

describe('config rules', () => {
  it('override built-ins', () => {
    const rules: StageRule[] = [{ stage: 'Negotiation/Review', class: 'open', probability: 0.8 }];
    expect(stage('Negotiation/Review', {}, rules)).toMatchObject({ probability: 0.8 });
  });

  it('apply per pipeline before rules for any pipeline', () => {
    const rules: StageRule[] = [
      { stage: '12345678', class: 'won', pipeline: 'Renewals' },
      { stage: '12345678', class: 'open', probability: 0.5 },
    ];
    expect(stage('12345678', { pipeline: 'renewals' }, rules)).toMatchObject({ stageClass: 'won', probability: 1 });
    expect(stage('12345678', { pipeline: 'New Business' }, rules)).toMatchObject({ stageClass: 'open', probability: 0.5 });
    expect(stage('12345678', {}, rules)).toMatchObject({ stageClass: 'open', probability: 0.5 });
  });

  it('can reclassify a HubSpot id in one pipeline only', () => {
    const rules: StageRule[] = [{ stage: 'contractsent', class: 'won', pipeline: 'Channel' }];
    expect(stage('contractsent', { pipeline: 'Channel' }, rules)).toMatchObject({ stageClass: 'won' });
    expect(stage('contractsent', { pipeline: 'default' }, rules)).toMatchObject({ stageClass: 'open', probability: 0.9 });
  });
});

describe('Pipedrive status', () => {
  it('wins over the stage', () => {
    expect(stage('Negotiations Started', { status: 'won' })).toEqual({ ok: true, stageClass: 'won', probability: 1, recognised: true });
    expect(stage('Closed Won', { status: 'lost' })).toMatchObject({ stageClass: 'lost', probability: 0 });
  });

  it('open status keeps an open stage’s probability; an unknown stage is then not a finding', () => {
    expect(stage('Proposal/Price Quote', { status: 'open' })).toMatchObject({ stageClass: 'open', probability: 0.75 });
    expect(stage('Proposal Made', { status: 'Open' })).toEqual({ ok: true, stageClass: 'open', probability: 0.1, recognised: true });
  });

  it('rejects a status other than open, won or lost', () => {
    expect(stage('Lead In', { status: 'deleted' })).toEqual({
      ok: false,
      field: 'status',
      reason: "'deleted' is not a deal status (use open, won or lost)",
    });
  });
});

describe('unknown stages', () => {
  it('count as open with the file or default probability and are flagged', () => {
    expect(stage('Discovery')).toEqual({ ok: true, stageClass: 'open', probability: 0.1, recognised: false });
    expect(stage('Discovery', { fileProbability: 0.35 })).toEqual({ ok: true, stageClass: 'open', probability: 0.35, recognised: false });
  });
});

describe('stageKey', () => {
  it('ignores case, spacing and punctuation', () => {
    fc.assert(
      fc.property(fc.constantFrom('Closed Won', 'Id. Decision Makers', 'Proposal/Price Quote'), fc.constantFrom(' ', '-', '_', '/', ''), (label, joiner) => {
        const variant = label.toUpperCase().split(/\s+/).join(`${joiner} `);
        expect(stageKey(variant)).toBe(stageKey(label));
      }),
    );
  });
});
