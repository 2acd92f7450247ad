/**
 * The local VPS.org DNS API on 127.0.0.1: http plumbing, fault injection
 * around the routes, stats, state persistence. Usable in-process (`startSandbox`) and
 * behind `dnssync sandbox`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiZoneDetail, PERMISSIONS } from '../api/types.js';
import { renderStoredZone } from './bind-view.js';
import { type ControlSettings, dispatchControl, settingsProblem } from './control.js';
import { DEFAULT_SEED, FaultInjector, type FaultKnobs, knobsProblem, NO_FAULTS } from './faults.js';
import {
  apiError,
  badGateway,
  type EncodedResponse,
  encode,
  readBody,
  send,
  sendEncoded,
} from './http.js';
import { dispatchApi } from './routes.js';
import {
  fullAccessToken,
  generateToken,
  loadState,
  type SandboxState,
  type SandboxToken,
  StatePersister,
} from './state.js';
import { type SandboxStats, StatsCounter } from './stats.js';
import { SandboxStore, zoneDetail } from './store.js';

export interface SandboxOptions extends Partial<FaultKnobs> {
  /** 0 (the default) picks a free port. The server binds 127.0.0.1 only. */
  port?: number;
  /** JSON state file: loaded at start, rewritten atomically after every write. */
  stateFile?: string;
  /**
   * Tokens to accept, added to those in the state file. Without any, one `vps_` token
   * with all five dns:* permissions is generated (and persisted with the state).
   */
  tokens?: SandboxToken[];
  /** When set, list endpoints answer `{count, next, previous, results}` pages of this size. */
  pageSize?: number | null;
  /** Seed of the PRNG deciding which requests get a random fault. */
  seed?: number;
}

interface SandboxZoneView extends ApiZoneDetail {
  owner: string;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** A token with every dns:* permission (the first such given, else the generated one). */
  readonly token: string;
  readonly tokens: SandboxToken[];
  /** A snapshot of the counters. */
  readonly stats: SandboxStats;
  resetStats(): void;
  setFaults(knobs: Partial<FaultKnobs> & { seed?: number }): void;
  setPageSize(pageSize: number | null): void;
  /** Every owner's zones with their records, as copies. */
  zones(): SandboxZoneView[];
  zone(domain: string): SandboxZoneView | undefined;
  /** The zone as a BIND zone file, or undefined when there is no such zone. */
  bindZone(domain: string): string | undefined;
  /** Stops accepting requests, finishes those in progress, saves the state. */
  close(): Promise<void>;
}

/** Half a tick of Node's timers, which count whole milliseconds. */
const HALF_TICK_MS = 0.5;

/**
 * Resolves when `performance.now()` reaches `due`, to the nearest tick of Node's
 * millisecond timers: within half a millisecond of it either way, on average on it.
 * (Waiting for the first tick after `due` would add half a millisecond on average.)
 */
