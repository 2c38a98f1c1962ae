// The shared states of every page: loading, failed (with the request id), empty.
import type { ReactNode } from "react";
import type { ApiProblem } from "../api/problem";
import { usePresentation } from "../context";
import type { Resource } from "../resource";

export function Loading({ label }: { label?: string }) {
  const { t } = usePresentation();
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t("state.loading")}
    </p>
  );
}

export function Failure({ problem, retry }: { problem: ApiProblem; retry?: () => void }) {
  const { t } = usePresentation();
  return (
    <div className="state state-failed" role="alert">
      <p>
        <strong>{t("state.failed")}</strong> {problem.message}
      </p>
      {problem.requestId && (
        <p className="muted">
          {t("state.requestId")}: <code>{problem.requestId}</code>
        </p>
      )}
      {retry && (
        <button type="button" onClick={retry}>
          {t("state.retry")}
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** Render a resource: its loading and failed states, or `children(data)`. */
export function Loaded<T>({
  resource,
  children,
}: {
  resource: Resource<T>;
  children: (data: T) => ReactNode;
}) {
  if (resource.state === "loading") return <Loading />;
  if (resource.state === "failed") return <Failure problem={resource.problem} retry={resource.reload} />;
  return <>{children(resource.data)}</>;
}

/** The failure of a form: its message, the problems no input can show (a rule over several
 *  fields is reported on `body` as a whole), and the request id. */
export function ProblemMessage({ problem }: { problem: ApiProblem | null }) {
  if (!problem) return null;
  const general = problem.wholeRequestProblems();
  return (
    <div className="form-error" role="alert">
      <p>
        {problem.message}
        {problem.requestId && <span className="muted"> ({problem.requestId})</span>}
      </p>
      {general.length > 0 && (
        <ul>
          {general.map((f) => (
            <li key={`${f.field}:${f.message}`}>{f.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
