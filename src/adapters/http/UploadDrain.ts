import type { Readable } from "node:stream"

/** How much of a refused upload is read and thrown away, and for how long, before the connection is cut. */
export const DRAIN_LIMITS = { bytes: 64 * 1024 * 1024, millis: 30_000 } as const

/**
 * Reads and discards the rest of a request body the server has refused (413), so the client can
 * finish sending and read the answer: closing a socket with unread data in it makes the kernel
 * send a reset, and a client still writing (Node's fetch, for one) then reports `fetch failed`
 * instead of the 413 (RFC 9112 §9.6, lingering close). The connection stays usable once the body
 * has ended; past `limits` (a huge or stalled upload) it is cut.
 */
export const drainRefusedUpload = (source: Readable, limits: { readonly bytes: number; readonly millis: number } = DRAIN_LIMITS) => {
  if (source.readableEnded || source.destroyed) return
  let seen = 0
  const cut = () => {
    clearTimeout(timer)
    source.off("data", onData)
    // the request's socket: destroying it ends the upload that would go on
    ;(source as Readable & { readonly socket?: { destroy(): void } }).socket?.destroy()
  }
  const onData = (chunk: Buffer) => {
    seen += chunk.length
    if (seen > limits.bytes) cut()
  }
  const timer = setTimeout(cut, limits.millis)
  timer.unref()
  source.on("data", onData)
  source.once("end", () => clearTimeout(timer))
  source.once("close", () => clearTimeout(timer))
  source.resume()
}
