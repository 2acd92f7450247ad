/**
 * What commands need of the process around them: whether to colour (the terminal and the
 * environment decide), whether this is GitHub Actions, and its job summary.
 */
import { appendFile } from 'node:fs/promises';
import { forTerminal } from './text/terminal.js';

const closedStreams = new WeakSet<NodeJS.WritableStream>();

/**
 * Lets `stream` end quietly when its reader goes away (`dnssync apply | head`): the EPIPE
 * is noted, later writes are dropped, and the command goes on to its end (an apply is not
 * cut short half-way because nobody reads its output). Other write errors are thrown as
 * before.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closedStreams.add(stream);
  });
}

/** True once `stream`'s reader went away. */
export function outputClosed(stream: NodeJS.WritableStream): boolean {
  return closedStreams.has(stream);
}

/** Colour only when writing to a terminal, and never with NO_COLOR or --no-color. */
export function useColor(stream: NodeJS.WriteStream, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

export function inGitHubActions(): boolean {
  return process.env['GITHUB_ACTIONS'] === 'true';
}

/**
 * In GitHub Actions, appends Markdown to the job summary (`render` runs only then). A summary that cannot
 * be written is worth a warning only: the command's own output was printed already.
 */
export async function appendStepSummary(render: () => string): Promise<void> {
  const path = process.env['GITHUB_STEP_SUMMARY'];
  if (!inGitHubActions() || !path) return;
  const markdown = render();
  try {
    await appendFile(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  } catch (error) {
    process.stderr.write(
      `dnssync: warning: cannot append to GITHUB_STEP_SUMMARY (${forTerminal(path)}): ${forTerminal((error as Error).message)}\n`,
    );
  }
}
