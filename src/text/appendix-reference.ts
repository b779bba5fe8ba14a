/** `[[appendix:KEY]]` in any text refers to an appendix by key. */
export const APPENDIX_REFERENCE = /\[\[appendix:([^\]\s]*)\]\]/g;
