import { Options } from "@effect/cli"

export const configOption = Options.text("config").pipe(
  Options.withAlias("c"),
  Options.withDescription("configuration file (default: AGENTMAP_CONFIG_FILE, ./agentmap_config.yaml, ~/.agentmap/agentmap_config.yaml)"),
  Options.optional
)

export const jsonOption = Options.boolean("json").pipe(Options.withDescription("print exactly one JSON document on stdout"))

export const prettyOption = Options.boolean("pretty").pipe(
  Options.withDescription("human-readable output (the default); with --json, indent the JSON")
)
