// A strict reading of an e-mail body for tests: the builder emits well-formed
// markup, so an XML parser (saxes) reads it back exactly and anything that
// slipped through unescaped shows up as an element or attribute, not as text.

import { SaxesParser } from 'saxes';

export interface ParsedEmailHtml {
  /** Every tag name, in document order. */
  readonly tags: string[];
  readonly attributes: { readonly tag: string; readonly name: string; readonly value: string }[];
  /** Text content (decoded), with a space between text nodes. */
  readonly text: string;
  readonly comments: string[];
  /** Rule breaches: empty for a body fit to send. */
  readonly problems: string[];
}

const ALLOWED_TAGS = new Set(['html', 'head', 'body', 'meta', 'title', 'table', 'tbody', 'thead', 'tr', 'td', 'th', 'div', 'span', 'p', 'a', 'img', 'br', 'strong', 'b', 'small']);
const MSO_COMMENTS = new Set([
  '[if mso]><table role="presentation" width="640" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]',
  '[if mso]></td></tr></table><![endif]',
]);

export function parseEmailHtml(html: string): ParsedEmailHtml {
  const tags: string[] = [];
  const attributes: { tag: string; name: string; value: string }[] = [];
  const texts: string[] = [];
  const comments: string[] = [];
  const problems: string[] = [];
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (node) => {
    tags.push(node.name);
    for (const [name, value] of Object.entries(node.attributes)) attributes.push({ tag: node.name, name, value: String(value) });
  });
  parser.on('text', (t) => texts.push(t));
  parser.on('comment', (c) => comments.push(c));
  parser.on('error', (e) => problems.push(`not well-formed: ${e.message}`));
  parser.write(html.replace(/^<!DOCTYPE html>\n/, '')).close();

  if (!/^<!DOCTYPE html>\n<html /.test(html)) problems.push('does not start with <!DOCTYPE html> and <html>');
  if (/<script/i.test(html)) problems.push('contains "<script"');
  if (/<style|<link/i.test(html)) problems.push('contains <style> or <link>: styles must be inline');
  for (const tag of tags) if (!ALLOWED_TAGS.has(tag)) problems.push(`element <${tag}> is not allowed`);
  for (const comment of comments) if (!MSO_COMMENTS.has(comment)) problems.push(`unexpected comment: ${comment.slice(0, 80)}`);
  for (const { tag, name, value } of attributes) {
    if (/^on/i.test(name)) problems.push(`event handler attribute ${name} on <${tag}>`);
    if (name === 'class' || name === 'id') problems.push(`${name} attribute on <${tag}>: styles must be inline`);
    if (name === 'background' || name === 'srcset') problems.push(`resource attribute ${name} on <${tag}>`);
    if (name === 'src' && !/^cid:[A-Za-z0-9._@-]+$/.test(value)) problems.push(`<${tag} src="${value}"> is not a cid: image`);
    if (name === 'href' && !/^(https:\/\/|mailto:)/.test(value)) problems.push(`<${tag} href="${value}"> is not https: or mailto:`);
    if (name === 'style') {
      if (/url\s*\(|@import|expression\s*\(/i.test(value)) problems.push(`style on <${tag}> loads or evaluates something: ${value}`);
      for (const declaration of value.split(';')) {
        if (!/^-?[a-z][a-z-]*:[^:]+$/.test(declaration) && !/^font-family:[A-Za-z ,-]+$/.test(declaration)) {
          problems.push(`malformed style declaration on <${tag}>: ${declaration}`);
        }
      }
    }
  }
  return { tags, attributes, text: texts.join(' '), comments, problems };
}
