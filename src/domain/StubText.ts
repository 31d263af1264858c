import type { Routing } from "./Routing.js"
import type { StubUsage } from "./ScaffoldNeeds.js"

/**
 * The text of the stubs `agentmap scaffold` writes. Every stub runs as written and returns a value
 * labelled PLACEHOLDER, so a scaffolded workflow validates and runs before its author fills it in.
 */
export const PLACEHOLDER = "[scaffold placeholder]"

/** Text that goes inside a block comment: no comment terminator, one line, not too long. */
const commentSafe = (text: string, max = 160): string => {
  const flat = text.replace(/\*\//g, "*\\/").replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

const list = (names: ReadonlyArray<string>) => (names.length === 0 ? "none" : names.join(", "))

const routingText = (routing: Routing): string => {
  switch (routing._tag) {
    case "End":
      return "none (the graph ends here)"
    case "Edge":
      return list(routing.targets)
    case "Branch":
      return `on success ${list(routing.success)}; on failure ${list(routing.failure)}`
    case "Function":
      return `func:${routing.name} (success ${list(routing.success)}; failure ${list(routing.failure)})`
  }
}

const fileName = (file: string) => file.split(/[\\/]/).pop() ?? file

/** The rows that use a stub, each with what its author needs to know. */
export const usageLines = (usages: ReadonlyArray<StubUsage>, options: { readonly tools?: boolean } = {}): ReadonlyArray<string> =>
  usages.flatMap((u) => [
    `- graph ${commentSafe(u.graph, 80)}, node ${commentSafe(u.node, 80)} (${commentSafe(fileName(u.file), 80)} line ${u.line}, AgentType ${commentSafe(u.declaredType || "default", 40)})`,
    ...(u.description.trim() !== "" ? [`    description: ${commentSafe(u.description)}`] : []),
    `    inputs: ${list(u.inputs.map((i) => (i.param === i.stateKey ? i.param : `${i.param} (from state '${i.stateKey}')`)))}`,
    `    output field${u.outputs.length === 1 ? "" : "s"}: ${list(u.outputs.map((o) => o.stateKey))}`,
    ...(u.prompt.trim() !== "" ? [`    prompt: ${commentSafe(u.prompt)}`] : []),
    `    context keys: ${list(u.contextKeys)}`,
    `    comes from: ${list(u.from)}; goes to: ${routingText(u.routing)}`,
    ...(options.tools === true && u.toolSource.trim() !== "" ? [`    Tool_Source: ${commentSafe(u.toolSource)}`] : [])
  ])

const docComment = (lines: ReadonlyArray<string>) => ["/**", ...lines.map((l) => (l === "" ? " *" : ` * ${l}`)), " */"].join("\n")

/** The keys an agent used by these rows returns: several Output_Fields (`a|b`) ask for an object with those keys. */
export const outputKeys = (usages: ReadonlyArray<StubUsage>): ReadonlyArray<string> => {
  const several = usages.filter((u) => u.outputs.length > 1)
  return [...new Set(several.flatMap((u) => u.outputs.map((o) => o.source ?? o.stateKey)))]
}

const identifier = (name: string) => {
  const cleaned = name.replace(/[^\w$]/g, "_")
  return /^[A-Za-z_$]/.test(cleaned) ? cleaned : `_${cleaned}`
}

/** A JS property key: bare when it can be, quoted otherwise. */
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name))

/** `<type>.ts` in the custom agents folder: `defineAgent` with a run that returns a labelled placeholder. */
export const agentStub = (type: string, usages: ReadonlyArray<StubUsage>): string => {
  const keys = outputKeys(usages)
  const description = usages.map((u) => u.description.trim()).find((d) => d !== "") ?? `Custom agent '${type}' (scaffolded; replace the placeholder in run)`
  const label = `\`${PLACEHOLDER} ${type.replace(/[`\\$]/g, "_")} agent, node \${ctx.node.name}: replace with real output (inputs: \${JSON.stringify(ctx.inputs)})\``
  const result =
    keys.length === 0
      ? [`    return ${label}`]
      : [`    const placeholder = ${label}`, "    return {", ...keys.map((k) => `      ${key(k)}: placeholder,`), "    }"]
  return [
    docComment([
      `Custom agent type '${commentSafe(type, 80)}', scaffolded by \`agentmap scaffold\`.`,
      "Replace the placeholder in `run` with the agent's work: `ctx.inputs` holds the Input_Fields,",
      "`ctx.prompt` the filled prompt, `ctx.context` the Context; `ctx.llm`, `ctx.storage`, `ctx.services`,",
      "`ctx.log`, `ctx.signal`, `ctx.suspend(payload)` and `ctx.emit(data)` are there when it needs them.",
      keys.length === 0
        ? "Return the value for the node's Output_Field (or a Promise of it)."
        : `Return an object with the keys ${keys.join(", ")} (the rows list several Output_Fields).`,
      "",
      "Used by:",
      ...usageLines(usages)
    ]),
    `import { defineAgent } from "agentmap"`,
    "",
    "export default defineAgent({",
    `  description: ${JSON.stringify(description)},`,
    "  run: (ctx) => {",
    ...result,
    "  }",
    "})",
    ""
  ].join("\n")
}

