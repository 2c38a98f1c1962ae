// Loading one thing from an API: loading / ready / failed, and a way to load it again.
import { useCallback, useEffect, useState } from "react";
import { ApiProblem, networkProblem } from "./api/problem";

export type Resource<T> =
  | { state: "loading"; reload: () => void }
  | { state: "ready"; data: T; reload: () => void }
  | { state: "failed"; problem: ApiProblem; reload: () => void };

type Outcome<T> = { state: "ready"; data: T } | { state: "failed"; problem: ApiProblem };

export function asProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem ? error : networkProblem(error);
}

/** `load` must be stable (wrap it in useCallback with its own dependencies); a new `load`
 *  or `reload()` shows the loading state until its answer arrives. */
export function useResource<T>(load: () => Promise<T>): Resource<T> {
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<{ load: () => Promise<T>; attempt: number; outcome: Outcome<T> } | null>(null);
  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  useEffect(() => {
    let current = true;
    const settle = (outcome: Outcome<T>) => {
      if (current) setSettled({ load, attempt, outcome });
    };
    load().then(
      (data) => {
        settle({ state: "ready", data });
      },
      (error: unknown) => {
        settle({ state: "failed", problem: asProblem(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [load, attempt]);

  if (settled?.load !== load || settled.attempt !== attempt) return { state: "loading", reload };
  return { ...settled.outcome, reload };
}
