/**
 * Every command's declaration (name, arguments, options, help); each loads the module
 * that does its work only when it runs. Declarations too are loaded on demand: a command
 * line pays only for the command it names (help and completion for all of them, still
 * without their work), and `--version` for none.
 */
import type { Command } from 'commander';

type CommandModule = { register(program: Command): void };

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  validate: () => import('./validate-cli.js'),
  plan: () => import('./plan-cli.js'),
  apply: () => import('./apply-cli.js'),
  import: () => import('./import.js'),
  export: () => import('./export.js'),
  verify: () => import('./verify.js'),
  checks: () => import('./checks-cli.js'),
  sandbox: () => import('./sandbox.js'),
  init: () => import('./init.js'),
  completion: () => import('./completion.js'),
};

/** Commands that describe the others, so every command is registered before they run. */
const NEED_ALL = new Set(['completion']);

/** What commander answers before it looks at any command. */
const VERSION_ONLY = new Set(['--version', '-V']);

/** Registers the command named on the command line, or all of them (for help and errors). */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  if (argv.length === 1 && VERSION_ONLY.has(argv[0] ?? '')) return;
  const name = argv.find((arg) => !arg.startsWith('-'));
  const load = name === undefined || NEED_ALL.has(name) ? undefined : COMMANDS[name];
  const modules = await Promise.all(load ? [load()] : Object.values(COMMANDS).map((l) => l()));
  for (const module of modules) module.register(program);
}
