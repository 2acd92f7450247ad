/** `dnssync completion bash|zsh|fish`: a completion script made from the commands themselves. */
import { Argument, type Command, type Option } from 'commander';
import {
  type CommandSpec,
  completionScript,
  type OperandSpec,
  type OptionSpec,
  SHELLS,
  type Shell,
  type ValueKind,
} from '../text/completion.js';

const INSTALL = `
Install (then start a new shell):
  bash  dnssync completion bash > ~/.local/share/bash-completion/completions/dnssync
        (or add to ~/.bashrc: source <(dnssync completion bash))
  zsh   dnssync completion zsh > "\${fpath[1]}/_dnssync"
        (or add to ~/.zshrc, after compinit: source <(dnssync completion zsh))
  fish  dnssync completion fish > ~/.config/fish/completions/dnssync.fish

Commands, options and their choices complete; so do domains, from the zone files in
--zones DIR (default zones/). Write the script again after upgrading dnssync.`;

export function register(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
    .addHelpText('after', INSTALL)
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell, programSpec(program)));
    });
}

function programSpec(program: Command) {
  const help = program.createHelp();
  return {
    name: program.name(),
    options: help.visibleOptions(program).map(optionSpec),
    commands: help
      .visibleCommands(program)
      .filter((command) => command.name() !== 'help')
      .map(commandSpec),
  };
}

function commandSpec(command: Command): CommandSpec {
  return {
    name: command.name(),
    description: command.description(),
    options: command.createHelp().visibleOptions(command).map(optionSpec),
    operands: operandSpec(command),
  };
}

function optionSpec(option: Option): OptionSpec {
  return {
    ...(option.long ? { long: option.long } : {}),
    ...(option.short ? { short: option.short } : {}),
    description: option.description,
    value: valueKind(option),
    valueName: valueName(option),
    choices: option.argChoices ?? [],
    // A parser that takes the previous value collects repeated options (common.ts collect);
    // commander's own parser for choices takes it too, but only to join variadic values.
    repeatable: option.argChoices === undefined && (option.parseArg?.length ?? 0) >= 2,
  };
}

/** From the choices, or the value's placeholder: `--zones <dir>`, `--out <file>`. */
function valueKind(option: Option): ValueKind {
  if (!option.required && !option.optional) return 'none';
  if (option.argChoices) return 'choice';
  const name = valueName(option);
  return name === 'dir' || name === 'file' ? name : 'text';
}

/** The value's placeholder in the flags: `--zones <dir>` → `dir`. */
function valueName(option: Option): string {
  return /[<[]([\w-]+)/.exec(option.flags)?.[1] ?? 'value';
}

/** From the arguments' names (`[domain...]`, `[domain-or-planfile...]`, `[dir]`) and choices. */
function operandSpec(command: Command): OperandSpec {
  const names = command.registeredArguments.map((argument) => argument.name());
  return {
    domains: names.some((name) => name.includes('domain')),
    planFiles: names.some((name) => name.includes('planfile')),
    dirs: names.some((name) => name.includes('dir')),
    choices: command.registeredArguments.flatMap((argument) => argument.argChoices ?? []),
  };
}
