/** What `agentmap init` writes: a commented configuration and a first workflow. */
export const CONFIG_TEMPLATE = `# AgentMap configuration. Relative paths are resolved against this file's folder.
# Every string value may read the environment: env:VAR or env:VAR:default.
# Every key may be overridden with AGENTMAP_<SECTION>__<KEY>, e.g. AGENTMAP_EXECUTION__MAX_STEPS=500.

paths:
  csv_repository: workflows     # where 'agentmap run name::Graph' looks for name.csv
  functions: functions          # routing functions: func:name -> functions/name.ts|.js
  custom_agents: custom_agents  # custom agent modules: custom_agents/weather.ts -> AgentType weather
  custom_tools: custom_tools    # tool modules a Tool_Source names (after the CSV's own folder)
  host_services: host_services  # a module default-exporting the services custom agents get as ctx.services
  cache: .agentmap              # checkpoints, keys, compiled functions and modules

# mcp:                          # tools from MCP servers: Tool_Source mcp:files, Available_Tools read_file|*
#   servers:
#     files: { command: npx, args: ["-y", "@modelcontextprotocol/server-filesystem", "./data"] }
#     search: { url: "https://mcp.example.com/mcp", headers: { authorization: "env:SEARCH_TOKEN" } }

execution:
  success_policy:
    type: all_nodes             # all_nodes | final_node | critical_nodes | custom
    # critical_nodes: [Greet]
    # custom_function: my_policy
  tracking:
    enabled: true

auth:
  enabled: true                 # false: a public server (serve warns when it listens beyond loopback)
  # jwt:                        # accept JWTs besides API keys (agentmap auth generate-key)
  #   secret: env:AGENTMAP_JWT_SECRET   # HS256; or jwks_url: https://issuer.example/.well-known/jwks.json
  #   issuer: https://issuer.example
  #   audience: agentmap
  #   require_exp: true         # refuse tokens without an expiry (exp)
  #   max_age_seconds: 3600     # refuse tokens issued (iat) longer ago than this; unset: no limit
  #   clock_tolerance_seconds: 30   # leeway for exp, nbf and iat against this machine's clock

logging:
  level: warning                # debug | info | warning | error
  # format: json                # pretty | json (default: pretty on a terminal; JSON for serve off a terminal and in the clouds)
  # file: logs/agentmap.log     # write logs there instead of the console, rotated past file_max_bytes (10 MiB), file_keep: 5 kept
`

export const HELLO_WORLD_CSV = `GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt,Description
HelloWorld,AskName,input,,name,Greet,What is your name?,Asks for a name unless the state already holds one
HelloWorld,Greet,echo,name,greeting,,"Hello {name}, welcome to AgentMap!",Greets by name
`
