/** Options shared by several commands (SPEC §4 "Common"). */
import { type Command, InvalidArgumentError } from 'commander';

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

function timeoutSeconds(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_SECONDS) {
    throw new InvalidArgumentError(
      `--timeout needs a number of seconds above 0, at most ${MAX_TIMEOUT_SECONDS}`,
    );
  }
  return n;
}

export function positiveInt(flag: string): (raw: string) => number {
  return (raw) => {
    if (!/^\d+$/.test(raw) || Number(raw) < 1) {
      throw new InvalidArgumentError(`${flag} needs a whole number of at least 1`);
    }
    return Number(raw);
  };
}

export function nonNegativeNumber(flag: string): (raw: string) => number {
  return (raw) => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw new InvalidArgumentError(`${flag} needs a number of at least 0`);
    }
    return n;
  };
}

export function fraction(flag: string): (raw: string) => number {
  return (raw) => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
      throw new InvalidArgumentError(`${flag} needs a fraction between 0 and 1`);
    }
    return n;
  };
}
