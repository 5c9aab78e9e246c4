/**
 * Node's flags for the composed server, as `npm start` runs it and as the benchmarks measure it.
 * - Source maps: stack traces in the logs name our files and lines.
 * - A 4 MB young-generation semispace instead of V8's 16 MB: the heap of a server that relays
 *   small messages needs little of it, and the rest is resident memory (measured under scenario a
 *   of the co-drafting benchmark: RSS 141 → 123 MB, server CPU 62 → 63 %).
 */
export const SERVER_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=4'];
