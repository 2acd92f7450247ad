/**
 * A local stand-in for the few GitHub REST endpoints the workflow scripts call, so tests
 * run the real scripts over real HTTP (GITHUB_API_URL points here) and then look at what
 * they asked for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

export interface FakeArtifact {
  id: number;
  name: string;
  expired: boolean;
  created_at: string;
  workflow_run: { id: number; head_sha: string };
}

export interface FakePull {
  number: number;
  merged_at: string | null;
  merge_commit_sha: string;
  head: { sha: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  /** Comments per pull request number. */
  comments: Map<number, FakeComment[]>;
  artifacts: FakeArtifact[];
  /** Pull requests associated with each commit. */
  pullsByCommit: Map<string, FakePull[]>;
  /** false: every write answers 403, as for a fork's read-only token. */
  writable: boolean;
  close(): Promise<void>;
}

export const BOT = { login: 'github-actions[bot]', type: 'Bot' } as const;
export const REPO = 'acme/dns';

/** `pageSize` is small by default so that pagination is always exercised. */
export async function startFakeGitHub(pageSize = 2): Promise<FakeGitHub> {
  let nextId = 1000;
  const state = {
    requests: [] as RecordedRequest[],
    comments: new Map<number, FakeComment[]>(),
    artifacts: [] as FakeArtifact[],
    pullsByCommit: new Map<string, FakePull[]>(),
    writable: true,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, origin: string) => {
    const url = new URL(req.url ?? '/', origin);
    const raw = await readBody(req);
    const body = raw === '' ? undefined : JSON.parse(raw);
    const method = req.method ?? 'GET';
    state.requests.push({
      method,
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      body,
    });
    const prefix = `/repos/${REPO}`;
    if (!url.pathname.startsWith(`${prefix}/`)) return reply(res, 404, { message: 'Not Found' });
    const path = url.pathname.slice(prefix.length);
    if (method !== 'GET' && !state.writable) {
      return reply(res, 403, { message: 'Resource not accessible by integration' });
    }

    let match = path.match(/^\/issues\/(\d+)\/comments$/);
    if (match) {
      const pr = Number(match[1]);
      const list = state.comments.get(pr) ?? [];
      if (method === 'GET') return page(res, url, list.map(view), pageSize, (items) => items);
      if (method === 'POST') {
        const comment: FakeComment = { id: nextId++, body: body.body, user: { ...BOT } };
        state.comments.set(pr, [...list, comment]);
        return reply(res, 201, view(comment));
      }
    }
    match = path.match(/^\/issues\/comments\/(\d+)$/);
    if (match) {
      const id = Number(match[1]);
      for (const [pr, list] of state.comments) {
        const comment = list.find((c) => c.id === id);
        if (!comment) continue;
        if (method === 'PATCH') {
          comment.body = body.body;
          return reply(res, 200, view(comment));
        }
        if (method === 'DELETE') {
          state.comments.set(
            pr,
            list.filter((c) => c.id !== id),
          );
          return reply(res, 204, null);
        }
      }
      return reply(res, 404, { message: 'Not Found' });
    }
    match = path.match(/^\/commits\/([0-9a-f]{40})\/pulls$/);
    if (match && method === 'GET') {
      return reply(res, 200, state.pullsByCommit.get(match[1] ?? '') ?? []);
    }
    if (path === '/actions/artifacts' && method === 'GET') {
      const name = url.searchParams.get('name');
      const list = state.artifacts.filter((a) => name === null || a.name === name);
      return page(res, url, list, pageSize, (items) => ({
        total_count: list.length,
        artifacts: items,
      }));
    }
    return reply(res, 404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    handle(req, res, `http://${req.headers.host}`).catch((error: unknown) =>
      reply(res, 500, { message: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function view(comment: FakeComment) {
  return {
    ...comment,
    html_url: `https://github.com/${REPO}/pull/1#issuecomment-${comment.id}`,
  };
}

function page<T>(
  res: ServerResponse,
  url: URL,
  items: T[],
  pageSize: number,
  wrap: (items: T[]) => unknown,
) {
  const number = Number(url.searchParams.get('page') ?? '1');
  const slice = items.slice((number - 1) * pageSize, number * pageSize);
  const headers: Record<string, string> = {};
  if (number * pageSize < items.length) {
    const next = new URL(url);
    next.searchParams.set('page', String(number + 1));
    headers['link'] = `<${next.href}>; rel="next"`;
  }
  reply(res, 200, wrap(slice), headers);
}

function reply(res: ServerResponse, status: number, body: unknown, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === null ? '' : JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
