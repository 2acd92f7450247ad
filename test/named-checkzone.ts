/** Runs BIND's named-checkzone on rendered zone files (Debian package bind9-utils). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const HAS_CHECKZONE = spawnSync('named-checkzone', ['-v']).error === undefined;
if (!HAS_CHECKZONE) {
  console.warn(
    'named-checkzone not found (Debian package bind9-utils): the BIND acceptance tests are SKIPPED',
  );
}

const workDir = mkdtempSync(join(tmpdir(), 'dnssync-bind-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCounter = 0;
/** named-checkzone's verdict on `text`, strict: name checks, MX/SRV/NS targets, integrity. */
export function checkZone(
  domain: string,
  text: string,
): { ok: boolean; output: string; dump: string } {
  const file = join(workDir, `zone-${fileCounter++}.db`);
  writeFileSync(file, text);
  const flags = [
    '-k',
    'fail',
    '-m',
    'fail',
    '-M',
    'fail',
    '-n',
    'fail',
    '-S',
    'fail',
    '-i',
    'full',
  ];
  const check = spawnSync('named-checkzone', [...flags, domain, file], { encoding: 'utf8' });
  const dump = spawnSync('named-checkzone', ['-D', '-o', '-', domain, file], { encoding: 'utf8' });
  return { ok: check.status === 0, output: `${check.stdout}${check.stderr}`, dump: dump.stdout };
}

/** The octets of every TXT record in a named-checkzone dump, by owner name. */
export function txtFromDump(dump: string): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  for (const line of dump.split('\n')) {
    const match = /^(\S+)\s+\d+\s+IN\s+TXT\s+(.*)$/.exec(line);
    if (!match) continue;
    const octets: number[] = [];
    for (const quoted of match[2]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      const inner = quoted[1]!;
      for (let i = 0; i < inner.length; i++) {
        if (inner[i] !== '\\') {
          octets.push(...Buffer.from(inner[i]!, 'latin1'));
        } else if (/^\d{3}$/.test(inner.slice(i + 1, i + 4))) {
          octets.push(Number(inner.slice(i + 1, i + 4)));
          i += 3;
        } else {
          octets.push(inner.charCodeAt(i + 1));
          i += 1;
        }
      }
    }
    result.set(match[1]!, Buffer.from(octets));
  }
  return result;
}
