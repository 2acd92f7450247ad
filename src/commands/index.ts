/** Every command module; each declares its options and calls typed functions. */
import type { Command } from 'commander';
import { register as exportCommand } from './export.js';
import { register as importCommand } from './import.js';
import { register as sandbox } from './sandbox.js';
import { register as validate } from './validate.js';

export const COMMANDS: Array<(program: Command) => void> = [
  validate,
  sandbox,
  importCommand,
  exportCommand,
];
