// The report data and metrics export are written a piece at a time: the bytes
// must be exactly those of JSON.stringify, compact or indented, whatever the document holds.
import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../../../shared/reports/json-bytes.js';

const same = (value: object) => {
  expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
  expect(jsonBytes(value, 2).toString('utf8')).toBe(JSON.stringify(value, null, 2));
};

describe('jsonBytes', () => {
  it('writes what JSON.stringify writes: undefined, functions and symbols left out of objects and null in arrays', () => {
    same({ a: 1, skipped: undefined, fn: () => 1, sym: Symbol('s'), list: [1, undefined, () => 2, Symbol('t'), null, 'x'], empty: {}, none: [] });
    same([undefined, { b: undefined }, [[[]]]]);
    same({ holes: [1, , 3] });
  });

  it('leaves toJSON, Maps, class instances and numbers JSON cannot hold to JSON.stringify', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    same({ at: new Date(Date.UTC(2026, 10, 16)), custom: { toJSON: () => ({ replaced: true }) }, map: new Map([[1, 2]]), point: new Point(3), nan: NaN, inf: -Infinity, negZero: -0 });
    same(Object.assign(Object.create(null) as object, { bare: { prototype: null } }));
  });

  it('calls toJSON with its key, as JSON.stringify does, and treats an undefined toJSON result as no value', () => {
    const keyed = { toJSON: (key: string) => `key=${key}` };
    same({ when: keyed, list: [keyed, keyed], nested: { deeper: { deepest: { at: keyed } } } });
    const nothing = { toJSON: () => undefined };
    same({ gone: nothing, kept: 1, list: [nothing, 2] });
    same({ toJSON: (key: string) => ({ top: key }) });
  });

  it('caps the indent at ten spaces a level and reads a negative or fractional one as JSON.stringify does', () => {
    const document = { a: { b: [1, { c: 2 }] } };
    for (const indent of [12, 10, 2.7, -3]) {
      expect(jsonBytes(document, indent).toString('utf8')).toBe(JSON.stringify(document, null, indent));
    }
  });

  it('keeps every character: accents, emoji, escapes and lone surrogates', () => {
    same({ 'clé "quoted"': ['Chloé', 'Peña', '東京', '😀', 'tab\tnew\nline\\', '\ud800', '\u2028', '</script>'] });
  });

  it('matches deep documents and ones much larger than a piece', () => {
    const deep: Record<string, unknown> = { leaf: 'é' };
    let node = deep;
    for (let level = 0; level < 8; level += 1) node = (node.child = { level, list: [level, { undefinedField: undefined, name: `n${level}` }] }) as Record<string, unknown>;
    same(deep);
    const lines = Array.from({ length: 40_000 }, (_, index) => ({ id: `D${index}`, name: index % 7 === 0 ? `Déal ${index} 😀` : `Deal ${index}`, amount: index * 100, closeDate: index % 3 === 0 ? null : '2026-11-16', pushes: index % 5 === 0 ? undefined : index % 4 }));
    const document = { version: 1, deals: { open: lines, won: lines.slice(0, 1000) }, metrics: { entities: [{ id: 'org', figures: lines.slice(0, 10) }] } };
    const bytes = jsonBytes(document);
    expect(bytes.length).toBeGreaterThan(2 * (1 << 20));
    expect(bytes.equals(Buffer.from(JSON.stringify(document), 'utf8'))).toBe(true);
    expect(jsonBytes(document, 2).equals(Buffer.from(JSON.stringify(document, null, 2), 'utf8'))).toBe(true);
  });
});
