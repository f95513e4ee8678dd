// Renders what `revperf inspect` prints for a Spanish export with one unknown
// stage and one unknown owner, as an SVG terminal picture for the README:
// `npm run docs:inspect` → docs/revperf-inspect.svg.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSpanishCrm } from '../test/fixtures/onboarding/spanish-crm.js';
import { main as revperf } from './cli.js';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A terminal picture whose ✓ / ⚠ / ✗ lines are coloured as a terminal shows them. */
function colouredTerminalSvg(lines: readonly string[], title: string): string {
  const charWidth = 8.4;
  const lineHeight = 18;
  const width = Math.ceil(Math.max(...lines.map((line) => [...line].length)) * charWidth + 32);
  const height = lines.length * lineHeight + 56;
  const fill = (line: string) => (line.includes('✗') ? '#f38ba8' : line.includes('⚠') ? '#f9e2af' : line.includes('✓') ? '#a6e3a1' : '#cdd6f4');
  const rows = lines
    .map((line, index) => `<text x="16" y="${48 + index * lineHeight}" fill="${fill(line)}" xml:space="preserve">${escapeXml(line)}</text>`)
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">
<rect width="100%" height="100%" rx="8" fill="#1e1e2e"/>
<circle cx="20" cy="16" r="5" fill="#f38ba8"/><circle cx="38" cy="16" r="5" fill="#f9e2af"/><circle cx="56" cy="16" r="5" fill="#a6e3a1"/>
<text x="${width / 2}" y="20" fill="#a6adc8" font-family="monospace" font-size="12" text-anchor="middle">${escapeXml(title)}</text>
<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">
${rows}
</g>
</svg>
`;
}

/** Runs the CLI in process and returns what it printed. */
async function printed(argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(...args.join(' ').split('\n'));
  try {
    await revperf(argv);
  } finally {
    console.log = log;
  }
  return lines;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'revperf-inspect-picture-'));
  try {
    await writeSpanishCrm(dir);
    await printed(['init', '--data', dir, '--org', 'Iberia Soft', '--time-zone', 'Europe/Madrid', '--mail-domain', 'iberia-soft.es']);
    // A week later the export has a stage and an owner the config and the people file do not know.
    const deals = join(dir, 'deals', 'ventas.csv');
    await writeFile(deals, `${await readFile(deals, 'utf8')}OP-007;Consultoría Eta;Eta Hoteles;Pedro Sanz;En pausa;2.000,00;2.000,00;EUR;;12/12/2026;01/11/2026;\r\n`);
    const lines = (await printed(['inspect', '--data', dir])).map((line) => line.replaceAll(dir, 'mis-exportaciones'));
    // The picture keeps the deals file and the verdict.
    const from = lines.findIndex((line) => line.startsWith('deals/'));
    const shown = ['$ revperf inspect --data mis-exportaciones', ...lines.slice(from)].map((line) => (line.length > 150 ? `${line.slice(0, 149)}…` : line));
    await writeFile(new URL('../docs/revperf-inspect.svg', import.meta.url), colouredTerminalSvg(shown, 'revperf inspect'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('onboarding-picture.ts')) await main();
