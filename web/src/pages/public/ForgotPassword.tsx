// Forgotten password: identity mails a code (the same answer whether or not the address
// exists), then the code and a new password set it.
import { useState, type SyntheticEvent } from "react";
import { Link, useLocation } from "react-router";
import { unwrap } from "../../api/client";
import type { ApiProblem } from "../../api/problem";
import { useServices } from "../../context";
import { asProblem } from "../../resource";
import { Field } from "../../ui/Field";
import { ProblemMessage } from "../../ui/states";

export default function ForgotPassword() {
  const { publicIdentity } = useServices();
  // the address typed on the sign-in page, passed in history state: never in the URL
  // (browser history, server logs)
  const { state } = useLocation() as { state: { email?: unknown } | null };
  const [step, setStep] = useState<"request" | "confirm" | "done">("request");
  const [email, setEmail] = useState(typeof state?.email === "string" ? state.email : "");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(event: SyntheticEvent, action: () => Promise<void>) {
    event.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      await action();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

  const username = email.trim().toLowerCase();
  return (
    <main id="main" className="centered">
      <section className="card" aria-labelledby="page-title">
        <h1 id="page-title">Reset your password</h1>
        {step === "request" && (
          <form noValidate onSubmit={(e) => void run(e, async () => {
            await unwrap(publicIdentity.POST("/v1/password/forgot", { body: { username } }));
            setStep("confirm");
          })}>
            <p>We will email you a code to set a new password.</p>
            <Field label="Email address" type="email" autoComplete="username" required value={email}
              onChange={(e) => { setEmail(e.target.value); }} />
            <ProblemMessage problem={problem} />
            <button type="submit" disabled={busy}>Email me a code</button>
          </form>
        )}
        {step === "confirm" && (
          <form noValidate onSubmit={(e) => void run(e, async () => {
            await unwrap(publicIdentity.POST("/v1/password/confirm", {
              body: { username, code: code.trim(), new_password: password },
            }));
            setStep("done");
          })}>
            <p role="status">If {username} has an account, a code is on its way. Enter it with a new password.</p>
            <Field label="Code from the email" autoComplete="one-time-code" required value={code}
              error={problem?.fieldMessage("code")} onChange={(e) => { setCode(e.target.value); }} />
            <Field label="New password" type="password" autoComplete="new-password" required value={password}
              hint="At least 14 characters with upper- and lower-case letters, a digit and a symbol."
              error={problem?.fieldMessage("new_password")} onChange={(e) => { setPassword(e.target.value); }} />
            <ProblemMessage problem={problem} />
            <button type="submit" disabled={busy}>Set new password</button>
          </form>
        )}
        {step === "done" && (
          <p role="status">
            Your password is changed. <Link to="/signin">Sign in</Link> with it.
          </p>
        )}
        {step !== "done" && (
          <p>
            <Link to="/signin">Back to sign in</Link>
          </p>
        )}
      </section>
    </main>
  );
}
