import { escapeXml } from '../text/escape.js';

export interface Term {
  term: string;
  definition: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Marks the first use of each glossary term with `<abbr title>`, across pieces of
 * sanitised HTML taken in reading order. Never inside a tag, a link or an
 * existing `<abbr>`. Returns the pieces rewritten; pure.
 */
export function markFirstUse(pieces: readonly string[], terms: readonly Term[]): string[] {
  const pending = new Map(terms.map((t) => [t.term, t.definition]));
  const pattern = (term: string) => new RegExp(`(?<![\\w-])${escapeRegExp(term)}(?![\\w-])`);
  return pieces.map((html) => {
    if (pending.size === 0) return html;
    let inside = 0; // depth of <a> and <abbr>
    return html
      .split(/(<[^>]*>)/)
      .map((part) => {
        if (part.startsWith('<')) {
          if (/^<(a|abbr)[\s>]/i.test(part)) inside++;
          else if (/^<\/(a|abbr)>/i.test(part)) inside = Math.max(0, inside - 1);
          return part;
        }
        if (inside > 0 || !part) return part;
        const found: { at: number; text: string; term: string }[] = [];
        for (const term of pending.keys()) {
          const match = pattern(escapeXml(term)).exec(part);
          if (match) found.push({ at: match.index, text: match[0], term });
        }
        found.sort((a, b) => a.at - b.at);
        let out = '';
        let from = 0;
        for (const f of found) {
          if (f.at < from) continue; // overlaps a term marked just before
          out += `${part.slice(from, f.at)}<abbr title="${escapeXml(pending.get(f.term)!)}">${f.text}</abbr>`;
          from = f.at + f.text.length;
          pending.delete(f.term);
        }
        return out + part.slice(from);
      })
      .join('');
  });
}

/**
 * Rewrites, in place and in reading order, every HTML string held under a key
 * ending in `html` or `Html` in the view, marking first uses of glossary terms.
 */
export function markFirstUseInView(view: unknown, terms: readonly Term[]): void {
  const slots: { owner: Record<string, unknown>; key: string }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && /(^h|H)tml$/.test(key)) slots.push({ owner: node as Record<string, unknown>, key });
        else walk(value);
      }
    }
  };
  walk(view);
  const marked = markFirstUse(slots.map((s) => s.owner[s.key] as string), terms);
  slots.forEach((s, i) => (s.owner[s.key] = marked[i]));
}
