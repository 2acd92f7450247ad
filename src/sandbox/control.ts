/**
 * The sandbox's own endpoints under /_sandbox/, outside the provider's API: stats and
 * fault knobs for out-of-process tests (unauthenticated; the server is loopback only),
 * and a zone's BIND rendering (authenticated like a zone read).
 */
import { authenticate, forbidden } from './auth.js';
import { renderStoredZone } from './bind-view.js';
import { type FaultKnobs, knobsProblem } from './faults.js';
import { apiError, json, notFound, parseJsonObject, type SandboxResponse } from './http.js';
import type { SandboxStats } from './stats.js';
import type { SandboxStore } from './store.js';

export interface ControlSettings extends FaultKnobs {
  pageSize: number | null;
}

export interface ControlEnvironment {
  store: SandboxStore;
  stats(): SandboxStats;
  resetStats(): void;
  settings(): ControlSettings;
  configure(changes: Partial<ControlSettings> & { seed?: number }): void;
}

export interface ControlRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  rawBody: string;
}

const BIND_PATH = /^\/_sandbox\/zones\/([^/]+)\/bind$/;

export function dispatchControl(request: ControlRequest, env: ControlEnvironment): SandboxResponse {
  const { method, path } = request;
  if (path === '/_sandbox/stats' && method === 'GET') return json(200, env.stats());
  if (path === '/_sandbox/reset-stats' && method === 'POST') {
    env.resetStats();
    return json(200, env.stats());
  }
  if (path === '/_sandbox/faults' && method === 'GET') return json(200, env.settings());
  if (path === '/_sandbox/faults' && method === 'POST') return configure(request.rawBody, env);
  const bind = BIND_PATH.exec(path);
  if (bind !== null && method === 'GET') {
    const auth = authenticate(request.authorization, env.store);
    if (!auth.ok) return auth.response;
    const denied = forbidden(auth.caller, 'dns:read');
    if (denied !== null) return denied;
    const zone = env.store.zoneByDomain((bind[1] ?? '').toLowerCase());
    if (zone === undefined || zone.owner !== auth.caller.owner)
      return notFound('DNS zone not found');
    return { status: 200, text: { contentType: 'text/dns', content: renderStoredZone(zone) } };
  }
  return notFound();
}

const SETTING_KEYS = [
  'latencyMs',
  'rateLimit',
  'failBefore',
  'failAfter',
  'dropConnections',
  'pageSize',
  'seed',
] as const;

/** POST /_sandbox/faults with any of the knobs; answers the settings now in force. */
function configure(rawBody: string, env: ControlEnvironment): SandboxResponse {
  const body = parseJsonObject(rawBody);
  if (!body.ok) return body.response;
  for (const key of Object.keys(body.value)) {
    if (!(SETTING_KEYS as readonly string[]).includes(key)) {
      return apiError(
        400,
        `Unknown setting ${key}; known: ${SETTING_KEYS.join(', ')}`,
        'validation_error',
        key,
      );
    }
  }
  const changes = body.value as Partial<ControlSettings> & { seed?: number };
  const problem = knobsProblem(changes) ?? settingsProblem(changes);
  if (problem !== null) return apiError(400, problem, 'validation_error');
  env.configure(changes);
  return json(200, env.settings());
}

/** Page size and seed checks (the fault knobs have knobsProblem). */
export function settingsProblem(changes: {
  pageSize?: number | null;
  seed?: number;
}): string | null {
  const { pageSize, seed } = changes;
  if (
    pageSize !== undefined &&
    pageSize !== null &&
    !(Number.isInteger(pageSize) && pageSize >= 1)
  ) {
    return `pageSize must be an integer >= 1 or null (got ${pageSize})`;
  }
  if (seed !== undefined && !Number.isInteger(seed)) return `seed must be an integer (got ${seed})`;
  return null;
}
