import { Marked } from 'marked';
import type { Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { replaceReferences } from './references.js';
import type { ReferenceLookup } from './references.js';
import { tablesIn } from './tables-in-text.js';
import { escapeXml } from './escape.js';
import { pageNumberHtml } from './page-number.js';

/**
 * Resolves `[[appendix:KEY]]` to the appendix's number and anchor; where given, `paragraph`
 * resolves `[[paragraph:SECTION/N]]` to a numbered paragraph, and `count` resolves
 * `[[count:WHAT]]` or `[[count:WHAT/STATUS]]` to a number from the data.
 */
export type AppendixLookup = ReferenceLookup<{ number: number; anchor: string; page?: number | undefined }, { number: string; anchor: string | undefined }>;

/** A table token with the caption written above it ("Table: …"). */
type CaptionedTable = Tokens.Table & { caption?: string };

const ALIGN_CLASS = (align: Tokens.TableCell['align']) => (align === 'right' || align === 'center' ? ` class="align-${align}"` : '');

/**
 * GitHub-flavoured Markdown tables become accessible tables: the "Table: …" line
 * above one is its caption, header cells are column headers and each row's first
 * cell is the row's header. (Validation makes sure every table has a caption and
 * that no table sits where it cannot be printed: see text/tables-in-text.ts.)
 */
const marked: Marked = new Marked(
  { gfm: true, breaks: false, async: false },
  {
    hooks: {
      processAllTokens(tokens) {
        for (const { table, caption, captionParagraph } of tablesIn(tokens)) {
          if (caption === undefined || !captionParagraph) continue;
          (table as CaptionedTable).caption = caption;
          // The caption line is the table's, not a paragraph of its own.
          Object.assign(captionParagraph, { type: 'space', tokens: [] });
        }
        return tokens;
      },
    },
    renderer: {
      table(token): string {
        const { caption } = token as CaptionedTable;
        const cell = (c: Tokens.TableCell, tag: string, scope?: string) =>
          `<${tag}${scope ? ` scope="${scope}"` : ''}${ALIGN_CLASS(c.align)}>${this.parser.parseInline(c.tokens)}</${tag}>`;
        const head = `<tr>${token.header.map((c) => cell(c, 'th', 'col')).join('')}</tr>`;
        const rows = token.rows.map((row) => `<tr>${row.map((c, i) => (i === 0 ? cell(c, 'th', 'row') : cell(c, 'td'))).join('')}</tr>`);
        return [
          '<table class="text-table">',
          caption === undefined ? '' : `<caption>${marked.parseInline(caption) as string}</caption>`,
          `<thead>${head}</thead>`,
          `<tbody>${rows.join('\n')}</tbody>`,
          '</table>\n',
        ]
          .filter(Boolean)
          .join('\n');
      },
    },
  },
);

/**
 * A link may go to the web, an e-mail address, a phone number or a place in the
 * report. Anything else (`javascript:`, `file:`, `data:`, a path on the disk) loses
 * its href and stays as plain text.
 */
const SAFE_HREF = /^(?:https?:\/\/|mailto:|tel:|#[A-Za-z0-9_.:-]+$)/i;

/**
 * The only images kept are ones embedded in the data as raster `data:` URLs. An
 * image from the web or the disk is dropped: the report must not depend on, or
 * reveal, anything outside the data (SVG is left out too: it can carry links).
 */
const SAFE_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/i;

/**
 * The largest an image from data may ask to be drawn, in CSS pixels: about the width
 * and height of an A4 page's text. A `width` or `height` outside 1 to these is dropped,
 * so an image keeps its own size (the stylesheet fits it to the column) rather than
 * taking up, or running off, pages.
 */
export const MAX_IMAGE_WIDTH = 640;
export const MAX_IMAGE_HEIGHT = 900;

function imageSize(value: string | undefined, max: number): string | undefined {
  if (value === undefined || !/^\d{1,4}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n >= 1 && n <= max ? String(n) : undefined;
}

/**
 * Data is untrusted: only this allowlist of tags, attributes and URL schemes
 * reaches the HTML. No scripts, frames, objects, forms, styles or event handlers;
 * links only to the web, e-mail, phone or an anchor; images only as embedded data;
 * tables with no attributes but a header cell's scope and an alignment class.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'a', 'code', 'blockquote', 'abbr', 'sub', 'sup', 'img',
    'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td'],
  // No `start` on a list: numbers in the report are csi's, and a list must not fake them.
  allowedAttributes: { a: ['href'], abbr: ['title'], img: ['src', 'alt', 'width', 'height'], th: ['scope'] },
  allowedClasses: { table: ['text-table'], th: ['align-right', 'align-center'], td: ['align-right', 'align-center'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: 'discard',
  // Text inside these is code or markup, never report text: drop it with the tag.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'xmp', 'iframe', 'noembed', 'noframes', 'template', 'title', 'svg', 'math', 'object'],
  transformTags: {
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs;
      return { tagName, attribs: href !== undefined && SAFE_HREF.test(href.trim()) ? { ...rest, href: href.trim() } : rest };
    },
    img: (tagName, attribs) => {
      const { width, height, ...rest } = attribs;
      const w = imageSize(width, MAX_IMAGE_WIDTH);
      const h = imageSize(height, MAX_IMAGE_HEIGHT);
      return { tagName, attribs: { ...rest, alt: attribs.alt ?? '', ...(w ? { width: w } : {}), ...(h ? { height: h } : {}) } };
    },
    th: (tagName, attribs) => {
      const { scope, ...rest } = attribs;
      return { tagName, attribs: scope === 'col' || scope === 'row' ? { ...rest, scope } : rest };
    },
  },
  // A link that lost its href keeps its text; an image from anywhere but the data goes.
  exclusiveFilter: (frame) => {
    if (frame.tag === 'a' && frame.attribs.href === undefined) return 'excludeTag';
    if (frame.tag === 'img') return !SAFE_IMAGE.test((frame.attribs.src ?? '').trim());
    return false;
  },
};

/** Sanitises HTML that came from data. */
export function sanitize(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

/**
 * `[[appendix:KEY]]` → a link to the appendix ("Appendix 2"), and in print the page it
 * starts on ("Appendix 2, page 9"). Done on the sanitised HTML, so that the page number
 * can be marked for the printer (text/page-number.ts) in markup the data could not
 * have written; the reference syntax passes through Markdown and sanitising unchanged.
 * `[[paragraph:SECTION/N]]` → the Nth paragraph's number, linked ("2.3"); `[[count:WHAT]]`
 * → a number worked out from the data (what this build shows), so no typed count goes stale.
 */
function resolveReferences(html: string, lookup: AppendixLookup): string {
  return replaceReferences(html, lookup, {
    paragraph: (p) => (p.anchor ? `<a href="#${escapeXml(p.anchor)}">${escapeXml(p.number)}</a>` : escapeXml(p.number)),
    // Validation rejects dangling references; one that slips through stays visible as written.
    appendix: (target) => {
      const link = `<a href="#${escapeXml(target.anchor)}">Appendix ${target.number}</a>`;
      return target.page === undefined ? link : `${link}, page ${pageNumberHtml(target.anchor, target.page)}`;
    },
  });
}

/** Markdown that may hold paragraphs and lists → sanitised HTML. */
export function markdownBlock(text: string, lookup: AppendixLookup): string {
  return resolveReferences(sanitize(marked.parse(text) as string).trim(), lookup);
}

/** A line that starts a Markdown list item: "- ", "* ", "+ ", "1. " or "1) ". */
const LIST_LINE = /(?:^|\n)[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S/;

/**
 * Markdown within one line (a table cell, a list item) → sanitised HTML. A text that holds
 * a list on lines of its own (a progress note written after |) prints as a list, not as one
 * run-on line; its other lines as paragraphs.
 */
export function markdownInline(text: string, lookup: AppendixLookup): string {
  if (text.includes('\n') && LIST_LINE.test(text.slice(text.indexOf('\n')))) return markdownBlock(text, lookup);
  return resolveReferences(sanitize(marked.parseInline(text) as string).trim(), lookup);
}

/** No reference resolves: enough to tell whether a text prints anything. */
const noAppendices: AppendixLookup = () => undefined;

/**
 * True when a Markdown text prints nothing once made safe: no words and no image
 * (only a script, a style, a rule, an image from outside the data …). A text with a
 * letter and no markup that could hide it (a tag, a link, an entity, a code fence's
 * info), or one that starts with a letter, is passed without parsing; digits alone
 * are not words ("1." is an empty list).
 */
export function printsNothing(text: string): boolean {
  if (!/[<![&`~]/.test(text) && /\p{L}/u.test(text)) return false;
  // A text that starts with a letter starts a paragraph (or a heading, a table, code) with it: that letter prints.
  if (/^\s*\p{L}/u.test(text)) return false;
  const html = markdownBlock(text, noAppendices);
  if (/<img\b/i.test(html)) return false;
  return html.replace(/<[^>]*>/g, '').replace(/&nbsp;|&#160;|&#xa0;/gi, ' ').trim() === '';
}
