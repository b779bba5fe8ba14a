import type { Status } from '../data/schema.js';

/** How each status reads in the report, the diff and the charts. */
export const STATUS_LABELS: Record<Status, string> = {
  complete: 'Complete',
  'on-track': 'On track',
  'at-risk': 'At risk',
  'not-started': 'Not started',
};
