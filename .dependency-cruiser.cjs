/**
 * The import rules of DESIGN.md that ESLint cannot see across files: no
 * import cycles (type-only imports count: a cycle of types is still two
 * modules that cannot be understood apart), and the direction between
 * layers, written down once below. `npm run lint` runs it; a violation
 * fails `npm test`.
 */

/**
 * Layers from the top down. A module may import its own layer and any layer
 * below it, never one above. The order is the one the README's folder map
 * shows.
 */
const LAYERS = [
  // Entry points and composition: start processes, wire the backend together.
  ['entry', '^(electron/|backend/app\\.ts$|backend/server/main\\.ts$|backend/host/)'],
  // Transports: carry the protocol to a browser or a window.
  ['transports', '^backend/server/'],
  // Plans: a goal as a graph of tasks carried out by agents in waves.
  ['plans', '^backend/plans/'],
  // Landing: merge previews, gates, merges and the worktree ledger.
  ['landing', '^backend/landing/'],
  // Domain handlers above the agents.
  ['settings', '^backend/settings/'],
  // The agent runtime: the Claude tool loop, its tools, workspaces.
  ['agent', '^backend/agent/'],
  // Every model request and tool call passes the hook pipeline.
  ['hooks', '^backend/hooks/'],
  // What hooks and agents use: model providers, personas, secret redaction, terminals, host facts.
  ['services', '^backend/(provider|personas|redaction|pty|system)/'],
  // Request routing and the event stream; the database; start-up configuration.
  ['foundation', '^(backend/bus/|backend/persistence/|backend/config\\.ts$)'],
  // The typed contract every side shares.
  ['protocol', '^backend/protocol/'],
  // Libraries with no knowledge of agents or transports.
  ['libraries', '^(cache|native)/'],
];

const upward = LAYERS.flatMap(([name, path], index) =>
  LAYERS.slice(0, index).map(([above, abovePath]) => ({
    name: `${name}-not-above`,
    comment: `The ${name} layer may not import the ${above} layer: layers point down (see LAYERS in .dependency-cruiser.cjs).`,
    severity: 'error',
    // Tests, test support and benchmarks assemble whole layers on purpose; a layer's path excludes the ones above it.
    from: {
      path,
      pathNot: [
        '\\.test\\.ts$|/testing/|/bench/|test-support\\.ts$',
        ...LAYERS.slice(0, index).map(([, p]) => p),
      ],
    },
    to: { path: abovePath },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'Modules that import each other (directly or through others) cannot be read, tested or moved apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|frontend|\\.angular|\\.tools)/' },
  },
};
