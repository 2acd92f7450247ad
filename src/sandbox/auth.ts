/** Bearer tokens with `dns:*` permissions, checked the way the seed documents. */
import type { Permission } from '../api/types.js';
import { fail, ok, type Result } from '../model.js';
import { apiError, type SandboxResponse } from './http.js';
import type { SandboxToken } from './state.js';
import type { SandboxStore } from './store.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** 401 unless the header carries a known `vps_` token. */
export function authenticate(
  header: string | undefined,
  store: SandboxStore,
): Result<SandboxToken, SandboxResponse> {
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  const caller = token?.startsWith('vps_') ? store.token(token) : undefined;
  if (caller !== undefined) return ok(caller);
  return fail(
    apiError(
      401,
      'Invalid API token',
      header === undefined ? 'not_authenticated' : 'authentication_failed',
      null,
      { 'www-authenticate': 'Bearer' },
    ),
  );
}

/** 403 naming the missing permission, or null when the caller holds it. */
export function forbidden(caller: SandboxToken, permission: Permission): SandboxResponse | null {
  if (caller.permissions.includes(permission)) return null;
  return apiError(403, `Token lacks ${permission} permission`, 'permission_denied');
}
