// The fetch every API client uses: a fresh access token on each request, and one retry
// with a forced refresh when an API says 401 (the token may have been revoked or have
// expired in flight). When no token can be had, the session is over: `onExpired` runs and
// the request fails with a 401 problem, which the UI turns into the "session expired" path.

import { ApiProblem } from "./problem";

export interface TokenSource {
  /** The current access token, refreshed silently when it is close to expiry; null when
   *  there is no session (signed out, or the refresh token is no longer accepted). */
  accessToken(options?: { forceRefresh?: boolean }): Promise<string | null>;
  onExpired(): void;
}

export const SESSION_EXPIRED = "session_expired";

function expired(): ApiProblem {
  return new ApiProblem(401, SESSION_EXPIRED, "Your session has ended. Sign in again.");
}

function withToken(request: Request, token: string): Request {
  const authorized = new Request(request);
  authorized.headers.set("authorization", `Bearer ${token}`);
  return authorized;
}

export function authorizedFetch(
  tokens: TokenSource,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): (request: Request) => Promise<Response> {
  return async (request: Request) => {
    const retryable = request.clone();
    const token = await tokens.accessToken();
    if (token === null) {
      tokens.onExpired();
      throw expired();
    }
    const response = await fetchImpl(withToken(request, token));
    if (response.status !== 401) return response;
    const refreshed = await tokens.accessToken({ forceRefresh: true });
    if (refreshed === null || refreshed === token) {
      tokens.onExpired();
      throw expired();
    }
    const retried = await fetchImpl(withToken(retryable, refreshed));
    if (retried.status === 401) {
      tokens.onExpired();
      throw expired();
    }
    return retried;
  };
}
