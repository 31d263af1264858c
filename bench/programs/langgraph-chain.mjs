// The hand-written baseline: a LangGraph JS program that builds and runs an N-node echo chain,
// the same graph `agentmap run` builds from chain-N.csv (node i copies v<i> to v<i+1>).
import { Annotation, END, START, StateGraph } from "@langchain/langgraph"

const n = Number(process.argv[2] ?? 3)
const channels = {}
for (let i = 0; i <= n; i++) channels[`v${i}`] = Annotation()
const State = Annotation.Root(channels)
const graph = new StateGraph(State)
for (let i = 0; i < n; i++) graph.addNode(`N${i}`, (state) => ({ [`v${i + 1}`]: state[`v${i}`] }))
graph.addEdge(START, "N0")
for (let i = 0; i < n - 1; i++) graph.addEdge(`N${i}`, `N${i + 1}`)
graph.addEdge(`N${n - 1}`, END)
const result = await graph.compile().invoke({ v0: "hello" }, { recursionLimit: n + 10 })
process.stdout.write(`${JSON.stringify({ last: result[`v${n}`] })}\n`)