/** `<name>.ts` in the functions folder: the routing signature, following the node's outcome until it is written. */
export const functionStub = (name: string, usages: ReadonlyArray<StubUsage>): string => {
  const exported = /^[A-Za-z_$][\w$]*$/.test(name) ? `export function ${name}` : `export default function ${identifier(name)}`
  return [
    docComment([
      `Routing function '${commentSafe(name, 80)}' (\`func:${commentSafe(name, 80)}\`), scaffolded by \`agentmap scaffold\`.`,
      "Called after the node runs as (state, successTarget, failureTarget); returns the node(s) to run next",
      "(a name, a list of names for a parallel fan-out, or null to end the branch).",
      `${PLACEHOLDER} Until it is written it follows the node's outcome like Success_Next/Failure_Next.`,
      "",
      "Used by:",
      ...usageLines(usages)
    ]),
    `${exported}(`,
    "  state: Readonly<Record<string, unknown>>,",
    "  successTarget: string | ReadonlyArray<string> | null,",
    "  failureTarget: string | ReadonlyArray<string> | null",
    "): string | ReadonlyArray<string> | null {",
    `  // ${PLACEHOLDER} replace with your routing`,
    `  return state["last_action_success"] === false ? failureTarget : successTarget`,
    "}",
    ""
  ].join("\n")
}

/** The argument names a tool stub takes: the Input_Fields of the rows that use it. */
const toolArguments = (usages: ReadonlyArray<StubUsage>) => [...new Set(usages.flatMap((u) => u.inputs.map((i) => i.param)))]

/** One `defineTool` export (no import line: see toolModule and IMPORT_DEFINE_TOOL). */
export const toolStub = (name: string, description: string | undefined, usages: ReadonlyArray<StubUsage>): string => {
  const args = toolArguments(usages)
  const properties = args.map((a) => `      ${key(a)}: { description: ${JSON.stringify(`input field '${a}'`)} },`)
  return [
    docComment([`Tool '${commentSafe(name, 80)}', scaffolded by \`agentmap scaffold\`. Replace the placeholder in \`run\`.`, "", "Used by:", ...usageLines(usages, { tools: true })]),
    `export const ${identifier(name)} = defineTool({`,
    `  name: ${JSON.stringify(name)},`,
    `  description: ${JSON.stringify(description ?? `Tool '${name}' (scaffolded; replace the placeholder in run)`)},`,
    "  schema: {",
    `    type: "object",`,
    ...(properties.length === 0 ? ["    properties: {},"] : ["    properties: {", ...properties, "    },"]),
    `    required: [${args.map((a) => JSON.stringify(a)).join(", ")}]`,
    "  },",
    `  run: (args) => \`${PLACEHOLDER} ${name.replace(/[`\\$]/g, "_")}(\${JSON.stringify(args)}): replace with the tool's work\``,
    "})",
    ""
  ].join("\n")
}

export const IMPORT_DEFINE_TOOL = `import { defineTool } from "agentmap"`

/** Whether a module already imports defineTool from agentmap (then appended stubs need no import). */
export const importsDefineTool = (text: string): boolean => /import\s*\{[^}]*\bdefineTool\b[^}]*\}\s*from\s*["']agentmap["']/.test(text)

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * Whether a module's text defines a tool (a heuristic, not an import: `name: "add"` as defineTool and
 * LangChain's `tool()` write it, or an export named after the tool).
 */
export const definesTool = (text: string, name: string): boolean =>
  new RegExp(`\\bname\\s*:\\s*["'\`]${escapeRegExp(name)}["'\`]`).test(text) ||
  new RegExp(`\\bexport\\s+(?:const|let|var|(?:async\\s+)?function\\*?)\\s+${escapeRegExp(identifier(name))}\\b`).test(text)

/** A new tool module holding the given stubs. */
export const toolModule = (stubs: ReadonlyArray<string>): string =>
  [docComment(["Tools scaffolded by `agentmap scaffold`: each returns a labelled placeholder until it is written."]), IMPORT_DEFINE_TOOL, "", ...stubs].join("\n")

/** An existing module with stubs appended (and the defineTool import put first when it lacks one). */
export const appendToolStubs = (text: string, stubs: ReadonlyArray<string>): string => {
  const withImport = importsDefineTool(text) ? text : `${IMPORT_DEFINE_TOOL}\n${text}`
  return `${withImport}${withImport.endsWith("\n") ? "" : "\n"}\n${stubs.join("\n")}`
}
