import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SafeHtml, el, escapeHtml, fragment, styleString, text } from '../../../shared/reports/email/html.js';
import { dataTable, deltaBadge, emailDocument, footerBlock, headline, imageBlock, kpiTiles, listSection } from '../../../shared/reports/email/layout.js';
import type { ListItem } from '../../../shared/reports/email/layout.js';
import { RAG_COLOURS, ragStatus } from '../../../shared/reports/email/rag.js';
import { CHART_CID, HOSTILE_NAMES, LONG_NAME, teamWestScorecard } from '../../fixtures/email/team-west-scorecard.js';
import { parseEmailHtml } from '../../support/email-html.js';

const doc = (body: Parameters<typeof emailDocument>[0]['body']) => emailDocument({ title: 't', preheader: 'p', lang: 'en', body });

describe('escapeHtml', () => {
  it('escapes the five characters that can open markup or close an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;');
  });

  it('drops control characters and lone surrogates, keeps tab and line breaks', () => {
    expect(escapeHtml('a\u0000b\u001bc\u0085d\ud800e\tf\ng')).toBe('abcde\tf\ng');
    expect(escapeHtml('🚀 Peña')).toBe('🚀 Peña');
  });
});

describe('el', () => {
  it('escapes text children and attribute values', () => {
    expect(String(el('td', { title: '"><script>' }, '<b>x</b>'))).toBe('<td title="&quot;&gt;&lt;script&gt;">&lt;b&gt;x&lt;/b&gt;</td>');
  });

  it('renders style objects as inline declarations and self-closes void elements', () => {
    expect(String(el('img', { src: 'cid:a', width: 10, style: { display: 'block', maxWidth: '100%', msoHide: 'all', webkitTextSizeAdjust: '100%' } }))).toBe(
      '<img src="cid:a" width="10" style="display:block;max-width:100%;mso-hide:all;-webkit-text-size-adjust:100%" />',
    );
  });

  it('refuses tags, attributes, URLs and style values that could run or fetch something', () => {
    expect(() => el('script')).toThrow(/tag not allowed/);
    expect(() => el('style')).toThrow(/tag not allowed/);
    expect(() => el('img', { src: 'cid:a', onerror: 'alert(1)' })).toThrow(/attribute not allowed/);
    expect(() => el('img', { src: 'https://tracker.example/p.gif' })).toThrow(/cid:/);
    expect(() => el('img', { src: 'cid:a"onerror="x' })).toThrow(/cid:/);
    expect(() => el('a', { href: 'javascript:alert(1)' }, 'x')).toThrow(/https: or mailto:/);
    expect(() => styleString({ background: 'url(https://x.example/a.png)' })).toThrow(/unsafe value/);
    expect(() => styleString({ color: 'red;position:fixed' })).toThrow(/unsafe value/);
    expect(() => styleString({ 'font-size': '12px' })).toThrow(/camelCase/);
    expect(() => el('br', {}, 'child')).toThrow(/cannot have children/);
  });

  it('treats strings as text, never as markup; SafeHtml cannot be forged from outside', () => {
    expect(String(fragment('<i>', text('<i>'), ['&', 1]))).toBe('&lt;i&gt;&lt;i&gt;&amp;1');
    expect(() => new SafeHtml(Symbol('safe-html') as never, '<script>')).toThrow(/html\.ts only/);
  });

  it('reads back any text and attribute value exactly (strict XML parse)', () => {
    const unit = fc.constantFrom('<', '>', '&', '"', "'", '=', '/', ';', ' ', 'a', 'ñ', 'n\u0303', '🚀', '\u0000', '\u001b', '--', ']]>', '&amp;');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (value) => {
        const parsed = parseEmailHtml(doc(el('tr', {}, el('td', { title: value }, value))));
        const expected = value.replace(/[\u0000\u001b]/g, '');
        expect(parsed.problems).toEqual([]);
        expect(parsed.attributes.find((a) => a.tag === 'td' && a.name === 'title')?.value ?? '').toBe(expected);
        expect(parsed.text).toContain(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the Team West scorecard HTML', () => {
  const { html } = teamWestScorecard();
  const parsed = parseEmailHtml(html);

  it('is well-formed, inline-styled, script-free and loads nothing but cid: images', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.attributes.filter((a) => a.name === 'src').map((a) => a.value)).toEqual([`cid:${CHART_CID}`]);
    // No http(s) reference in any attribute (a hostile name's URL is text, see below).
    expect(parsed.attributes.filter((a) => /https?:/i.test(a.value))).toEqual([]);
    expect(parsed.tags.filter((t) => t === 'table').length).toBeGreaterThan(3);
  });

  it('shows every hostile name literally as text, never as a tag or attribute', () => {
    for (const name of HOSTILE_NAMES) expect(parsed.text).toContain(name);
    expect(parsed.tags).not.toContain('script');
    expect(parsed.attributes.filter((a) => a.name.startsWith('on') || a.value.includes('alert('))).toEqual([]);
    expect(parsed.text).toContain('Ana Peña');
    expect(parsed.text).toContain(LONG_NAME);
  });

  it('the strict check catches a body where a name went in unescaped', () => {
    const tampered = parseEmailHtml(html.replace('&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'));
    expect(tampered.problems).toEqual(expect.arrayContaining(['contains "<script"', 'element <script> is not allowed']));
    const handler = parseEmailHtml(html.replace('&lt;img src=x onerror=alert(1)&gt;', '<img src="x" onerror="alert(1)" />'));
    expect(handler.problems).toEqual(expect.arrayContaining(['event handler attribute onerror on <img>', '<img src="x"> is not a cid: image']));
    const tracker = parseEmailHtml(html.replace(`cid:${CHART_CID}`, 'https://tracker.example/open.gif'));
    expect(tracker.problems).toEqual(['<img src="https://tracker.example/open.gif"> is not a cid: image']);
    const styled = parseEmailHtml(html.replace('<head>', '<head><style>td{color:red}</style>'));
    expect(styled.problems).toContain('contains <style> or <link>: styles must be inline');
  });

  it('has a doctype, charset, viewport, a hidden preheader and a 640-px container with an Outlook ghost table', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en"')).toBe(true);
    expect(html).toContain('<meta charset="utf-8" />');
    expect(html).toContain('name="viewport"');
    expect(html).toMatch(/<div style="display:none;max-height:0;overflow:hidden;mso-hide:all[^"]*" aria-hidden="true">Team West: 82%/);
    expect(html).toContain('max-width:640px');
    expect(parsed.comments[0]).toContain('width="640"');
  });
});

describe('layout blocks', () => {
  it('headline: RAG colour bar plus the RAG word, in either language', () => {
    const h = String(headline('82% of quota', 'amber'));
    expect(h).toContain(`bgcolor="${RAG_COLOURS.amber}"`);
    expect(h).toContain('at risk');
    expect(String(headline('82% de la cuota', ragStatus('amber', 'es')))).toContain('en riesgo');
  });

  it('kpiTiles: one row of at most five tiles, deltas with arrows and colour', () => {
    const tiles = kpiTiles([
      { label: 'Revenue', value: '$1.23M', delta: { text: '+$210k', direction: 'up' } },
      { label: 'Slipped', value: '$120k', delta: { text: '+$40k', direction: 'up', tone: 'bad' } },
    ]);
    const parsed = parseEmailHtml(doc(tiles));
    expect(parsed.problems).toEqual([]);
    // The block's own row and cell, then one row holding both tiles.
    expect(String(tiles).match(/<tr[ >]/g)).toHaveLength(2);
    expect(String(tiles).match(/<td /g)).toHaveLength(1 + 2);
    expect(String(tiles)).toContain('<td width="50%" valign="top"');
    expect(parsed.text).toContain('▲\u00a0+$210k');
    expect(String(tiles)).toContain(`color:${RAG_COLOURS.red}`); // a rise in slipped deals is bad
    expect(String(deltaBadge({ text: '−2 pts', direction: 'down' }))).toContain('▼\u00a0−2 pts');
    expect(() => kpiTiles(Array.from({ length: 6 }, () => ({ label: 'x', value: '1' })))).toThrow(/1 to 5 tiles/);
  });

  it('dataTable: RAG dots, numbers right-aligned and unbroken, names wrap, no fixed column widths', () => {
    const table = String(
      dataTable({
        columns: [{ header: 'Rep' }, { header: 'Revenue', align: 'right' }],
        rows: [
          { cells: ['Ana Peña', '$312k'], rag: 'green' },
          { cells: ['Team West', '$1.23M'], emphasis: 'subtotal' },
        ],
      }),
    );
    const parsed = parseEmailHtml(doc(table));
    expect(parsed.problems).toEqual([]);
    expect(table).toMatch(/<span role="img" aria-label="on track" title="on track" style="color:#1a7f37[^"]*">●<\/span>/);
    expect(table).toMatch(/<td align="right"[^>]*white-space:nowrap[^>]*>\$312k<\/td>/);
    expect(table).toMatch(/<td align="left"[^>]*overflow-wrap:anywhere[^>]*>.*Ana Peña<\/td>/);
    expect(table).toMatch(/<tr bgcolor="#f6f8fa"><td[^>]*font-weight:bold/);
    expect(parsed.attributes.filter((a) => (a.tag === 'td' || a.tag === 'th') && a.name === 'width')).toEqual([]);
    expect(() => dataTable({ columns: [{ header: 'a' }], rows: [{ cells: ['1', '2'] }] })).toThrow(/row 1 has 2 cells for 1 columns/);
  });

  it('listSection: at most five rows, amounts right-aligned, a note when cut or empty', () => {
    const items: ListItem[] = Array.from({ length: 7 }, (_, i) => ({ primary: `Deal ${i + 1}`, amount: `$${i + 1},000.00` }));
    const list = parseEmailHtml(doc(listSection('Top wins', items, { more: 'and 2 more' })));
    expect(list.text).toContain('Deal 5');
    expect(list.text).not.toContain('Deal 6');
    expect(list.text).toContain('and 2 more');
    expect(list.attributes.filter((a) => a.tag === 'td' && a.name === 'align' && a.value === 'right')).toHaveLength(5);
    expect(String(listSection('Undated', []))).toBe('');
    expect(parseEmailHtml(doc(listSection('Undated', [], { empty: 'None' }))).text).toContain('None');
  });

  it('imageBlock: a cid image with width, height, alt and fluid style', () => {
    expect(String(imageBlock({ cid: 'chart@revperf', width: 600, height: 220, alt: 'Attainment by rep' }))).toContain(
      '<img src="cid:chart@revperf" width="600" height="220" alt="Attainment by rep" border="0" style="display:block;max-width:100%;height:auto;',
    );
    expect(() => imageBlock({ cid: 'x', width: 600.5, height: 1, alt: '' })).toThrow(/positive integer/);
  });

  it('footerBlock: lines and https links only', () => {
    const footer = String(footerBlock(['Data: a.csv', { text: 'Download the workbook', href: 'https://bucket.example/x?sig=1&a=2' }]));
    expect(footer).toContain('href="https://bucket.example/x?sig=1&amp;a=2"');
    expect(() => footerBlock([{ text: 'x', href: 'http://plain.example' }])).toThrow(/https: or mailto:/);
  });
});
