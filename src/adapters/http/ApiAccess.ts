import { type HttpApiEndpoint, type HttpApiGroup, OpenApi } from "@effect/platform"
import { Context } from "effect"
import type { Permission } from "../../domain/Auth.js"
import { answers } from "./ApiProblems.js"

/** Who may call an endpoint: anyone, or a principal with this permission (admin has them all). */
export type Access = Permission | "public"

/** The access an endpoint needs: read by its handler's gate and written into the OpenAPI document. */
export class EndpointAccess extends Context.Tag("agentmap/http/EndpointAccess")<EndpointAccess, Access>() {}

export const CREDENTIALS = ["apiKey", "bearer"] as const

type Operation = Record<string, unknown> & { responses?: Record<string, Record<string, unknown>>; parameters?: Array<unknown>; requestBody?: Record<string, unknown> }

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })

/** Headers every gated response carries, and the ones of a refusal (components added in Api.ts). */
const withHeaders = (responses: Record<string, Record<string, unknown>>) =>
  Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      {
        ...response,
        headers: {
          "X-Correlation-Id": ref("headers", "CorrelationId"),
          ...(status === "429" ? { "Retry-After": ref("headers", "RetryAfter") } : {}),
          ...(status === "401" ? { "WWW-Authenticate": ref("headers", "WwwAuthenticate") } : {})
        }
      }
    ])
  )

export interface OperationOptions {
  readonly summary: string
  readonly description?: string
  readonly access: Access
  /**
   * Goes through the gate (rate limits, then credentials and permission): answers 429, and for
   * a permission also 401, 403 and 503 (the key store is unreachable). Default true.
   */
  readonly gated?: boolean
  /** An empty body is accepted (it means `{}`). */
  readonly optionalBody?: boolean
  /** The 200 may also be this text (besides the JSON the endpoint declares), e.g. `text/plain` for a drawing. */
  readonly alsoText?: { readonly contentType: string; readonly description: string }
}

const withText = (responses: Record<string, Record<string, unknown>>, text: OperationOptions["alsoText"]) => {
  const success = responses["200"]
  if (text === undefined || success === undefined) return responses
  const content = (success["content"] ?? {}) as Record<string, unknown>
  return { ...responses, "200": { ...success, content: { ...content, [text.contentType]: { schema: { type: "string", description: text.description } } } } }
}

/** Summary, description, access and the statuses the gate adds; in the document, the security requirement the access means. */
export const operation =
  (options: OperationOptions) =>
  <E extends HttpApiEndpoint.HttpApiEndpoint.Any>(endpoint: E): E => {
    const gated = options.gated ?? true
    const needs = options.access === "public" ? "" : ` Needs the \`${options.access}\` permission (or \`admin\`).`
    const described = (endpoint as unknown as HttpApiEndpoint.HttpApiEndpoint.AnyWithProps)
      .annotate(OpenApi.Summary, options.summary)
      .annotate(OpenApi.Description, `${options.description ?? options.summary}${needs}`)
      .annotate(EndpointAccess, options.access)
      .annotate(OpenApi.Transform, (unchanged: Operation) => {
        const op = { ...unchanged, responses: withText(unchanged.responses ?? {}, options.alsoText) }
        return {
        ...op,
        // OpenAPI 3.1 lets an apiKey or http requirement name roles: the permission this route needs
        security: options.access === "public" ? [] : CREDENTIALS.map((scheme) => ({ [scheme]: [options.access] })),
        ...(gated ? { parameters: [...(op.parameters ?? []), ref("parameters", "CorrelationId")], responses: withHeaders(op.responses ?? {}) } : {}),
        ...(options.optionalBody === true && op.requestBody !== undefined ? { requestBody: { ...op.requestBody, required: false } } : {})
        }
      })
    // a fault inside a handler is a 500 problem (Respond.ts); the public routes' handlers have none to catch
    const statuses = !gated ? [] : options.access === "public" ? [429] : [401, 403, 429, 500, 503]
    return answers(statuses)(described as unknown as E)
  }

/** An endpoint's access, as its handler's gate checks it. */
export const accessOf = (group: HttpApiGroup.HttpApiGroup.AnyWithProps, endpoint: string): Access => {
  const found = (group.endpoints as Record<string, HttpApiEndpoint.HttpApiEndpoint.AnyWithProps | undefined>)[endpoint]
  if (found === undefined) throw new Error(`no endpoint ${group.identifier}.${endpoint}`)
  return Context.unsafeGet(found.annotations as Context.Context<EndpointAccess>, EndpointAccess)
}
