/** The dependency rule of the hexagon (see ../shared/design/architecture.md), checked on every test run. */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Circular imports hide layering mistakes and break bundling order.",
      from: {},
      to: { circular: true }
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "src/domain may import only effect and other domain modules.",
      from: { path: "^src/domain/" },
      to: { pathNot: ["^src/domain/", "^node_modules/effect/"] }
    },
    {
      name: "ports-speak-domain",
      severity: "error",
      comment: "src/ports may import only the domain and effect.",
      from: { path: "^src/ports/" },
      to: { pathNot: ["^src/domain/", "^src/ports/", "^node_modules/effect/"] }
    },
    {
      name: "application-uses-ports",
      severity: "error",
      comment: "src/application may import only domain, ports, application and effect.",
      from: { path: "^src/application/" },
      to: { pathNot: ["^src/domain/", "^src/ports/", "^src/application/", "^node_modules/effect/"] }
    },
    {
      name: "inner-layers-never-import-adapters",
      severity: "error",
      from: { path: "^src/(domain|ports|application)/" },
      to: { path: "^src/(adapters|main)/" }
    },
    {
      name: "doors-do-not-lean-on-the-cli",
      severity: "error",
      comment: "The CLI is one door: the HTTP server, embedding and serverless adapters share only what sits below the doors (config, logging, version, http routes).",
      from: { path: "^src/adapters/", pathNot: "^src/adapters/cli/" },
      to: { path: "^src/adapters/cli/" }
    },
    {
      name: "doors-stand-apart",
      severity: "error",
      comment: "The HTTP routes serve every door; no door reaches into another (serverless, embedding, cli).",
      from: { path: "^src/adapters/(http|serverless|embedding)/" },
      to: { path: "^src/adapters/(serverless|embedding|cli)/", pathNot: "^src/adapters/$1/" }
    },
    {
      name: "adapters-do-not-import-entrypoints",
      severity: "error",
      from: { path: "^src/adapters/" },
      to: { path: "^src/main/" }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js", ".mjs"] }
  }
}
