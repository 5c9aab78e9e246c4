import path from 'node:path';

/** Joseph Gentle's editing traces (CC BY 4.0), vendored so every checkout has them (vendor/editing-traces/README.md). */
export const TRACES_DIR = path.resolve(import.meta.dirname, '..', '..', 'vendor', 'editing-traces');
