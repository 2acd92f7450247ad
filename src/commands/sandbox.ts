/** `dnssync sandbox`: the local VPS.org-compatible DNS API. */
import { type Command, InvalidArgumentError } from 'commander';
import { PERMISSIONS, type Permission } from '../api/types.js';
import { UserError } from '../errors.js';
import { plural } from '../text/terminal.js';
import { fraction, nonNegativeNumber, numberParser, positiveInt } from './common.js';

/** A fixed port is easier to paste into VPS_API_URL than a random one; --port 0 picks a free one. */
const DEFAULT_SANDBOX_PORT = 8053;

interface SandboxCommandOptions {
  port: number;
  state?: string;
  token?: TokenSpec[];
  latency: number;
  rateLimit?: number;
  rateBurst?: number;
  failBefore: number;
  failAfter: number;
  dropConnections: number;
  pageSize?: number;
  seed?: number;
}

export function register(program: Command): void {
  program
    .command('sandbox')
    .description('run a local VPS.org-compatible DNS API on 127.0.0.1 (for tests and demos)')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', port, DEFAULT_SANDBOX_PORT)
    .option('--state <file>', 'keep zones and tokens in this JSON file across restarts')
    .option(
      '--token <token[=perms]>',
      'accept this vps_ token instead of a new one; repeatable; =dns:list,dns:read limits its permissions',
      tokenSpec,
    )
    .option(
      '--latency <ms>',
      'delay every API answer by this many milliseconds',
      nonNegativeNumber('--latency'),
      0,
    )
    .option(
      '--rate-limit <rps>',
      'requests per second per token; beyond it 429 with Retry-After',
      positiveNumber,
    )
    .option(
      '--rate-burst <n>',
      'requests a token may send at once before --rate-limit applies (default: the rate, at least 1)',
      positiveInt('--rate-burst'),
    )
    .option(
      '--fail-before <p>',
      'fraction of writes answering 502 without taking effect',
      fraction('--fail-before'),
      0,
    )
    .option(
      '--fail-after <p>',
      'fraction of writes answering 502 after taking effect',
      fraction('--fail-after'),
      0,
    )
    .option(
      '--drop-connections <p>',
      'fraction of requests whose connection is closed without an answer',
      fraction('--drop-connections'),
      0,
    )
    .option(
      '--page-size <n>',
      'paginate list answers ({count, next, previous, results})',
      positiveInt('--page-size'),
    )
    .option('--seed <n>', 'seed for the random choice of faulty requests', integer)
    .action(runSandbox);
}

/** Runs until SIGINT or SIGTERM, then stops cleanly (state saved). */
async function runSandbox(options: SandboxCommandOptions): Promise<void> {
  if (options.rateBurst !== undefined && options.rateLimit === undefined) {
    throw new UserError('--rate-burst goes with --rate-limit');
  }
  const { startSandbox } = await import('../sandbox/server.js');
  const { fullAccessToken } = await import('../sandbox/state.js');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      port: options.port,
      latencyMs: options.latency,
      rateLimit: options.rateLimit ?? null,
      rateBurst: options.rateBurst ?? null,
      failBefore: options.failBefore,
      failAfter: options.failAfter,
      dropConnections: options.dropConnections,
      pageSize: options.pageSize ?? null,
      ...(options.state === undefined ? {} : { stateFile: options.state }),
      ...(options.token === undefined
        ? {}
        : {
            tokens: options.token.map((spec) => ({
              ...fullAccessToken(spec.token),
              ...(spec.permissions === null ? {} : { permissions: spec.permissions }),
            })),
          }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      throw new UserError(
        `port ${options.port} on 127.0.0.1 is in use; pick another with --port (0 = any free port)`,
      );
    }
    throw new UserError(err.message.replace(/^sandbox: /, ''), 1, { cause: error });
  }

  // Whoever reads our output may go away (`dnssync sandbox | head`); the server keeps serving.
  process.stdout.on('error', () => {});
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`VPS.org DNS API sandbox listening on ${sandbox.url}`);
  const advertised = sandbox.tokens.find((t) => t.token === sandbox.token);
  out(`token: ${sandbox.token} (${advertised?.permissions.join(', ') ?? 'no permissions'})`);
  const others = sandbox.tokens.length - 1;
  if (others > 0) out(`(${plural(others, 'more token')} accepted)`);
  out(
    options.state === undefined
      ? 'state: in memory only (--state FILE keeps it)'
      : `state: ${options.state}`,
  );
  const faults = describeFaults(options);
  if (faults !== '') out(`faults: ${faults}`);
  out();
  out(`export VPS_API_URL=${sandbox.url}`);
  out(`export VPS_API_TOKEN=${sandbox.token}`);
  out();
  out('Ctrl-C stops it.');

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // A second signal while closing means "now".
  const hurry = () => process.exit(1);
  process.once('SIGINT', hurry);
  process.once('SIGTERM', hurry);
  await sandbox.close();
  process.off('SIGINT', hurry);
  process.off('SIGTERM', hurry);
  out(
    `${signal}: sandbox stopped${options.state === undefined ? '' : `, state saved to ${options.state}`}`,
  );
}

function describeFaults(options: SandboxCommandOptions): string {
  const parts: string[] = [];
  if (options.latency > 0) parts.push(`latency ${options.latency} ms`);
  if (options.rateLimit !== undefined) {
    const burst = options.rateBurst ?? Math.max(1, options.rateLimit);
    parts.push(`rate limit ${options.rateLimit}/s per token, bursts of ${burst}`);
  }
  if (options.failBefore > 0)
    parts.push(`${options.failBefore * 100}% of writes fail before taking effect`);
  if (options.failAfter > 0)
    parts.push(`${options.failAfter * 100}% of writes fail after taking effect`);
  if (options.dropConnections > 0)
    parts.push(`${options.dropConnections * 100}% of connections dropped`);
  if (options.pageSize !== undefined) parts.push(`pages of ${options.pageSize}`);
  return parts.join(', ');
}

const port = numberParser('--port needs a port number 0-65535', (n) => n <= 65535, /^\d{1,5}$/);

interface TokenSpec {
  token: string;
  /** null = all five dns:* permissions. */
  permissions: Permission[] | null;
}

/** `vps_abc` or `vps_abc=dns:list,dns:read`; the option may be given several times. */
function tokenSpec(raw: string, previous: TokenSpec[] | undefined): TokenSpec[] {
  const [token = '', permissionText] = raw.split('=', 2);
  if (!/^vps_\S+$/.test(token)) throw new InvalidArgumentError('--token must start with vps_');
  let permissions: Permission[] | null = null;
  if (permissionText !== undefined) {
    const names = permissionText.split(',').filter((p) => p !== '');
    const unknown = names.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
    if (unknown.length > 0) {
      throw new InvalidArgumentError(
        `unknown permission ${unknown.join(', ')}; known: ${PERMISSIONS.join(', ')}`,
      );
    }
    permissions = names as Permission[];
  }
  return [...(previous ?? []), { token, permissions }];
}

const positiveNumber = numberParser(
  '--rate-limit needs a number of requests per second above 0',
  (n) => n > 0,
);

const integer = numberParser('--seed needs a whole number', () => true, /^-?\d+$/);
