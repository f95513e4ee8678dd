// Summarises a V8 .cpuprofile (from `node --cpu-prof`) as self time by
// function, the evidence RESULTS.md quotes when a goal is missed.
//
//   node --import tsx --cpu-prof --cpu-prof-dir=.scratch/prof bench/ingest.bench.ts revperf 100000
//   npx tsx bench/lib/cpu-profile-summary.ts .scratch/prof/<file>.cpuprofile [top]
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds since the previous sample; the first is since the profile started. */
  timeDeltas: number[];
}

export interface SelfTime {
  /** `function (file:line)`, node internals and V8 pseudo-frames by their own names. */
  frame: string;
  milliseconds: number;
  share: number;
}

function frameName({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  const name = functionName || '(anonymous)';
  if (url === '') return name;
  const file = url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url;
  return `${name} (${file}:${lineNumber + 1})`;
}

/** Self time per function, largest first. A sample's time is the delta that follows it. */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const frames = new Map(profile.nodes.map((node) => [node.id, frameName(node.callFrame)]));
  const micros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index + 1] ?? 0;
    const frame = frames.get(nodeId) ?? '(unknown)';
    micros.set(frame, (micros.get(frame) ?? 0) + delta);
    total += delta;
  });
  return [...micros]
    .map(([frame, time]) => ({ frame, milliseconds: time / 1000, share: total === 0 ? 0 : time / total }))
    .sort((a, b) => b.milliseconds - a.milliseconds);
}

export function formatSelfTimes(rows: readonly SelfTime[], top: number): string {
  return rows
    .slice(0, top)
    .map(({ frame, milliseconds, share }) => `${(share * 100).toFixed(1).padStart(5)} %  ${milliseconds.toFixed(0).padStart(7)} ms  ${frame}`)
    .join('\n');
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const [path, top = '25'] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  console.log(formatSelfTimes(selfTimes(profile), Number(top)));
}
