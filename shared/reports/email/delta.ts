// Week-over-week changes as both bodies show them: an arrow and a signed figure,
// so the direction reads without colour.

export type DeltaDirection = 'up' | 'down' | 'flat';
export type DeltaTone = 'good' | 'bad' | 'neutral';

export interface Delta {
  /** Formatted change with its sign, e.g. `+6 pts`, `−$120k`. */
  readonly text: string;
  readonly direction: DeltaDirection;
  /** Default: up is good, down is bad, flat is neutral (say `bad` for a rise in slipped deals). */
  readonly tone?: DeltaTone;
}

export const DELTA_ARROWS: Readonly<Record<DeltaDirection, string>> = { up: '\u25b2', down: '\u25bc', flat: '\u25b6' };

export function deltaTone(delta: Delta): DeltaTone {
  return delta.tone ?? (delta.direction === 'up' ? 'good' : delta.direction === 'down' ? 'bad' : 'neutral');
}
