/**
 * Writes a run into bench/RESULTS.md: the co-drafting rows of the summary table (only the scenarios
 * this run measured are replaced) and a dated section with every figure, newest first.
 */
import fs from 'node:fs';

export type TScenarioName = 'a' | 'b' | 'c' | 'd';

type TFigures = Record<string, unknown>;

export interface TTargetResults {
  version: string;
  unavailable?: string;
  a?: TFigures;
  b?: TFigures;
  c?: TFigures;
  d?: TFigures;
}

export interface TRunResult {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; loadAverageAtStart: number };
  options: Record<string, unknown>;
  results: Record<string, TTargetResults>;
}

const SUMMARY_START = '<!-- codrafting:summary:start -->';
const SUMMARY_END = '<!-- codrafting:summary:end -->';
const RUNS = '<!-- codrafting:runs (newest first) -->';

const num = (value: unknown, unit = ''): string => {
  if (value === 'never') return 'never';
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return `${value}${unit}`;
};

const get = (figures: TFigures | undefined, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), figures);

/** Why a cell has no figure: the target or the scenario could not run. */
function missing(target: TTargetResults | undefined, figures: TFigures | undefined): string | undefined {
  if (!target) return 'not run';
  if (target.unavailable) return `not measured: ${target.unavailable}`;
  if (!figures) return 'not run';
  if (typeof figures.unavailable === 'string') return `not measured: ${figures.unavailable}`;
  if (typeof figures.error === 'string') return `failed: ${figures.error}`;
  return undefined;
}

/** What the rest of the shared machine used during the measured windows, when it was more than a little. */
function othersNote(run: TRunResult, scenario: 'a' | 'd'): string {
  const used = ['proxenia', 'hocuspocus'].map((t) => get(run.results[t]?.[scenario], 'otherProcessesCpuPercent'));
  if (!used.some((v) => typeof v === 'number' && v > 10)) return '';
  return `; other processes on the machine used ${num(used[0], ' %')} / ${num(used[1], ' %')} of a core meanwhile`;
}

interface TRowSpec {
  key: string;
  scenario: TScenarioName;
  label: string;
  cell: (figures: TFigures) => string;
  note: (run: TRunResult) => string;
}

const ROWS: TRowSpec[] = [
  {
    key: 'a-latency',
    scenario: 'a',
    label: 'co-drafting a: keystroke → every viewer, p50 / p95 / p99 (50 editors + 150 viewers)',
    cell: (f) => `${num(get(f, 'latency.p50Ms'))} / ${num(get(f, 'latency.p95Ms'))} / ${num(get(f, 'latency.p99Ms'))} ms`,
    note: (run) => `${run.options.seconds} s measured; reference Hocuspocus 4.7 p95 ≈ 8–12 ms${othersNote(run, 'a')}`,
  },
  {
    key: 'a-cost',
    scenario: 'a',
    label: 'co-drafting a: server CPU (% of one core) / RSS',
    cell: (f) => `${num(get(f, 'serverCpuPercent'), ' %')} / ${num(get(f, 'serverRssMeanMb'), ' MB')}`,
    note: () => 'reference Hocuspocus ≈ 35 %, 85–100 MB',
  },
  {
    key: 'b-knee',
    scenario: 'b',
    label: 'co-drafting b: knee, editors when the 5 s p95 passes 100 ms (+1 editor, +3 viewers a second)',
    cell: (f) => (typeof f.knee === 'number' ? `${f.knee} editors${typeof f.disturbedWindows === 'number' && f.disturbedWindows > 0 ? ` (${f.disturbedWindows} disturbed windows not counted)` : ''}` : `not reached (${String(f.stopReason ?? '')}; last window ${num(get(f, 'lastWindow.editors'))} editors, p95 ${num(get(f, 'lastWindow.p95Ms'), ' ms')})`),
    note: (run) =>
      `reference Hocuspocus ≈ 190–220 editors; in the knee's window the client processes used ${num(get(run.results.proxenia?.b, 'kneeWindow.clientCpuPercent'), ' %')} / ` +
      `${num(get(run.results.hocuspocus?.b, 'kneeWindow.clientCpuPercent'), ' %')} of a core and the servers ${num(get(run.results.proxenia?.b, 'kneeWindow.serverCpuPercent'), ' %')} / ` +
      `${num(get(run.results.hocuspocus?.b, 'kneeWindow.serverCpuPercent'), ' %')} (Proxenia / Hocuspocus): the two cores are full`,
  },
  {
    key: 'c-sync',
    scenario: 'c',
    label: 'co-drafting c: first full sync of the automerge-paper document (~260k edits), cold / warm p50',
    cell: (f) => `${num(get(f, 'coldMs'), ' ms')} / ${num(get(f, 'warmP50Ms'), ' ms')}`,
    note: () => 'target ≤ 200 ms for Proxenia',
  },
  {
    key: 'd-memory',
    scenario: 'd',
    label: 'co-drafting d: server RSS with 200 clients on one document, idle / typing',
    cell: (f) => `${num(get(f, 'serverRssIdleMb'), ' MB')} / ${num(get(f, 'serverRssMeanMb'), ' MB')}`,
    note: (run) =>
      `without clients: Proxenia ${num(get(run.results.proxenia?.d, 'serverRssEmptyMb'), ' MB')}, Hocuspocus ${num(get(run.results.hocuspocus?.d, 'serverRssEmptyMb'), ' MB')}`,
  },
];

