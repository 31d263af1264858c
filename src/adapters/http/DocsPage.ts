import { HttpServerResponse } from "@effect/platform"

/**
 * The interactive API reference: a small page that loads Scalar from its CDN and points it at
 * our OpenAPI document. (@effect/platform's HttpApiScalar inlines a 3 MB renderer into every
 * bundle that imports it; the page works the same without it.)
 */
export const docsPage = (openapiUrl: string) =>
  HttpServerResponse.html(`<!doctype html>
<html>
  <head>
    <title>AgentMap API</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
  </head>
  <body>
    <noscript>The OpenAPI document is at <a href="${openapiUrl}">${openapiUrl}</a>.</noscript>
    <script id="api-reference" data-url="${openapiUrl}"></script>
    <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
  </body>
</html>
`)
