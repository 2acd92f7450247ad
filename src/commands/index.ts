/** Every command module; each declares its options and calls typed functions. */
import type { Command } from 'commander';
import { register as apply } from './apply.js';
import { register as exportCommand } from './export.js';
import { register as importCommand } from './import.js';
import { register as plan } from './plan.js';
import { register as sandbox } from './sandbox.js';
import { register as validate } from './validate.js';
import { register as verify } from './verify.js';

export const COMMANDS: Array<(program: Command) => void> = [
  validate,
  plan,
  apply,
  sandbox,
  importCommand,
  exportCommand,
  verify,
];