async function waitUntil(due: number): Promise<void> {
  for (let wait = due - performance.now(); wait > HALF_TICK_MS; wait = due - performance.now()) {
    await sleep(wait);
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CLOSE_GRACE_MS = 5000;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const knobs: FaultKnobs = { ...NO_FAULTS };
  for (const key of Object.keys(NO_FAULTS) as (keyof FaultKnobs)[]) {
    const value = options[key];
    if (value !== undefined) Object.assign(knobs, { [key]: value });
  }
  const problem =
    knobsProblem(knobs) ??
    settingsProblem({
      pageSize: options.pageSize ?? null,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
  if (problem !== null) throw new Error(`sandbox: ${problem}`);

  const loaded = options.stateFile === undefined ? null : await loadState(options.stateFile);
  const { state, token } = withTokens(loaded, options.tokens ?? []);
  const store = new SandboxStore(state);
  const persister =
    options.stateFile === undefined
      ? null
      : new StatePersister(options.stateFile, () => JSON.stringify(store.toJSON()));
  // Written at once, so a restart finds the generated token even before any write.
  await persister?.persist();

  const faults = new FaultInjector(knobs, options.seed ?? DEFAULT_SEED);
  const stats = new StatsCounter();
  let pageSize = options.pageSize ?? null;
  let closing = false;

  const settings = (): ControlSettings => ({ ...faults.current, pageSize });
  const configure = (changes: Partial<ControlSettings> & { seed?: number }) => {
    const { pageSize: newPageSize, seed, ...knobChanges } = changes;
    faults.update(knobChanges, seed);
    if (newPageSize !== undefined) pageSize = newPageSize;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, base: URL) => {
    // The latency counts from the request's arrival, and the sandbox's own work (reading
    // the body, the change itself, saving the state) happens within it, as on a distant
    // server: the answer leaves `latencyMs` after the request came in (see waitUntil).
    const due = performance.now() + faults.latencyMs;
    const method = req.method ?? 'GET';
    stats.begin(method);
    res.once('close', () => stats.end());
    const rawBody = await readBody(req);
    if (rawBody === null) {
      await waitUntil(due);
      stats.status(413);
      send(res, apiError(413, 'Request body exceeds 1 MiB', 'payload_too_large'), true);
      return;
    }
    if (faults.shouldDrop()) {
      stats.fault('dropped');
      await waitUntil(due);
      req.socket.destroy();
      return;
    }
    const isWrite = WRITE_METHODS.has(method);
    if (isWrite && faults.shouldFailBefore()) {
      stats.fault('failBefore');
      await waitUntil(due);
      return reply(res, encode(badGateway()));
    }
    const url = requestUrl(req, base);
    const authorization = req.headers.authorization;
    let response = dispatchApi(
      { method, url, authorization, rawBody },
      { store, faults, pageSize },
    );
    if (response.status === 429) stats.fault('rateLimited');
    if (isWrite && response.status < 300) {
      // Acknowledge a write only once it is on disk.
      await persister?.persist();
      if (faults.shouldFailAfter()) {
        stats.fault('failAfter');
        response = badGateway();
      }
    }
    // Serialised before the wait: only the write itself is left for the due time.
    const encoded = encode(response);
    await waitUntil(due);
    reply(res, encoded);
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const rawBody = (await readBody(req)) ?? '';
    const response = dispatchControl(
      {
        method: req.method ?? 'GET',
        path,
        authorization: req.headers.authorization,
        host: req.headers.host,
        contentType: req.headers['content-type'],
        rawBody,
      },
      {
        store,
        hosts,
        stats: () => stats.snapshot(),
        resetStats: () => stats.reset(),
        settings,
        configure,
      },
    );
    send(res, response, closing);
  };

  const reply = (res: ServerResponse, encoded: EncodedResponse) => {
    stats.status(encoded.status);
    sendEncoded(res, encoded, closing);
  };

  // Replaced by the real origin and names once listening; no request arrives before that.
  let base = new URL('http://127.0.0.1');
  let hosts = new Set<string>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handled = path.startsWith('/_sandbox/')
      ? handleControl(req, res, path)
      : handleApi(req, res, base);
    handled.catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(res, apiError(500, `Sandbox error: ${(error as Error).message}`, 'server_error'), true);
    });
  });
  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  base = new URL(`http://127.0.0.1:${port}`);
  hosts = new Set(['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${port}`));

  return {
    url: base.origin,
    port,
    token,
    tokens: store.allTokens(),
    get stats() {
      return stats.snapshot();
    },
    resetStats: () => stats.reset(),
    setFaults(changes) {
      const { seed, ...knobChanges } = changes;
      const invalid =
        knobsProblem(knobChanges) ?? settingsProblem(seed === undefined ? {} : { seed });
      if (invalid !== null) throw new Error(`sandbox: ${invalid}`);
      configure(changes);
    },
    setPageSize(size) {
      const invalid = settingsProblem({ pageSize: size });
      if (invalid !== null) throw new Error(`sandbox: ${invalid}`);
      pageSize = size;
    },
    zones: () =>
      store.allZones().map((zone) => ({ ...structuredClone(zoneDetail(zone)), owner: zone.owner })),
    zone(domain) {
      const zone = store.zoneByDomain(domain.toLowerCase());
      return zone === undefined
        ? undefined
        : { ...structuredClone(zoneDetail(zone)), owner: zone.owner };
    },
    bindZone(domain) {
      const zone = store.zoneByDomain(domain.toLowerCase());
      return zone === undefined ? undefined : renderStoredZone(zone);
    },
    async close() {
      if (closing) return;
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      force.unref();
      await stopped;
      clearTimeout(force);
      if (persister !== null) {
        await persister.idle();
        await persister.persist();
      }
    },
  };
}

/** The loaded state with the given tokens merged in, and the token to advertise. */
function withTokens(
  loaded: SandboxState | null,
  given: SandboxToken[],
): { state: SandboxState; token: string } {
  const state: SandboxState = loaded ?? { version: 1, tokens: [], zones: [] };
  for (const token of given) {
    if (!token.token.startsWith('vps_')) {
      throw new Error(`sandbox: tokens must start with vps_ (got ${token.token.slice(0, 4)}...)`);
    }
    state.tokens = state.tokens.filter((t) => t.token !== token.token);
    state.tokens.push({ ...token, permissions: [...token.permissions] });
  }
  if (state.tokens.length === 0) state.tokens.push(fullAccessToken(generateToken()));
  const fullAccess = (t: SandboxToken) => PERMISSIONS.every((p) => t.permissions.includes(p));
  const preferred = given.find(fullAccess) ?? state.tokens.find(fullAccess) ?? state.tokens[0];
  return { state, token: preferred?.token ?? '' };
}

/** The URL the client addressed (its Host header), so pagination links lead back to it. */
function requestUrl(req: IncomingMessage, base: URL): URL {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host ?? base.host}`);
  } catch {
    return new URL(req.url ?? '/', base);
  }
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
