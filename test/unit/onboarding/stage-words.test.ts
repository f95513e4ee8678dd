import { describe, expect, it } from 'vitest';
import { classifyStageWords } from '../../../shared/domain/stage-words.js';

describe('stage words', () => {
  it.each([
    ['Closed Won', 'won'],
    ['closedwon', 'won'],
    ['Won', 'won'],
    ['Ganada', 'won'],
    ['ganado', 'won'],
    ['Cerrada ganada', 'won'],
    ['CERRADO - GANADO', 'won'],
    ['Closed Lost', 'lost'],
    ['closed_lost', 'lost'],
    ['Lost', 'lost'],
    ['Perdida', 'lost'],
    ['Cerrado perdido', 'lost'],
    ['Cerrada perdida', 'lost'],
    ['Cancelado', 'lost'],
    ['Renewed', 'won'],
    ['Renovada', 'won'],
    ['Churned', 'lost'],
    ['Descartada', 'lost'],
    ['Renewal Due', 'open'],
    ['Prospección', 'open'],
    ['Propuesta enviada', 'open'],
    ['Negotiation/Review', 'open'],
    ['Engaging', 'open'],
  ] as const)('%s is %s', (stage, expected) => {
    const guess = classifyStageWords(stage);
    expect(guess.class).toBe(expected);
    expect(guess.doubt).toBeNull();
    if (expected !== 'open') expect(guess.word).not.toBeNull();
  });

  it('leaves doubtful stages open and says why', () => {
    expect(classifyStageWords('Cerrada')).toEqual({ class: 'open', word: null, doubt: "says 'cerrada' but neither won nor lost" });
    expect(classifyStageWords('Closed')).toMatchObject({ class: 'open', doubt: expect.stringContaining('neither won nor lost') });
    expect(classifyStageWords('No ganada')).toMatchObject({ class: 'open', doubt: "says 'no ganada'" });
    expect(classifyStageWords('Won / Lost review')).toMatchObject({ class: 'open', doubt: "says both 'won' and 'lost'" });
  });
});
