// The text `revperf inspect` prints: per file what ingest would do with it,
// what is unknown highlighted (⚠ needs a decision, ✗ cannot be read), and the
// verdict. Pure: lines in, lines out.
import type { AcceptedEntity } from '../ingest/types.js';
import type { FileInspection, Inspection } from './inspect-data.js';

const PRESET_NAMES: Record<string, string> = {
  salesforce: 'the Salesforce opportunity report preset',
  hubspot: 'the HubSpot deals export preset',
  pipedrive: 'the Pipedrive deals export preset',
};

const SOURCE_LABELS: Record<string, string> = {
  status: 'by the status column',
  'config-rule': 'config rule',
  'crm-standard': 'CRM standard stage',
  'file-probability': '⚠ probability column only (no rule: open)',
  unknown: '⚠ UNKNOWN → open',
};

const MAX_LISTED = 12;

export interface TextOptions {
  /** Wrap ⚠ and ✗ lines in ANSI colours (a terminal). */
  colour?: boolean;
}

export function inspectionText(inspection: Inspection, options: TextOptions = {}): string[] {
  const paint = (line: string) => {
    if (!options.colour) return line;
    if (line.includes('✗')) return `\u001b[31m${line}\u001b[0m`;
    if (line.includes('⚠')) return `\u001b[33m${line}\u001b[0m`;
    return line;
  };
  const lines: string[] = [];
  lines.push(`config: ${inspection.configSource ?? '⚠ none (defaults)'}`);
  for (const file of inspection.files) lines.push('', ...fileText(file));
  lines.push('', ...verdictText(inspection));
  return lines.map(paint);
}

export function verdictText(inspection: Inspection): string[] {
  const lines: string[] = [];
  const decisions = [...inspection.decisions.map((d) => `  ⚠ ${d}`)];
  for (const file of inspection.files) {
    if (file.unreadable !== null) decisions.push(`  ✗ ${file.file.kind}/${file.file.name}: ${file.unreadable}`);
    for (const decision of file.decisions) decisions.push(`  ⚠ ${file.file.kind}/${file.file.name}: ${decision}`);
  }
  if (inspection.files.length === 0) decisions.push('  ✗ no files under deals/, people/, quotas/, accounts/ or fx/');
  const verdict =
    inspection.exitCode === 0
      ? '✓ ready: the data can be ingested as is'
      : inspection.exitCode === 1
        ? `⚠ needs a decision (${decisions.length}):`
        : `✗ cannot be read (${decisions.length} problem(s)):`;
  lines.push(verdict, ...decisions);
  return lines;
}

