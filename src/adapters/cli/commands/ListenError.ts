import { InvalidRequest } from "../../../domain/Errors.js"

/** The Node system error (EADDRINUSE, EACCES, ...) somewhere under a server's failure. */
const systemCode = (e: unknown, depth = 0): { code: string; message: string } | undefined => {
  if (depth > 5 || typeof e !== "object" || e === null) return undefined
  const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown }
  if (typeof code === "string" && code.startsWith("E")) return { code, message: typeof message === "string" ? message : code }
  return systemCode(cause, depth + 1)
}

/**
 * Why `serve` could not listen, in words that say what to do. Exit 2: the user fixes it with
 * --host/--port or by stopping the other process.
 */
export const listenError = (e: unknown, bind: { readonly host: string; readonly port: number }) => {
  const address = `${bind.host.includes(":") ? `[${bind.host}]` : bind.host}:${bind.port}`
  const system = systemCode(e)
  const text =
    system?.code === "EADDRINUSE"
      ? `cannot listen on ${address}: the address is already in use (another agentmap serve, or another program, holds port ${bind.port}); pick another port with --port N (or http.port), or stop the process that holds it (e.g. find it with: lsof -i :${bind.port})`
      : system?.code === "EACCES"
      ? `cannot listen on ${address}: permission denied (ports below 1024 need privileges); use --port 8000 or another port above 1023`
      : system?.code === "EADDRNOTAVAIL" || system?.code === "ENOTFOUND" || system?.code === "EAI_AGAIN"
      ? `cannot listen on ${address}: '${bind.host}' is not an address of this machine; use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface)`
      : `cannot listen on ${address}: ${system?.message ?? (e instanceof Error && e.message !== "" ? e.message : String((e as { _tag?: unknown })?._tag ?? e))}`
  return new InvalidRequest({ message: text })
}
