/**
 * How dnssync's modules may depend on each other (docs/design.md, "Layers").
 * `npm run lint` runs it over src/; any violation fails the lint.
 */

/** Modules that do pure work: no files, no network, no processes, no threads. */
const PURE = [
  '^src/(model|result)\\.ts$',
  '^src/(plan|records|render|text)/',
  // The DNS checks are pure, but for the modules that read dnssync.yaml (config.ts),
  // ask DNS (online/), and put the two together for the commands (index.ts).
  '^src/checks/(?!online/|config\\.ts$|index\\.ts$)',
];

/** What does I/O: Node's file, network, process and thread modules, undici, the API client. */
const IO = [
  '^(node:)?(fs|net|dns|dgram|http|https|http2|tls|child_process|cluster|worker_threads|readline)(/promises)?$',
  '^node_modules/undici/',
  '^src/(api|apply|commands|sandbox|interop|verify)/',
  '^src/(output|cli)\\.ts$',
  '^src/zonefile/(load|schema)\\.ts$',
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes two modules one: neither can be read, tested or loaded alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-stays-pure',
      severity: 'error',
      comment:
        'plan/, records/, render/, text/, model.ts and the offline checks compute; they never reach a file, the network or the API, not even through another module.',
      from: { path: PURE },
      // node:net through records/ only: see pure-ip-parsing-only-in-records.
      to: { path: IO, pathNot: '^(node:)?net$', reachable: true },
    },
    {
      name: 'pure-ip-parsing-only-in-records',
      severity: 'error',
      comment:
        "node:net is I/O, except its isIPv4/isIPv6, which are pure: records/ may import it for those (Node's own address parsing beats a hand-written one); no other pure module may.",
      from: { path: PURE, pathNot: '^src/records/' },
      to: { path: '^(node:)?net$' },
    },
    {
      name: 'commands-are-the-top',
      severity: 'error',
      comment:
        'Only cli.ts and the command modules themselves import commands/: the work a command does lives below it, and never reaches back up.',
      from: { path: '^src/', pathNot: '^src/(cli\\.ts$|commands/)' },
      to: { path: '^src/commands/' },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      comment: 'What src/ imports ships to users: it must be a dependency, not a devDependency.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default'],
    },
  },
};
