/**
 * The seed's endpoints. Paths end with a slash, as the seed writes them; a path
 * without its slash answers 404 with a hint (no redirect: clients must not follow one).
 * Checks run in the order a Django REST Framework view makes them: unknown path 404,
 * authentication 401, throttling 429, method 405, permission 403, object 404, body 400.
 */
import type { Permission } from '../api/types.js';
import { authenticate, forbidden } from './auth.js';
import type { FaultInjector } from './faults.js';
import {
  apiError,
  json,
  noContent,
  notFound,
  parseJsonObject,
  type SandboxResponse,
  validationError,
} from './http.js';
import type { SandboxToken } from './state.js';
import { recordBody, type SandboxStore, zoneDetail, zoneSummary } from './store.js';
import { checkDomain, checkRecord } from './validate.js';

export interface ApiRequest {
  method: string;
  /** Absolute URL as the client addressed it (pagination links are built from it). */
  url: URL;
  authorization: string | undefined;
  rawBody: string;
}

export interface ApiEnvironment {
  store: SandboxStore;
  faults: FaultInjector;
  pageSize: number | null;
}

interface RouteContext extends ApiEnvironment {
  caller: SandboxToken;
  params: string[];
  query: URLSearchParams;
  url: URL;
  rawBody: string;
}

interface Handler {
  permission: Permission;
  handle(ctx: RouteContext): SandboxResponse;
}

interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

const ZONE_NOT_FOUND = 'DNS zone not found';
const RECORD_NOT_FOUND = 'DNS record not found';

const ROUTES: Route[] = [
  {
    pattern: /^\/api\/v1\/dns-zones\/$/,
    methods: {
      GET: { permission: 'dns:list', handle: listZones },
      POST: { permission: 'dns:create', handle: createZone },
    },
  },
  {
    pattern: /^\/api\/v1\/dns-zones\/([^/]+)\/$/,
    methods: {
      GET: { permission: 'dns:read', handle: getZone },
      DELETE: { permission: 'dns:delete', handle: deleteZone },
    },
  },
  {
    pattern: /^\/api\/v1\/dns-zones\/([^/]+)\/records\/$/,
    methods: {
      GET: { permission: 'dns:list', handle: listZoneRecords },
      POST: { permission: 'dns:create', handle: createRecord },
    },
  },
  {
    pattern: /^\/api\/v1\/dns-records\/$/,
    methods: { GET: { permission: 'dns:list', handle: queryRecords } },
  },
  {
    pattern: /^\/api\/v1\/dns-records\/([^/]+)\/$/,
    methods: {
      GET: { permission: 'dns:read', handle: getRecord },
      PUT: { permission: 'dns:update', handle: replaceRecord },
      PATCH: { permission: 'dns:update', handle: patchRecord },
      DELETE: { permission: 'dns:delete', handle: deleteRecord },
    },
  },
];

