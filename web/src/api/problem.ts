// One error shape for every API failure the UI shows: what went wrong, which fields, and
// the request id to quote to support. Services answer `{"error","message","fields",
// "request_id"}`; API Gateway's own refusals carry only `{"message"}`.

export interface FieldProblem {
  /** Dotted path of the offending field as the API names it, e.g. `body.email`. */
  field: string;
  message: string;
}

export class ApiProblem extends Error {
  override name = "ApiProblem";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly requestId: string | null = null,
    /** How long to wait before trying again (a 429's or 503's Retry-After), when known. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** Problems no form field can show: a rule over several fields names the whole `body`
   *  (or `query`, `path`), not one of its fields. */
  wholeRequestProblems(): FieldProblem[] {
    return this.fields.filter((f) => WHOLE_REQUEST.has(f.field));
  }

  /** The message for one form field (matched on the last segment of its path). */
  fieldMessage(name: string): string | undefined {
    return this.fields.find((f) => f.field === name || f.field.split(".").pop() === name)
      ?.message;
  }
}

const WHOLE_REQUEST = new Set(["", "body", "query", "path"]);

const REQUEST_ID_HEADERS = ["x-request-id", "apigw-requestid", "x-amzn-requestid"];

function fieldsOf(raw: unknown): FieldProblem[] {
  if (Array.isArray(raw)) {
    return raw.flatMap((item: unknown) => {
      if (typeof item !== "object" || item === null) return [];
      const entry = item as Record<string, unknown>;
      const field = entry.field ?? entry.path ?? entry.loc;
      const message = entry.message ?? entry.reason ?? entry.msg;
      if (typeof message !== "string") return [];
      const name = Array.isArray(field)
        ? field.map(String).join(".")
        : typeof field === "string" || typeof field === "number"
          ? String(field)
          : "";
      return [{ field: name, message }];
    });
  }
  if (typeof raw === "object" && raw !== null) {
    return Object.entries(raw as Record<string, unknown>).flatMap(([field, message]) =>
      typeof message === "string" ? [{ field, message }] : [],
    );
  }
  return [];
}

const DEFAULT_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "validation_failed",
  429: "too_many_requests",
};

/** Seconds from a Retry-After header (delay-seconds or an HTTP-date, RFC 9110 10.2.3);
 *  null when absent or unreadable (a cross-origin answer shows it only when exposed). */
export function retryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A 429's message for a person: how long to wait, never "read the Retry-After header"
 *  (common.gate's text, meant for API clients). */
function tooManyRequests(seconds: number | null): string {
  if (seconds === null) return "Too many requests. Wait a moment, then try again.";
  return `Too many requests. Try again in ${String(Math.max(1, seconds))} second${seconds === 1 ? "" : "s"}.`;
}

/** An ApiProblem from a failed response's status, parsed body (if any) and headers. */
export function toProblem(status: number, body: unknown, headers?: Headers, now?: number): ApiProblem {
  const data =
    typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const code =
    typeof data.error === "string" ? data.error : (DEFAULT_CODES[status] ?? "server_error");
  const wait = status === 429 || status === 503 ? retryAfter(headers?.get("retry-after"), now) : null;
  const message =
    status === 429
      ? tooManyRequests(wait)
      : typeof data.message === "string" && data.message
        ? data.message
        : status >= 500
          ? "The service failed to answer. Try again in a moment."
          : `The request failed (${status}).`;
  let requestId = typeof data.request_id === "string" ? data.request_id : null;
  for (const name of REQUEST_ID_HEADERS) {
    requestId ??= headers?.get(name) ?? null;
  }
  return new ApiProblem(status, code, message, fieldsOf(data.fields), requestId, wait);
}

export function networkProblem(error: unknown): ApiProblem {
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiProblem(0, "network_error", `The service could not be reached (${detail}).`);
}
