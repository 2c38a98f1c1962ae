// Cognito through AWS Amplify v6 Auth (the scoped @aws-amplify packages, not the umbrella).
// The user pool endpoint comes from /config.json: the local runtime's moto server, or
// nothing (AWS's regional endpoint) on a deployed stage.
import { Amplify } from "@aws-amplify/core";
import { cognitoUserPoolsTokenProvider } from "@aws-amplify/auth/cognito";
import type { PortalConfig } from "../config";
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
