import type { Command } from 'commander';

/** The first example in a command's own help (a line starting `$ csi`). */
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
  return examples.find((l) => l.trim().startsWith('$ csi'))?.trim() ?? `$ csi ${command.name()} --help`;
}

/**
 * "Examples:" for `csi --help`: the first example of every command, taken from
 * each command's own help so the two never disagree.
 */
export function examplesForEveryCommand(program: Command): string {
  const lines = program.commands.filter((c) => c.name() !== 'help').map((c) => `  ${firstExample(c)}`);
  return `\nExamples:\n${lines.join('\n')}\n\nRun csi <command> --help for a command's options and more examples.`;
}
