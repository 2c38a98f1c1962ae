// Staff (CAMs, SCTS administrators) change nothing before they have an authenticator app
// (identity answers 403 mfa_required): the console checks Cognito's MFA settings of the
// signed-in user (GetUser) and walks an un-enrolled staff member through TOTP enrolment
// before anything else. People signed in through Entra ID (federated) bring their MFA
// from Microsoft; identity counts them as enrolled, and so does this check.
import { useCallback, useEffect, useState } from "react";

export type MfaState = "checking" | "enrolled" | "missing";

const enrolled = () => import("./mfaCheck").then((check) => check.enrolled());

export function useStaffMfa(staff: boolean): { state: MfaState; recheck: () => void } {
  const [state, setState] = useState<MfaState>(staff ? "checking" : "enrolled");
  const [attempt, setAttempt] = useState(0);
  const recheck = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);
  useEffect(() => {
    if (!staff) return;
    let current = true;
    enrolled().then(
      (yes) => {
        if (current) setState(yes ? "enrolled" : "missing");
      },
      // The check itself failing (network) must not lock staff out of reading: the API
      // still refuses their changes until they enrol.
      () => {
        if (current) setState("enrolled");
      },
    );
    return () => {
      current = false;
    };
  }, [staff, attempt]);
  return { state: staff ? state : "enrolled", recheck };
}
