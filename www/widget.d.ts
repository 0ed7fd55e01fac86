// <aadsts-explainer> (widget.js): importing the module defines the element.
import type { ScanReport } from "./aadsts.js";

export type WidgetAudience = "user" | "admin" | "developer";

export declare class AadstsExplainerElement extends HTMLElement {
  /** The `audience` attribute, or "user" when it is missing or unknown. */
  readonly audience: WidgetAudience;
  /** Whether the `compact` attribute is present. */
  readonly compact: boolean;
}

/** Fired (bubbling, composed) when a paste box finds error codes; `detail` is the scan. */
export type AadstsFoundEvent = CustomEvent<ScanReport>;

declare global {
  interface HTMLElementTagNameMap {
    "aadsts-explainer": AadstsExplainerElement;
  }
  interface HTMLElementEventMap {
    "aadsts-found": AadstsFoundEvent;
  }
}
