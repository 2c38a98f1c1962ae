// What the portfolio, billing and documents pages share: the page frame, filters kept in
// the address (so a filtered list can be bookmarked and the back button works), cursor
// paging over the APIs' `next_cursor`, CSV export through the API's own CSV route, and a
// small accessible bar (an SVG beside the figure; the figure is the table cell's text).
import { useCallback, useEffect, useMemo, useRef, useState, type SyntheticEvent, type ReactNode } from "react";
import { useSearchParams } from "react-router";
import { asProblem, useResource, type Resource } from "../../resource";
import type { ApiProblem } from "../../api/problem";
import { unwrap } from "../../api/client";
import { ProblemMessage } from "../../ui/states";

export function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      {children}
    </section>
  );
}

/** The filters in the address: `values` has every name (empty when unset). */
export function useFilters<Name extends string>(names: readonly Name[]) {
  const [params, setParams] = useSearchParams();
  const values = useMemo(
    () => Object.fromEntries(names.map((n) => [n, params.get(n) ?? ""])) as Record<Name, string>,
    [names, params],
  );
  const apply = useCallback(
    (next: Partial<Record<Name, string>>) => {
      const search = new URLSearchParams();
      for (const name of names) {
        const value = (next[name] ?? "").trim();
        if (value) search.set(name, value);
      }
      setParams(search);
    },
    [names, setParams],
  );
  return { values, apply, key: params.toString() };
}

/** Only the filters that are set, as an API query (empty strings left out). */
export function setOnly<T extends Record<string, string>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "")) as Partial<T>;
}

/** A text field of a form (files and absent fields read as ""). */
export function fieldText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
}

/** Read the named fields of a submitted filter form. */
export function formValues<Name extends string>(event: SyntheticEvent<HTMLFormElement>, names: readonly Name[]) {
  event.preventDefault();
  const data = new FormData(event.currentTarget);
  return Object.fromEntries(names.map((n) => [n, fieldText(data, n)])) as Record<Name, string>;
}

interface PageOf<T> {
  items: T[];
  next_cursor: string | null;
}

/** One page of a cursor-paged list, with previous/next (mount it with a `key` of its
 *  filters so a new filter starts at the first page). */
export function useCursorPages<T>(load: (cursor: string | null) => Promise<PageOf<T>>) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const current = cursors[cursors.length - 1] ?? null;
  const resource: Resource<PageOf<T>> = useResource(useCallback(() => load(current), [load, current]));
  const next = resource.state === "ready" ? resource.data.next_cursor : null;
  return {
    resource,
    page: cursors.length,
    previous: cursors.length > 1 ? () => { setCursors((c) => c.slice(0, -1)); } : null,
    next: next ? () => { setCursors((c) => [...c, next]); } : null,
  };
}

export function Pager({ page, previous, next }: { page: number; previous: (() => void) | null; next: (() => void) | null }) {
  if (!previous && !next) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" disabled={!previous} onClick={() => previous?.()}>
        Previous page
      </button>
      <span aria-live="polite">Page {page}</span>
      <button type="button" className="secondary" disabled={!next} onClick={() => next?.()}>
        Next page
      </button>
    </nav>
  );
}

/** Save text as a file the browser downloads. */
function save(text: string, fileName: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => { URL.revokeObjectURL(url); }, 10_000);
}

/** A button that downloads the API's CSV of the filtered list (the same filters). */
export function CsvExport({ fetchCsv, fileName }: { fetchCsv: () => Promise<{ data?: string; error?: unknown; response: Response }>; fileName: string }) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    setProblem(null);
    setBusy(true);
    try {
      save(await unwrap(fetchCsv()), fileName, "text/csv");
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="export">
      <button type="button" className="secondary" disabled={busy} onClick={() => void run()}>
        Download CSV
      </button>
      <ProblemMessage problem={problem} />
    </div>
  );
}

/** A horizontal bar for a share of the largest value; decorative (the number is text). */
export function Bar({ value, max }: { value: number; max: number }) {
  const width = max > 0 ? Math.max(0, Math.min(100, (value / max) * 100)) : 0;
  return (
    <svg className="bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect className="bar-track" x="0" y="0" width="100" height="8" />
      <rect className="bar-fill" x="0" y="0" width={width} height="8" />
    </svg>
  );
}

/** A filter form with an Apply button and a Clear link-button. Its fields show the
 *  address's filters: when those change (`filtersKey`), the form is reset to them (the form
 *  itself stays: remounting it under a new key during the navigation left the old form in
 *  the page, a second copy). */
export function FilterForm({ onSubmit, onClear, filtersKey, children }: { onSubmit: (event: SyntheticEvent<HTMLFormElement>) => void; onClear: () => void; filtersKey: string; children: ReactNode }) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.reset();
  }, [filtersKey]);
  return (
    <form ref={form} className="filters" role="search" aria-label="Filters" onSubmit={onSubmit}>
      {children}
      <div className="filter-actions">
        <button type="submit">Apply filters</button>
        <button type="button" className="secondary" onClick={onClear}>
          Clear
        </button>
      </div>
    </form>
  );
}

export function FilterInput({ name, label, value, placeholder, type = "text" }: { name: string; label: string; value: string; placeholder?: string; type?: "text" | "date" }) {
  const id = `filter-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type={type} defaultValue={value} placeholder={placeholder} />
    </div>
  );
}

export function FilterSelect({ name, label, value, options }: { name: string; label: string; value: string; options: readonly (readonly [string, string])[] }) {
  const id = `filter-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value}>
        <option value="">Any</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

export function words(value: string): string {
  const spaced = value.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
