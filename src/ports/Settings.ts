import { Context } from "effect"
import type { SuccessPolicy } from "../domain/SuccessPolicy.js"

/** Execution settings the application needs, already decoded from configuration. */
export interface ExecutionSettings {
  readonly successPolicy: SuccessPolicy
  /** Upper bound on steps per run; `undefined` = derived from the graph size. */
  readonly maxSteps: number | undefined
  readonly trackExecutions: boolean
  /** How often checkpoints are written: after every step (sync), in the background (async), at the end (exit). */
  readonly durability: "sync" | "async" | "exit"
  /** How long a running thread's lease lasts before another process may take it over. */
  readonly leaseMillis: number
}

export class Settings extends Context.Tag("agentmap/Settings")<Settings, ExecutionSettings>() {}