function match(path: string): { route: Route; params: string[] } | null {
  for (const route of ROUTES) {
    const found = route.pattern.exec(path);
    if (found) return { route, params: found.slice(1).map(decodeSegment) };
  }
  return null;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function dispatchApi(request: ApiRequest, env: ApiEnvironment): SandboxResponse {
  const path = request.url.pathname;
  const found = match(path);
  if (found === null) {
    return !path.endsWith('/') && match(`${path}/`) !== null
      ? notFound(`Not found. API paths end with a slash: ${path}/`)
      : notFound();
  }
  const auth = authenticate(request.authorization, env.store);
  if (!auth.ok) return auth.reason;
  const seconds = env.faults.takeToken(auth.value.token);
  if (seconds !== null) {
    return apiError(
      429,
      `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      'throttled',
      null,
      { 'retry-after': String(seconds) },
    );
  }
  const handler = found.route.methods[request.method];
  if (handler === undefined) {
    return apiError(405, `Method "${request.method}" not allowed.`, 'method_not_allowed', null, {
      allow: Object.keys(found.route.methods).join(', '),
    });
  }
  const denied = forbidden(auth.value, handler.permission);
  if (denied !== null) return denied;
  return handler.handle({
    ...env,
    caller: auth.value,
    params: found.params,
    query: request.url.searchParams,
    url: request.url,
    rawBody: request.rawBody,
  });
}

/**
 * A bare array (as in the seed) or, with a page size, the paginated object
 * `{count, next, previous, results}` whose links are absolute and use `?page=N`.
 */
function list(items: unknown[], ctx: RouteContext): SandboxResponse {
  if (ctx.pageSize === null) return json(200, items);
  const pageText = ctx.query.get('page');
  const page = pageText === null ? 1 : Number(pageText);
  const pages = Math.max(1, Math.ceil(items.length / ctx.pageSize));
  if (!Number.isInteger(page) || page < 1 || page > pages) return notFound('Invalid page.');
  const link = (target: number) => {
    const url = new URL(ctx.url);
    if (target === 1) url.searchParams.delete('page');
    else url.searchParams.set('page', String(target));
    return url.toString();
  };
  return json(200, {
    count: items.length,
    next: page < pages ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice((page - 1) * ctx.pageSize, page * ctx.pageSize),
  });
}

function listZones(ctx: RouteContext): SandboxResponse {
  const domain = ctx.query.get('domain');
  const zones = ctx.store
    .zonesOf(ctx.caller.owner)
    .filter((zone) => domain === null || zone.domain === domain);
  return list(zones.map(zoneSummary), ctx);
}

function createZone(ctx: RouteContext): SandboxResponse {
  const body = parseJsonObject(ctx.rawBody);
  if (!body.ok) return body.reason;
  const domain = checkDomain(body.value.domain);
  if (!domain.ok) return domain.reason;
  if (ctx.store.zoneByDomain(domain.value) !== undefined) {
    return validationError(`DNS zone for ${domain.value} already exists`, 'domain');
  }
  return json(201, zoneDetail(ctx.store.createZone(domain.value, ctx.caller.owner)));
}

function getZone(ctx: RouteContext): SandboxResponse {
  const zone = ctx.store.zone(ctx.params[0] ?? '', ctx.caller.owner);
  return zone === undefined ? notFound(ZONE_NOT_FOUND) : json(200, zoneDetail(zone));
}

function deleteZone(ctx: RouteContext): SandboxResponse {
  const zone = ctx.store.zone(ctx.params[0] ?? '', ctx.caller.owner);
  if (zone === undefined) return notFound(ZONE_NOT_FOUND);
  ctx.store.deleteZone(zone);
  return noContent();
}

function listZoneRecords(ctx: RouteContext): SandboxResponse {
  const zone = ctx.store.zone(ctx.params[0] ?? '', ctx.caller.owner);
  return zone === undefined ? notFound(ZONE_NOT_FOUND) : list(zone.records.map(recordBody), ctx);
}

function createRecord(ctx: RouteContext): SandboxResponse {
  const zone = ctx.store.zone(ctx.params[0] ?? '', ctx.caller.owner);
  if (zone === undefined) return notFound(ZONE_NOT_FOUND);
  const body = parseJsonObject(ctx.rawBody);
  if (!body.ok) return body.reason;
  const fields = checkRecord(body.value);
  if (!fields.ok) return fields.reason;
  return json(201, recordBody(ctx.store.addRecord(zone, fields.value)));
}

function queryRecords(ctx: RouteContext): SandboxResponse {
  const zone = ctx.query.get('zone');
  const recordType = ctx.query.get('record_type');
  const records = ctx.store
    .recordsOf(ctx.caller.owner)
    .filter((entry) => zone === null || entry.zone.uuid === zone)
    .filter((entry) => recordType === null || entry.record.record_type === recordType);
  return list(
    records.map((entry) => recordBody(entry.record)),
    ctx,
  );
}

function getRecord(ctx: RouteContext): SandboxResponse {
  const entry = ctx.store.record(ctx.params[0] ?? '', ctx.caller.owner);
  return entry === undefined ? notFound(RECORD_NOT_FOUND) : json(200, recordBody(entry.record));
}

function replaceRecord(ctx: RouteContext): SandboxResponse {
  return writeRecord(ctx, false);
}

function patchRecord(ctx: RouteContext): SandboxResponse {
  return writeRecord(ctx, true);
}

function writeRecord(ctx: RouteContext, partial: boolean): SandboxResponse {
  const entry = ctx.store.record(ctx.params[0] ?? '', ctx.caller.owner);
  if (entry === undefined) return notFound(RECORD_NOT_FOUND);
  const body = parseJsonObject(ctx.rawBody);
  if (!body.ok) return body.reason;
  const fields = partial ? checkRecord(body.value, entry.record) : checkRecord(body.value);
  if (!fields.ok) return fields.reason;
  return json(200, recordBody(ctx.store.updateRecord(entry, fields.value)));
}

function deleteRecord(ctx: RouteContext): SandboxResponse {
  const entry = ctx.store.record(ctx.params[0] ?? '', ctx.caller.owner);
  if (entry === undefined) return notFound(RECORD_NOT_FOUND);
  ctx.store.deleteRecord(entry);
  return noContent();
}
