/**
 * `dnssync sandbox` in its own process, as a user runs it, for the benchmarks: resolves
 * once it prints its URL and token. `args` are extra flags (`--latency 20`, `--state F`).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

export async function spawnSandbox(args) {
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  const { url, token } = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /^export VPS_API_URL=(\S+)$/m.exec(out)?.[1];
      const token = /^export VPS_API_TOKEN=(\S+)$/m.exec(out)?.[1];
      if (url && token) resolve({ url, token });
    });
    child.once('exit', () => reject(new Error(`sandbox did not start: ${out}`)));
  });
  // The control endpoints take the sandbox's token, and JSON for a POST.
  const control = async (path, method = 'GET', body = undefined) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    url,
    token,
    stats: () => control('/_sandbox/stats'),
    resetStats: () => control('/_sandbox/reset-stats', 'POST', {}),
    /** Changes fault knobs (`{ rateLimit: 5, rateBurst: 1 }`); resolves to the settings in force. */
    setFaults: (knobs) => control('/_sandbox/faults', 'POST', knobs),
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
