/**
 * Where the API is and which token to use. Both come from the environment
 * only: a token given as a flag would show up in process lists and shell history.
 * Everything is checked here, before any request is made.
 */
import { isIP } from 'node:net';
import { UserError } from '../errors.js';

const DEFAULT_API_URL = 'https://admin.vps.org';
const TOKEN_ENV = 'VPS_API_TOKEN';
const URL_ENV = 'VPS_API_URL';

export interface ApiConfig {
  token: string;
  /** Origin plus an optional path prefix. */
  baseUrl: URL;
}

/** The token from `VPS_API_TOKEN`; a UserError (never quoting the value) when unusable. */
export function tokenFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const token = env[TOKEN_ENV]?.trim();
  if (token === undefined || token === '') {
    throw new UserError(
      `${TOKEN_ENV} is not set: create an API token at https://admin.vps.org/account/developers/ and export it as ${TOKEN_ENV}`,
    );
  }
  if (!token.startsWith('vps_') || token.length <= 'vps_'.length) {
    throw new UserError(
      `${TOKEN_ENV} does not look like a VPS.org API token: it must start with vps_`,
    );
  }
  if (/[\s\u0000-\u001f\u007f]/.test(token)) {
    throw new UserError(
      `${TOKEN_ENV} contains whitespace or control characters; copy the token again`,
    );
  }
  return token;
}

/** The base URL from `VPS_API_URL` (default https://admin.vps.org), checked. */
export function baseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): URL {
  const raw = env[URL_ENV]?.trim() || DEFAULT_API_URL;
  return parseBaseUrl(raw);
}

export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`${URL_ENV} is not a URL: ${raw}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UserError(`${URL_ENV} must not contain credentials; the token goes in ${TOKEN_ENV}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new UserError(
      `${URL_ENV} must not have a query or fragment: ${url.origin}${url.pathname}`,
    );
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw new UserError(
        `${URL_ENV} uses plain http:// for ${url.hostname}, which would send the token unencrypted; use https:// (plain http is only allowed for loopback hosts such as 127.0.0.1)`,
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new UserError(`${URL_ENV} must be an https:// URL (got ${url.protocol}//)`);
  }
  return url;
}

/**
 * 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. `hostname` is
 * as URL gives it (IPv6 in brackets and already compressed, IPv4 already dotted-quad).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  return host === '::1';
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return { token: tokenFromEnv(env), baseUrl: baseUrlFromEnv(env) };
}
