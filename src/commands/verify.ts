/** `dnssync verify`: ask nameservers for every declared record set and compare. */
import type { Command } from 'commander';
import type { VerifyOptions } from '../verify/command.js';
import { collect, nonNegativeNumber, positiveInt, withColor, withZones } from './common.js';

export function register(program: Command): void {
  const command = program
    .command('verify')
    .description('query DNS for every record in the zone files and report what differs')
    .argument('[domain...]', 'only these domains (default: every zone file)')
    .option(
      '--nameserver <host[:port]>',
      "a nameserver to ask; repeat for several (default: the provider's, ns1.vps.org and ns2.vps.org)",
      collect,
    )
    .option(
      '--wait <seconds>',
      'keep asking until everything matches or this many seconds have passed',
      nonNegativeNumber('--wait'),
      0,
    )
    .option('--concurrency <n>', 'DNS queries in flight at once', positiveInt('--concurrency'), 8);
  withColor(withZones(command)).action(async (domains: string[], options: VerifyOptions) => {
    const { verifyCommand } = await import('../verify/command.js');
    process.exitCode = await verifyCommand(domains, options);
  });
}
