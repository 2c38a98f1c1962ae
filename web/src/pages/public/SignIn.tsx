// Sign in with SRP (the password never leaves the browser), then whatever Cognito asks
// next: the TOTP code, a new password at first login, or TOTP set-up.
import { confirmSignIn, signIn, signOut, type SignInOutput } from "@aws-amplify/auth";
import { useState, type SyntheticEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { beginRedirectSignIn } from "../../auth/oauth";
import { useAuth } from "../../auth/session";
import { useServices } from "../../context";
import { safeNext } from "../../shell/next";
import { Field } from "../../ui/Field";
import { QrCode } from "../../ui/QrCode";

type Step =
  | { kind: "credentials" }
  | { kind: "totp" }
  | { kind: "newPassword" }
  | { kind: "totpSetup"; uri: string; secret: string };

const FRIENDLY: Record<string, string> = {
  NotAuthorizedException: "The email address or password is not right.",
  UserNotFoundException: "The email address or password is not right.",
  CodeMismatchException: "That code is not right. Enter the current code from your app.",
  EnableSoftwareTokenMFAException: "That code is not right. Enter the current code from your app.",
  InvalidPasswordException: "",
  ExpiredCodeException: "That code has expired. Enter the current code from your app.",
  LimitExceededException: "Too many attempts. Wait a few minutes, then try again.",
};

function message(error: unknown): string {
  if (error instanceof Error) {
    const friendly = FRIENDLY[error.name];
    return friendly || error.message;
  }
  return "Signing in failed. Try again.";
}

/** STX staff (CAMs) sign in with Entra ID (M365) through Cognito's hosted UI, where the
 *  stage has one (config.json's cognito.oauth). */
function StaffSignIn({ next }: { next: string }) {
  const { config } = useServices();
  const [error, setError] = useState<string | null>(null);
  const oauth = config.cognito.oauth;
  if (!oauth) return null;
  const start = () => {
    beginRedirectSignIn(oauth, next, { storage: window.sessionStorage, crypto: window.crypto }).then(
      (url) => {
        window.location.assign(url);
      },
      () => {
        setError("Signing in with Microsoft could not start. Try again.");
      },
    );
  };
  return (
    <div className="staff-sign-in">
      <h2>STX staff</h2>
      <button type="button" className="secondary" onClick={start}>
        Sign in with your STX Microsoft account
      </button>
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}

export default function SignIn() {
  const { status, refresh } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const [step, setStep] = useState<Step>({ kind: "credentials" });
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (status === "signedIn" && step.kind === "credentials") return <Navigate to={next} replace />;

  async function follow(output: SignInOutput): Promise<void> {
    const nextStep = output.nextStep;
    setCode("");
    switch (nextStep.signInStep) {
      case "DONE":
        await refresh();
        await navigate(next, { replace: true });
        return;
      case "CONFIRM_SIGN_IN_WITH_TOTP_CODE":
        setStep({ kind: "totp" });
        return;
      case "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED":
        setStep({ kind: "newPassword" });
        return;
      case "CONTINUE_SIGN_IN_WITH_TOTP_SETUP":
        setStep({
          kind: "totpSetup",
          uri: nextStep.totpSetupDetails.getSetupUri("SCTS", email).toString(),
          secret: nextStep.totpSetupDetails.sharedSecret,
        });
        return;
      case "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION":
        await follow(await confirmSignIn({ challengeResponse: "TOTP" }));
        return;
      case "RESET_PASSWORD":
        await navigate("/forgot-password", { state: { email } });
        return;
      default:
        throw new Error(`This sign-in step is not supported here (${nextStep.signInStep}).`);
    }
  }

  async function run(action: () => Promise<void>, event: SyntheticEvent): Promise<void> {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusy(false);
    }
  }

  const submitCredentials = () =>
    (async () => {
      const input = { username: email.trim().toLowerCase(), password };
      let output: SignInOutput;
      try {
        output = await signIn(input);
      } catch (failure) {
        if (!(failure instanceof Error) || failure.name !== "UserAlreadyAuthenticatedException") throw failure;
        await signOut();
        output = await signIn(input);
      }
      await follow(output);
    })();

  const submitCode = async () => {
    await follow(await confirmSignIn({ challengeResponse: code.trim() }));
  };

  const submitNewPassword = async () => {
    if (newPassword !== repeat) throw new Error("The two passwords differ.");
    await follow(await confirmSignIn({ challengeResponse: newPassword }));
  };

  return (
    <main id="main" className="centered">
      <section className="card" aria-labelledby="page-title">
        {step.kind === "credentials" && (
          <form onSubmit={(e) => void run(submitCredentials, e)} noValidate>
            <h1 id="page-title">Sign in to the SCTS portal</h1>
            <Field label="Email address" type="email" autoComplete="username" required value={email}
              onChange={(e) => { setEmail(e.target.value); }} />
            <Field label="Password" type="password" autoComplete="current-password" required value={password}
              onChange={(e) => { setPassword(e.target.value); }} />
            {error && <p className="form-error" role="alert">{error}</p>}
            <button type="submit" disabled={busy}>Sign in</button>
            <p>
              <Link to="/forgot-password" state={{ email }}>Forgot your password?</Link>
            </p>
            <StaffSignIn next={next} />
          </form>
        )}
        {step.kind === "totp" && (
          <form onSubmit={(e) => void run(submitCode, e)} noValidate>
            <h1 id="page-title">Enter your authenticator code</h1>
            <Field label="6-digit code" hint="From the authenticator app you set up for the portal."
              inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required
              value={code} onChange={(e) => { setCode(e.target.value); }} autoFocus />
            {error && <p className="form-error" role="alert">{error}</p>}
            <button type="submit" disabled={busy}>Verify</button>
          </form>
        )}
        {step.kind === "newPassword" && (
          <form onSubmit={(e) => void run(submitNewPassword, e)} noValidate>
            <h1 id="page-title">Choose your password</h1>
            <p>This is your first sign-in: replace the temporary password from your invitation.</p>
            <Field label="New password" type="password" autoComplete="new-password" required
              hint="At least 14 characters with upper- and lower-case letters, a digit and a symbol."
              value={newPassword} onChange={(e) => { setNewPassword(e.target.value); }} autoFocus />
            <Field label="Repeat the new password" type="password" autoComplete="new-password" required
              value={repeat} onChange={(e) => { setRepeat(e.target.value); }} />
            {error && <p className="form-error" role="alert">{error}</p>}
            <button type="submit" disabled={busy}>Set password and continue</button>
          </form>
        )}
        {step.kind === "totpSetup" && (
          <form onSubmit={(e) => void run(submitCode, e)} noValidate>
            <h1 id="page-title">Set up your authenticator app</h1>
            <p>Scan the code with an authenticator app, or type the key, then enter the code it shows.</p>
            <QrCode text={step.uri} label="QR code for your authenticator app" />
            <p>Key: <code className="secret">{step.secret}</code></p>
            <Field label="6-digit code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required
              value={code} onChange={(e) => { setCode(e.target.value); }} />
            {error && <p className="form-error" role="alert">{error}</p>}
            <button type="submit" disabled={busy}>Verify</button>
          </form>
        )}
      </section>
    </main>
  );
}
