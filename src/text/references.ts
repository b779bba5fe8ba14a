// The references text may hold, read by the checks (data/checks.ts), the withhold stage
// and the Markdown renderer alike: one pattern for each, here.

/** `[[appendix:KEY]]` in any text refers to an appendix by key. */
export const APPENDIX_REFERENCE = /\[\[appendix:([^\]\s]*)\]\]/g;
/** `[[count:WHAT]]` or `[[count:WHAT/STATUS]]`: a number from the data. */
export const COUNT_REFERENCE = /\[\[count:([^\]\s/]*)(?:\/[^\]\s]*)?\]\]/g;
/** The references the report resolves: `[[appendix:KEY]]`, `[[paragraph:SECTION/N]]`, `[[count:WHAT/STATUS]]`. */
export const LIVE_REFERENCE = /\[\[(appendix|paragraph|count):([^\]\s]*)\]\]/g;
