/**
 * The sandbox's own endpoints under /_sandbox/, outside the provider's API: stats and
 * fault knobs for out-of-process tests, and a zone's BIND rendering (which also needs
 * dns:read). A web page the developer happens to open can send requests to 127.0.0.1,
 * so every one of them needs a sandbox token (Bearer, as the API), a `Host` that names
 * this server by a loopback name (a page on another site, DNS rebinding included, sends
 * its own), and a POST needs `Content-Type: application/json`, which a cross-site page
 * cannot send without the browser asking first.
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
  /** `Host` values that name this server (lowercase): 127.0.0.1, localhost, [::1] with its port. */
  hosts: ReadonlySet<string>;
  stats(): SandboxStats;
  resetStats(): void;
  settings(): ControlSettings;
  configure(changes: Partial<ControlSettings> & { seed?: number }): void;
}

export interface ControlRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  host: string | undefined;
  contentType: string | undefined;
  rawBody: string;
}

const BIND_PATH = /^\/_sandbox\/zones\/([^/]+)\/bind$/;

export function dispatchControl(request: ControlRequest, env: ControlEnvironment): SandboxResponse {
  const { method, path } = request;
  if (!env.hosts.has(request.host?.toLowerCase() ?? '')) {
    return apiError(
      403,
      `The Host header must name this sandbox: ${[...env.hosts].join(', ')}`,
      'invalid_host',
    );
  }
  const auth = authenticate(request.authorization, env.store);
  if (!auth.ok) return auth.reason;
  if (method === 'POST' && mediaType(request.contentType) !== 'application/json') {
    return apiError(415, 'Content-Type must be application/json', 'unsupported_media_type');
  }
  if (path === '/_sandbox/stats' && method === 'GET') return json(200, env.stats());
  if (path === '/_sandbox/reset-stats' && method === 'POST') {
    env.resetStats();
    return json(200, env.stats());
  }
  if (path === '/_sandbox/faults' && method === 'GET') return json(200, env.settings());
  if (path === '/_sandbox/faults' && method === 'POST') return configure(request.rawBody, env);
  const bind = BIND_PATH.exec(path);
  if (bind !== null && method === 'GET') {
    const denied = forbidden(auth.value, 'dns:read');
    if (denied !== null) return denied;
    const zone = env.store.zoneByDomain((bind[1] ?? '').toLowerCase());
    if (zone === undefined || zone.owner !== auth.value.owner)
      return notFound('DNS zone not found');
    return { status: 200, text: { contentType: 'text/dns', content: renderStoredZone(zone) } };
  }
  return notFound();
}

/** `application/json` of `application/json; charset=utf-8`, lowercased. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const SETTING_KEYS = [
  'latencyMs',
  'rateLimit',
  'rateBurst',
  'failBefore',
  'failAfter',
  'dropConnections',
  'pageSize',
  'seed',
] as const;

/** POST /_sandbox/faults with any of the knobs; answers the settings now in force. */
function configure(rawBody: string, env: ControlEnvironment): SandboxResponse {
  const body = parseJsonObject(rawBody);
  if (!body.ok) return body.reason;
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
