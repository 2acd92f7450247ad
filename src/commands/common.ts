/** Options shared by several commands. */
import { sep } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_SAFETY, type SafetyOptions } from '../plan/types.js';

export interface CommonOptions {
  zones: string;
  color: boolean;
}

export function withZones<T extends Command>(command: T): T {
  command.option('--zones <dir>', 'directory of zone files', 'zones');
  return command;
}

export function withColor<T extends Command>(command: T): T {
  command.option('--no-color', 'no colour in the output (also NO_COLOR=1)');
  return command;
}

/** What every command that talks to the API takes: `--concurrency` and `--timeout`. */
export interface ApiFlags {
  concurrency: number;
  /** Seconds. */
  timeout: number;
}

/** The longest `--timeout`: an hour is already far beyond any answer worth waiting for. */
const MAX_TIMEOUT_SECONDS = 3600;

export function withApiOptions<T extends Command>(command: T): T {
  command.option(
    '--concurrency <n>',
    'API requests in flight at once, in total',
    positiveInt('--concurrency'),
    8,
  );
  command.option(
    '--timeout <seconds>',
    'time limit of one API request with its retries (waiting out a rate limit does not count)',
    timeoutSeconds,
    30,
  );
  return command;
}

/** The client options the API flags give (createClientFromEnv takes them as they are). */
export function clientOptions(flags: ApiFlags): { concurrency: number; timeoutMs: number } {
  return { concurrency: flags.concurrency, timeoutMs: flags.timeout * 1000 };
}

const timeoutSeconds = numberParser(
  `--timeout needs a number of seconds above 0, at most ${MAX_TIMEOUT_SECONDS}`,
  (n) => n > 0 && n <= MAX_TIMEOUT_SECONDS,
);

/**
 * How `apply` tells a saved plan from a domain: a plan file's argument ends in `.json` or
 * has a path separator in it, which no domain name has. Any other argument is a domain.
 */
export function namesPlanFile(arg: string): boolean {
  return /\.json$/i.test(arg) || arg.includes('/') || arg.includes(sep);
}

/** `path` as `apply` reads it as a plan file (`plan.out` → `./plan.out`). */
export function asPlanFileArgument(path: string): string {
  return namesPlanFile(path) ? path : `./${path}`;
}

/** `--opt A --opt B` → [A, B]: the parser of a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A commander parser of a number option: `raw` must match `pattern` (by default any
 * text but blanks), read as a finite number, and pass `valid`; else `message` is the error.
 */
export function numberParser(
  message: string,
  valid: (n: number) => boolean,
  pattern = /\S/,
): (raw: string) => number {
  return (raw) => {
    const n = Number(raw);
    if (!pattern.test(raw) || !Number.isFinite(n) || !valid(n)) {
      throw new InvalidArgumentError(message);
    }
    return n;
  };
}

const WHOLE = /^\d+$/;

export const positiveInt = (flag: string) =>
  numberParser(`${flag} needs a whole number of at least 1`, (n) => n >= 1, WHOLE);

export const nonNegativeNumber = (flag: string) =>
  numberParser(`${flag} needs a number of at least 0`, (n) => n >= 0);

export const fraction = (flag: string) =>
  numberParser(`${flag} needs a fraction between 0 and 1`, (n) => n >= 0 && n <= 1);

/** The safety flags as commander leaves them (percentages as given). */
interface SafetyFlags {
  maxUpdatePercent: number;
  maxDeletePercent: number;
  safetyMinRecords: number;
}

/** What plan and apply both take: the zones, colour, the API and the safety thresholds. */
export interface PlanFlags extends CommonOptions, SafetyFlags, ApiFlags {}

export function withPlanFlags<T extends Command>(command: T): T {
  return withSafety(withColor(withApiOptions(withZones(command))));
}

/** The thresholds that make a zone's plan unsafe. */
function withSafety<T extends Command>(command: T): T {
  command
    .option(
      '--max-update-percent <n>',
      'a zone is unsafe when the plan updates more than this % of its records',
      percent('--max-update-percent'),
      DEFAULT_SAFETY.update_threshold * 100,
    )
    .option(
      '--max-delete-percent <n>',
      'a zone is unsafe when the plan deletes more than this % of its records',
      percent('--max-delete-percent'),
      DEFAULT_SAFETY.delete_threshold * 100,
    )
    .option(
      '--safety-min-records <n>',
      'the percentages apply to zones with at least this many managed records',
      wholeNumber('--safety-min-records'),
      DEFAULT_SAFETY.min_records,
    );
  return command;
}

export function safetyFromFlags(flags: SafetyFlags): SafetyOptions {
  return {
    update_threshold: flags.maxUpdatePercent / 100,
    delete_threshold: flags.maxDeletePercent / 100,
    min_records: flags.safetyMinRecords,
  };
}

/** `50` or `50%`. */
function percent(flag: string): (raw: string) => number {
  const parse = numberParser(`${flag} needs a percentage from 0 to 100`, (n) => n >= 0 && n <= 100);
  return (raw) => parse(raw.replace(/%$/, ''));
}

const wholeNumber = (flag: string) =>
  numberParser(`${flag} needs a whole number (0 or more)`, () => true, WHOLE);
