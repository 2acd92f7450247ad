/**
 * CONTRIBUTING.md, "Adding a record type", done as written: its module and its table
 * line go into a copy of the repository, nothing else is touched, the copy is built with
 * `npm run build`, and the built dnssync takes the new type through validate, plan (text
 * render, saved plan), BIND export and import, and a DNS answer.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkZone, HAS_CHECKZONE } from './named-checkzone.js';

const ROOT = join(import.meta.dirname, '..');
const GUIDE = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');

/** The code block after `<!-- contributing:WHAT PATH -->`. */
function block(what: string, path: string): string {
  const marker = `<!-- contributing:${what} ${path} -->\n\`\`\`ts\n`;
  const start = GUIDE.indexOf(marker);
  if (start < 0) throw new Error(`CONTRIBUTING.md has no ${marker.trim()} block`);
  const body = start + marker.length;
  return GUIDE.slice(body, GUIDE.indexOf('```\n', body));
}

let copy = '';
let sandbox: ChildProcess | undefined;
const env: Record<string, string> = {};

function dnssync(args: string[], cwd = copy) {
  const run = spawnSync(process.execPath, [join(copy, 'dist', 'cli.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '', GITHUB_ACTIONS: '' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'dnssync-new-type-'));
  for (const entry of ['src', 'scripts', 'schemas', 'package.json', 'tsconfig.json', 'README.md']) {
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');

  // Step 1: the module. Step 2: the import and the entry in the table.
  writeFileSync(join(copy, 'src/records/hinfo.ts'), block('file', 'src/records/hinfo.ts'));
  const indexPath = join(copy, 'src/records/index.ts');
  const index = readFileSync(indexPath, 'utf8');
  const entry = block('entry', 'src/records/index.ts');
  const tableEnd = entry.slice(entry.indexOf('}'));
  expect(index).toContain(tableEnd);
  const lastImport = index.lastIndexOf('\nimport ');
  const afterImports = index.indexOf('\n', lastImport + 1) + 1;
  writeFileSync(
    indexPath,
    `${index.slice(0, afterImports)}${block('import', 'src/records/index.ts')}${index
      .slice(afterImports)
      .replace(tableEnd, entry)}`,
  );

  execFileSync('npm', ['run', 'build'], { cwd: copy, stdio: 'pipe' });

  mkdirSync(join(copy, 'zones'));
  writeFileSync(
    join(copy, 'zones', 'example.com.yaml'),
    `records:
  - { name: www, type: A, value: 192.0.2.1 }
  - { name: www, type: HINFO, value: x86-64 "Linux 6.1" }
`,
  );

  sandbox = spawn(process.execPath, [join(copy, 'dist', 'cli.js'), 'sandbox', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    sandbox?.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const url = /^export VPS_API_URL=(\S+)$/m.exec(out)?.[1];
      const token = /^export VPS_API_TOKEN=(\S+)$/m.exec(out)?.[1];
      if (url && token) {
        Object.assign(env, { VPS_API_URL: url, VPS_API_TOKEN: token });
        resolve();
      }
    });
    sandbox?.once('exit', () => reject(new Error(`the sandbox exited: ${out}`)));
  });
}, 180_000);

afterAll(() => {
  sandbox?.kill();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('CONTRIBUTING.md: adding a record type (HINFO) to a copy of dnssync', () => {
  it('the build writes it into both schemas and the README table', () => {
    const zone = JSON.parse(readFileSync(join(copy, 'schemas/zone.schema.json'), 'utf8'));
    expect(zone.definitions.recordType.enum).toContain('HINFO');
    expect(JSON.stringify(zone.definitions.record.allOf)).toContain('"HINFO"');
    const plan = JSON.parse(readFileSync(join(copy, 'schemas/plan.schema.json'), 'utf8'));
    expect(plan.definitions.record_type.enum).toContain('HINFO');
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain(
      '| HINFO | `"cpu" "os"` (quotes optional around one word) | both quoted, one space apart |',
    );
  });

  it('validates a zone file with it, and applies its rules (no priority)', () => {
    expect(dnssync(['validate', '--zones', 'zones'])).toMatchObject({ code: 0 });
    mkdirSync(join(copy, 'bad'));
    writeFileSync(
      join(copy, 'bad', 'priority.example.yaml'),
      'records:\n  - { name: h, type: HINFO, value: "a b", priority: 1 }\n',
    );
    writeFileSync(
      join(copy, 'bad', 'value.example.yaml'),
      'records:\n  - { name: h, type: HINFO, value: "one" }\n',
    );
    const bad = dnssync(['validate', '--zones', 'bad']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('HINFO records take no priority (only MX and SRV do)');
    expect(bad.stdout).toContain('"one" is not "cpu" "os"');
  });

  it('plans it (text render and saved plan), and the sandbox refuses it as VPS.org does', () => {
    const plan = dnssync(['plan', '--zones', 'zones', '--out', 'plan.json']);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toMatch(/\+ www +HINFO +"x86-64" "Linux 6\.1" +ttl 3600/);
    const saved = JSON.parse(readFileSync(join(copy, 'plan.json'), 'utf8'));
    expect(saved.zones[0].changes.map((c: { type: string }) => c.type)).toContain('HINFO');
    const apply = dnssync(['apply', 'plan.json', '--zones', 'zones', '--yes']);
    expect(apply.code).not.toBe(0);
    expect(`${apply.stdout}${apply.stderr}`).toContain('Unsupported record type "HINFO"');
  });

  it('exports it to BIND and imports it back', () => {
    const exported = dnssync(['export', '--zones', 'zones', '--format', 'bind']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^www +3600 +IN HINFO "x86-64" "Linux 6\.1"$/m);
    if (HAS_CHECKZONE) expect(checkZone('example.com', exported.stdout).ok).toBe(true);
    writeFileSync(join(copy, 'db.example.com'), exported.stdout);
    const imported = dnssync(['import', '--from-bind', 'db.example.com', '--out-dir', 'back']);
    expect(imported.code).toBe(0);
    const written = readFileSync(join(copy, 'back', 'example.com.yaml'), 'utf8');
    expect(written).toMatch(/name: www, type: HINFO, value: '"x86-64" "Linux 6\.1"'/);
  });

  it('reads it from a DNS answer (verify)', () => {
    const script = `
      import dnsPacket from 'dns-packet';
      import { RECORD_TYPE_DEFS } from './dist/records/index.js';
      const message = dnsPacket.encode({ type: 'response', answers: [
        { type: 'HINFO', name: 'www.example.com', ttl: 60, data: { cpu: 'x86-64', os: 'Linux 6.1' } },
      ] });
      const read = RECORD_TYPE_DEFS.HINFO.fromAnswer(dnsPacket.decode(message).answers[0].data);
      console.log(RECORD_TYPE_DEFS.HINFO.parse(read.value.value).value);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: copy,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('"x86-64" "Linux 6.1"\n');
  });
});
