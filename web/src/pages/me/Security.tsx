// Authenticator app (TOTP) enrolment through identity, which records it in the audit log:
// a QR code from the otpauth URI (and the key, for typing), then one code to confirm.
import { useState, type SyntheticEvent } from "react";
import { unwrap } from "../../api/client";
import type { ApiProblem } from "../../api/problem";
import { useServices } from "../../context";
import { asProblem } from "../../resource";
import { Field } from "../../ui/Field";
import { QrCode } from "../../ui/QrCode";
import { ProblemMessage } from "../../ui/states";

type Enrolment = { secret: string; uri: string } | null;

export default function Security({ onDone }: { onDone?: () => void } = {}) {
  const { api } = useServices();
  const [enrolment, setEnrolment] = useState<Enrolment>(null);
  const [code, setCode] = useState("");
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
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

  const start = () =>
    run(async () => {
      const started = await unwrap(api.identity.POST("/v1/me/mfa/totp"));
      setDone(false);
      setCode("");
      setEnrolment({ secret: started.secret_code, uri: started.otpauth_uri });
    });

  const verify = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => {
      await unwrap(api.identity.POST("/v1/me/mfa/totp/verify", { body: { code: code.trim(), device_name: "authenticator" } }));
      setEnrolment(null);
      setDone(true);
      onDone?.();
    });
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Sign-in security</h1>
      <h2>Authenticator app</h2>
      <p>
        An authenticator app adds a 6-digit code to every sign-in. Administrators need one before they can
        change anything.
      </p>
      {done && <p role="status" className="success">Your authenticator app is set up. You will be asked for a code at every sign-in.</p>}
      {!enrolment && (
        <button type="button" onClick={() => void start()} disabled={busy}>
          {done ? "Set up another app" : "Set up an authenticator app"}
        </button>
      )}
      {enrolment && (
        <form className="form" onSubmit={verify} noValidate>
          <p>Scan this code with your authenticator app, or type the key into it.</p>
          <QrCode text={enrolment.uri} label="QR code for your authenticator app" />
          <p>
            Key: <code className="secret" data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <Field label="Code from the app" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required
            value={code} error={problem?.fieldMessage("code")} onChange={(e) => { setCode(e.target.value); }} />
          <button type="submit" disabled={busy}>Confirm</button>
        </form>
      )}
      <ProblemMessage problem={problem} />
    </section>
  );
}
