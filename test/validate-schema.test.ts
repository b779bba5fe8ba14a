import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { jsonSchemas, schemaFileFor, schemaText } from '../src/data/json-schema.js';
import { SEED_DATA, seedText, tempDir } from './helpers/data.js';

/**
 * The JSON Schemas editors use: committed in schemas/, generated from the same
 * zod schemas csi checks with, loaded here by a real draft-07 validator (ajv).
 */

const SCHEMAS = new URL('../schemas/', import.meta.url).pathname;
const DATA_FILES = (await readdir(SEED_DATA)).filter((f) => f.endsWith('.yaml')).sort();
const MODELINE = /^# yaml-language-server: \$schema=\.\.\/schemas\/([a-z-]+\.schema\.json)\n/;

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ?? addFormatsPlugin) as unknown as (
  ajv: Ajv,
) => Ajv;

/** The data-file schemas `csi schema` writes (schemas/ may hold others, e.g. for a config file). */
const NAMES = [...jsonSchemas().keys()].sort();

/** A strict draft-07 validator with the committed data-file schemas loaded, by file name. */
async function validators(): Promise<Map<string, ValidateFunction>> {
  const ajv = addFormats(new Ajv({ strict: true, allErrors: true }));
  const out = new Map<string, ValidateFunction>();
  for (const name of NAMES) {
    out.set(name, ajv.compile(JSON.parse(await readFile(join(SCHEMAS, name), 'utf8'))));
  }
  return out;
}

/** The schema a data file names on its first line. */
async function schemaNamedBy(file: string): Promise<string> {
  const match = MODELINE.exec(await seedText(file));
  if (!match) throw new Error(`${file} does not start with a yaml-language-server line`);
  return match[1]!;
}

describe('the committed JSON Schemas', () => {
  it('are up to date with the zod schemas (run `npx --no-install csi schema` after changing src/data/schema.ts)', async () => {
    const generated = jsonSchemas();
    expect(NAMES).toEqual(['appendix.schema.json', 'aspirations.schema.json', 'chronology.schema.json', 'framework.schema.json', 'glossary.schema.json', 'recommendations.schema.json', 'report.schema.json', 'scorecard.schema.json']);
    for (const [name, schema] of generated) {
      expect(await readFile(join(SCHEMAS, name), 'utf8'), name).toBe(schemaText(schema));
    }
  });

  it('are draft-07 and compile in a strict JSON Schema validator', async () => {
    const loaded = await validators();
    expect(loaded.size).toBe(8);
    for (const name of loaded.keys()) {
      expect(JSON.parse(await readFile(join(SCHEMAS, name), 'utf8')).$schema).toBe('http://json-schema.org/draft-07/schema#');
    }
  });

  it('are named on the first line of every data file, each the schema for that file', async () => {
    for (const file of DATA_FILES) {
      const named = await schemaNamedBy(file);
      expect(named, file).toBe(schemaFileFor(file, (parse(await seedText(file)) as { kind?: unknown }).kind));
    }
  });

  it('accept every seed data file', async () => {
    const loaded = await validators();
    for (const file of DATA_FILES) {
      const validate = loaded.get(await schemaNamedBy(file))!;
      const ok = validate(parse(await seedText(file)));
      expect(validate.errors ?? [], file).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it.each([
    ['recommendations-2012.yaml', (t: string) => t.replace('status: complete', 'status: done'), '/groups/0/items/0/status', 'enum'],
    ['recommendations-2014.yaml', (t: string) => t.replace('        status: complete', '        statsu: complete'), '/groups/0/items/0', 'additionalProperties'],
    ['chronology.yaml', (t: string) => t.replace('date: 2012-06', 'date: June 2012'), '/entries/0/date', 'pattern'],
    ['aspirations-2017.yaml', (t: string) => t.replace(/^title: .*$/m, 'title: ""'), '/title', 'pattern'],
    ['report.yaml', (t: string) => t.replace(/^council: .*$/m, 'council: 42'), '/council', 'type'],
    ['report.yaml', (t: string) => t.replace(/^( +links:\n)(?: +- .*\n(?: {8}.*\n)*)+/m, '$1'), '/sections/', 'oneOf'],
    ['framework.yaml', (t: string) => t.replace('type: committee', 'type: council'), '/bodies/0/type', 'enum'],
    ['glossary.yaml', (t: string) => t.replace('terms:', 'term:'), '', 'required'],
  ])('reject a broken %s (%#)', async (file, edit, path, keyword) => {
    const text = edit(await seedText(file));
    expect(text).not.toBe(await seedText(file));
    const validate = (await validators()).get(await schemaNamedBy(file))!;
    expect(validate(parse(text))).toBe(false);
    expect(validate.errors).toEqual(expect.arrayContaining([expect.objectContaining({ instancePath: expect.stringContaining(path), keyword })]));
  });

  it('have an appendix schema that takes any kind of appendix, as `csi init` files name', async () => {
    const validate = (await validators()).get('appendix.schema.json')!;
    for (const file of DATA_FILES.filter((f) => f !== 'report.yaml' && f !== 'glossary.yaml')) {
      expect(validate(parse(await seedText(file))), file).toBe(true);
    }
    expect(validate({ kind: 'minutes', key: 'x', title: 'X' })).toBe(false);
  });

  it('let a narrative section leave out its kind, as csi does', async () => {
    const validate = (await validators()).get('report.schema.json')!;
    const report = parse(await seedText('report.yaml')) as { sections: Record<string, unknown>[] };
    expect(report.sections[0]).not.toHaveProperty('kind');
    expect(validate(report)).toBe(true);
  });
});

describe('csi schema', () => {
  it('writes the same schemas as are committed, the config file\'s too, saying where', async () => {
    const out = await tempDir('csi-schemas-');
    let stdout = '';
    const code = await main(['schema', '--out', out], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env: {},
      cwd: process.cwd(),
    });
    expect(code).toBe(0);
    const written = (await readdir(out)).sort();
    expect(written).toEqual([...NAMES, 'csi.config.schema.json'].sort());
    for (const name of written) {
      expect(await readFile(join(out, name), 'utf8')).toBe(await readFile(join(SCHEMAS, name), 'utf8'));
      expect(stdout).toContain(`${name}\n`);
    }
  });
});
