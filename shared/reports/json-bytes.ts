// A document as compact JSON in UTF-8, built a piece at a time: the same bytes
// as Buffer.from(JSON.stringify(value)), without the one string of the whole
// document. The report data (78 MB of JSON at 100k deals) as a single string —
// two bytes a character once a name has an accent — then copied to UTF-8 was
// the metrics phase's memory peak; here no string is much over a megabyte.

/** Containers this deep and deeper are stringified whole (a deal line, an entity's figures): small, and many. */
const SPLIT_DEPTH = 3;
/** Characters gathered before they are encoded into one piece of the result. */
const PIECE_CHARACTERS = 1 << 20;

export function jsonBytes(value: object): Buffer {
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
  write(value, 0, emit);
  flush();
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
}

/** Writes a value that JSON.stringify would write (not undefined, a function or a symbol). */
function write(value: unknown, depth: number, emit: (text: string) => void): void {
  if (depth >= SPLIT_DEPTH || !isPlainContainer(value)) {
    emit(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    emit('[');
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) emit(',');
      const item: unknown = value[index];
      // As JSON.stringify does: what has no JSON form is null in an array.
      if (omitted(item)) emit('null');
      else write(item, depth + 1, emit);
    }
    emit(']');
    return;
  }
  emit('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    // …and is left out of an object.
    if (omitted(item)) continue;
    emit(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    write(item, depth + 1, emit);
  }
  emit('}');
}

/** An array or a plain object without toJSON: what JSON.stringify writes member by member. */
function isPlainContainer(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