function fileText(file: FileInspection): string[] {
  const lines = [`${file.file.kind}/${file.file.name}`];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(10)} ${text}`);
  if (file.unreadable !== null) {
    row('✗ refused', file.unreadable);
    return lines;
  }
  const description = file.description;
  if (description) {
    row(
      'file',
      description.format === 'csv'
        ? `CSV, ${description.encoding}, delimiter ${JSON.stringify(description.delimiter === '\t' ? 'tab' : description.delimiter)}`
        : `XLSX, sheet '${description.sheet ?? '?'}'`,
    );
  }
  if (file.missing !== null) {
    row('⚠ missing', `required: ${file.missing.fields.join(', ')}`);
    row('', file.missing.reason);
    return lines;
  }
  const header = file.header;
  if (header) {
    const why =
      header.preset === 'custom'
        ? `config mapping '${header.mappingName}': every header it names is on line ${header.line}`
        : header.preset === 'generic'
          ? `revperf's generic header names (no preset or config mapping matched line ${header.line})`
          : `${PRESET_NAMES[header.preset] ?? header.preset}: recognised from the headers on line ${header.line}`;
    row('read as', why);
    const columns = Object.entries(header.columns).map(([field, text]) => `${field} ← ${text}`);
    wrap(columns, ' · ', 100).forEach((line, index) => row(index === 0 ? 'columns' : '', line));
    row('unused', header.unused.length === 0 ? '(none)' : header.unused.join(', '));
  }
  const readAs = file.dateOrder.used === 'mdy' ? 'month/day/year' : 'day/month/year';
  const verdict = file.dateOrder.verdict;
  row(
    'dates',
    verdict.kind === 'none'
      ? `no date depends on the order (ingest.dateOrder = ${file.dateOrder.used})`
      : verdict.kind === 'ambiguous'
        ? `${readAs} — ⚠ ambiguous: all ${verdict.count} could be read either way`
        : verdict.kind === 'proven'
          ? verdict.order === file.dateOrder.used
            ? `${readAs}, as the data says: '${verdict.example.value}' (line ${verdict.example.line}) reads only ${verdict.order === 'dmy' ? 'day-first' : 'month-first'}`
            : `${readAs} ⚠ but the data is ${verdict.order === 'dmy' ? 'day-first' : 'month-first'}: '${verdict.example.value}' (line ${verdict.example.line})`
          : `${readAs} ⚠ the data has both orders`,
  );
  const { comma, point, amounts } = file.amounts;
  if (amounts > 0) {
    const mark = file.decimalMark === ',' ? 'decimal comma' : file.decimalMark === '.' ? 'decimal point' : 'no amount shows its decimal mark (1,234 and 1.234 read as thousands)';
    const proof = file.decimalMark === ',' ? comma.example : file.decimalMark === '.' ? point.example : null;
    row('amounts', `${mark}${proof ? ` ('${proof.value}', line ${proof.line})` : ''}`);
  }
  const { read, accepted, rejected, skipped } = file.counts;
  row('rows', `${read} read: ${accepted} accepted, ${rejected} rejected${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  for (const rejection of file.rejected.slice(0, 3)) row('⚠ rejected', `line ${rejection.line}: ${rejection.reason}`);

  if (file.stages.length > 0) {
    const nameOf = (stage: (typeof file.stages)[number]) => `${stage.pipeline ? `${stage.pipeline} › ` : ''}${stage.stage || '(blank)'}`;
    const width = Math.min(32, Math.max(...file.stages.map((stage) => nameOf(stage).length)));
    file.stages.slice(0, MAX_LISTED * 2).forEach((stage, index) => {
      const probability = stage.stageClass === 'open' ? ` ${stage.probabilities.slice(0, 4).map(percent).join('/')}${stage.probabilities.length > 4 ? '/…' : ''}` : '';
      const name = nameOf(stage);
      const how = `${stage.stageClass}${probability}`.padEnd(10);
      row(index === 0 ? 'stages' : '', `${name.padEnd(width)} ${String(stage.deals).padStart(6)}  ${how} ${SOURCE_LABELS[stage.source]}`);
    });
  }
  if (file.file.kind === 'deals' && file.owners.length > 0) {
    const matched = file.owners.filter((owner) => owner.match.kind === 'person');
    const unmatched = file.owners.filter((owner) => owner.match.kind !== 'person');
    row('owners', `${matched.length} matched to the people file, ${unmatched.length} not`);
    for (const owner of matched.slice(0, MAX_LISTED)) {
      const person = owner.match.kind === 'person' ? owner.match : null;
      row('', `✓ ${owner.owner} (${owner.deals}) → ${person?.name}${person?.email ? ` <${person.email}>` : ''}`);
    }
    if (matched.length > MAX_LISTED) row('', `  … ${matched.length - MAX_LISTED} more`);
    for (const owner of unmatched.slice(0, MAX_LISTED)) {
      row('', `⚠ ${owner.owner} (${owner.deals}): ${owner.match.kind === 'ambiguous' ? `names ${owner.match.people.join(', ')}` : 'matches no one → Unassigned'}`);
    }
  }
  if (file.quotaPeriods.length > MAX_LISTED) row('quotas', `${file.quotaPeriods.length} periods; the first ${MAX_LISTED}:`);
  for (const [index, period] of file.quotaPeriods.slice(0, MAX_LISTED).entries()) {
    const resolved = period.resolved.slice(0, 6).join(', ') + (period.resolved.length > 6 ? `, … ${period.resolved.length - 6} more` : '');
    row(index === 0 && file.quotaPeriods.length <= MAX_LISTED ? 'quotas' : '', `${period.periodId}: ${period.rows} row(s) → ${resolved || '(none)'}`);
    for (const row_ of period.unresolved.slice(0, MAX_LISTED)) row('', `⚠ ${period.periodId} '${row_.written}': ${row_.reason}`);
  }
  const hiddenUnresolved = file.quotaPeriods.slice(MAX_LISTED).reduce((sum, period) => sum + period.unresolved.length, 0);
  if (hiddenUnresolved > 0) row('', `⚠ ${hiddenUnresolved} more quota row(s) of later periods resolve to no one (see --json)`);
  if (file.roles) {
    const explicit = Object.entries(file.roles.explicit).map(([role, count]) => `${count} ${role}`);
    const inferred = Object.entries(file.roles.inferred)
      .filter(([, names]) => names.length > 0)
      .map(([role, names]) => `${names.length} ${role} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`);
    row('roles', `${explicit.length > 0 ? `given: ${explicit.join(', ')}` : 'no Role column'}${inferred.length > 0 ? `; inferred: ${inferred.join(', ')}` : ''}`);
  }
  file.samples.forEach((sample, index) => row(index === 0 ? 'samples' : '', sampleText(sample)));
  for (const note of [...file.notes, ...file.findings].slice(0, MAX_LISTED)) row('note', note);
  return lines;
}

/** Items joined into lines of at most `width` characters (an item longer than that gets a line of its own). */
function wrap(items: readonly string[], separator: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line !== '' && line.length + separator.length + item.length > width) {
      lines.push(line);
      line = item;
    } else line = line === '' ? item : `${line}${separator}${item}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function percent(probability: number): string {
  return `${Math.round(probability * 1000) / 10}%`;
}

function sampleText(sample: AcceptedEntity): string {
  const shown = Object.entries(sample.value as unknown as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== '')
    .map(([field, value]) => `${field}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `line ${sample.line}: ${shown.join(', ')}`;
}
