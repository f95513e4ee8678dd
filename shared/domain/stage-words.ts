// A CRM stage's words → won, lost or open, in English and Spanish, for
// `revperf init` to propose config.stages rules. A guess for a person to
// review, never what ingest does on its own: ingest classifies only by rules
// and the CRMs' standard stages.

export type StageWordClass = 'won' | 'lost' | 'open';

export interface StageWordGuess {
  class: StageWordClass;
  /** The word that decided, or null when nothing did (open by default). */
  word: string | null;
  /** Why a person should look twice: closed but neither won nor lost, or words of both. */
  doubt: string | null;
}

const WON_WORDS = new Set([
  'won', 'win', 'signed', 'booked', 'renewed',
  'ganada', 'ganado', 'ganadas', 'ganados', 'vendido', 'vendida', 'firmado', 'firmada', 'renovado', 'renovada', 'contratado', 'contratada',
]);
const LOST_WORDS = new Set([
  'lost', 'lose', 'loss', 'churned', 'dead', 'disqualified', 'rejected', 'declined', 'cancelled', 'canceled',
  'perdida', 'perdido', 'perdidas', 'perdidos', 'cancelado', 'cancelada', 'descartado', 'descartada', 'rechazado', 'rechazada',
]);
const CLOSED_WORDS = new Set(['closed', 'cerrada', 'cerrado', 'cerradas', 'cerrados']);
/** Words that turn the next one around: `no ganada`, `not won`. */
const NEGATIONS = new Set(['no', 'not', 'non', 'sin']);

function stageWords(stage: string): string[] {
  return stage
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/^closed(won|lost)$/, 'closed $1')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * Classifies a stage by its words: a won word (`won`, `Closed Won`, `Ganada`,
 * `Cerrada ganada`) makes it won, a lost word (`lost`, `Closed Lost`,
 * `Perdido`, `Cerrado perdido`, `Cancelado`) lost, anything else open. A
 * negated word (`no ganada`), both kinds of word, or `closed` without either
 * is open with a doubt to review.
 */
export function classifyStageWords(stage: string): StageWordGuess {
  const words = stageWords(stage);
  let won: string | null = null;
  let lost: string | null = null;
  let negated: string | null = null;
  words.forEach((word, index) => {
    const isWon = WON_WORDS.has(word);
    const isLost = LOST_WORDS.has(word);
    if (!isWon && !isLost) return;
    if (index > 0 && NEGATIONS.has(words[index - 1]!)) {
      negated ??= `${words[index - 1]} ${word}`;
      return;
    }
    if (isWon) won ??= word;
    if (isLost) lost ??= word;
  });
  if (won !== null && lost !== null) return { class: 'open', word: null, doubt: `says both '${won}' and '${lost}'` };
  if (negated !== null) return { class: 'open', word: null, doubt: `says '${negated}'` };
  if (won !== null) return { class: 'won', word: won, doubt: null };
  if (lost !== null) return { class: 'lost', word: lost, doubt: null };
  const closed = words.find((word) => CLOSED_WORDS.has(word));
  if (closed !== undefined) return { class: 'open', word: null, doubt: `says '${closed}' but neither won nor lost` };
  return { class: 'open', word: null, doubt: null };
}
