import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { APPENDIX_REFERENCE } from '../data/checks.js';

/** Resolves `[[appendix:KEY]]` to the appendix's number and anchor. */
export type AppendixLookup = (key: string) => { number: number; anchor: string; page?: number | undefined } | undefined;

const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Data is untrusted: only this allowlist of tags, attributes and URL schemes
 * reaches the HTML. No scripts, no event handlers, no styles, no images.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'a', 'code', 'blockquote', 'abbr', 'sub', 'sup'],
  allowedAttributes: { a: ['href'], abbr: ['title'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

/** Sanitises HTML that came from data. */
export function sanitize(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

function resolveReferences(text: string, lookup: AppendixLookup): string {
  return text.replace(APPENDIX_REFERENCE, (whole, key: string) => {
    const target = lookup(key);
    // Validation rejects dangling references; keep the text visible if one slips through.
    if (!target) return whole;
    // In print, a reference also says where to turn to.
    return `[Appendix ${target.number}](#${target.anchor})${target.page ? `, page ${target.page}` : ''}`;
  });
}

/** Markdown that may hold paragraphs and lists → sanitised HTML. */
export function markdownBlock(text: string, lookup: AppendixLookup): string {
  return sanitize(marked.parse(resolveReferences(text, lookup)) as string).trim();
}

/** Markdown within one line (a table cell, a list item) → sanitised HTML. */
export function markdownInline(text: string, lookup: AppendixLookup): string {
  return sanitize(marked.parseInline(resolveReferences(text, lookup)) as string).trim();
}
