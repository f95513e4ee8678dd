// A tiny HTML builder for e-mail bodies. Markup exists only as SafeHtml values
// made here; every text and every attribute value goes through escapeHtml, so a
// deal called `<script>` can only ever arrive as text. Tags and attributes come
// from allowlists (no <script>, no <style>, no on* handlers, no resource URLs
// other than cid:), and the output is well-formed (void elements self-closed)
// so tests can parse it strictly.

const TOKEN: unique symbol = Symbol('safe-html');

/** A piece of markup built by this module. Strings are never markup. */
export class SafeHtml {
  readonly #html: string;

  /** Only this module holds the token; anything else gets an error. */
  constructor(token: typeof TOKEN, html: string) {
    if (token !== TOKEN) throw new Error('SafeHtml is built by html.ts only (el, text, fragment)');
    this.#html = html;
  }

  toString(): string {
    return this.#html;
  }
}

/** Text children are escaped; arrays are flattened; null, undefined and false render nothing. */
export type Child = SafeHtml | string | number | null | undefined | false | readonly Child[];

/** CSS properties in camelCase (`fontSize`, `msoHide`), values as written in CSS (`'12px'`). */
export type StyleObject = Readonly<Record<string, string | undefined>>;

export type AttrValue = string | number | boolean | null | undefined;

export interface Attrs {
  readonly style?: StyleObject;
  readonly [name: string]: AttrValue | StyleObject;
}

// Characters that are not allowed in HTML text: C0/C1 controls (but tab, LF,
// CR), and lone surrogates. They are dropped rather than escaped.
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The one escaping function: for text and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(FORBIDDEN_CHARS, '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const VOID_TAGS = new Set(['meta', 'img', 'br']);
const TAGS = new Set([
  'html', 'head', 'body', 'meta', 'title',
  'table', 'tbody', 'thead', 'tr', 'td', 'th',
  'div', 'span', 'p', 'a', 'img', 'br', 'strong', 'b', 'small',
]);
const ATTRIBUTES = new Set([
  'role', 'width', 'height', 'align', 'valign', 'bgcolor', 'border', 'cellpadding', 'cellspacing',
  'colspan', 'scope', 'alt', 'src', 'href', 'target', 'rel', 'lang', 'dir', 'charset', 'name',
  'content', 'http-equiv', 'title', 'aria-label', 'aria-hidden', 'data-block',
]);

function checkUrl(name: string, value: string): void {
  // Images only from the message itself (cid:); links only to https and mail — and plain http to
  // this machine's loopback, where the embedded S3 serves the local stack's download links.
  if (name === 'src' && !/^cid:[A-Za-z0-9._@-]+$/.test(value)) {
    throw new Error(`img src must be a cid: reference (letters, digits, . _ @ -), got ${JSON.stringify(value)}`);
  }
  if (name === 'href' && !/^(https:\/\/|mailto:|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/)/i.test(value)) {
    throw new Error(`links must be https: or mailto: (or http: to 127.0.0.1), got ${JSON.stringify(value)}`);
  }
}

const UNSAFE_CSS_VALUE = /[;{}<>"'\\]|url\s*\(|expression\s*\(|@import|javascript:/i;

/** `{ fontSize: '12px', msoHide: 'all' }` → `font-size:12px;mso-hide:all`. Values that could escape the declaration throw. */
export function styleString(style: StyleObject): string {
  const declarations: string[] = [];
  for (const [key, value] of Object.entries(style)) {
    if (value === undefined) continue;
    if (!/^[a-zA-Z]+$/.test(key)) throw new Error(`style property must be camelCase letters, got ${JSON.stringify(key)}`);
    if (UNSAFE_CSS_VALUE.test(value)) throw new Error(`style ${key}: unsafe value ${JSON.stringify(value)}`);
    // Vendor prefixes: webkitTextSizeAdjust → -webkit-text-size-adjust; msoHide stays mso-hide (Outlook's own).
    const property = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^(webkit|moz|ms)-/, '-$1-');
    declarations.push(`${property}:${value}`);
  }
  return declarations.join(';');
}

function renderAttrs(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (!ATTRIBUTES.has(name) && name !== 'style') throw new Error(`attribute not allowed in e-mail HTML: ${name}`);
    let rendered: string;
    if (name === 'style') {
      if (typeof value !== 'object') throw new Error('style takes a StyleObject, not a string');
      rendered = styleString(value);
      if (rendered === '') continue;
    } else {
      if (typeof value === 'object') throw new Error(`attribute ${name} takes a string or number`);
      rendered = value === true ? name : String(value);
      checkUrl(name, rendered);
    }
    out += ` ${name}="${escapeHtml(rendered)}"`;
  }
  return out;
}

function renderChild(child: Child): string {
  if (child === null || child === undefined || child === false) return '';
  if (child instanceof SafeHtml) return child.toString();
  if (typeof child === 'string') return escapeHtml(child);
  if (typeof child === 'number') return escapeHtml(String(child));
  return child.map(renderChild).join('');
}

/** One element. `el('td', { align: 'right', style: { fontSize: '12px' } }, 'Ana Peña')`. */
export function el(tag: string, attrs: Attrs = {}, ...children: Child[]): SafeHtml {
  if (!TAGS.has(tag)) throw new Error(`tag not allowed in e-mail HTML: ${tag}`);
  const open = `<${tag}${renderAttrs(attrs)}`;
  if (VOID_TAGS.has(tag)) {
    if (children.some((c) => renderChild(c) !== '')) throw new Error(`<${tag}> cannot have children`);
    return new SafeHtml(TOKEN, `${open} />`);
  }
  return new SafeHtml(TOKEN, `${open}>${renderChild(children)}</${tag}>`);
}

/** Escaped text as markup (for places that want SafeHtml). */
export function text(value: string): SafeHtml {
  return new SafeHtml(TOKEN, escapeHtml(value));
}

/** Several children as one value, without a wrapper element. */
export function fragment(...children: Child[]): SafeHtml {
  return new SafeHtml(TOKEN, renderChild(children));
}

/**
 * Outlook for Windows ignores max-width, so the fluid container is wrapped in a
 * fixed-width table only Outlook sees (conditional comments, fixed markup).
 */
export function outlookGhostTable(width: number, content: SafeHtml): SafeHtml {
  if (!Number.isInteger(width) || width <= 0) throw new Error(`ghost table width must be a positive integer, got ${width}`);
  const open = `<!--[if mso]><table role="presentation" width="${width}" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`;
  const close = '<!--[if mso]></td></tr></table><![endif]-->';
  return new SafeHtml(TOKEN, `${open}${content.toString()}${close}`);
}

/** The final document text: doctype plus the root element. */
export function renderDocument(root: SafeHtml): string {
  return `<!DOCTYPE html>\n${root.toString()}\n`;
}
