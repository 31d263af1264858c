// The shapes of the API answers the inspector reads (see README "HTTP server").

export interface WorkflowSummary {
  readonly name: string
  readonly graphs: ReadonlyArray<string>
  readonly valid: boolean
}

export interface GraphNode {
  readonly name: string
  readonly agent: string
  readonly description: string
  readonly inputs: ReadonlyArray<string>
  readonly outputs: ReadonlyArray<string>
  readonly prompt?: string
  /** A routing target that is no node of the graph. */
  readonly missing?: boolean
}

export interface GraphEdge {
  readonly from: string
  readonly to: string
  readonly kind: string
  readonly parallel: boolean
}

export interface Diagnostic {
  readonly severity?: string
  readonly message: string
  readonly node?: string
  readonly code?: string
}

export interface GraphJson {
  readonly workflow: string
  readonly graph: string
  readonly entry: string
  readonly nodes: ReadonlyArray<GraphNode>
  readonly edges: ReadonlyArray<GraphEdge>
  readonly terminal: ReadonlyArray<string>
  readonly joins: ReadonlyArray<string>
  readonly valid: boolean
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

export interface NodeExecution {
  readonly node: string
  readonly agent_type?: string
  readonly started_at?: string
  readonly duration_ms?: number
  readonly success: boolean
  readonly error?: string
}

export interface Interrupt {
  readonly node: string
  readonly type: string
  readonly payload?: {
    readonly interaction_type?: string
    readonly prompt?: string
    readonly options?: ReadonlyArray<unknown>
    readonly current_value?: unknown
    readonly value?: unknown
  }
}

export interface RunResult {
  readonly status: string
  readonly thread_id?: string
  readonly outputs?: Record<string, unknown>
  readonly execution_summary?: { readonly duration_ms?: number; readonly node_executions?: ReadonlyArray<NodeExecution> }
  readonly interrupt?: Interrupt | null
  readonly error?: { readonly tag?: string; readonly message?: string } | null
}

export interface Thread {
  readonly thread_id: string
  readonly workflow: string
  readonly graph: string
  readonly status: string
  readonly interrupt: Interrupt | null
  readonly created_at: string
  readonly updated_at: string
  readonly result?: RunResult | null
  readonly values?: Record<string, unknown>
}
