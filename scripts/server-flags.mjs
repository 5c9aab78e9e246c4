/**
 * Node's flags for the composed server, as `npm start` runs it and as the benchmarks measure it.
 * - A 4 MB young-generation semispace instead of V8's 16 MB: the heap of a server that relays
 *   small messages needs little of it, and the rest is resident memory (measured under scenario a
 *   of the co-drafting benchmark: RSS 141 → 123 MB, server CPU 62 → 63 %).
 * - No `--enable-source-maps` by default: it keeps the parsed source map of every module loaded,
 *   Next.js's runtimes and route chunks included (≈ 8 MB of heap at start, more as routes load;
 *   scenario d RSS 126–129 → 120 MB), and in this process it maps only errors that Next.js logs —
 *   Next.js replaces Error.prepareStackTrace as it starts, so `error.stack` in our log lines stays unmapped
 *   with or without it. An operator who wants mapped page errors sets
 *   NODE_OPTIONS=--enable-source-maps (README, Configuration).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4'];
