/**
 * dnssync's commander program: the root command, and the one rule every command shares
 * about mistyped options.
 */
import { Command } from 'commander';
import { closest } from '../text/suggest.js';

/**
 * Options never offered as "did you mean": a typo must not turn into the one flag that
 * overrides a safety check or overwrites files (`apply --format json` once suggested it).
 */
const NEVER_SUGGESTED: ReadonlySet<string> = new Set(['--force']);

/**
 * A commander Command whose unknown-option message suggests only harmless options. The
 * subcommands it creates are of the same class, so the rule holds for every command.
 */
export class DnssyncCommand extends Command {
  private unknownOptionsAllowed = false;

  override createCommand(name?: string): DnssyncCommand {
    return new DnssyncCommand(name);
  }

  override allowUnknownOption(allow = true): this {
    this.unknownOptionsAllowed = allow;
    return super.allowUnknownOption(allow);
  }

  /**
   * Replaces commander's own (called by its parser for the first unknown option): the
   * same message, with the suggestion taken from the options of this command and its
   * parents, less NEVER_SUGGESTED.
   */
  unknownOption(flag: string): void {
    if (this.unknownOptionsAllowed) return;
    let suggestion: string | undefined;
    if (flag.startsWith('--')) {
      const candidates: string[] = [];
      for (let command: Command | null = this; command; command = command.parent) {
        for (const option of command.createHelp().visibleOptions(command)) {
          if (option.long && !NEVER_SUGGESTED.has(option.long)) candidates.push(option.long);
        }
      }
      const [name] = flag.slice(2).split('=', 1);
      const near = closest(
        name ?? '',
        candidates.map((long) => long.slice(2)),
      );
      if (near !== undefined) suggestion = `--${near}`;
    }
    const hint = suggestion === undefined ? '' : `\n(Did you mean ${suggestion}?)`;
    this.error(`error: unknown option '${flag}'${hint}`, { code: 'commander.unknownOption' });
  }
}
