import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { configJsonSchema } from '../config.js';
import { jsonSchemas, schemaText } from '../data/json-schema.js';
import { ExitCode } from '../errors.js';
import { refuseLinks, writeAtomic } from '../output.js';
import { examplesText } from './help.js';
import type { Io } from './io.js';
import { settingsFor } from './settings.js';

export interface SchemaFlags {
  out: string;
  config?: string;
}

/** `csi schema [--out DIR]`: JSON Schemas for editors, from the same schemas csi checks with. */
export function schemaCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('schema')
    .description('write a JSON Schema (draft-07) for each kind of data file, for editors to check and complete as you type, with your council\'s statuses')
    .option('-o, --out <dir>', 'folder to write the schemas to', 'schemas')
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .addHelpText('after', `
Writes report, glossary, chronology, recommendations, aspirations, framework and scorecard
.schema.json, appendix.schema.json for any appendix, and csi.config.schema.json.
csi init writes the same files into the plan's schemas/ and points each data file at
its schema with a first line such as
  # yaml-language-server: $schema=../schemas/report.schema.json
so after upgrading csi, run csi schema in the plan's folder to bring them up to date.

The statuses (and any ratings) are those csi.config.yaml names, read as build-report
reads it (or CSI_CONFIG): run csi schema again after changing them.

${examplesText([
  ['csi schema', 'schemas/*.schema.json'],
  ['csi schema --out .vscode/schemas'],
])}`)
    .action((flags: SchemaFlags, command: Command) =>
      run(async () => {
        // The editors' schemas follow the council's status words (statuses and ratings in the settings).
        const settings = await settingsFor(io, command, { config: flags.config }, [], { branding: false });
        const files: [string, string][] = [...jsonSchemas(settings.statuses)].map(([name, schema]) => [name, schemaText(schema)]);
        files.push(['csi.config.schema.json', configJsonSchema()]);
        // No folder on the way is a link (nor a file): checked for every schema before the first is written.
        const paths = files.map(([name]) => resolve(io.cwd, flags.out, name));
        for (const path of paths) await refuseLinks(io.cwd, path);
        for (const [i, [, text]] of files.entries()) {
          // Resolved against the folder csi runs in (io.cwd), as the check above was.
          const path = paths[i]!;
          await writeAtomic(path, text);
          io.stdout.write(`wrote ${relative(io.cwd, path) || path}\n`);
        }
        return ExitCode.ok;
      }),
    );
}
