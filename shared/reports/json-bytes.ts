// A document as JSON in UTF-8, built a piece at a time: the same bytes as
// Buffer.from(JSON.stringify(value, null, indent)), without the one string of
// the whole document. The report data (78 MB of JSON at 100k deals) as a
// single string — two bytes a character once a name has an accent — then
// copied to UTF-8 was the metrics phase's memory peak at 50k deals; here no
// string is much over a megabyte.

/** Containers this deep and deeper are stringified whole (a deal line, an entity's figures): small, and many. */
const SPLIT_DEPTH = 3;
/** Characters gathered before they are encoded into one piece of the result. */
const PIECE_CHARACTERS = 1 << 20;

/** `indent`: spaces per level, as JSON.stringify's third argument (default none: compact). */
export function jsonBytes(value: object, indent = 0): Buffer {
  const pieces: Buffer[] = [];
  let pending: string[] = [];
  let pendingCharacters = 0;
  const flush = () => {
    pieces.push(Buffer.from(pending.join(''), 'utf8'));
    pending = [];
    pendingCharacters = 0;
  };
  const emit = (text: string) => {
    pending.push(text);
    pendingCharacters += text.length;
    if (pendingCharacters >= PIECE_CHARACTERS) flush();
  };
  // As JSON.stringify: at most ten spaces a level; the document's own toJSON gets the empty key.
  const top = resolved(value, '');
  if (omitted(top)) throw new TypeError('the document has no JSON form');
  write(top, 0, ' '.repeat(Math.min(10, Math.max(0, Math.floor(indent)))), emit);
  flush();
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
}

/**
 * Writes a value that JSON.stringify would write (not undefined, a function or a symbol), its toJSON already
 * applied with its key (`resolved`). A toJSON returning another object with a toJSON is applied twice in a piece
 * written whole (JSON.stringify applies it once): nothing revperf stores has one.
 */
function write(value: unknown, depth: number, step: string, emit: (text: string) => void): void {
  const outer = step === '' ? '' : `\n${step.repeat(depth)}`;
  if (depth >= SPLIT_DEPTH || !isPlainContainer(value)) {
    // Indented as it would be nested this deep: JSON strings hold no raw line break, so each one is a level's.
    const text = JSON.stringify(value, null, step);
    emit(step === '' ? text : text.replaceAll('\n', outer));
    return;
  }
  const inner = step === '' ? '' : `${outer}${step}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return emit('[]');
    emit('[');
    for (let index = 0; index < value.length; index += 1) {
      emit(index > 0 ? `,${inner}` : inner);
      const item = resolved(value[index], String(index));
      // As JSON.stringify does: what has no JSON form is null in an array.
      if (omitted(item)) emit('null');
      else write(item, depth + 1, step, emit);
    }
    emit(`${outer}]`);
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const item = resolved((value as Record<string, unknown>)[key], key);
    // …and is left out of an object.
    if (omitted(item)) continue;
    emit(`${first ? '{' : ','}${inner}${JSON.stringify(key)}:${step === '' ? '' : ' '}`);
    first = false;
    write(item, depth + 1, step, emit);
  }
  emit(first ? '{}' : `${outer}}`);
}

/** The value JSON.stringify writes for a member: its toJSON(key) when it has one (a Date's ISO text, …). */
function resolved(value: unknown, key: string): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return (toJSON as (key: string) => unknown).call(value, key);
  }
  return value;
}

/** An array or a plain object (its toJSON already applied): what JSON.stringify writes member by member. */
function isPlainContainer(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
