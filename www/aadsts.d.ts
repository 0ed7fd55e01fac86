// The shapes the WASM module's functions return, as the page uses them.
// They mirror src/report.rs, src/har/{mod,flow,jwt}.rs and src/kb/types.rs;
// optional fields are left out of the objects when empty.

export type Kind = "aadsts" | "oauth" | "suberror" | "msal-js" | "msal-net";
export type Audience = "user" | "admin" | "developer" | "microsoft";
export type Retry = "yes" | "later" | "no";
export type Source = "documented" | "sign-in-log" | "lookup";
export type Category =
  | "mfa" | "conditional-access" | "credentials" | "account-state" | "consent" | "app-registration"
  | "client-credentials" | "tokens-sessions" | "federation" | "device-compliance" | "guest-b2b"
  | "protocol" | "service";

export interface Span { start: number; end: number }

export interface Finding {
  kind: Kind;
  code?: number;
  id?: string;
  name: string;
  known: boolean;
  title?: string;
  message?: string;
  trace_id?: string;
  correlation_id?: string;
  timestamp?: string;
  request_id?: string;
  error?: string;
  suberror?: string;
  error_uri?: string;
  app_id?: string;
  app_name?: string;
  tenant_id?: string;
  resource?: string;
  ip_address?: string;
  device_id?: string;
  span: Span;
  occurrences: number;
  lookup_url?: string;
}

export interface Suggestion { code: number; name: string; title: string; reason: string; span: Span }
export interface Warning { kind: string; message: string }
export interface ScanReport { findings: Finding[]; suggestions: Suggestion[]; warnings: Warning[] }

export interface Sample { lang: string; label: string; code: string }
export interface Entry {
  kind: Kind;
  code?: number;
  id: string;
  name: string;
  aliases: string[];
  source: Source;
  title: string;
  summary: string;
  who: Audience[];
  category: Category;
  retry: Retry;
  diagnose: string[];
  causes: string[];
  collect: string[];
  developer: string[];
  links: string[];
  related: number[];
  steps: { user: string[]; admin: string[]; developer: string[] };
  samples: Sample[];
}
export interface SearchHit { entry: Entry; score: number }
export interface VersionInfo { version: string; kb_date: string; kb_entries: number; kb_aadsts_entries: number }

export interface EntryRef { index: number; started: string; method: string; url: string; status: number }
export interface HarFinding extends Finding { entry: EntryRef; location: string; entries: number[] }
export interface FlowStep {
  entry: number;
  started: string;
  method: string;
  host: string;
  path: string;
  status: number;
  step: string;
  failing: boolean;
  codes: number[];
  facts: [string, string][];
}
export interface Token {
  entry: number;
  location: string;
  kind: "id_token" | "access_token" | "jwt";
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  times: [string, string][];
  expired?: boolean;
  explained: [string, string][];
  notes: string[];
}
export interface HarReport {
  creator?: string;
  summary: { entries: number; signin_entries: number; errors: number; first_failing_step?: string; first_failing_entry?: number };
  findings: HarFinding[];
  flow: FlowStep[];
  tokens: Token[];
  warnings: Warning[];
  stopped?: { entries: number; byte_offset: number; reason: string };
}

export interface SanitizeOptions { pseudonymize: boolean; key?: Uint8Array }
export interface SanitizeReport {
  entries: number;
  removed: number;
  signatures_removed: number;
  pseudonymized: number;
  pseudonymize: boolean;
  totals: { location: string; field: string; action: "removed" | "signature-removed" | "pseudonymized"; count: number }[];
  details: { entry?: number; location: string; field: string; action: "removed" | "signature-removed" | "pseudonymized"; count: number }[];
  details_truncated: boolean;
  /** The first change in each place; `before` is masked: `eyJ0… (1204 characters)`, `… (9 characters)`, or empty. */
  samples: { entry?: number; location: string; field: string; action: "removed" | "signature-removed" | "pseudonymized"; before: string; after: string }[];
  not_inspected: { entry: number; location: string; reason: string }[];
  not_inspected_count: number;
  warnings: string[];
  stopped?: { entries: number; byte_offset: number; reason: string };
}

export function scanText(text: string): ScanReport;
export function scanBytes(bytes: Uint8Array): ScanReport;
export function explain(query: string): Entry | null;
export function search(query: string, limit: number): SearchHit[];
export function version(): VersionInfo;
export function looksLikeHar(prefix: Uint8Array): boolean;
export function analyzeHar(bytes: Uint8Array): HarReport;
export class HarSession {
  /**
   * Given the capture's length, the session may skip response bodies it
   * would not read anyway (media as base64 of a declared size): read from
   * `wanted()` and feed with `feedAt` (or `feedBlob` in a worker).
   */
  constructor(length?: number);
  /** The next bytes to feed, in order (without a length). */
  feed(bytes: Uint8Array): void;
  /** Bytes that start at `offset` of the capture. */
  feedAt(offset: number, bytes: Uint8Array): void;
  /** Where the analysis wants to read next; undefined when it needs nothing more. */
  wanted(): number | undefined;
  /** Slices a File or Blob at start..end with a FileReaderSync (workers only) and feeds them. */
  feedBlob(reader: { readAsArrayBuffer(blob: Blob): ArrayBuffer }, blob: Blob, start: number, end: number): void;
  progress(): { entries: number; bytes: number; skipped: number };
  finish(): HarReport;
  free(): void;
}
/** Throws when the input is not a HAR capture, or pseudonymize comes without a 16-byte key. */
export function sanitizeHar(bytes: Uint8Array, options?: SanitizeOptions): { har: Uint8Array; report: SanitizeReport };
export class HarSanitizerSession {
  constructor(options?: SanitizeOptions);
  /** The sanitized output this slice completed. */
  push(chunk: Uint8Array): Uint8Array;
  finish(): { tail: Uint8Array; report: SanitizeReport };
  free(): void;
}
