// A page that throws while rendering (or whose code fails to load) shows this, not a blank
// screen; the header and menu stay usable.
import { Component, type ErrorInfo, type ReactNode } from "react";
import { ApiProblem } from "../api/problem";
import { PresentationContext } from "../context";

interface Props {
  children: ReactNode;
  /** Changing it (e.g. the location) clears a shown error. */
  resetKey?: string;
}

interface State {
  error: Error | null;
  resetKey?: string;
}

export class ErrorBoundary extends Component<Props, State> {
  static override contextType = PresentationContext;
  declare context: React.ContextType<typeof PresentationContext>;
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("page failed", error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { t } = this.context;
    return (
      <section className="state state-failed" role="alert" aria-labelledby="error-title">
        <h1 id="error-title">{t("error.title")}</h1>
        <p>{t("error.body")}</p>
        {error instanceof ApiProblem && error.requestId && (
          <p className="muted">
            {t("state.requestId")}: <code>{error.requestId}</code>
          </p>
        )}
        <p>
          <a href="/">{t("error.home")}</a>
        </p>
      </section>
    );
  }
}
