/**
 * Text for GitHub Actions workflow commands and for the job log. The runner reads every
 * line a step prints to stdout or stderr, splitting at CR and LF, and treats as a command
 * a line that starts with `::` once leading white space is trimmed (`::error::`,
 * `::add-mask::`, `::stop-commands::`), and also a line with `##[` anywhere in it (the
 * older syntax). So untrusted text must never start a line or carry `##[`, whatever
 * message it is part of: dnssync's own annotations are the only commands it prints.
 */
import type { Issue } from '../model.js';
import { forTerminal } from './terminal.js';

/** A command's message (after the second `::`), as the runner unescapes it. */
export function forWorkflowData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value (`file=...`), where `:` and `,` are syntax too. */
export function forWorkflowProperty(text: string): string {
  return forWorkflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One workflow command line, e.g. `::error file=a.yaml,line=3::message`. The message and
 * properties are shown as on a terminal first: the runner echoes commands into the log,
 * where escape sequences would act.
 */
export function workflowCommand(
  command: 'error' | 'warning' | 'notice',
  properties: Readonly<Record<string, string | number>>,
  message: string,
): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${forWorkflowProperty(forTerminal(String(value)))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${forWorkflowData(forTerminal(message))}`;
}

/** The white space .NET's `TrimStart` removes (char.IsWhiteSpace), but CR and LF. */
const SPACE = '\\t\\v\\f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** A `:` that is the first non-blank character of a line (after the CR or LF before it). */
const LINE_HEAD_COLON = new RegExp(`([\\r\\n][${SPACE}]*):`, 'g');
const LINE_STILL_BLANK = new RegExp(`[\\r\\n][${SPACE}]*$`);

/**
 * Keeps a stream's output free of workflow commands, across writes: a `:` that would be
 * the first non-blank character of a line is written `\u003a`, and the `[` of `##[` is
 * written `\u005b`. Both are JSON escapes, so a JSON string that holds them still reads
 * back the same; nothing dnssync itself prints is changed.
 */
export class WorkflowLogFilter {
  /** Nothing but white space written on the current line yet. */
  private lineIsBlank = true;
  /** How many `#` end the output so far (at most 2 matter). */
  private hashes = 0;

  filter(text: string): string {
    // What came before, as far as it matters: a line start, or the `#`s that end it.
    const before = this.lineIsBlank ? '\n' : `x${'#'.repeat(this.hashes)}`;
    const whole = before + text;
    this.lineIsBlank = LINE_STILL_BLANK.test(whole);
    this.hashes = Math.min(2, whole.length - whole.replace(/#+$/, '').length);
    if (!text.includes(':') && !text.includes('[')) return text;
    return whole
      .replace(LINE_HEAD_COLON, '$1\\u003a')
      .replace(/##\[/g, '##\\u005b')
      .slice(before.length);
  }

  /** True when a command written now would start its own line. */
  get atLineStart(): boolean {
    return this.lineIsBlank;
  }

  /** After a command line of our own. */
  commandWritten(): void {
    this.lineIsBlank = true;
    this.hashes = 0;
  }
}

interface Guarded {
  filter: WorkflowLogFilter;
  write: (chunk: string) => boolean;
}

const guarded = new WeakMap<NodeJS.WritableStream, Guarded>();

/**
 * From now on, everything written to `stream` goes through a WorkflowLogFilter: call once
 * for stdout and stderr when running in GitHub Actions, before anything is printed. It
 * covers every write, whoever makes it; dnssync's own commands go through
 * `writeWorkflowCommand`, which alone bypasses it.
 */
export function guardWorkflowLog(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  const filter = new WorkflowLogFilter();
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  const decoder = new TextDecoder('utf-8');
  guarded.set(stream, { filter, write: (chunk) => original(chunk) });
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    // write(chunk, [encoding], [callback]): a string in UTF-8 or bytes are filtered.
    const encoding = typeof rest[0] === 'string' ? rest[0].toLowerCase() : 'utf8';
    const next = typeof rest[0] === 'string' ? rest.slice(1) : rest;
    if (typeof chunk === 'string' && (encoding === 'utf8' || encoding === 'utf-8')) {
      return original(filter.filter(chunk), 'utf8', ...next);
    }
    if (chunk instanceof Uint8Array) {
      return original(filter.filter(decoder.decode(chunk, { stream: true })), 'utf8', ...next);
    }
    return original(chunk, ...rest);
  }) as typeof stream.write;
}

/**
 * Writes one workflow command of dnssync's own (see `workflowCommand`) on a line of its
 * own, past the guard of `guardWorkflowLog`.
 */
export function writeWorkflowCommand(stream: NodeJS.WritableStream, command: string): void {
  const guard = guarded.get(stream);
  if (guard === undefined) {
    stream.write(`${command}\n`);
    return;
  }
  guard.write(`${guard.filter.atLineStart ? '' : '\n'}${command}\n`);
  guard.filter.commandWritten();
}

/** The issue as a GitHub Actions annotation on its line (write it with writeWorkflowCommand). */
export function formatAnnotation(issue: Issue): string {
  return workflowCommand(
    issue.severity,
    { file: issue.file, line: issue.line, col: issue.col },
    issue.message,
  );
}
