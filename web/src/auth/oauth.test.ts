import { describe, expect, it } from "vitest";
import {
  OAuthError,
  PENDING_KEY,
  authorizeUrl,
  base64url,
  beginRedirectSignIn,
  codeChallenge,
  completeRedirectSignIn,
  hostedSignOut,
  rememberHostedSession,
  type OAuthConfig,
} from "./oauth";
import { parseConfig } from "../config";

const crypto = globalThis.crypto;

class MemoryStorage {
  items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

// The OAuth settings as a deployed stage's /config.json carries them (infra.browser.spa_config).
const deployed = parseConfig({
  stage: "preprod",
  region: "eu-west-1",
  cognito: {
    user_pool_id: "eu-west-1_abc",
    client_id: "spa-client",
    oauth: {
      domain: "https://scts-preprod.auth.eu-west-1.amazoncognito.com",
      redirect_uri: "https://portal.example.com/callback",
      identity_provider: "EntraID",
      scopes: ["openid", "email", "profile"],
    },
  },
  services: {
    identity: "https://a.execute-api.eu-west-1.amazonaws.com",
    provisioning: "https://b.execute-api.eu-west-1.amazonaws.com",
    portfolio: "https://c.execute-api.eu-west-1.amazonaws.com",
    documents: "https://d.execute-api.eu-west-1.amazonaws.com",
    notifications: "https://e.execute-api.eu-west-1.amazonaws.com",
  },
});
const config = deployed.cognito.oauth as OAuthConfig;

/** base64url(SHA-256(verifier)) spelled out: standard base64 with its URL-safe alphabet
 *  swap and padding cut (RFC 7636 section 4.2), not the module's own encoder. */
async function expectedChallenge(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest)).split("+").join("-").split("/").join("_").replace(/=*$/, "");
}

