import type { Effect } from "effect"

/**
 * The services a host hands to custom agents (`createAgentMap({ services })`,
 * `AgentMap.layer({ services })`, or `paths.host_services`). Empty here: a host describes its own
 * by augmenting it, and `ctx.services` is typed from then on:
 *
 *     declare module "agentmap" { interface HostServices { database: Database } }
 */
export interface HostServices {}

/** The model call a custom agent makes: the node's provider and model (Context), with overrides. */
export interface AgentChatRequest {
  readonly system?: string
  /** The user's turn; or give the whole conversation as `messages`. */
  readonly user?: string
  readonly messages?: ReadonlyArray<{ readonly role: "user" | "assistant"; readonly content: string }>
  readonly provider?: string
  readonly model?: string
  readonly temperature?: number
  readonly maxTokens?: number
}

export interface AgentChatReply {
  readonly text: string
  readonly provider: string
  readonly model: string
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number }
}

/** The run's LLM access: the same providers, routing, retries, circuit breaker and token accounting as the built-in LLM agents. */
export interface AgentLlm {
  readonly chat: (request: AgentChatRequest) => Promise<AgentChatReply>
}

/** The sandboxed store under `storage.base_directory`; paths are relative to it and cannot leave it. */
export interface AgentStorage {
  readonly readText: (path: string) => Promise<string>
  readonly writeText: (path: string, text: string, options?: { readonly append?: boolean }) => Promise<void>
  readonly readJson: (path: string) => Promise<unknown>
  readonly writeJson: (path: string, value: unknown, options?: { readonly append?: boolean }) => Promise<void>
  readonly readCsv: (path: string) => Promise<ReadonlyArray<Readonly<Record<string, unknown>>>>
  readonly writeCsv: (path: string, rows: ReadonlyArray<Readonly<Record<string, unknown>>>, options?: { readonly append?: boolean }) => Promise<void>
}

/** The run's logger: node, graph, thread and correlation id are attached to every line. */
export interface AgentLog {
  readonly debug: (message: string, fields?: Readonly<Record<string, unknown>>) => void
  readonly info: (message: string, fields?: Readonly<Record<string, unknown>>) => void
  readonly warn: (message: string, fields?: Readonly<Record<string, unknown>>) => void
  readonly error: (message: string, fields?: Readonly<Record<string, unknown>>) => void
}

/** What a resume hands back to `ctx.suspend`. */
export interface ResumeAnswer {
  readonly action: string
  readonly data: unknown
}

/** Everything a custom agent sees of one node run. */
export interface AgentContext<Services = HostServices> {
  /** Input values by name (after Input_Fields mapping); only inputs present in the state. */
  readonly inputs: Readonly<Record<string, unknown>>
  /** The node's prompt, `{placeholders}` filled from the inputs. */
  readonly prompt: string
  /** The node's parsed Context column. */
  readonly context: Readonly<Record<string, unknown>>
  readonly node: {
    readonly name: string
    /** The agent type as the CSV spells it. */
    readonly type: string
    readonly description: string
    readonly inputs: ReadonlyArray<string>
    readonly outputs: ReadonlyArray<string>
    /** The CSV file and line the node is defined on. */
    readonly file: string
    readonly line: number
  }
  readonly graph: { readonly name: string; readonly nodes: ReadonlyArray<string>; readonly threadId: string }
  /** The whole state as the node sees it (a copy: writing to it changes nothing). */
  readonly state: Readonly<Record<string, unknown>>
  readonly llm: AgentLlm
  readonly storage: AgentStorage
  readonly services: Services
  readonly log: AgentLog
  /** Fires when the run is stopped (timeout, shutdown, a cancelled request). */
  readonly signal: AbortSignal
  /**
   * Human in the loop: the run suspends like a `suspend` node, with this payload. On resume the
   * node runs again and `suspend` returns the answer. Once per node run.
   */
  readonly suspend: (payload?: unknown) => Promise<ResumeAnswer>
  /** A `custom` event on streamed runs (nobody listening: nothing happens). */
  readonly emit: (data: unknown) => void
}

/** What `run` may return: the output value (an object when Output_Field is `a|b`), a Promise of it, or an Effect. */
export type AgentResult = unknown

/** A custom agent: what `defineAgent` takes and a module default-exports. */
export interface AgentDefinition<Services = HostServices> {
  readonly description?: string
  /** Host services the agent needs: a run without them is refused, naming what is missing. */
  readonly requires?: { readonly services?: ReadonlyArray<string> }
  readonly run: (ctx: AgentContext<Services>) => AgentResult | Promise<AgentResult> | Effect.Effect<AgentResult, unknown>
}

/** Declares a custom agent. Only adds types: a plain `{ run }` object works the same. */
export const defineAgent = <Services = HostServices>(definition: AgentDefinition<Services>): AgentDefinition<Services> => definition
