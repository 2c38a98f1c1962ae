// One typed client per service, generated types from contracts/openapi/<service>.json.
import createClient, { type Client } from "openapi-fetch";
import type { PortalConfig } from "../config";
import type { paths as DocumentsPaths } from "./generated/documents";
import type { paths as IdentityPaths } from "./generated/identity";
import type { paths as NotificationsPaths } from "./generated/notifications";
import type { paths as PortfolioPaths } from "./generated/portfolio";
import type { paths as ProvisioningPaths } from "./generated/provisioning";
import { authorizedFetch, type TokenSource } from "./http";
import { ApiProblem, networkProblem, toProblem } from "./problem";

export interface ApiClients {
  identity: Client<IdentityPaths>;
  provisioning: Client<ProvisioningPaths>;
  portfolio: Client<PortfolioPaths>;
  documents: Client<DocumentsPaths>;
  notifications: Client<NotificationsPaths>;
}

/** Clients whose requests carry the signed-in user's access token. */
export function createApiClients(config: PortalConfig, tokens: TokenSource): ApiClients {
  const fetchWithToken = authorizedFetch(tokens);
  const options = (baseUrl: string) => ({ baseUrl, fetch: fetchWithToken });
  return {
    identity: createClient<IdentityPaths>(options(config.services.identity)),
    provisioning: createClient<ProvisioningPaths>(options(config.services.provisioning)),
    portfolio: createClient<PortfolioPaths>(options(config.services.portfolio)),
    documents: createClient<DocumentsPaths>(options(config.services.documents)),
    notifications: createClient<NotificationsPaths>(options(config.services.notifications)),
  };
}

/** identity's PUBLIC routes (password recovery), called before anyone is signed in. */
export function createPublicIdentityClient(config: PortalConfig): Client<IdentityPaths> {
  return createClient<IdentityPaths>({ baseUrl: config.services.identity });
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The response's data, or an ApiProblem (network failures included). */
export async function unwrap<T>(pending: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch (error) {
    if (error instanceof ApiProblem) throw error;
    throw networkProblem(error);
  }
  if (!answer.response.ok) {
    throw toProblem(answer.response.status, answer.error, answer.response.headers);
  }
  return answer.data as T;
}
