/**
 * A local stand-in for the few GitHub REST endpoints the workflow scripts call, so tests
 * run the real scripts over real HTTP (GITHUB_API_URL points here) and then look at what
 * they asked for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

/** The fields GitHub gives an artifact's `workflow_run` in the artifacts list. */
export interface FakeArtifact {
  id: number;
  name: string;
  expired: boolean;
  created_at: string;
  workflow_run: {
    id: number;
    repository_id: number;
    head_repository_id: number;
    head_branch: string;
    head_sha: string;
  };
}

interface FakeRepository {
  id: number;
  full_name: string;
}

/** The fields of `GET /repos/{owner}/{repo}/actions/runs/{id}` the scripts may read. */
interface FakeRun {
  id: number;
  /** The workflow's `run-name:`, or by default the pull request's title / the workflow name. */
  display_title: string;
  event: string;
  path: string;
  head_branch: string;
  head_sha: string;
  repository: FakeRepository;
  /** null when the fork was deleted since. */
  head_repository: FakeRepository | null;
  /** GitHub empties this once the pull request is merged or closed. */
  pull_requests: unknown[];
  actor: { login: string; type: 'Bot' | 'User' };
}

interface FakePull {
  number: number;
  merged_at: string | null;
  merge_commit_sha: string;
  head: { sha: string; ref?: string; repo?: FakeRepository | null };
  base?: { ref: string; repo: FakeRepository };
}

interface RecordedRequest {
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
  /** Workflow runs by id. */
  runs: Map<number, FakeRun>;
  /** Pull requests associated with each commit. */
  pullsByCommit: Map<string, FakePull[]>;
  /** The commit SHAs of each pull request, oldest first. */
  pullCommits: Map<number, string[]>;
  /** Who the token writes as: comments it creates carry this user. */
  identity: { login: string; type: 'Bot' | 'User' };
  /** false: every write answers 403, as for a fork's read-only token. */
  writable: boolean;
  close(): Promise<void>;
}

/** GitHub refuses a comment body longer than this (422). */
export const COMMENT_LIMIT = 65_536;

export const BOT = { login: 'github-actions[bot]', type: 'Bot' } as const;
export const REPO = 'acme/dns';
const REPO_ID = 4001;
const THIS_REPO: FakeRepository = { id: REPO_ID, full_name: REPO };
const FORK: FakeRepository = { id: 4002, full_name: 'mallory/dns' };

/** `pageSize` is small by default so that pagination is always exercised. */
export async function startFakeGitHub(pageSize = 2): Promise<FakeGitHub> {
  let nextId = 1000;
  const state = {
    requests: [] as RecordedRequest[],
    comments: new Map<number, FakeComment[]>(),
    artifacts: [] as FakeArtifact[],
    runs: new Map<number, FakeRun>(),
    pullsByCommit: new Map<string, FakePull[]>(),
    pullCommits: new Map<number, string[]>(),
    identity: { ...BOT } as { login: string; type: 'Bot' | 'User' },
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

    if (
      (method === 'POST' || method === 'PATCH') &&
      String(body?.body ?? '').length > COMMENT_LIMIT
    ) {
      return reply(res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: 'body is too long (maximum is 65536 characters)',
          },
        ],
      });
    }

    let match = path.match(/^\/issues\/(\d+)\/comments$/);
    if (match) {
      const pr = Number(match[1]);
      const list = state.comments.get(pr) ?? [];
      if (method === 'GET') return page(res, url, list.map(view), pageSize, (items) => items);
      if (method === 'POST') {
        const comment: FakeComment = {
          id: nextId++,
          body: body.body,
          user: { ...state.identity },
        };
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
    match = path.match(/^\/pulls\/(\d+)\/commits$/);
    if (match && method === 'GET') {
      const shas = state.pullCommits.get(Number(match[1])) ?? [];
      return page(
        res,
        url,
        shas.map((sha) => ({ sha })),
        pageSize,
        (items) => items,
      );
    }
    match = path.match(/^\/actions\/runs\/(\d+)$/);
    if (match && method === 'GET') {
      const found = state.runs.get(Number(match[1]));
      return found ? reply(res, 200, found) : reply(res, 404, { message: 'Not Found' });
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

const PLAN_WORKFLOW = '.github/workflows/dns-plan.yml';

/** Pull request `number`, merged as `mergeSha` from a branch of this repository. */
export function mergedPull(
  github: FakeGitHub,
  { number, mergeSha, commits }: { number: number; mergeSha: string; commits: string[] },
): void {
  github.pullsByCommit.set(mergeSha, [
    {
      number,
      merged_at: '2025-01-02T00:00:00Z',
      merge_commit_sha: mergeSha,
      head: { sha: commits.at(-1) ?? '', ref: 'dns-change', repo: THIS_REPO },
      base: { ref: 'main', repo: THIS_REPO },
    },
  ]);
  github.pullCommits.set(number, commits);
}

/**
 * A run of the plan workflow and the artifact it uploaded, as GitHub reports them:
 * `same-repo` is a pull_request run from a branch of this repository, `fork` one from a
 * fork's branch (it runs the fork's own copy of the workflow, so it can name its artifact
 * and title its run as it likes), `dispatch` a maintainer's run by hand. The run's id is
 * ten times the artifact's; it plans pull request `pr` (default 12) at `headSha`.
 */
export function planRun(
  github: FakeGitHub,
  kind: 'same-repo' | 'fork' | 'dispatch',
  options: {
    id: number;
    at: string;
    pr?: number;
    name?: string;
    headSha?: string;
    path?: string;
    event?: string;
    expired?: boolean;
  },
): FakeArtifact {
  const runId = options.id * 10;
  const pr = options.pr ?? 12;
  const head = kind === 'fork' ? FORK : THIS_REPO;
  const headSha = options.headSha ?? (kind === 'dispatch' ? 'f'.repeat(40) : 'b'.repeat(40));
  const headBranch = kind === 'dispatch' ? 'main' : 'dns-change';
  github.runs.set(runId, {
    id: runId,
    display_title: `dns-plan: pull request #${pr}`,
    event: options.event ?? (kind === 'dispatch' ? 'workflow_dispatch' : 'pull_request'),
    path: options.path ?? PLAN_WORKFLOW,
    head_branch: headBranch,
    head_sha: headSha,
    repository: THIS_REPO,
    head_repository: head,
    pull_requests: [],
    actor: { login: kind === 'fork' ? 'mallory' : 'maintainer', type: 'User' },
  });
  return {
    id: options.id,
    name: options.name ?? `dnssync-plan-pr-${pr}`,
    expired: options.expired ?? false,
    created_at: `2025-01-01T${options.at}:00Z`,
    workflow_run: {
      id: runId,
      repository_id: THIS_REPO.id,
      head_repository_id: head.id,
      head_branch: headBranch,
      head_sha: headSha,
    },
  };
}
