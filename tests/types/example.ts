// Type-checked by `./build.sh test` (tsc --noEmit -p tests/types) against the
// built package's declarations (www/pkg/npm/*.d.ts): the README's example and
// each function's result used the way a consumer would.
import { init, scanText, explain, search, scanHar, sanitizeHar, version } from "aadsts-explainer";
import type { Entry, HarReport, ScanReport, VersionInfo } from "aadsts-explainer";
import type { AadstsExplainerElement, AadstsFoundEvent } from "aadsts-explainer/widget";

export async function example(file: File, bytes: Uint8Array): Promise<void> {
  const v: VersionInfo = await init();
  console.log(`${v.version}, knowledge base ${v.kb_date} (${v.kb_entries} entries)`, version().kb_aadsts_entries);

  const report: ScanReport = scanText("AADSTS50074: Strong authentication is required.");
  for (const f of report.findings) console.log(f.kind, f.code ?? f.id, f.title, f.trace_id, f.span.start);

  const entry: Entry | null = explain(50074) ?? explain("invalid_grant");
  if (entry) console.log(entry.title, entry.steps.admin.join("\n"), entry.who.includes("admin"));
  const best: number | undefined = search("consent", 5)[0]?.entry.code;
  console.log(best);

  const controller = new AbortController();
  const har: HarReport = await scanHar(file, {
    signal: controller.signal,
    onProgress: ({ bytes, total, entries }) => console.log(`${bytes}/${total}, ${entries} requests`),
  });
  console.log(har.summary.first_failing_step, har.flow.map((s) => s.step), har.tokens[0]?.claims);

  // A File or Blob comes back as a Blob, bytes as a Uint8Array.
  const fromFile = await sanitizeHar(file, { onProgress: ({ bytes }) => console.log(bytes) });
  const blob: Blob = fromFile.har;
  const fromBytes = await sanitizeHar(bytes, { pseudonymize: true, key: new Uint8Array(16) });
  const out: Uint8Array = fromBytes.har;
  console.log(blob.size, out.length, fromBytes.report.pseudonymized, fromFile.report.totals[0]?.action);

  const widget = document.createElement("aadsts-explainer");
  widget.setAttribute("code", "50074");
  const audience: "user" | "admin" | "developer" = widget.audience;
  const el: AadstsExplainerElement = widget;
  el.addEventListener("aadsts-found", (ev: AadstsFoundEvent) => console.log(audience, ev.detail.findings.length));
}
