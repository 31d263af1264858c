/**
 * Workflows `run` must refuse and `validate` must fail, each with the errors (FILE:LINE:COL code)
 * both have to report. Files that only other files reference are in SUPPORTING.
 */
const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Context,Prompt"

const csv = (...rows: ReadonlyArray<string>) => `${[HEADER, ...rows].join("\n")}\n`

export interface Broken {
  readonly text: string
  readonly errors: ReadonlyArray<string>
}

export const BROKEN: Readonly<Record<string, Broken>> = {
  "unknown-agent.csv": { text: csv("G,A,ehco,B,,,,hi", "G,B,echo,,,,,"), errors: ["unknown-agent.csv:2:3 unknown-agent"] },
  "custom-agent.csv": { text: csv("G,A,aggregator,B,,,,", "G,B,echo,,,,,"), errors: ["custom-agent.csv:2:3 unknown-agent"] },
  "missing-function.csv": { text: csv("G,A,echo,func:choose,,,,hi", "G,B,echo,,,,,"), errors: ["missing-function.csv:2:4 missing-function"] },
  "missing-prompt-file.csv": { text: csv("G,A,echo,B,,,,file:nowhere.txt", "G,B,echo,,,,,"), errors: ["missing-prompt-file.csv:2:8 missing-prompt"] },
  "missing-prompt-entry.csv": { text: csv("G,A,echo,B,,,,prompt:nothing_here", "G,B,echo,,,,,"), errors: ["missing-prompt-entry.csv:2:8 missing-prompt"] },
  "bad-target.csv": { text: csv("G,A,echo,Bx,,,,", "G,B,echo,,,,,"), errors: ["bad-target.csv:2:4 unknown-target"] },
  "duplicate-node.csv": { text: csv("G,A,echo,B,,,,", "G,B,echo,,,,,", "G,B,echo,,,,,"), errors: ["duplicate-node.csv:3:2 duplicate-node", "duplicate-node.csv:4:2 duplicate-node"] },
  "missing-subgraph.csv": { text: csv("G,A,graph,B,,,{workflow=::Nope},", "G,B,echo,,,,,"), errors: ["missing-subgraph.csv:2:7 missing-subgraph"] },
  "subgraph-recursion.csv": {
    text: csv("G,A,graph,B,,,{workflow=::H},", "G,B,echo,,,,,", "H,X,graph,,,,{workflow=::G},"),
    errors: ["subgraph-recursion.csv:4:7 recursive-subgraph"]
  },
  // the error is in the file the subgraph comes from, at its own line
  "broken-subgraph-file.csv": { text: csv("G,A,graph,B,,,{workflow=inner.csv::Inner},", "G,B,echo,,,,,"), errors: ["inner.csv:2:3 unknown-agent"] },
  "unclosed-quote.csv": { text: csv("G,A,echo,B,,,,hi", 'G,B,echo,,,,,"never closed', "G,C,echo,,,,,"), errors: ["unclosed-quote.csv:3:8 csv-syntax"] }
}

export const SUPPORTING: Readonly<Record<string, string>> = {
  "inner.csv": csv("Inner,X,mystery,,,,,")
}

/** Valid files with warnings only: `validate` exits 0 and `run` runs them. */
export const WARNINGS_ONLY: Readonly<Record<string, string>> = {
  "unknown-column.csv": "GraphName,Node,AgentType,Edge,Colour\nG,A,echo,B,red\nG,B,echo,,blue\n",
  "isolated-node.csv": csv("G,A,echo,B,,,,", "G,B,echo,,,,,", "G,C,echo,,,,,"),
  // upstream's hello_world: Edge and Failure_Next on one row; Edge wins, with a warning
  "edge-and-failure.csv": csv("G,A,echo,B,,C,,", "G,B,echo,,,,,", "G,C,echo,,,,,")
}
