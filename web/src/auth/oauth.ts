// Redirect sign-in for STX staff (CAMs) with Entra ID (M365), federated by Cognito: the
// OAuth 2.0 authorization code flow with PKCE (RFC 7636, S256) against the user pool's
// hosted endpoints, in a few WebCrypto calls.
//
// 1. `beginRedirectSignIn`: a random `state` and code verifier are kept in this tab's
//    sessionStorage; the browser goes to `<domain>/oauth2/authorize` with
//    `identity_provider=<provider>` (straight to Microsoft, no Cognito page in between),
//    `code_challenge = base64url(SHA-256(verifier))` and `code_challenge_method=S256`.
// 2. Cognito sends the browser back to `<portal>/callback?code=...&state=...`;
//    `completeRedirectSignIn` refuses a `state` it did not issue (or an answer with none
//    pending), forgets the pending attempt either way (one use), and exchanges the code with
//    the verifier at `<domain>/oauth2/token`. The tokens go to Amplify's token store
//    (`auth/amplify.ts`), which refreshes them like any other session.
//
// Why not Amplify's own `signInWithRedirect`: it keeps the verifier and state in
// localStorage and needs a global URL listener; this keeps everything in the tab's
// sessionStorage (as the tokens) and is unit-tested step by step (oauth.test.ts). Only the
// deployed stages have a hosted UI (moto has none): the local demo CAM signs in with a
// password and TOTP.

export interface OAuthConfig {
  /** The user pool domain (https://<prefix>.auth.<region>.amazoncognito.com). */
  domain: string;
  clientId: string;
  /** The SPA's callback, registered on the app client (<portal>/callback). */
  redirectUri: string;
  /** The Cognito identity provider name (EntraID). */
  provider: string;
  scopes: readonly string[];
}

export interface OAuthTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string | null;
}

export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const PENDING_KEY = "scts.oauth.pending";

interface Pending {
  state: string;
  verifier: string;
  /** Where to go after signing in (a path of the portal). */
  next: string;
}

export interface OAuthDependencies {
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  crypto: Crypto;
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** `size` random bytes, base64url: 32 bytes give a 43-character verifier (RFC 7636's
 *  minimum length, its unreserved characters only). */
export function randomToken(crypto: Crypto, size = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

/** The S256 code challenge of a verifier. */
export async function codeChallenge(verifier: string, crypto: Crypto): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function authorizeUrl(config: OAuthConfig, state: string, challenge: string): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    identity_provider: config.provider,
    scope: config.scopes.join(" "),
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return `${config.domain}/oauth2/authorize?${query.toString()}`;
}

/** Remember a new attempt and answer the URL to send the browser to. */
export async function beginRedirectSignIn(
  config: OAuthConfig,
  next: string,
  { storage, crypto }: OAuthDependencies,
): Promise<string> {
  const pending: Pending = { state: randomToken(crypto), verifier: randomToken(crypto), next };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  return authorizeUrl(config, pending.state, await codeChallenge(pending.verifier, crypto));
}

function readPending(storage: OAuthDependencies["storage"]): Pending | null {
  const raw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Pending>;
    if (typeof parsed.state === "string" && typeof parsed.verifier === "string") {
      return { state: parsed.state, verifier: parsed.verifier, next: typeof parsed.next === "string" ? parsed.next : "/" };
    }
  } catch {
    // a damaged entry is no pending attempt
  }
  return null;
}

/** The code exchange request (form-encoded, as /oauth2/token takes it; a public client: no
 *  secret). */
export function tokenRequest(config: OAuthConfig, code: string, verifier: string): Request {
  return new Request(`${config.domain}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
}

/** Finish the attempt the callback URL answers: its tokens and where to go next. */
export async function completeRedirectSignIn(
  config: OAuthConfig,
  callback: URL,
  { storage, fetchImpl }: { storage: OAuthDependencies["storage"]; fetchImpl: typeof fetch },
): Promise<{ tokens: OAuthTokens; next: string }> {
  const pending = readPending(storage);
  const params = callback.searchParams;
  const state = params.get("state");
  // An error answer is trusted only with the state of this tab's attempt: anyone can link to
  // /callback?error=...&error_description=<any text>, shown on the portal's own page.
  if (!pending || !state || state !== pending.state) {
    throw new OAuthError("state_mismatch", "This sign-in answer was not asked for here. Start again.");
  }
  const error = params.get("error");
  if (error) {
    throw new OAuthError(error, params.get("error_description") ?? "The sign-in was not completed.");
  }
  const code = params.get("code");
  if (!code) throw new OAuthError("invalid_request", "The sign-in answer has no code. Start again.");
  const response = await fetchImpl(tokenRequest(config, code, pending.verifier));
  if (!response.ok) {
    throw new OAuthError("token_exchange_failed", `The sign-in could not be completed (${response.status}).`);
  }
  const body = (await response.json()) as Record<string, unknown>;
  const { access_token: accessToken, id_token: idToken, refresh_token: refreshToken } = body;
  if (typeof accessToken !== "string" || typeof idToken !== "string") {
    throw new OAuthError("token_exchange_failed", "The sign-in answer carried no tokens.");
  }
  return {
    tokens: { accessToken, idToken, refreshToken: typeof refreshToken === "string" ? refreshToken : null },
    next: pending.next,
  };
}

/** Set when this tab's session came through the hosted UI (sessionStorage, as the tokens). */
export const HOSTED_SESSION_KEY = "scts.oauth.hosted";

/** Cognito's hosted sign-out: ends the user pool's own session cookie, without which the next
 *  "Sign in with Microsoft" would skip signing in, and sends the browser back to the portal's
 *  root, the sign-out URL registered on the app client (`logout_urls`). */
export function logoutUrl(config: OAuthConfig): string {
  const query = new URLSearchParams({
    client_id: config.clientId,
    logout_uri: new URL("/", config.redirectUri).toString(),
  });
  return `${config.domain}/logout?${query.toString()}`;
}

export function rememberHostedSession(storage: OAuthDependencies["storage"]): void {
  storage.setItem(HOSTED_SESSION_KEY, "1");
}

/** Where to send the browser once the tokens are gone: the hosted sign-out when the session
 *  came through the hosted UI (answered once), else null (a password session has no hosted
 *  session to end). */
export function hostedSignOut(config: OAuthConfig | undefined, storage: OAuthDependencies["storage"]): string | null {
  const hosted = storage.getItem(HOSTED_SESSION_KEY) !== null;
  storage.removeItem(HOSTED_SESSION_KEY);
  return hosted && config ? logoutUrl(config) : null;
}
