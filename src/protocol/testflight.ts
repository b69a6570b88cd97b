// Messages of the TestFlight panel (groups, testers, bulk add from CSV, beta feedback), shared by every provider
// with the `testers` capability. Also the pure parts of bulk add (CSV parsing and the runner), kept free of
// `vscode` so both the webview (preview) and unit tests use exactly the code the extension runs.
import type { AppSummary } from '../providers/types';
import type { FeedbackEntry, NewTester, Tester, TesterGroup, TestersService } from '../providers/services';
import { isRecord, isString, type PanelError } from './messages';
import { isEmail, isId } from './builds';

export { isEmail, isId };

export const MAX_CSV_CHARS = 500_000;
export const MAX_CSV_ROWS = 2_000;
export const MAX_NAME = 100;
/** Requests in flight at once during a bulk add; the provider's rate limiter queues beyond its own budget. */
export const BULK_CONCURRENCY = 3;

export type BulkStatus = 'added' | 'exists' | 'invalid' | 'failed' | 'cancelled';

export interface BulkRowResult {
  /** 1-based line of the pasted text. */
  line: number;
  email: string;
  status: BulkStatus;
  message?: string;
}

export interface BulkCounts {
  added: number;
  exists: number;
  invalid: number;
  failed: number;
  cancelled: number;
}

export interface TestFlightInit {
  type: 'init';
  provider: string;
  appName: string;
  bundleId?: string;
  /** The account offers TestFlight feedback (screenshots, crashes). */
  feedback: boolean;
  crashLogs: boolean;
}

export type TestFlightUpdate =
  | TestFlightInit
  /** `selected`: the group whose testers the extension lists (null: all testers of the app). */
  | { type: 'groups'; groups: TesterGroup[]; selected: string | null }
  /** `groupId` null: every tester of the app. */
  | { type: 'testers'; groupId: string | null; items: Tester[]; hasMore: boolean; append: boolean; total?: number }
  | { type: 'testerAdded'; tester: Tester; groupId: string | null }
  | { type: 'addFailed'; error: PanelError }
  | { type: 'testerRemoved'; testerId: string; groupId: string | null }
  | { type: 'removeFailed'; testerId: string; error: PanelError }
  | { type: 'bulkStarted'; runId: number; total: number; groupId: string | null }
  | { type: 'bulkPhase'; runId: number; label: string }
  | { type: 'bulkProgress'; runId: number; results: BulkRowResult[] }
  | { type: 'bulkDone'; runId: number; cancelled: boolean; counts: BulkCounts; error?: PanelError }
  | { type: 'feedback'; items: FeedbackEntry[]; hasMore: boolean; append: boolean }
  | { type: 'feedbackFailed'; error: PanelError }
  | { type: 'crashLogFailed'; entryId: string; error: PanelError }
  | { type: 'error'; error: PanelError }
  | { type: 'busy'; busy: boolean; label?: string };

export type TestFlightRequest =
  /** `groupId`: the group shown before a reload (restored webview state), if any. */
  | { type: 'ready'; groupId?: string | null }
  | { type: 'refresh' }
  | { type: 'selectGroup'; groupId: string | null }
  | { type: 'loadMoreTesters' }
  | { type: 'addTester'; email: string; firstName: string; lastName: string; groupId: string | null }
  | { type: 'removeTester'; testerId: string; groupId: string | null }
  | { type: 'bulkAdd'; csv: string; groupId: string | null }
  | { type: 'cancelBulk' }
  | { type: 'loadFeedback' }
  | { type: 'loadMoreFeedback' }
  | { type: 'openCrashLog'; entryId: string };

const groupRef = (v: unknown): v is string | null => v === null || isId(v);

/** Validates a message from the TestFlight webview; anything malformed, oversized or unknown is dropped. */
export function parseTestFlightRequest(raw: unknown): TestFlightRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      // A restored group that does not validate (older state) is dropped, not the handshake.
      return raw.groupId !== undefined && groupRef(raw.groupId) ? { type: 'ready', groupId: raw.groupId } : { type: 'ready' };
    case 'refresh': case 'loadMoreTesters': case 'cancelBulk': case 'loadFeedback': case 'loadMoreFeedback':
      return { type: raw.type };
    case 'selectGroup':
      return groupRef(raw.groupId) ? { type: 'selectGroup', groupId: raw.groupId } : undefined;
    case 'addTester':
      if (!isString(raw.email, 320) || !isString(raw.firstName, MAX_NAME) || !isString(raw.lastName, MAX_NAME) || !groupRef(raw.groupId)) return undefined;
      return { type: 'addTester', email: raw.email, firstName: raw.firstName, lastName: raw.lastName, groupId: raw.groupId };
    case 'removeTester':
      return isId(raw.testerId) && groupRef(raw.groupId) ? { type: 'removeTester', testerId: raw.testerId, groupId: raw.groupId } : undefined;
    case 'bulkAdd':
      return isString(raw.csv, MAX_CSV_CHARS) && groupRef(raw.groupId) ? { type: 'bulkAdd', csv: raw.csv, groupId: raw.groupId } : undefined;
    case 'openCrashLog':
      return isId(raw.entryId) ? { type: 'openCrashLog', entryId: raw.entryId } : undefined;
    default:
      return undefined;
  }
}

