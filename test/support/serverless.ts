import * as fs from "node:fs"
import * as path from "node:path"
import { SignJWT } from "jose"
import { workspace } from "./workspace.js"

export const FIXTURES = path.resolve(import.meta.dirname, "..", "fixtures", "serverless")
export const JWT_SECRET = "serverless-test-secret-long-enough-for-hs256"

/** A bearer token the test config accepts (HS256, every permission); `{ expires: false }` leaves out `exp`, which it refuses. */
export const token = (options: { readonly expires?: boolean } = {}) => {
  const jwt = new SignJWT({ permissions: ["read", "execute", "admin"] }).setProtectedHeader({ alg: "HS256" }).setSubject("tester").setIssuedAt()
  if (options.expires !== false) jwt.setExpirationTime("10m")
  return jwt.sign(new TextEncoder().encode(JWT_SECRET))
}

/** A fixture event, with `{{NAME}}` placeholders filled in. */
export const fixture = (name: string, fill: Readonly<Record<string, string>> = {}): Record<string, unknown> => {
  let text = fs.readFileSync(path.join(FIXTURES, name), "utf8")
  for (const [k, v] of Object.entries(fill)) text = text.split(`{{${k}}}`).join(v)
  return JSON.parse(text) as Record<string, unknown>
}

const HEADER = "GraphName,Node,AgentType,Input_Fields,Output_Field,Success_Next,Failure_Next,Prompt"

/**
 * The project the serverless tests deploy: a 3-node chain, an approval that suspends, triggers
 * mapped for S3, GCS, a schedule and a table, JWT auth (unless `jwt: false`: then only API keys)
 * and a small body limit (oversized fixtures). `persistence` is appended by each test file.
 */
export const serverlessProject = (persistence = "", options: { readonly jwt?: boolean } = {}) =>
  workspace({
    "workflows/chain.csv": `${HEADER}\nChain,First,echo,input,a,Second,,\nChain,Second,echo,a,b,Third,,\nChain,Third,echo,b,output,,,\n`,
    "workflows/approval.csv": `${HEADER}\nApproval,Ask,human,request,answer,Done,Rejected,Approve {request}?\nApproval,Done,echo,answer,outcome,,,\nApproval,Rejected,echo,answer,outcome,,,\n`,
    "workflows/ingest.csv": `${HEADER}\nIngest,Take,echo,key,seen,,,\n`,
    "agentmap_config.yaml": [
      ...(options.jwt === false ? [] : ["auth:", "  jwt:", `    secret: ${JWT_SECRET}`]),
      "http:",
      "  max_body_bytes: 4096",
      "triggers:",
      "  s3:",
      "    - bucket: agentmap-inbox",
      "      prefix: invoices/",
      "      workflow: ingest",
      "      state:",
      "        source: s3",
      "  gcs:",
      "    - bucket: agentmap-inbox",
      "      prefix: reports/",
      "      workflow: ingest",
      "      state_key: object",
      "  schedules:",
      "    - rule: nightly-report",
      "      workflow: chain",
      "      state:",
      "        input: nightly",
      "      state_key: schedule",
      "  dynamodb:",
      "    - table: Orders",
      "      events: [MODIFY]",
      "      workflow: chain",
      "      state:",
      "        input: order changed",
      "      state_key: change",
      persistence
    ].join("\n")
  })

/** Captures what the handlers log (JSON lines on stdout) while `work` runs. */
export const captureLogs = async <A>(work: () => Promise<A>): Promise<{ value: A; lines: Array<Record<string, unknown>> }> => {
  const original = process.stdout.write.bind(process.stdout)
  const lines: Array<Record<string, unknown>> = []
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: Array<unknown>) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")
    for (const line of text.split("\n")) {
      if (line.startsWith("{")) {
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>)
          continue
        } catch {
          // not one of ours
        }
      }
    }
    return original(chunk as never, ...(rest as []))
  }) as typeof process.stdout.write
  try {
    return { value: await work(), lines }
  } finally {
    process.stdout.write = original
  }
}
