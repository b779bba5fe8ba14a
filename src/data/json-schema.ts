import { z } from 'zod';
import { APPENDIX_KINDS, AppendixFile, GlossaryFile, ReportFile } from './schema.js';
import { GLOSSARY_FILE, REPORT_FILE } from './dataset.js';

/** What each data file may hold, described for editors. */
interface SchemaFile {
  /** `report` → `report.schema.json`. */
  name: string;
  title: string;
  description: string;
  schema: z.ZodType;
}

function appendixSchema(kind: (typeof APPENDIX_KINDS)[number]): z.ZodType {
  const option = AppendixFile.options.find((o) => o.shape.kind.value === kind);
  if (!option) throw new Error(`no appendix schema for kind "${kind}"`);
  return option;
}

const APPENDIX_DESCRIPTIONS: Record<(typeof APPENDIX_KINDS)[number], string> = {
  chronology: 'An appendix listing the events since the inspection, in date order.',
  recommendations: 'An appendix of recommendations and actions, in groups, each with a status.',
  aspirations: "An appendix of the plan's aspirations for the year.",
  framework: 'An appendix describing the governance bodies: who chairs each, how often it meets, to whom it reports.',
};

const SCHEMA_FILES: SchemaFile[] = [
  {
    name: 'report',
    title: 'csi report.yaml',
    description: 'The committee report: meeting, author, the order of the appendices and the numbered sections.',
    schema: ReportFile,
  },
  {
    name: 'glossary',
    title: 'csi glossary.yaml',
    description: 'Abbreviations listed in the Glossary section.',
    schema: GlossaryFile,
  },
  ...APPENDIX_KINDS.map((kind) => ({
    name: kind,
    title: `csi ${kind} appendix`,
    description: APPENDIX_DESCRIPTIONS[kind],
    schema: appendixSchema(kind),
  })),
];

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/**
 * A draft-07 JSON Schema for each kind of data file, keyed by file name
 * (`report.schema.json`). The input side of the zod schemas: a key with a
 * default, like a narrative section's `kind`, may be left out.
 */
export function jsonSchemas(): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const file of SCHEMA_FILES) {
    const generated = z.toJSONSchema(file.schema, { target: 'draft-7', io: 'input', unrepresentable: 'throw' });
    const { $schema: _drop, ...rest } = generated as Record<string, unknown>;
    out.set(`${file.name}.schema.json`, {
      $schema: JSON_SCHEMA_DRAFT,
      title: file.title,
      description: file.description,
      ...rest,
    });
  }
  return out;
}

/** The text written for one schema: stable, so the committed copies can be compared. */
export function schemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Which schema a data file should name, from its file name or its `kind`. */
export function schemaFileFor(dataFile: string, kind: unknown): string | undefined {
  if (dataFile === REPORT_FILE) return 'report.schema.json';
  if (dataFile === GLOSSARY_FILE) return 'glossary.schema.json';
  return (APPENDIX_KINDS as readonly unknown[]).includes(kind) ? `${String(kind)}.schema.json` : undefined;
}
