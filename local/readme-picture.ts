// Renders what `npm start` prints as an SVG terminal picture for the README:
// `npx tsx local/readme-picture.ts` → docs/npm-start.svg.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from './demo.js';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function terminalSvg(lines: readonly string[], title: string): string {
  const charWidth = 8.4;
  const lineHeight = 18;
  const width = Math.ceil(Math.max(...lines.map((line) => [...line].length)) * charWidth + 32);
  const height = lines.length * lineHeight + 56;
  const rows = lines
    .map((line, index) => `<text x="16" y="${48 + index * lineHeight}" xml:space="preserve">${escapeXml(line)}</text>`)
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">
<rect width="100%" height="100%" rx="8" fill="#1e1e2e"/>
<circle cx="20" cy="16" r="5" fill="#f38ba8"/><circle cx="38" cy="16" r="5" fill="#f9e2af"/><circle cx="56" cy="16" r="5" fill="#a6e3a1"/>
<text x="${width / 2}" y="20" fill="#a6adc8" font-family="monospace" font-size="12" text-anchor="middle">${escapeXml(title)}</text>
<g fill="#cdd6f4" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">
${rows}
</g>
</svg>
`;
}

async function main(): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'revperf-picture-'));
  const lines: string[] = ['$ npm start'];
  try {
    await runDemo(out, (line) => lines.push(...line.split('\n')));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  // The picture keeps the story short: progress, the verdict and the (compact) scorecard; not where the files are.
  const outputs = lines.findIndex((line) => line.startsWith('Outputs in'));
  const shown = lines.slice(0, outputs === -1 ? lines.length : outputs).map((line) => line.replaceAll(out, 'out'));
  while (shown.at(-1) === '') shown.pop();
  await writeFile(new URL('../docs/npm-start.svg', import.meta.url), terminalSvg(shown, 'revperf — npm start'));
}

if (process.argv[1]?.endsWith('readme-picture.ts')) await main();
