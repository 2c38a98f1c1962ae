// What the staff console's pages share: one action runner (busy, result, problem), the
// result line every change shows, and sortable table headers.
import { useCallback, useState, type ReactNode } from "react";
import type { ApiProblem } from "../../api/problem";
import { asProblem } from "../../resource";
import { ProblemMessage } from "../../ui/states";

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>, done: (value: T) => string): Promise<T | null> => {
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      const value = await action();
      setResult(done(value));
      return value;
    } catch (error) {
      setProblem(asProblem(error));
      return null;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, result, run, clear: () => { setProblem(null); setResult(null); } };
}

/** The outcome of the last action: a status line (success) or the problem. */
export function Outcome({ result, problem }: { result: string | null; problem: ApiProblem | null }) {
  return (
    <>
      {result && (
        <p role="status" className="success" data-testid="action-result">
          {result}
        </p>
      )}
      <ProblemMessage problem={problem} />
    </>
  );
}

export type Direction = "ascending" | "descending";

export interface Sorting<K extends string> {
  key: K;
  direction: Direction;
}

export function useSorting<K extends string>(initial: Sorting<K>) {
  const [sorting, setSorting] = useState(initial);
  const toggle = (key: K) => {
    setSorting((current) =>
      current.key === key
        ? { key, direction: current.direction === "ascending" ? "descending" : "ascending" }
        : { key, direction: key === initial.key ? initial.direction : "descending" },
    );
  };
  return { sorting, toggle };
}

export function sortRows<T, K extends string>(rows: T[], sorting: Sorting<K>, value: (row: T, key: K) => string | number): T[] {
  const sign = sorting.direction === "ascending" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a, sorting.key);
    const y = value(b, sorting.key);
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return sign * order;
  });
}

/** A column header that sorts the table (aria-sort tells screen readers the order). */
export function SortHeader<K extends string>({
  column,
  sorting,
  toggle,
  numeric = false,
  children,
}: {
  column: K;
  sorting: Sorting<K>;
  toggle: (key: K) => void;
  numeric?: boolean;
  children: ReactNode;
}) {
  const active = sorting.key === column;
  return (
    <th scope="col" className={numeric ? "number" : undefined} aria-sort={active ? sorting.direction : "none"}>
      <button type="button" className="sort-button" onClick={() => { toggle(column); }}>
        {children}
        <span aria-hidden="true">{active ? (sorting.direction === "ascending" ? " ▲" : " ▼") : ""}</span>
      </button>
    </th>
  );
}

export function StaffPageFrame({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      {intro && <p className="muted">{intro}</p>}
      {children}
    </section>
  );
}
