type Importer = (specifier: string) => Promise<unknown>

/**
 * `import()` of user modules. The CLI bundle runs from a V8 code cache, where `import()` has no
 * module loader behind it; bin/agentmap.cjs hands one in as `globalThis.__agentmapImport`.
 */
export const dynamicImport = (specifier: string): Promise<unknown> => {
  const host = (globalThis as { readonly __agentmapImport?: Importer }).__agentmapImport
  return host !== undefined ? host(specifier) : import(specifier)
}
