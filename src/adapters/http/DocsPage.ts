import { type HttpServerRequest, HttpServerResponse } from "@effect/platform"

/**
 * The interactive API reference: Swagger UI, served by AgentMap itself (DocsAssets), so the page
 * works offline and loads nothing from another host. Every reference is relative to the page
 * (`<prefix>/docs`), so it works under an embedding prefix and behind a path the server does not
 * see (an API Gateway stage); the validator badge, Swagger UI's one request to another host, is off.
 */
const page = HttpServerResponse.html(`<!doctype html>
<html lang="en">
  <head>
    <title>AgentMap API</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="stylesheet" href="docs/swagger-ui.css" />
    <style>body { margin: 0; background: #fafafa }</style>
  </head>
  <body>
    <noscript>The OpenAPI document is at <a href="openapi.json">openapi.json</a>.</noscript>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script>
      window.ui = SwaggerUIBundle({ url: new URL("openapi.json", document.baseURI).href, dom_id: "#swagger-ui", validatorUrl: null, deepLinking: true })
    </script>
  </body>
</html>
`)

/**
 * The page at `<prefix>/docs`. The router takes `<prefix>/docs/` for it too, where its relative
 * references would miss: that one is sent to `../docs` (relative as well, for the same reasons).
 */
export const docsPage = (request: HttpServerRequest.HttpServerRequest) =>
  request.url.split("?")[0]!.endsWith("/") ? HttpServerResponse.redirect("../docs", { status: 301 }) : page
