// The web inspector served at /ui (README "Web inspector (/ui)"). scripts/build.mjs builds it
// into dist/ui with this configuration; every reference is relative so it works under a prefix.
import { defineConfig } from "vite"

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { emptyOutDir: true, sourcemap: false, target: "es2022", assetsInlineLimit: 0, reportCompressedSize: false },
  logLevel: "warn"
})
