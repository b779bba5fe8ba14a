import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/pipeline.js';
import { BUILT_IN_TEMPLATES, loadTemplates, PRECOMPILED_TEMPLATES, renderHtml, renderPrintMargins } from '../src/view/html.js';
import { SEED_DATA } from './helpers/data.js';

const EXAMPLE_THEME = new URL('../themes/example/', import.meta.url).pathname;

describe('templates precompiled at build time', () => {
  it('the build precompiles every built-in template (npm test builds first)', () => {
    expect(existsSync(PRECOMPILED_TEMPLATES)).toBe(true);
    const names = [
      ...readdirSync(BUILT_IN_TEMPLATES).filter((n) => n.endsWith('.hbs')),
      ...readdirSync(join(BUILT_IN_TEMPLATES, 'partials')).filter((n) => n.endsWith('.hbs')).map((n) => `partials/${n}`),
    ].sort();
    expect(Object.keys(createRequire(import.meta.url)(PRECOMPILED_TEMPLATES)).sort()).toEqual(names);
  });

  for (const [label, options] of [
    ['the seed report', {}],
    ['the exempt build', { audience: 'exempt' as const }],
    ['the example theme', { theme: EXAMPLE_THEME }],
  ] as const) {
    it(`render ${label} exactly as templates compiled at run time do`, async () => {
      const { view } = await renderReport({ dataDir: SEED_DATA, ...options });
      const theme = 'theme' in options ? options.theme : [];
      const [ready, fresh] = await Promise.all([loadTemplates(theme), loadTemplates(theme, { precompiled: false })]);
      expect(renderHtml(ready, view)).toBe(renderHtml(fresh, view));
      expect(renderPrintMargins(ready, view)).toEqual(renderPrintMargins(fresh, view));
    });
  }
});
