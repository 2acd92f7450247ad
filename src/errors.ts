/** Errors that end a command: caught once, in cli.ts, and mapped to an exit code. */

/**
 * A problem the user can fix; printed as one line, exit 1 unless said otherwise. The
 * message may quote text from outside (a file, the API), so it is always printed as one
 * line with any line break in it shown as `\n`.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
  }
}
