import { join, relative } from 'node:path';
import { Command } from 'commander';
import { resolveSettings } from '../config.js';
import { jsonSchemas, schemaText } from '../data/json-schema.js';
import { ExitCode } from '../errors.js';
import { writeAtomic } from '../output.js';
import type { Io } from './io.js';

export interface SchemaFlags {
  out: string;
}

/** `csi schema [--out DIR]`: JSON Schemas for editors, from the same schemas csi checks with. */
export function schemaCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('schema')
    .description('write a JSON Schema (draft-07) for each kind of data file, for editors to check and complete as you type, with your council\'s statuses')
    .option('-o, --out <dir>', 'folder to write the schemas to', 'schemas')
    .addHelpText('after', `
Writes report, glossary, chronology, recommendations, aspirations and framework
.schema.json, and appendix.schema.json for any appendix. Point a data file at its
schema with a first line such as
  # yaml-language-server: $schema=../schemas/report.schema.json

The statuses (and any ratings) are those csi.config.yaml names, read as build-report
reads it (or CSI_CONFIG): run csi schema again after changing them.

Examples:
  $ csi schema                 # schemas/*.schema.json
  $ csi schema --out .vscode/schemas`)
    .action((flags: SchemaFlags) =>
      run(async () => {
        const { statuses } = await resolveSettings({}, io.env, io.cwd);
        for (const [name, schema] of jsonSchemas(statuses)) {
          const path = join(flags.out, name);
          await writeAtomic(path, schemaText(schema));
          io.stdout.write(`wrote ${relative(io.cwd, path) || path}\n`);
        }
        return ExitCode.ok;
      }),
    );
}
