/**
 * A very small GitHub REST client for the workflow scripts: the base URL, repository and
 * token come from the environment the runner sets (GITHUB_API_URL, GITHUB_REPOSITORY,
 * GITHUB_TOKEN), which is also the seam the tests use to point it at a local fake.
 */

const API_VERSION = '2022-11-28';

export class GitHubApiError extends Error {
  /** @param {string} request @param {number} status @param {string} detail */
  constructor(request, status, detail) {
    super(`${request}: ${status} ${detail}`);
    this.name = 'GitHubApiError';
    this.status = status;
  }
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ repository: string, request: (method: string, path: string, body?: unknown) => Promise<any>, paginate: (path: string) => Promise<any[]> }}
 */
export function gitHubFromEnv(env = process.env) {
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const token = env.GITHUB_TOKEN ?? '';
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new Error('GITHUB_REPOSITORY must be set to owner/name');
  }
  if (token === '') throw new Error('GITHUB_TOKEN is not set');

  /** @param {string} method @param {string} url @param {unknown} [body] */
  const send = async (method, url, body) => {
    const response = await fetch(url, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'user-agent': 'dnssync-gha',
        'x-github-api-version': API_VERSION,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const path = url.slice(apiUrl.length);
    if (!response.ok) {
      let detail = response.statusText;
      try {
        detail = JSON.parse(text).message ?? detail;
      } catch {}
      throw new GitHubApiError(`${method} ${path.split('?')[0]}`, response.status, detail);
    }
    return { data: text === '' ? null : JSON.parse(text), link: response.headers.get('link') };
  };

  return {
    repository,
    async request(method, path, body) {
      return (await send(method, `${apiUrl}${path}`, body)).data;
    },
    /** Follows `Link: <...>; rel="next"`; list endpoints answer arrays or `{total_count, <items>}`. */
    async paginate(path) {
      const items = [];
      /** @type {string | null} */
      let url = `${apiUrl}${path}`;
      for (let page = 0; url !== null && page < 100; page++) {
        const { data, link } = await send('GET', url);
        const list = Array.isArray(data)
          ? data
          : (Object.values(data ?? {}).find((value) => Array.isArray(value)) ?? []);
        items.push(...list);
        url = nextLink(link);
        // The token goes only to the API it was meant for.
        if (url !== null && !url.startsWith(`${apiUrl}/`)) {
          throw new Error(`refusing to follow a pagination link off ${apiUrl}: ${url}`);
        }
      }
      return items;
    },
  };
}

/** @param {string | null} link */
function nextLink(link) {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = part.match(/<([^>]+)>\s*;\s*rel="next"/);
    if (match?.[1]) return match[1];
  }
  return null;
}
