/**
 * A real BIND `named` for tests: started here, authoritative for the zone files given,
 * on a random high port of 127.0.0.1 only (UDP and TCP), without recursion. Tests that
 * need it skip, saying so, when named is not installed (Debian package bind9).
 *
 *   const named = await startNamed([{ domain: 'example.com', file: '/tmp/x/example.com.zone' }]);
 *   // dnssync verify --nameserver 127.0.0.1:${named.port} ...
 *   await named.stop();
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** named lives in /usr/sbin on Debian, which is not on every user's PATH. */
const NAMED = ['named', '/usr/sbin/named'].find(
  (candidate) => spawnSync(candidate, ['-v']).error === undefined,
);

export const hasNamed = NAMED !== undefined;

/**
 * BIND 9.18.28 and later refuse more than 100 records of one name and type by default;
 * the tests serve larger sets. Older releases do not know the options (nor the limit).
 */
const UNLIMITED = (() => {
  if (!hasNamed) return '';
  const options = '  max-records-per-type 0;\n  max-types-per-name 0;\n';
  const dir = mkdtempSync(join(tmpdir(), 'dnssync-named-check-'));
  try {
    const conf = join(dir, 'check.conf');
    writeFileSync(conf, `options {\n${options}};\n`);
    const checkconf = ['named-checkconf', '/usr/sbin/named-checkconf'].find(
      (candidate) => spawnSync(candidate, [conf]).status === 0,
    );
    return checkconf ? options : '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/** Says once, on stderr, that a suite is skipped for want of named. */
export function warnIfNoNamed(suite: string): void {
  if (!hasNamed) {
    console.warn(`${suite}: \`named\` not found (Debian package bind9): these tests are SKIPPED`);
  }
}

export interface NamedZone {
  /** Without the trailing dot. */
  domain: string;
  /** A BIND zone file (absolute path), e.g. what `dnssync export` wrote. */
  file: string;
}

export interface NamedServer {
  port: number;
  /** `127.0.0.1:PORT`, for `--nameserver`. */
  nameserver: string;
  /** Re-reads the zone files (SIGHUP); named serves the new data a moment later. */
  reload(): void;
  stop(): Promise<void>;
}

/**
 * A zone named serves from a file. `check-names ignore`: owners such as
 * `_acme-challenge.docs` with A records are served as written, as VPS.org serves them.
 */
function zoneStatement(zone: NamedZone): string {
  return `zone "${zone.domain}" { type primary; file "${zone.file}"; check-names ignore; };`;
}

/** A port free on 127.0.0.1 for TCP just now (named binds UDP and TCP on it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const found = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(found));
    });
  });
}

/**
 * Starts named serving `zones` and waits until it answers for every one of them (a few
 * ports are tried, in case another process takes the chosen one first). Throws with
 * named's own log when a zone does not load.
 */
export async function startNamed(zones: readonly NamedZone[]): Promise<NamedServer> {
  if (!NAMED) throw new Error('named is not installed (Debian package bind9)');
  const dir = mkdtempSync(join(tmpdir(), 'dnssync-named-'));
  let lastLog = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const conf = join(dir, `named-${port}.conf`);
    writeFileSync(
      conf,
      `options {
  directory "${dir}";
  pid-file "${dir}/named-${port}.pid";
  session-keyfile "${dir}/session-${port}.key";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  notify no;
${UNLIMITED}};
controls { };
${zones.map(zoneStatement).join('\n')}
`,
    );
    const child = spawn(NAMED, ['-g', '-c', conf, '-n', '1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr?.on('data', (chunk) => {
      log += chunk;
    });
    try {
      for (const zone of zones) await waitForSoa(port, zone.domain, child, () => log);
      return server(child, port, dir);
    } catch (error) {
      child.kill('SIGKILL');
      lastLog = `${(error as Error).message}\n${log.split('\n').slice(-20).join('\n')}`;
      // Only a port someone else took is worth another try.
      if (log.includes('not loaded due to errors')) break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(
    `could not start named serving ${zones.map((z) => z.domain).join(', ')}:\n${lastLog}`,
  );
}

function server(child: ChildProcess, port: number, dir: string): NamedServer {
  return {
    port,
    nameserver: `127.0.0.1:${port}`,
    reload: () => child.kill('SIGHUP'),
    stop: () =>
      new Promise((resolve) => {
        const finish = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return finish();
        child.once('exit', finish);
        child.kill('SIGTERM');
      }),
  };
}

async function waitForSoa(
  port: number,
  domain: string,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  const timeoutMs = 10_000;
  const resolver = new dns.Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    if (log().includes(`zone ${domain}/IN: not loaded due to errors`)) {
      throw new Error(`named could not load ${domain}`);
    }
    try {
      await resolver.resolveSoa(domain);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`named did not serve ${domain} within ${timeoutMs} ms`);
}
