// CRM stage text → open / won / lost and a win probability. Built-in rules know
// the default Salesforce, HubSpot and Pipedrive vocabularies; config.stages
// rules override them (optionally for one pipeline, since HubSpot's internal
// stage ids are per pipeline).
import type { StageRule } from '../config/schema.js';
import type { StageClass } from '../domain/types.js';

// Every deal row asks for the key of its stage (and pipeline): memoised, so a
// file's few stage texts are normalised once rather than on every row.
const MAX_MEMOISED_KEYS = 1_000;
const stageKeys = new Map<string, string>();

/** Stages and pipelines match ignoring case, spacing and punctuation: `Closed Won` = `closedwon` = `closed-won`. */
export function stageKey(text: string): string {
  let key = stageKeys.get(text);
  if (key === undefined) {
    key = text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '');
    // A file has a handful of stages and pipelines; a bound keeps free text from growing the memo.
    if (stageKeys.size >= MAX_MEMOISED_KEYS) stageKeys.clear();
    stageKeys.set(text, key);
  }
  return key;
}

interface BuiltInStage {
  stage: string;
  class: StageClass;
  probability?: number;
}

// Salesforce's standard opportunity stages with their default probabilities.
const SALESFORCE_STAGES: readonly BuiltInStage[] = [
  { stage: 'Prospecting', class: 'open', probability: 0.1 },
  { stage: 'Qualification', class: 'open', probability: 0.1 },
  { stage: 'Needs Analysis', class: 'open', probability: 0.2 },
  { stage: 'Value Proposition', class: 'open', probability: 0.5 },
  { stage: 'Id. Decision Makers', class: 'open', probability: 0.6 },
  { stage: 'Perception Analysis', class: 'open', probability: 0.7 },
  { stage: 'Proposal/Price Quote', class: 'open', probability: 0.75 },
  { stage: 'Negotiation/Review', class: 'open', probability: 0.9 },
  { stage: 'Closed Won', class: 'won' },
  { stage: 'Closed Lost', class: 'lost' },
];

// HubSpot's default sales pipeline: internal ids and their labels.
const HUBSPOT_STAGES: readonly BuiltInStage[] = [
  { stage: 'appointmentscheduled', class: 'open', probability: 0.2 },
  { stage: 'qualifiedtobuy', class: 'open', probability: 0.4 },
  { stage: 'presentationscheduled', class: 'open', probability: 0.6 },
  { stage: 'decisionmakerboughtin', class: 'open', probability: 0.8 },
  { stage: 'contractsent', class: 'open', probability: 0.9 },
  { stage: 'closedwon', class: 'won' },
  { stage: 'closedlost', class: 'lost' },
];

// Pipedrive's Deal - Status values, also what generic exports tend to use.
const STATUS_WORDS: readonly BuiltInStage[] = [
  { stage: 'open', class: 'open' },
  { stage: 'won', class: 'won' },
  { stage: 'lost', class: 'lost' },
];

// Keys strip punctuation, so the HubSpot labels ("Appointment Scheduled",
// "Decision Maker Bought-In", "Closed Won") share the internal ids' keys.
const BUILT_IN_BY_KEY: ReadonlyMap<string, BuiltInStage> = new Map(
  [...SALESFORCE_STAGES, ...HUBSPOT_STAGES, ...STATUS_WORDS].map((rule) => [stageKey(rule.stage), rule]),
);

export interface StageInput {
  /** The stage text (or internal id) as exported. */
  stage: string;
  pipeline: string | null;
  /** Pipedrive's `Deal - Status` (open/won/lost); wins over the stage when present. */
  status: string | null;
  /** The file's probability column for this row, 0..1, if any. */
  fileProbability: number | null;
}

export interface StageDefaults {
  rules: readonly StageRule[];
  /** config.ingest.defaultOpenProbability */
  defaultOpenProbability: number;
}

export type StageResolution =
  | {
      ok: true;
      stageClass: StageClass;
      /** 0..1: won 1, lost 0, open from the rules, the file or the default. */
      probability: number;
      /** False when nothing recognised the stage text and it was taken as open. */
      recognised: boolean;
    }
  | { ok: false; field: 'status'; reason: string };

interface Classification {
  stageClass: StageClass;
  probability: number | undefined;
  /** Config rules speak for the organisation, so their probability beats the file's. */
  fromConfig: boolean;
}

/**
 * Classifies a deal's stage. Order: Pipedrive status, then config rules for the
 * deal's pipeline, config rules for any pipeline, built-ins. Probability for
 * open deals: a config rule's, else the file's column (the CRM's own per-stage
 * setting or the rep's override), else the built-in standard, else the default.
 */