function cellFor(run: TRunResult, target: string, row: TRowSpec): string {
  const entry = run.results[target];
  const figures = entry?.[row.scenario];
  return missing(entry, figures) ?? row.cell(figures as TFigures);
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Rows are kept per client mode: full-client runs get their own rows beside the light ones. */
const FULL = ' (full clients)';
const rowKey = (row: TRowSpec, full: boolean) => `${row.key}${full ? '-full' : ''}`;

function summaryRow(run: TRunResult, row: TRowSpec, full: boolean): string {
  const date = `${run.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const label = `${row.label}${full ? FULL : ''}`;
  return `| ${label} <!-- ${rowKey(row, full)} --> | ${escapeCell(cellFor(run, 'proxenia', row))} | ${escapeCell(cellFor(run, 'hocuspocus', row))} | ${date} | ${escapeCell(row.note(run))} |`;
}

const METHOD = `### Method (bench/codrafting/)

**Workload.** Real editing traces replace synthetic typing: the edits come from
\`automerge-paper.json.gz\` in Joseph Gentle's [editing-traces](https://github.com/josephg/editing-traces)
(CC BY 4.0, by Joseph Gentle; unchanged copies in vendor/editing-traces). The trace's
single-character patches are grouped into edits of about 4 characters, and every editor applies one
such edit every 400 ms — Etherpad's author model — and then moves its caret in awareness (a
relative position, as Tiptap's collaboration caret does). Each editor owns one paragraph of the
Tiptap-style \`Y.XmlFragment\` ("default": a \`paragraph\` element holding a \`Y.XmlText\`), prefilled
with the trace's text at its own starting offset (0–400 edits in), and replays the trace from there,
so the trace's positions stay valid while 50 or 250 people type at once. Deletions are replayed too.

**Clients.** Every simulated person has its own connection and \`Y.Doc\`: \`@hocuspocus/provider\`
(over \`ws\`) for Hocuspocus; \`socket.io-client\` speaking PROTOCOL.md D1/D2/D7 (y-protocols sync and
awareness) with the person's Auth.js session cookie for Proxenia. Editors are delegates of member
delegations, viewers observers (read-only; on Hocuspocus, read-only connections via
\`connectionConfig.readOnly\`). Clients run in 3 processes separate from the server, on the same two
cores, over loopback; each Proxenia client connects from its own 127.x.y.z address, as distinct
browsers would (the per-address handshake limit H4 applies per person). By default clients are
*light*: they do all a browser does on the wire (handshake, authentication, full sync with the state
applied, their own edits and awareness), but once synced they do not apply what others send; they
only read its clock ranges. Hundreds of simulated Y.Docs applying every update and every caret
move cost several times the server's own work on the same two cores, and the benchmark would then
measure the clients (\`--clients full\` does apply everything; its rows are marked "full clients").

**Latency.** An editor records, for each edit that inserted text, its Yjs client id, the clock its
edit ended at, and the time it made the edit; a viewer records, for each document update it
receives after its sync, the clock range per client (\`Y.parseUpdateMeta\`) and the time. The
orchestrator pairs them: an edit reached a viewer with the first update whose range covers its last
clock. Times are \`performance.timeOrigin + performance.now()\`, comparable across processes on one
machine. Every (edit, viewer) pair counts; edits made before a viewer was synced do not; a delivery
that never happens counts as infinitely late. Deletion-only edits do not advance a clock and are not
timed (they still load the servers).

**Server cost.** CPU (user + system, % of one core, so 200 % is the whole machine) and RSS of the
server's process tree, sampled from \`/proc/<pid>/stat\` and \`/proc/<pid>/status\` every second over
the measured window. The machine is shared with other work (other people's builds and browser
tests), so the run watches the rest of the machine (busy CPU from \`/proc/stat\` minus the server, the
clients and the orchestrator): before each scenario it waits (up to 3 minutes) until others use less
than a quarter of a core; a window of a) or d) in which others used more is measured again (up to 4
times; the least disturbed stands, and the table says how busy the others were); the ramp b) holds
still while others are busy and does not count a window disturbed during it or the 5 s before.
Hocuspocus runs with its defaults (broadcasts coalesced
per event-loop turn, SQLite stored with a 2 s debounce); Proxenia runs its production build
(\`dist/server/index.js\`, SQLite, \`LOG_LEVEL=info\`), which makes each accepted update durable
before it is acknowledged and broadcast (D5).

**Scenarios.** a) 50 editors + 150 viewers, 5 s of typing before the measured window. b) from
empty, one editor and three viewers join every second and start at once; each second the p95 of
the edits sent in the 5 s window that ended 3 s earlier is computed; the knee is the number of
editors typing when that p95 first passes 100 ms (capped at 260 editors or 240 s). c) the whole
automerge-paper trace (259,778 patches, one transaction each) in one paragraph: Hocuspocus loads its
final state from its SQLite extension; Proxenia from its document log, one row per edit, with a
checkpoint where its server would have written its last one (it writes one every 2000 updates);
the time from creating the client to synced (sync step 2 applied, full client) is measured for the
first join (cold: the server loads the document) and nine more while the first stays (warm). d) 200
clients (50 editors + 150 viewers) on one document: RSS idle after joining, then while typing.

${RUNS}
`;

function runSection(run: TRunResult, jsonFile: string): string {
  const targets = ['proxenia', 'hocuspocus'];
  const lines: string[] = [];
  lines.push(`#### Run of ${run.startedAt.replace('T', ' ').slice(0, 16)} UTC`);
  lines.push('');
  lines.push(
    `${run.machine.cpus} × ${run.machine.cpuModel}, ${run.machine.memoryGiB} GiB, Node ${run.machine.node}; ` +
      `load average at start ${run.machine.loadAverageAtStart.toFixed(2)}; ${String(run.options.clients)} clients, ` +
      `${run.options.cursors ? 'carets in awareness' : 'no carets'}, ${String(run.options.procs)} client processes. Raw figures (kept locally, not committed): \`${jsonFile}\`.`,
  );
  lines.push('');
  for (const target of targets) {
    const entry = run.results[target];
    if (entry) lines.push(`- ${target}: ${entry.version}${entry.unavailable ? ` — **not measured**: ${entry.unavailable}` : ''}`);
  }
  lines.push('');
  const table = (title: string, scenario: TScenarioName, rows: [string, string, string?][]) => {
    if (!targets.some((t) => run.results[t]?.[scenario])) return;
    lines.push(`**${title}**`, '', '| | Proxenia | Hocuspocus |', '| --- | --- | --- |');
    for (const [label, path, unit] of rows) {
      const cells = targets.map((t) => {
        const entry = run.results[t];
        const figures = entry?.[scenario];
        const why = missing(entry, figures);
        if (why) return escapeCell(why);
        const value = get(figures, path);
        return Array.isArray(value) ? escapeCell(value.join('; ') || '—') : typeof value === 'string' ? escapeCell(value) : num(value, unit ?? '');
      });
      lines.push(`| ${label} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  };
  table(`a) ${run.options.editors} editors + ${run.options.viewers} viewers, ${run.options.seconds} s`, 'a', [
    ['latency p50', 'latency.p50Ms', ' ms'],
    ['latency p95', 'latency.p95Ms', ' ms'],
    ['latency p99', 'latency.p99Ms', ' ms'],
    ['latency max', 'latency.maxMs', ' ms'],
    ['timed edits', 'latency.timedEdits'],
    ['deliveries made', 'latency.delivered'],
    ['expected deliveries', 'latency.expectedDeliveries'],
    ['server CPU (% of one core)', 'serverCpuPercent', ' %'],
    ['server RSS mean', 'serverRssMeanMb', ' MB'],
    ['server RSS max', 'serverRssMaxMb', ' MB'],
    ['client processes CPU', 'clientProcessesCpuPercent', ' %'],
    ['orchestrator CPU', 'harnessCpuPercent', ' %'],
    ['other processes on the machine, CPU', 'otherProcessesCpuPercent', ' %'],
    ['join to synced p50', 'joins.joinP50Ms', ' ms'],
    ['joins failed', 'joins.failed'],
    ['problems reported by clients', 'problemCount'],
    ['attempts (a window in which other processes used over 25 % of a core is measured again, up to 4 times; the least disturbed stands)', 'attempts'],
  ]);
  table('b) ramp: +1 editor and +3 viewers a second', 'b', [
    ['knee (editors typing)', 'knee'],
    ['stopped because', 'stopReason'],
    ['window at the knee: viewers', 'kneeWindow.viewers'],
    ['window at the knee: p50', 'kneeWindow.p50Ms', ' ms'],
    ['window at the knee: p95', 'kneeWindow.p95Ms', ' ms'],
    ['window at the knee: server CPU', 'kneeWindow.serverCpuPercent', ' %'],
    ['window at the knee: client CPU', 'kneeWindow.clientCpuPercent', ' %'],
    ['window at the knee: other processes CPU', 'kneeWindow.otherCpuPercent', ' %'],
    ['last window: editors', 'lastWindow.editors'],
    ['last window: p95', 'lastWindow.p95Ms', ' ms'],
    ['last window: server RSS', 'lastWindow.serverRssMb', ' MB'],
    ['joins failed', 'joinFailures'],
    ['windows disturbed by other processes (not counted)', 'disturbedWindows'],
    ['seconds the ramp held still while other processes were busy', 'pausedSeconds'],
    ['attempts', 'attempts'],
  ]);
  table('c) first full sync of the automerge-paper document', 'c', [
    ['edits in the document', 'edits'],
    ['stored as', 'storage'],
    ['Yjs state', 'stateKiB', ' KiB'],
    ['first join (cold), start → synced', 'coldMs', ' ms'],
    ['first join, socket open → synced', 'coldAfterOpenMs', ' ms'],
    ['later joins (warm) p50', 'warmP50Ms', ' ms'],
    ['later joins (warm) max', 'warmMaxMs', ' ms'],
    ['joins with the whole text', 'complete'],
    ['errors', 'errors'],
  ]);
  table('d) memory, 200 clients on one document', 'd', [
    ['server RSS, no clients', 'serverRssEmptyMb', ' MB'],
    ['server RSS, 200 clients idle', 'serverRssIdleMb', ' MB'],
    ['server RSS, 200 clients typing (mean)', 'serverRssMeanMb', ' MB'],
    ['server RSS, 200 clients typing (max)', 'serverRssMaxMb', ' MB'],
    ['server CPU while typing', 'serverCpuPercent', ' %'],
  ]);
  return lines.join('\n');
}

const GENERATED_HEADER = `## Co-drafting runs (written by \`npm run bench\`)

The latest figure of each scenario, from the run dated beside it; every run's full tables follow.

| benchmark | Proxenia | Hocuspocus | date | notes |
| --- | --- | --- | --- | --- |
${SUMMARY_START}
${SUMMARY_END}
`;

/**
 * Updates RESULTS.md in place. Everything the benchmark writes lives in one generated part at the end
 * of the file (a summary table whose rows are replaced for the scenarios this run measured, the
 * method, and the dated runs, newest first); what people wrote above it is left alone.
 */
export function writeResults(file: string, run: TRunResult, jsonFile: string): void {
  let text = fs.readFileSync(file, 'utf8');
  const ran = new Set(run.options.scenarios as TScenarioName[]);
  if (!text.includes(SUMMARY_START)) {
    // The foundation's placeholder row says there is nothing to measure yet: it goes.
    text = text
      .split('\n')
      .filter((line) => !line.startsWith('| — |'))
      .join('\n');
    text = `${text.trimEnd()}\n\n${GENERATED_HEADER}`;
  }
  const start = text.indexOf(SUMMARY_START);
  const end = text.indexOf(SUMMARY_END);
  const existing = text.slice(start + SUMMARY_START.length, end).split('\n').filter((line) => line.startsWith('|'));
  const fullRun = run.options.clients === 'full';
  const rows = [false, true]
    .flatMap((full) =>
      ROWS.map((row) =>
        ran.has(row.scenario) && full === fullRun ? summaryRow(run, row, full) : existing.find((line) => line.includes(`<!-- ${rowKey(row, full)} -->`)),
      ),
    )
    .filter((line): line is string => Boolean(line));
  text = `${text.slice(0, start + SUMMARY_START.length)}\n${rows.join('\n')}\n${text.slice(end)}`;
  if (!text.includes(RUNS)) text = `${text.trimEnd()}\n\n${METHOD}`;
  const at = text.indexOf(RUNS) + RUNS.length;
  text = `${text.slice(0, at)}\n\n${runSection(run, jsonFile)}${text.slice(at)}`;
  fs.writeFileSync(file, `${text.trimEnd()}\n`);
}
