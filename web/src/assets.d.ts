// Vite's `?url` imports: the address of a file shipped as it is (MapLibre's worker). Declared
// here rather than by referencing all of vite/client, whose browser-only globals the server's
// code would then see too. A script file (no imports), so the wildcard is ambient.
declare module '*?url' {
  const url: string
  export default url
}
