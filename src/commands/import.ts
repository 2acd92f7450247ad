/** `dnssync import`: zone files from live zones, a BIND zone file or an octoDNS file. */
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { ImportOptions } from '../interop/import-command.js';
import { type ApiFlags, clientOptions, withApiOptions } from './common.js';

type ImportFlags = Omit<ImportOptions, 'client'> & ApiFlags;

export function register(program: Command): void {
  const command = program
    .command('import')
    .description('write zone files from live zones (onboarding), or from a BIND or octoDNS file')
    .argument('[domain...]', 'live zones to import')
    .option('--all', 'import every live zone')
    .option('--out-dir <dir>', 'where to write <domain>.yaml', 'zones')
    .option('--force', 'overwrite zone files that already exist')
    .option(
      '--from-bind <file>',
      'convert an RFC 1035 (BIND) zone file instead of reading live zones',
    )
    .option(
      '--from-octodns <file>',
      'convert an octoDNS zone YAML file instead of reading live zones',
    )
    .option(
      '--domain <domain>',
      "the zone's domain for --from-bind/--from-octodns (default: from the file)",
    );
  withApiOptions(command).action(async (domains: string[], options: ImportFlags) => {
    checkCombination(domains, options);
    const { importCommand } = await import('../interop/import-command.js');
    process.exitCode = await importCommand(domains, { ...options, client: clientOptions(options) });
  });
}

function checkCombination(domains: string[], options: ImportFlags): void {
  const fromFile = options.fromBind ?? options.fromOctodns;
  if (options.fromBind !== undefined && options.fromOctodns !== undefined) {
    throw new UserError('give --from-bind or --from-octodns, not both');
  }
  if (fromFile !== undefined && (domains.length > 0 || options.all)) {
    throw new UserError(
      `--from-${options.fromBind !== undefined ? 'bind' : 'octodns'} converts one file; name its domain with --domain, not as an argument or --all`,
    );
  }
  if (fromFile === undefined && options.domain !== undefined) {
    throw new UserError(
      '--domain goes with --from-bind or --from-octodns; name live zones as arguments',
    );
  }
  if (fromFile === undefined && domains.length === 0 && !options.all) {
    throw new UserError('name the live zones to import, or give --all');
  }
  if (options.all && domains.length > 0) {
    throw new UserError('give domains or --all, not both');
  }
}
