// Who is signed in, and the token source every API call uses.
//
// Amplify refreshes the access token silently (fetchAuthSession renews it with the refresh
// token shortly before it expires). When that is no longer possible (refresh token expired
// or revoked, or an API keeps refusing the token), the status becomes "expired" and the app
// shows the session-expired page instead of failing requests one by one.
import { fetchAuthSession, signOut as amplifySignOut } from "@aws-amplify/auth";
import { Hub } from "@aws-amplify/core";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { TokenSource } from "../api/http";
import { hostedSignOut, type OAuthConfig } from "./oauth";

/** "left": the person signed out here (sign-in starts afresh, not where they were). */
export type AuthStatus = "loading" | "signedOut" | "left" | "expired" | "signedIn";

export interface AuthState {
  status: AuthStatus;
  /** The signed-in person's email (ID token claim); Cognito's username is an opaque id. */
  email: string | null;
  tokens: TokenSource;
  /** Re-read the session (after a completed sign-in). */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

async function currentTokens(forceRefresh = false): Promise<{ access: string; email: string | null } | null> {
  try {
    const tokens = (await fetchAuthSession({ forceRefresh })).tokens;
    if (!tokens) return null;
    const email = tokens.idToken?.payload.email;
    return { access: tokens.accessToken.toString(), email: typeof email === "string" ? email : null };
  } catch {
    return null;
  }
}

/** `oauth`: the hosted UI of deployed stages, whose own session a sign-out ends too. */
export function AuthProvider({ children, oauth }: { children: ReactNode; oauth?: OAuthConfig }) {
  const [status, setStatus] = useState<AuthStatus>("loading");
  const [email, setEmail] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const tokens = await currentTokens();
    setEmail(tokens?.email ?? null);
    setStatus(tokens ? "signedIn" : "signedOut");
  }, []);

  useEffect(() => {
    let current = true;
    void currentTokens().then((tokens) => {
      if (!current) return;
      setEmail(tokens?.email ?? null);
      setStatus(tokens ? "signedIn" : "signedOut");
    });
    const stopListening = Hub.listen("auth", ({ payload }) => {
      if (payload.event === "tokenRefresh_failure") setStatus("expired");
    });
    return () => {
      current = false;
      stopListening();
    };
  }, []);

  const tokens = useMemo<TokenSource>(
    () => ({
      accessToken: async (options) => (await currentTokens(options?.forceRefresh ?? false))?.access ?? null,
      onExpired: () => {
        setStatus((current) => (current === "signedIn" ? "expired" : current));
      },
    }),
    [],
  );

  const signOut = useCallback(async () => {
    try {
      await amplifySignOut();
    } finally {
      setEmail(null);
      setStatus("left");
      const hostedLogout = hostedSignOut(oauth, window.sessionStorage);
      if (hostedLogout) window.location.assign(hostedLogout);
    }
  }, [oauth]);

  const value = useMemo(
    () => ({ status, email, tokens, refresh, signOut }),
    [status, email, tokens, refresh, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside AuthProvider");
  return state;
}
