// Cognito through AWS Amplify v6 Auth (the scoped @aws-amplify packages, not the umbrella).
// The user pool endpoint comes from /config.json: the local runtime's moto server, or
// nothing (AWS's regional endpoint) on a deployed stage.
import { Amplify, decodeJWT } from "@aws-amplify/core";
import { cognitoUserPoolsTokenProvider } from "@aws-amplify/auth/cognito";
import type { PortalConfig } from "../config";
import type { OAuthTokens } from "./oauth";
import { sessionTokenStorage } from "./storage";

export function configureAuth(config: PortalConfig, store: Storage = window.sessionStorage): void {
  const auth = {
    Cognito: {
      userPoolId: config.cognito.userPoolId,
      userPoolClientId: config.cognito.clientId,
      ...(config.cognito.endpoint ? { userPoolEndpoint: config.cognito.endpoint } : {}),
      loginWith: { email: true },
    },
  };
  cognitoUserPoolsTokenProvider.setAuthConfig(auth);
  cognitoUserPoolsTokenProvider.setKeyValueStorage(sessionTokenStorage(store));
  Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
}

/** Hand the tokens of a completed redirect sign-in (auth/oauth.ts) to Amplify: from then on
 *  they are read, stored (sessionStorage) and refreshed like an SRP session's. */
export async function adoptTokens(tokens: OAuthTokens): Promise<void> {
  const accessToken = decodeJWT(tokens.accessToken);
  const username = accessToken.payload.username;
  if (typeof username !== "string") throw new Error("The access token names no user.");
  await cognitoUserPoolsTokenProvider.tokenOrchestrator.setTokens({
    tokens: {
      accessToken,
      idToken: decodeJWT(tokens.idToken),
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      clockDrift: 0,
      username,
    },
  });
}
