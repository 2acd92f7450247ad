/** GET /_sandbox/zones/{domain}/bind: the zone as VPS.org's nameservers would serve it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/api/types.js';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import { checkZone, HAS_CHECKZONE, txtFromDump } from './named-checkzone.js';
import { call, clientFor } from './sandbox-helpers.js';

let sandbox: Sandbox;
let api: ReturnType<typeof clientFor>;
let zone: string;

const LONG_TXT = `v=DKIM1; k=rsa; p=${'A'.repeat(280)}; "quoted"; back\\slash; ääkköset`;

/** Records spelled the many ways the API allows; the rendering must be canonical. */
const INPUTS = [
  { record_type: 'A', name: '@', value: '192.0.2.1' },
  { record_type: 'A', name: 'Example.COM.', value: '192.0.2.2' },
  { record_type: 'AAAA', name: 'v6.example.com', value: '2001:0DB8:0000:0000:0000:0000:0000:0001' },
  { record_type: 'CNAME', name: 'WWW', value: 'Example.COM.' },
  { record_type: 'MX', name: '@', value: 'MAIL.example.com', priority: 10, ttl: 300 },
  { record_type: 'A', name: 'mail', value: '192.0.2.25' },
  { record_type: 'MX', name: 'nomail', value: '.', priority: 0 },
  { record_type: 'TXT', name: '@', value: LONG_TXT },
  { record_type: 'NS', name: 'sub', value: 'NS1.Other-DNS.net.' },
  { record_type: 'SRV', name: '_sip._tcp', value: '5  5060  SIP.example.net.', priority: 10 },
  { record_type: 'CAA', name: '@', value: '0 ISSUE "letsencrypt.org"' },
  { record_type: 'A', name: '*.apps', value: '192.0.2.80' },
];

beforeAll(async () => {
  sandbox = await startSandbox({
    tokens: [
      { token: 'vps_bind_full', permissions: [...PERMISSIONS], owner: 'alice' },
      { token: 'vps_bind_list_only', permissions: ['dns:list'], owner: 'alice' },
      { token: 'vps_bind_other_owner', permissions: [...PERMISSIONS], owner: 'bob' },
    ],
  });
  api = clientFor(sandbox.url, sandbox.token);
  zone = (await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } })).body.uuid;
  for (const input of INPUTS) {
    const reply = await api('POST', `/api/v1/dns-zones/${zone}/records/`, { json: input });
    expect(reply.status, reply.text).toBe(201);
  }
});
afterAll(() => sandbox.close());

describe('the BIND rendering of a zone', () => {
  it('is served as text with the SOA, provider NS and canonical records', async () => {
    const reply = await api('GET', '/_sandbox/zones/example.com/bind');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/dns; charset=utf-8/);
    const text = reply.text;
    expect(text).toBe(sandbox.bindZone('example.com'));
    expect(text).toMatch(/^\$ORIGIN example\.com\.$/m);
    expect(text).toMatch(/IN SOA\s+ns1\.vps\.org\. hostmaster\.vps\.org\. \(/);
    expect(text).toMatch(/^@\s+3600\s+IN NS\s+ns1\.vps\.org\.$/m);
    expect(text).toMatch(/^@\s+3600\s+IN NS\s+ns2\.vps\.org\.$/m);
    expect(text).toMatch(/^@\s+3600\s+IN A\s+192\.0\.2\.2$/m);
    expect(text).toMatch(/^v6\s+3600\s+IN AAAA\s+2001:db8::1$/m);
    expect(text).toMatch(/^www\s+3600\s+IN CNAME\s+example\.com\.$/m);
    expect(text).toMatch(/^@\s+300\s+IN MX\s+10 mail\.example\.com\.$/m);
    expect(text).toMatch(/^nomail\s+3600\s+IN MX\s+0 \.$/m);
    expect(text).toMatch(/^sub\s+3600\s+IN NS\s+ns1\.other-dns\.net\.$/m);
    expect(text).toMatch(/^_sip\._tcp\s+3600\s+IN SRV\s+10 5 5060 sip\.example\.net\.$/m);
    expect(text).toMatch(/^@\s+3600\s+IN CAA\s+0 issue "letsencrypt\.org"$/m);
    expect(text).toMatch(/^\*\.apps\s+3600\s+IN A\s+192\.0\.2\.80$/m);
  });

  it.skipIf(!HAS_CHECKZONE)('is accepted by named-checkzone, long TXT intact', async () => {
    const text = (await api('GET', '/_sandbox/zones/example.com/bind')).text;
    const result = checkZone('example.com', text);
    expect(result.ok, result.output).toBe(true);
    expect(txtFromDump(result.dump).get('example.com.')?.toString('utf8')).toBe(LONG_TXT);
  });

  it('raises the SOA serial on every change', async () => {
    const serial = (text: string) => Number(/(\d+) ; serial/.exec(text)?.[1]);
    const before = serial((await api('GET', '/_sandbox/zones/example.com/bind')).text);
    const created = await api('POST', `/api/v1/dns-zones/${zone}/records/`, {
      json: { record_type: 'A', name: 'tmp', value: '192.0.2.99' },
    });
    const afterCreate = serial((await api('GET', '/_sandbox/zones/example.com/bind')).text);
    await api('DELETE', `/api/v1/dns-records/${created.body.uuid}/`);
    const afterDelete = serial((await api('GET', '/_sandbox/zones/example.com/bind')).text);
    expect(afterCreate).toBeGreaterThan(before);
    expect(afterDelete).toBeGreaterThan(afterCreate);
  });

  it('lists records the nameservers could not load in comments instead of breaking the file', async () => {
    const other = (await api('POST', '/api/v1/dns-zones/', { json: { domain: 'broken.example' } }))
      .body.uuid;
    const outside = await api('POST', `/api/v1/dns-zones/${other}/records/`, {
      json: { record_type: 'A', name: 'www.elsewhere.net.', value: '192.0.2.1' },
    });
    const badCname = await api('POST', `/api/v1/dns-zones/${other}/records/`, {
      json: { record_type: 'CNAME', name: 'x', value: 'not a hostname' },
    });
    await api('POST', `/api/v1/dns-zones/${other}/records/`, {
      json: { record_type: 'A', name: 'ok', value: '192.0.2.3' },
    });
    const text = (await api('GET', '/_sandbox/zones/broken.example/bind')).text;
    expect(text).toContain(`; skipped A record ${outside.body.uuid}`);
    expect(text).toContain(`; skipped CNAME record ${badCname.body.uuid}`);
    expect(text).toMatch(/^ok\s+3600\s+IN A\s+192\.0\.2\.3$/m);
    if (HAS_CHECKZONE) {
      const result = checkZone('broken.example', text);
      expect(result.ok, result.output).toBe(true);
    }
  });

  it('needs a token with dns:read, and answers 404 for unknown or foreign zones', async () => {
    const path = '/_sandbox/zones/example.com/bind';
    expect((await call(sandbox.url, 'GET', path, { token: null })).status).toBe(401);
    const listOnly = await call(sandbox.url, 'GET', path, { token: 'vps_bind_list_only' });
    expect(listOnly.status).toBe(403);
    expect(listOnly.body.detail).toBe('Token lacks dns:read permission');
    expect((await call(sandbox.url, 'GET', path, { token: 'vps_bind_other_owner' })).status).toBe(
      404,
    );
    expect((await api('GET', '/_sandbox/zones/nope.example/bind')).status).toBe(404);
    expect((await api('GET', '/_sandbox/zones/EXAMPLE.com/bind')).status).toBe(200);
  });
});
