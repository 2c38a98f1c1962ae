// Where Cognito sends a staff member back after signing in with Entra ID: the code is
// exchanged (PKCE, state checked: auth/oauth.ts), the tokens handed to Amplify, and the
// person taken where they were going.
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { adoptTokens } from "../../auth/amplify";
import { completeRedirectSignIn, rememberHostedSession } from "../../auth/oauth";
import { useAuth } from "../../auth/session";
import { useServices } from "../../context";
import { safeNext } from "../../shell/next";
import { Loading } from "../../ui/states";

export default function Callback() {
  const { config } = useServices();
  const { refresh } = useAuth();
  const navigate = useNavigate();
  const oauth = config.cognito.oauth;
  const [error, setError] = useState<string | null>(oauth ? null : "Signing in with Microsoft is not available here.");
  const started = useRef(false);

  useEffect(() => {
    if (started.current || !oauth) return;
    started.current = true;
    const callback = new URL(window.location.href);
    window.history.replaceState(null, "", "/callback");
    completeRedirectSignIn(oauth, callback, { storage: window.sessionStorage, fetchImpl: (input, init) => fetch(input, init) })
      .then(async ({ tokens, next }) => {
        await adoptTokens(tokens);
        rememberHostedSession(window.sessionStorage);
        await refresh();
        await navigate(safeNext(next), { replace: true });
      })
      .catch((failure: unknown) => {
        setError(failure instanceof Error ? failure.message : "The sign-in could not be completed.");
      });
  }, [oauth, refresh, navigate]);

  return (
    <main id="main" className="centered">
      <section className="card" aria-labelledby="page-title">
        <h1 id="page-title">Signing you in</h1>
        {error ? (
          <>
            <p className="form-error" role="alert">{error}</p>
            <p><Link to="/signin">Back to sign-in</Link></p>
          </>
        ) : (
          <Loading />
        )}
      </section>
    </main>
  );
}