/** Problems of the single "add a tester" form, keyed by field. */
export function newTesterProblems(t: { email: string; firstName: string; lastName: string }): Record<string, string> {
  const problems: Record<string, string> = {};
  const email = t.email.trim();
  if (!email) problems.email = 'Enter the tester\'s email address.';
  else if (!isEmail(email)) problems.email = `"${email}" is not a valid email address.`;
  if ([...t.firstName].length > MAX_NAME) problems.firstName = `At most ${MAX_NAME} characters.`;
  if ([...t.lastName].length > MAX_NAME) problems.lastName = `At most ${MAX_NAME} characters.`;
  return problems;
}

// ---------- CSV ----------

export interface CsvRow {
  line: number;
  email: string;
  firstName?: string;
  lastName?: string;
  /** Why this row will not be sent (invalid email, listed twice, …). */
  problem?: { status: 'invalid' | 'exists'; message: string };
}

export interface ParsedCsv {
  rows: CsvRow[];
  /** Problems with the whole paste (too many rows). */
  error?: string;
}

/** Splits one CSV line: commas (or tabs, when pasted from a spreadsheet), double quotes with "" escapes. */
export function splitCsvLine(line: string): string[] {
  const sep = line.includes('\t') && !line.includes(',') ? '\t' : line.includes(';') && !line.includes(',') ? ';' : ',';
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') { quoted = true; cur = ''; }
    else if (ch === sep) { cells.push(cur.trim()); cur = ''; }
    else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

const HEADER_NAMES: Record<string, 'email' | 'firstName' | 'lastName'> = {
  email: 'email', 'e-mail': 'email', mail: 'email', 'email address': 'email',
  first: 'firstName', firstname: 'firstName', 'first name': 'firstName', 'first_name': 'firstName', 'given name': 'firstName',
  last: 'lastName', lastname: 'lastName', 'last name': 'lastName', 'last_name': 'lastName', surname: 'lastName', 'family name': 'lastName',
};

/**
 * Parses pasted testers: `email,first,last` per line. A header line is optional; when present its column names
 * (email / first / last, in any order) decide the columns. Blank lines and `#` comments are skipped. Every row is
 * returned with its line number; rows that will not be sent carry a `problem`.
 */
export function parseTesterCsv(text: string): ParsedCsv {
  if (text.length > MAX_CSV_CHARS) return { rows: [], error: `The pasted text is too long (${text.length} characters; at most ${MAX_CSV_CHARS}).` };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let columns: { email: number; firstName: number; lastName: number } = { email: 0, firstName: 1, lastName: 2 };
  let sawContent = false;
  const rows: CsvRow[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (!raw || raw.startsWith('#')) continue;
    const cells = splitCsvLine(raw);
    if (!sawContent) {
      sawContent = true;
      const mapped = cells.map((c) => HEADER_NAMES[c.toLowerCase().replace(/\s+/g, ' ')]);
      if (mapped.includes('email') && !cells.some((c) => c.includes('@'))) {
        columns = {
          email: mapped.indexOf('email'),
          firstName: mapped.indexOf('firstName'),
          lastName: mapped.indexOf('lastName'),
        };
        continue;
      }
    }
    if (rows.length >= MAX_CSV_ROWS) return { rows, error: `Too many rows: at most ${MAX_CSV_ROWS} testers per import. Split the list and import the rest afterwards.` };
    const cell = (idx: number) => (idx >= 0 ? (cells[idx] ?? '').trim() : '');
    const email = cell(columns.email);
    const firstName = cell(columns.firstName).slice(0, MAX_NAME) || undefined;
    const lastName = cell(columns.lastName).slice(0, MAX_NAME) || undefined;
    const row: CsvRow = { line: i + 1, email, firstName, lastName };
    if (!isEmail(email)) {
      row.problem = { status: 'invalid', message: email ? `"${truncate(email, 80)}" is not a valid email address.` : 'No email address on this line.' };
    } else {
      const key = email.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) row.problem = { status: 'exists', message: `Listed twice (first on line ${first}).` };
      else seen.set(key, row.line);
    }
    rows.push(row);
  }
  return { rows };
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

// ---------- the bulk runner (extension side, but vscode-free) ----------

export interface BulkOptions {
  app: AppSummary;
  groupId: string | null;
  rows: CsvRow[];
  signal: AbortSignal;
  /** Lower-cased emails already in the group (or the app), reported as "already there" without a request. */
  existing?: ReadonlySet<string>;
  concurrency?: number;
  onResult(result: BulkRowResult, tester?: Tester): void;
}

/** Whether an add failed only because the tester is already there (the API's duplicate error). */
export function isAlreadyThere(err: unknown): boolean {
  if (!isRecord(err)) return false;
  const texts = [err.message, ...(Array.isArray(err.details) ? err.details : [])];
  if (isRecord(err.fieldErrors)) for (const v of Object.values(err.fieldErrors)) if (Array.isArray(v)) texts.push(...v);
  const kindOk = err.kind === 'validation' || err.status === 409;
  return kindOk && texts.some((t) => typeof t === 'string' && /already (exists?|a tester|been added|in (this|the) (group|app))|duplicate/i.test(t));
}

const ROW_FIELDS = new Set(['email', 'firstName', 'lastName']);

/**
 * Errors that are not about one row, so every later row would fail the same way: credentials, configuration, or
 * a validation error about something other than the row's own fields (e.g. the group must be chosen).
 */
export function isFatal(err: unknown): boolean {
  if (!isRecord(err)) return false;
  if (err.kind === 'auth' || err.kind === 'config') return true;
  if (err.kind === 'validation' && isRecord(err.fieldErrors)) {
    const keys = Object.keys(err.fieldErrors);
    return keys.length > 0 && keys.every((k) => !ROW_FIELDS.has(k));
  }
  return false;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Adds the rows one by one (a few in flight), reporting each row's outcome as it settles. Rows with a parse
 * problem are reported without a request. Stops early when cancelled (remaining rows: `cancelled`) or on an
 * error that no later row can escape (credentials): remaining rows are `failed` with that message.
 */
export async function runBulkAdd(service: Pick<TestersService, 'add'>, opts: BulkOptions): Promise<BulkCounts> {
  const counts: BulkCounts = { added: 0, exists: 0, invalid: 0, failed: 0, cancelled: 0 };
  const report = (r: BulkRowResult, tester?: Tester) => { counts[r.status]++; opts.onResult(r, tester); };
  let fatal: string | undefined;
  const queue: CsvRow[] = [];
  for (const row of opts.rows) {
    if (row.problem) report({ line: row.line, email: row.email, status: row.problem.status, message: row.problem.message });
    else if (opts.existing?.has(row.email.toLowerCase())) report({ line: row.line, email: row.email, status: 'exists', message: opts.groupId ? 'Already in this group.' : 'Already a tester of this app.' });
    else queue.push(row);
  }
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const row = queue[next++]!;
      if (opts.signal.aborted) { report({ line: row.line, email: row.email, status: 'cancelled', message: 'Not sent: the import was cancelled.' }); continue; }
      if (fatal) { report({ line: row.line, email: row.email, status: 'failed', message: `Not sent: ${fatal}` }); continue; }
      const tester: NewTester = { email: row.email, firstName: row.firstName, lastName: row.lastName, groupId: opts.groupId ?? undefined };
      try {
        const added = await service.add(opts.app, tester, opts.signal);
        report({ line: row.line, email: row.email, status: 'added' }, added);
      } catch (err) {
        if (opts.signal.aborted || (isRecord(err) && err.kind === 'cancelled')) {
          report({ line: row.line, email: row.email, status: 'cancelled', message: 'Cancelled while the request was in flight; refresh to see whether it was added.' });
        } else if (isAlreadyThere(err)) {
          report({ line: row.line, email: row.email, status: 'exists', message: errorMessage(err) });
        } else {
          if (isFatal(err)) fatal ??= errorMessage(err);
          report({ line: row.line, email: row.email, status: 'failed', message: errorMessage(err) });
        }
      }
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? BULK_CONCURRENCY, queue.length || 1));
  await Promise.all(Array.from({ length: n }, worker));
  return counts;
}

/** Display name of a tester. */
export function testerName(t: Pick<Tester, 'firstName' | 'lastName'>): string {
  return [t.firstName, t.lastName].filter((s) => s && s.trim()).join(' ');
}