describe("redirect sign-in with PKCE", () => {
  it("takes its settings from the deployed config", () => {
    expect(config).toEqual({
      domain: "https://scts-preprod.auth.eu-west-1.amazoncognito.com",
      clientId: "spa-client",
      redirectUri: "https://portal.example.com/callback",
      provider: "EntraID",
      scopes: ["openid", "email", "profile"],
    });
  });

  it("computes the S256 challenge as base64url(SHA-256(verifier))", async () => {
    // the value computed independently (Python's hashlib + urlsafe_b64encode, padding cut)
    const verifier = "dBjftJeZ4CVP-mJ92K9pUiQ9sgD0T1BwTKvTrd7ylMQ";
    expect(await codeChallenge(verifier, crypto)).toBe("XOWQotEfND6Hjxa2j-SThaYLboH8UEj_O3cElcyNIhU");
    expect(await codeChallenge("another verifier", crypto)).toBe(await expectedChallenge("another verifier"));
    expect(base64url(new Uint8Array([251, 255, 254]))).toBe("-__-");
  });

  it("stores state and verifier and sends the browser to the hosted authorize endpoint", async () => {
    const storage = new MemoryStorage();
    const url = new URL(await beginRedirectSignIn(config, "/staff/overview", { storage, crypto }));
    const pending = JSON.parse(storage.getItem(PENDING_KEY) ?? "{}") as Record<string, string>;
    expect(pending.next).toBe("/staff/overview");
    expect(pending.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pending.state).not.toBe(pending.verifier);

    expect(url.origin + url.pathname).toBe("https://scts-preprod.auth.eu-west-1.amazoncognito.com/oauth2/authorize");
    const challenge = await expectedChallenge(pending.verifier ?? "");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "spa-client",
      redirect_uri: "https://portal.example.com/callback",
      identity_provider: "EntraID",
      scope: "openid email profile",
      state: pending.state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
  });

  it("exchanges the code with the verifier at the token endpoint", async () => {
    const storage = new MemoryStorage();
    const url = new URL(await beginRedirectSignIn(config, "/staff/overview", { storage, crypto }));
    const state = url.searchParams.get("state") ?? "";
    const { verifier } = JSON.parse(storage.getItem(PENDING_KEY) ?? "{}") as { verifier: string };
    const sent: Request[] = [];
    const fetchImpl = (input: RequestInfo | URL) => {
      sent.push(input as Request);
      return Promise.resolve(
        new Response(JSON.stringify({ access_token: "a.b.c", id_token: "i.d.t", refresh_token: "r", expires_in: 900, token_type: "Bearer" }), {
          status: 200,
          headers: { "content-type": "application/json" },
        }),
      );
    };
    const callback = new URL(`https://portal.example.com/callback?code=the-code&state=${state}`);
    const done = await completeRedirectSignIn(config, callback, { storage, fetchImpl: fetchImpl });

    expect(done).toEqual({ tokens: { accessToken: "a.b.c", idToken: "i.d.t", refreshToken: "r" }, next: "/staff/overview" });
    expect(sent).toHaveLength(1);
    const request = sent[0] as Request;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://scts-preprod.auth.eu-west-1.amazoncognito.com/oauth2/token");
    expect(request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(await request.text()))).toEqual({
      grant_type: "authorization_code",
      client_id: "spa-client",
      code: "the-code",
      redirect_uri: "https://portal.example.com/callback",
      code_verifier: verifier,
    });
    // one use: the pending attempt is gone
    expect(storage.getItem(PENDING_KEY)).toBeNull();
  });

  it("refuses a mismatched state without calling the token endpoint", async () => {
    const storage = new MemoryStorage();
    await beginRedirectSignIn(config, "/", { storage, crypto });
    let called = false;
    const fetchImpl = () => {
      called = true;
      return Promise.resolve(new Response("{}"));
    };
    const forged = new URL("https://portal.example.com/callback?code=stolen&state=not-the-one");
    await expect(completeRedirectSignIn(config, forged, { storage, fetchImpl: fetchImpl })).rejects.toMatchObject({
      code: "state_mismatch",
    });
    expect(called).toBe(false);
    expect(storage.getItem(PENDING_KEY)).toBeNull();
  });

  it("refuses an answer when no attempt is pending, and reports the provider's error", async () => {
    const fetchImpl = (() => Promise.reject(new Error("not called"))) as typeof fetch;
    const answer = new URL("https://portal.example.com/callback?code=c&state=s");
    await expect(completeRedirectSignIn(config, answer, { storage: new MemoryStorage(), fetchImpl })).rejects.toBeInstanceOf(OAuthError);

    const storage = new MemoryStorage();
    const state = new URL(await beginRedirectSignIn(config, "/", { storage, crypto })).searchParams.get("state") ?? "";
    const denied = new URL(`https://portal.example.com/callback?error=access_denied&error_description=User+cancelled&state=${state}`);
    await expect(completeRedirectSignIn(config, denied, { storage, fetchImpl })).rejects.toMatchObject({
      code: "access_denied",
      message: "User cancelled",
    });
  });

  it("never shows the text of an error answer it did not ask for", async () => {
    const fetchImpl = (() => Promise.reject(new Error("not called"))) as typeof fetch;
    const planted = "Your account is locked. Call +44 20 0000 0000 to unlock it.";
    const storage = new MemoryStorage();
    await beginRedirectSignIn(config, "/", { storage, crypto });
    for (const state of ["", "&state=guessed"]) {
      const forged = new URL(
        `https://portal.example.com/callback?error=access_denied&error_description=${encodeURIComponent(planted)}${state}`,
      );
      const refusal = completeRedirectSignIn(config, forged, { storage, fetchImpl });
      await expect(refusal).rejects.toMatchObject({ code: "state_mismatch" });
      await expect(refusal).rejects.not.toMatchObject({ message: planted });
    }
  });

  it("fails when the token endpoint refuses the code", async () => {
    const storage = new MemoryStorage();
    const url = new URL(await beginRedirectSignIn(config, "/", { storage, crypto }));
    const fetchImpl = (() => Promise.resolve(new Response('{"error":"invalid_grant"}', { status: 400 }))) as typeof fetch;
    const callback = new URL(`https://portal.example.com/callback?code=c&state=${url.searchParams.get("state") ?? ""}`);
    await expect(completeRedirectSignIn(config, callback, { storage, fetchImpl })).rejects.toMatchObject({
      code: "token_exchange_failed",
    });
  });

  it("builds the authorize URL from the config only", () => {
    expect(authorizeUrl(config, "s", "c")).toContain("identity_provider=EntraID");
  });

  it("ends the hosted session once, and only for a session that came through it", () => {
    const storage = new MemoryStorage();
    expect(hostedSignOut(config, storage)).toBeNull();
    rememberHostedSession(storage);
    const logout = new URL(hostedSignOut(config, storage) ?? "");
    expect(logout.origin + logout.pathname).toBe("https://scts-preprod.auth.eu-west-1.amazoncognito.com/logout");
    expect(Object.fromEntries(logout.searchParams)).toEqual({
      client_id: "spa-client",
      logout_uri: "https://portal.example.com/",
    });
    expect(hostedSignOut(config, storage)).toBeNull();
    rememberHostedSession(storage);
    expect(hostedSignOut(undefined, storage)).toBeNull();
  });
});
