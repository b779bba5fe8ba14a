import type { Exemption, ExemptableText } from '../data/schema.js';

export type { Exemption };

/** Who a build is for: the public (exempt pieces left out) or members and officers (everything, marked). */
export const AUDIENCES = ['public', 'exempt'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** The words a public build puts where an exempt piece was: "Exempt information, paragraph 2 of Schedule 12A". */
export function exemptNotice(e: Exemption): string {
  return `Exempt information, paragraph ${e.paragraph} of Schedule 12A`;
}

/** The text of a field that may be marked exempt. */
export function fieldText(field: ExemptableText): string;
export function fieldText(field: ExemptableText | undefined): string | undefined;
export function fieldText(field: ExemptableText | undefined): string | undefined {
  return typeof field === 'object' ? field.text : field;
}

/** The exemption on a field, if it has one. */
export function fieldExemption(field: ExemptableText | undefined): Exemption | undefined {
  return typeof field === 'object' ? field.exempt : undefined;
}
