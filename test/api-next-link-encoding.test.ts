/**
 * Next-page links whose path reads differently once decoded. A server, or a proxy in front
 * of it, that decodes before routing takes `/vps/..%2Fother/` out of the `/vps` prefix:
 * such a link is not followed, and the token goes nowhere new. Servers written here, on
 * random loopback ports.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { ResponseShapeError } from '../src/api/errors.js';
import { client, onCleanup } from './api-helpers.js';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A list under /vps whose first page links to `next`; every request path is recorded. */
async function pagedServer(next: string) {
  const seen: string[] = [];
  const url = await listen((req, res) => {
    seen.push(req.url ?? '');
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        count: 0,
        next: req.url === '/vps/api/v1/dns-zones/' ? next : null,
        previous: null,
        results: [],
      }),
    );
  });
  return { url, seen };
}

describe('next-page links with encoded path characters', () => {
  test.each([
    ['%2F', '/vps/..%2Fother/api/v1/dns-zones/?page=2'],
    ['%2f', '/vps/..%2fother/?page=2'],
    ['%5C', '/vps/..%5Cother/?page=2'],
    ['%5c', '/vps/api/..%5cother/?page=2'],
    ['%252F (decoded twice)', '/vps/..%252Fother/?page=2'],
    ['%252e%252e (decoded twice)', '/vps/%252e%252e/other/?page=2'],
  ])('a link with %s is not followed', async (_what, next) => {
    const server = await pagedServer(next);
    const api = client({ url: `${server.url}/vps`, token: 'vps_paged_secret' });
    const error = (await api.listZones().catch((e: unknown) => e)) as ResponseShapeError;
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error.message).toContain('the next page link /vps/');
    expect(error.message).toContain(
      'holds an encoded "/", "\\", "%" or dot segment, which a server could read as a path outside /vps; not followed',
    );
    expect(server.seen).toEqual(['/vps/api/v1/dns-zones/']);
  });

  test('a plain link under the prefix is still followed, its query as it came', async () => {
    const server = await pagedServer('/vps/api/v1/dns-zones/?cursor=a%2Fb%25c');
    const api = client({ url: `${server.url}/vps`, token: 'vps_paged_secret' });
    expect(await api.listZones()).toEqual([]);
    expect(server.seen).toEqual([
      '/vps/api/v1/dns-zones/',
      '/vps/api/v1/dns-zones/?cursor=a%2Fb%25c',
    ]);
  });
});