export function resolveStage(input: StageInput, defaults: StageDefaults): StageResolution {
  const status = input.status?.trim() ? stageKey(input.status) : null;
  const statusClass = status === null ? null : (STATUS_WORDS.find((word) => word.stage === status)?.class ?? null);
  if (status !== null && statusClass === null) {
    return { ok: false, field: 'status', reason: `'${input.status?.trim()}' is not a deal status (use open, won or lost)` };
  }
  const byStage = classifyStageText(input.stage, input.pipeline, defaults.rules);
  const stageClass = statusClass ?? byStage?.stageClass ?? 'open';
  if (stageClass !== 'open') return { ok: true, stageClass, probability: stageClass === 'won' ? 1 : 0, recognised: true };

  // A status of open says nothing about the stage's probability; only an open stage rule does.
  const openRule = byStage?.stageClass === 'open' ? byStage : null;
  const probability =
    (openRule?.fromConfig ? openRule.probability : undefined) ??
    input.fileProbability ??
    openRule?.probability ??
    defaults.defaultOpenProbability;
  return { ok: true, stageClass, probability, recognised: byStage !== null || statusClass !== null };
}

/** Config rules by key: the first rule for a pipeline's stage, and the first rule for a stage in any pipeline. */
interface RuleIndex {
  byPipelineStage: Map<string, StageRule>;
  byStage: Map<string, StageRule>;
}

// Built once per rules array (the parsed config's, never mutated), not per row.
const ruleIndexes = new WeakMap<readonly StageRule[], RuleIndex>();

function ruleIndex(rules: readonly StageRule[]): RuleIndex {
  let index = ruleIndexes.get(rules);
  if (index === undefined) {
    index = { byPipelineStage: new Map(), byStage: new Map() };
    for (const rule of rules) {
      const [map, key] =
        rule.pipeline === undefined
          ? [index.byStage, stageKey(rule.stage)]
          : [index.byPipelineStage, pipelineStageKey(stageKey(rule.pipeline), stageKey(rule.stage))];
      if (!map.has(key)) map.set(key, rule);
    }
    ruleIndexes.set(rules, index);
  }
  return index;
}

function pipelineStageKey(pipelineKey: string, stageKey: string): string {
  // Keys hold only letters and digits, so a space cannot be part of either.
  return `${pipelineKey} ${stageKey}`;
}

function classifyStageText(stage: string, pipeline: string | null, rules: readonly StageRule[]): Classification | null {
  const key = stageKey(stage);
  if (key === '') return null;
  const index = ruleIndex(rules);
  const configRule =
    (pipeline === null ? undefined : index.byPipelineStage.get(pipelineStageKey(stageKey(pipeline), key))) ?? index.byStage.get(key);
  if (configRule) return { stageClass: configRule.class, probability: configRule.probability, fromConfig: true };
  const builtIn = BUILT_IN_BY_KEY.get(key);
  return builtIn ? { stageClass: builtIn.class, probability: builtIn.probability, fromConfig: false } : null;
}

/** Where a deal's stage class comes from, as `revperf inspect` explains it. */
export type StageSource =
  /** Pipedrive's status column (open/won/lost) decided. */
  | 'status'
  /** A config.stages rule. */
  | 'config-rule'
  /** Salesforce's, HubSpot's or Pipedrive's standard vocabulary. */
  | 'crm-standard'
  /** No rule knows the stage: open, with the file's probability. */
  | 'file-probability'
  /** No rule knows the stage and the file has no probability: open at the default probability. */
  | 'unknown';

/** What `resolveStage` decides, and why: the same resolution ingest uses, with its source. */
export function explainStage(input: StageInput, defaults: StageDefaults): { resolution: StageResolution; source: StageSource } {
  const resolution = resolveStage(input, defaults);
  const status = input.status?.trim() ? stageKey(input.status) : null;
  const statusClass = status === null ? null : (STATUS_WORDS.find((word) => word.stage === status)?.class ?? null);
  if (!resolution.ok || (statusClass !== null && statusClass !== 'open')) return { resolution, source: 'status' };
  const byStage = classifyStageText(input.stage, input.pipeline, defaults.rules);
  if (byStage !== null) return { resolution, source: byStage.fromConfig ? 'config-rule' : 'crm-standard' };
  if (statusClass !== null) return { resolution, source: 'status' };
  return { resolution, source: input.fileProbability !== null ? 'file-probability' : 'unknown' };
}
