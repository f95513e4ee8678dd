// What `revperf init` prints: per file how it will be read, the stage rules,
// and every guess to review. Pure: the result in, lines out.
import { decimalMarks, type InitResult } from './init-config.js';

export function initText(result: InitResult): string[] {
  const lines: string[] = [];
  for (const probe of result.files) {
    const name = `${probe.file.kind}/${probe.file.name}`;
    if (probe.unreadable !== null) {
      lines.push(`✗ ${name}: ${probe.unreadable}`);
      continue;
    }
    switch (probe.reading) {
      case 'none':
        lines.push(`⚠ ${name}: no header row gives ${probe.missing.join(', ')}`);
        continue;
      case 'preset':
        lines.push(`✓ ${name}: the ${probe.preset} preset (its headers, line ${probe.headerLine}) — no mapping needed`);
        break;
      case 'generic':
        lines.push(`✓ ${name}: revperf's generic header names (line ${probe.headerLine}) — no mapping needed`);
        break;
      case 'mapping':
        lines.push(`? ${name}: a mapping guessed from the header words on line ${probe.headerLine} (review):`);
        for (const guess of probe.guesses) {
          lines.push(`    ${guess.field.padEnd(16)} ← ${guess.header}${guess.match === 'qualified' ? '  (through its qualifier)' : ''}`);
        }
        for (const ignored of probe.ignored) lines.push(`    ignored '${ignored.header}': ${ignored.field} took the plainer '${ignored.chosen}'`);
        break;
    }
    if (probe.unused.length > 0) lines.push(`    unused: ${probe.unused.join(', ')}`);
    for (const note of probe.notes) lines.push(`    note: ${note}`);
  }
  const standard = result.stages.filter((stage) => stage.rule === null);
  const guessed = result.stages.filter((stage) => stage.rule !== null);
  if (result.stages.length > 0) lines.push('', 'Stages (each guessed rule is for review):');
  if (standard.length > 0) {
    const names = standard.slice(0, 10).map((stage) => stage.stage).join(', ');
    lines.push(`  ✓ ${standard.length} CRM standard stage(s) need no rule: ${names}${standard.length > 10 ? ', …' : ''}`);
  }
  if (guessed.length > 0) {
    const width = Math.min(28, Math.max(...guessed.map((stage) => stage.stage.length)));
    for (const stage of guessed) {
      const rule = stage.rule!;
      const what = `${rule.class}${rule.probability !== undefined ? ` ${Math.round(rule.probability * 1000) / 10}%` : ''}`;
      lines.push(`  ${stage.doubt ? '⚠' : '?'} ${stage.stage.padEnd(width)} ${String(stage.deals).padStart(6)}  ${what.padEnd(10)} ${stage.why}`);
    }
  }
  const marks = decimalMarks(result.files);
  if (marks.length > 0) {
    lines.push('', 'Decimal marks (ingest learns them per file; nothing to set):');
    for (const { file, mark } of marks) lines.push(`  ${file}: ${mark === ',' ? 'decimal comma' : mark === '.' ? 'decimal point' : 'not shown by any amount (1,234 reads as thousands)'}`);
  }
  const { document } = result;
  lines.push(
    '',
    `Settings: org '${document.org.name}', time zone ${document.org.timeZone}, locale ${document.org.locale}, fiscal year from month ${document.fiscal?.yearStartMonth}, ` +
      `currency ${document.currency?.reporting}, dates ${document.ingest?.dateOrder}, mail from ${document.mail.from} to ${document.mail.allowedDomains.join(', ')} only`,
  );
  if (result.review.length > 0) {
    lines.push('', 'Review:');
    for (const item of result.review) lines.push(`  ? ${item}`);
  }
  if (result.problems.length > 0) {
    lines.push('', 'Not used:');
    for (const problem of result.problems) lines.push(`  ✗ ${problem}`);
  }
  return lines;
}
