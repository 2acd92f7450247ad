/** `dnssync export`: zone files → RFC 1035 (BIND) zone files, the one format there is. */
import { type Command, Option } from 'commander';
import { UserError } from '../errors.js';
import { canonicalHostname } from '../records/index.js';
import { type CommonOptions, collect, numberParser, withZones } from './common.js';

interface ExportOptions extends CommonOptions {
  format: 'bind';
  outDir?: string;
  nameserver?: string[];
  serial?: number;
}

export function register(program: Command): void {
  const command = program
    .command('export')
    .description(
      'write BIND zone files from the zone files (stdout for one zone without --out-dir)',
    )
    .argument('[domain...]', 'only these domains (default: every zone file)')
    .addOption(
      new Option('--format <format>', 'output format (BIND is the only one)')
        .choices(['bind'])
        .default('bind'),
    )
    .option('--out-dir <dir>', 'write <domain>.zone files into this directory')
    .option(
      '--nameserver <host>',
      'apex NS of the exported zones when a file declares none; repeat for several (default: ns1.vps.org and ns2.vps.org)',
      collect,
    )
    .option('--serial <n>', 'SOA serial (default: today as YYYYMMDD01)', serialNumber);
  withZones(command).action(async (domains: string[], options: ExportOptions) => {
    const { exportCommand } = await import('../interop/export-bind.js');
    process.exitCode = await exportCommand(domains, {
      zones: options.zones,
      nameservers: nameservers(options.nameserver),
      ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
      ...(options.serial !== undefined ? { serial: options.serial } : {}),
    });
  });
}

const serialNumber = numberParser(
  '--serial needs a whole number from 0 to 4294967295',
  (n) => n <= 4294967295,
  /^\d{1,10}$/,
);

function nameservers(raw: string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return raw.map((host) => {
    const parsed = canonicalHostname(host, false);
    if (!parsed.ok) throw new UserError(`--nameserver ${host}: ${parsed.reason}`);
    return parsed.value;
  });
}
