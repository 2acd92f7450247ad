/** The VPS.org API client: what the commands import. */
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type RequestEvent,
  type ResponseEvent,
  type RetryEvent,
  VpsClient,
  type VpsClientOptions,
} from './client.js';
export { configFromEnv, DEFAULT_API_URL, isLoopbackHost, parseBaseUrl } from './config.js';
export {
  type CanonicalRecord,
  toApiRecordInput,
  toLiveRecord,
  toLiveZone,
  zoneDomain,
} from './convert.js';
export {
  ApiError,
  AuthenticationError,
  HttpError,
  NetworkError,
  PermissionError,
  RedirectError,
  ResponseShapeError,
  TimeoutError,
} from './errors.js';
export {
  type ClientFromEnvOptions,
  createClientFromEnv,
  type LiveState,
  readLiveZones,
} from './live.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
export type * from './types.js';
