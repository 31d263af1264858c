// Build step of scripts/build-cloud.mjs: loads a fresh cloud bundle and answers a few requests the
// way the platform would, so that the code cache written at exit holds what a cold start compiles.
"use strict"
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")

const [out, cloud] = process.argv.slice(2)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-warmup-"))
fs.mkdirSync(path.join(dir, "workflows"))
fs.writeFileSync(path.join(dir, "workflows", "warm.csv"), "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge\nW,A,echo,x,y,B\nW,B,echo,y,z,\n")
process.chdir(dir)
Object.assign(process.env, { AGENTMAP_AUTH_ENABLED: "false", AGENTMAP_LOG_LEVEL: "none", AGENTMAP_CONFIG_FILE: "" })
const body = JSON.stringify({ state: { x: "warm" } })

const main = async () => {
  const bundle = require(path.join(out, "index.js"))
  if (cloud === "aws") {
    const http = (method, rawPath, withBody) => ({
      version: "2.0",
      rawPath,
      rawQueryString: "",
      headers: { "content-type": "application/json", host: "warmup" },
      requestContext: { requestId: `warm-${rawPath}`, stage: "$default", http: { method } },
      ...(withBody ? { body, isBase64Encoded: false } : {})
    })
    for (let i = 0; i < 3; i++) {
      await bundle.handler(http("POST", "/execute/warm", true), { awsRequestId: `w${i}` })
      await bundle.handler({ Records: [{ messageId: `m${i}`, body: JSON.stringify({ workflow: "warm", state: { x: "q" } }), eventSource: "aws:sqs" }] }, { awsRequestId: `q${i}` })
    }
    await bundle.handler(http("GET", "/health", false), { awsRequestId: "h" })
  } else if (cloud === "azure") {
    const request = (method, url, withBody) => ({ method, url, headers: new Headers({ "content-type": "application/json" }), arrayBuffer: async () => (withBody ? new TextEncoder().encode(body).buffer : new ArrayBuffer(0)) })
    for (let i = 0; i < 3; i++) {
      await bundle.httpHandler(request("POST", "http://warmup/api/execute/warm", true), { invocationId: `w${i}` })
      await bundle.queueHandler({ workflow: "warm", state: { x: "q" } }, { invocationId: `q${i}`, triggerMetadata: { id: `m${i}` } })
    }
  } else {
    const response = () => {
      const res = { status: () => res, set: () => res, send: () => res }
      return res
    }
    for (let i = 0; i < 3; i++) {
      await bundle.http({ method: "POST", url: "/execute/warm", headers: { "content-type": "application/json", host: "warmup" }, rawBody: Buffer.from(body) }, response())
      await bundle.cloudEvent({ id: `e${i}`, type: "google.cloud.pubsub.topic.v1.messagePublished", data: { message: { messageId: `m${i}`, data: Buffer.from(JSON.stringify({ workflow: "warm" })).toString("base64") } } })
    }
  }
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e)
    process.exit(1)
  }
)
