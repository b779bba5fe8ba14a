import type { Command } from 'commander';

/**
 * csi as it runs in a plan folder, where npm installed it as a development
 * dependency: `csi` alone is not on the PATH there, and plain `npx csi` would
 * offer to fetch an unrelated package of that name from the registry.
 */
export const CSI_COMMAND = 'npx --no-install csi';

/** Where a command's note starts, so the notes of one block line up. */
const NOTE_COLUMN = 40;

/** One example for --help: a command line written with `csi`, and what it does. */
export type Example = readonly [command: string, note?: string];

/** `csi` as a command word (not `csi.config.yaml`), at the start or after a space, `&&` or `=…`. */
const CSI_WORD = /(^|\s)csi(?=\s|$)/g;

/** A command line as a user types it in a plan folder. */
export function asRun(command: string): string {
  return command.replace(CSI_WORD, `$1${CSI_COMMAND}`);
}

/**
 * An "Examples:" block for a command's --help: each command as it runs in a plan
 * folder, on one line (so `csi --help` can quote it whole), its note aligned after it.
 */
export function examplesText(examples: readonly Example[]): string {
  const lines = examples.map(([command, note]) => {
    const shown = `$ ${asRun(command)}`;
    return note ? `  ${shown.padEnd(NOTE_COLUMN - 2)}  # ${note}` : `  ${shown}`;
  });
  return `Examples:\n${lines.join('\n')}`;
}

/** The first example in a command's own help (its first line starting `$ `). */
function firstExample(command: Command): string {
  let text = '';
  const saved = command.configureOutput();
  command.configureOutput({ ...saved, writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  try {
    command.outputHelp();
  } finally {
    command.configureOutput(saved);
  }
  const examples = text.split('\n').slice(text.split('\n').findIndex((l) => l.trim() === 'Examples:'));
  return examples.find((l) => l.trim().startsWith('$ '))?.trim() ?? `$ ${CSI_COMMAND} ${command.name()} --help`;
}

/**
 * "Examples:" for `csi --help`: the first example of every command, taken from
 * each command's own help so the two never disagree.
 */
export function examplesForEveryCommand(program: Command): string {
  const lines = program.commands.filter((c) => c.name() !== 'help').map((c) => `  ${firstExample(c)}`);
  return `
Examples (in a plan folder, where npm installed csi, it runs as ${CSI_COMMAND}):
${lines.join('\n')}

Run ${CSI_COMMAND} <command> --help for a command's options and more examples.`;
}
