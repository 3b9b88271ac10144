import type { Command, Option } from 'commander';
import { Help } from 'commander';

/** Where the word being completed stands, and what the words before it chose. */
export type Slot =
  | { readonly kind: 'command'; readonly command: Command }
  | { readonly kind: 'option-value'; readonly option: Option }
  | { readonly kind: 'argument'; readonly command: Command; readonly name: string; readonly before: readonly string[] };

/** Names of pipelines and their phases, asked for only when an argument wants them. */
export interface NameSource {
  pipelines(): Promise<readonly string[]>;
  phases(pipeline: string): Promise<readonly string[]>;
}

const help = new Help();
const takesValue = (o: Option) => o.required || o.optional;

/** The options a word may name here: the command's own and the program's global ones. */
function optionsOf(command: Command): Option[] {
  const chain: Command[] = [];
  for (let c: Command | null = command; c; c = c.parent) chain.push(c);
  return chain.flatMap((c) => help.visibleOptions(c));
}

const findOption = (command: Command, word: string) =>
  optionsOf(command).find((o) => o.long === word || o.short === word);

/** Walks the words typed before the current one through the command tree. */
export function slotOf(program: Command, before: readonly string[]): Slot {
  let command = program;
  const positionals: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const word = before[i] as string;
    if (word === '--') continue;
    if (word.startsWith('-')) {
      const [flag] = word.split('=', 1);
      const option = findOption(command, flag as string);
      // `--reason text`: the next word is the option's value, not an argument
      if (option && takesValue(option) && !word.includes('=')) {
        if (i === before.length - 1) return { kind: 'option-value', option };
        i += 1;
      }
      continue;
    }
    const sub = positionals.length === 0 ? help.visibleCommands(command).find((c) => c.name() === word) : undefined;
    if (sub) command = sub;
    else positionals.push(word);
  }
  const argument = command.registeredArguments[positionals.length];
  if (help.visibleCommands(command).length > 0 && positionals.length === 0) return { kind: 'command', command };
  return argument
    ? { kind: 'argument', command, name: argument.name(), before: positionals }
    : { kind: 'command', command };
}

/**
 * The candidates for the last of `words` (the words after `gantry`, the last one being typed):
 * subcommands, flags, an option's choices, pipeline and phase names. Filtered by what is typed.
 */
export async function complete(program: Command, words: readonly string[], names: NameSource): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const slot = slotOf(program, words.slice(0, -1));
  let candidates: readonly string[] = [];
  if (slot.kind === 'option-value') candidates = slot.option.argChoices ?? [];
  else if (current.startsWith('-')) {
    const command = slot.kind === 'command' || slot.kind === 'argument' ? slot.command : program;
    candidates = optionsOf(command).flatMap((o) => (o.long ? [o.long] : []));
  } else if (slot.kind === 'command') {
    candidates = help
      .visibleCommands(slot.command)
      .map((c) => c.name())
      .filter((n) => n !== 'help');
  } else if (slot.name === 'pipeline' || slot.name === 'promotion-or-pipeline') {
    candidates = await names.pipelines();
  } else if (slot.name === 'phase' && slot.before[0] !== undefined) {
    candidates = await names.phases(slot.before[0]);
  }
  return [...new Set(candidates)].filter((c) => c.startsWith(current));
}
