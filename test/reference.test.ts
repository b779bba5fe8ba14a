import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configReference, dataReference } from '../scripts/reference.mjs';
import { configJsonSchema } from '../src/config.js';
import { jsonSchemas } from '../src/data/json-schema.js';

const committed = (path: string) => readFile(new URL(`../${path}`, import.meta.url), 'utf8');

// The reference is written from the schemas csi checks with; these fail when a
// field was added, removed or described anew without `npm run docs:reference`.
describe('the generated reference in docs/reference/', () => {
  it('data.md is what the data schemas say today (else: npm run docs:reference)', async () => {
    expect(await committed('docs/reference/data.md')).toBe(dataReference(jsonSchemas()));
  });

  it('config.md is what the config schema says today (else: npm run docs:reference)', async () => {
    expect(await committed('docs/reference/config.md')).toBe(configReference(JSON.parse(configJsonSchema()) as Record<string, unknown>));
  });

  it('names every key of every data file, and describes each one', () => {
    const page = dataReference(jsonSchemas());
    for (const key of ['meeting_date', 'front_sheet', 'numbering', 'entries', 'groups', 'owner', 'due', 'bodies', 'reports_to', 'terms', 'item_name']) {
      expect(page, key).toContain(`| \`${key}\` |`);
    }
    expect(page).not.toMatch(/\| {2}\|\n/);
  });
});
