/**
 * Every command module; each declares its options and calls typed functions. Modules are
 * loaded on demand so that one command does not pay for the others' dependencies.
 */
import type { Command } from 'commander';

type CommandModule = { register(program: Command): void };

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  validate: () => import('./validate.js'),
  plan: () => import('./plan.js'),
  apply: () => import('./apply.js'),
  import: () => import('./import.js'),
  export: () => import('./export.js'),
  verify: () => import('./verify.js'),
  checks: () => import('./checks.js'),
  sandbox: () => import('./sandbox.js'),
  init: () => import('./init.js'),
  completion: () => import('./completion.js'),
};

/** Commands that describe the others, so every command is registered before they run. */
const NEED_ALL = new Set(['completion']);

/** Registers the command named on the command line, or all of them (for help and errors). */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const name = argv.find((arg) => !arg.startsWith('-'));
  const load = name === undefined || NEED_ALL.has(name) ? undefined : COMMANDS[name];
  const modules = await Promise.all(load ? [load()] : Object.values(COMMANDS).map((l) => l()));
  for (const module of modules) module.register(program);
}
