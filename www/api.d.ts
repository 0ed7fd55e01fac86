// The JavaScript API (api.js). The shapes it returns are declared once, in
// aadsts.d.ts, and re-exported here.
import type { Entry, HarReport, SanitizeReport, ScanReport, SearchHit, VersionInfo } from "./aadsts.js";

export type {
  Audience, Category, Entry, EntryRef, Finding, FlowStep, HarFinding, HarReport, Kind, Retry, Sample,
  SanitizeReport, ScanReport, SearchHit, Source, Span, Suggestion, Token, VersionInfo, Warning,
} from "./aadsts.js";

/** What scanHar and sanitizeHar read: a File or Blob (read slice by slice) or bytes. */
export type HarInput = Blob | Uint8Array | ArrayBuffer;

export interface Progress {
  /** Bytes read so far. */
  bytes: number;
  /** The input's size in bytes. */
  total: number;
}
export interface HarProgress extends Progress {
  /** HAR entries (requests) read so far. */
  entries: number;
}

export interface ReadOptions<P> {
  /** Called after each read (up to 2 MB). */
  onProgress?: (progress: P) => void;
  /** Aborting rejects the promise with the signal's reason (an `AbortError` unless given). */
  signal?: AbortSignal;
}

export interface SanitizeHarOptions extends ReadOptions<Progress> {
  /** Replace identifiers (user names, tenant IDs...) with keyed pseudonyms instead of removing them. */
  pseudonymize?: boolean;
  /** 16 bytes; required when `pseudonymize` is true. */
  key?: Uint8Array;
}

/** Unpack and compile the WASM module once; resolves to the version. Await it before the other calls. */
export function init(): Promise<VersionInfo>;
/** The tool version, the knowledge base's date and its entry counts. */
export function version(): VersionInfo;
/** Findings, suggestions and warnings in pasted text. Spans are UTF-16 offsets into `text`. */
export function scanText(text: string): ScanReport;
/** One entry by code (`50074`, `"AADSTS50074"`) or id (`"invalid_grant"`, `"oauth/invalid_grant"`), or null. */
export function explain(code: string | number): Entry | null;
/** Ranked entries for words or a number; at most `limit` (default 10). */
export function search(query: string, limit?: number): SearchHit[];
/**
 * Analyse a HAR capture chunk by chunk on this thread, yielding between
 * reads. Image and media bodies of a declared size are skipped unread.
 */
export function scanHar(input: HarInput, options?: ReadOptions<HarProgress>): Promise<HarReport>;
/**
 * Remove every credential from a HAR capture. A Blob or File comes back as a
 * Blob; bytes come back as a Uint8Array. Rejects when the input is not a HAR
 * capture, or `pseudonymize` comes without a 16-byte key.
 */
export function sanitizeHar(input: Blob, options?: SanitizeHarOptions): Promise<{ har: Blob; report: SanitizeReport }>;
export function sanitizeHar(input: Uint8Array | ArrayBuffer, options?: SanitizeHarOptions): Promise<{ har: Uint8Array; report: SanitizeReport }>;
