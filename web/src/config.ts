// The runtime configuration: one build runs against the local runtime and every stage.
// `/config.json` is written by the local web server (from the runtime's values) and by the
// CDK deployment (from stack values); the SPA reads nothing else about its environment.
import type { OAuthConfig } from "./auth/oauth";

export const SERVICES = ["identity", "provisioning", "portfolio", "documents", "notifications"] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface PortalConfig {
  stage: string;
  region: string;
  cognito: {
    userPoolId: string;
    clientId: string;
    /** Only where Cognito is not AWS's regional endpoint (the local moto server). */
    endpoint?: string;
    /** The hosted UI for staff redirect sign-in (Entra ID through Cognito federation);
     *  only on deployed stages (moto has no hosted UI). */
    oauth?: OAuthConfig;
  };
  services: Record<ServiceName, string>;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(`${where} must be a non-empty string`);
  }
  return value;
}

function origin(value: unknown, where: string): string {
  const raw = text(value, where);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${where} is not a URL: ${raw}`);
  }
  const local = url.hostname === "127.0.0.1" || url.hostname === "localhost";
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) {
    throw new ConfigError(`${where} must use https (plain http only on loopback): ${raw}`);
  }
  return raw.replace(/\/+$/, "");
}

/** Parse and check `/config.json`; a ConfigError names the first wrong field. */
export function parseConfig(raw: unknown): PortalConfig {
  const root = record(raw, "config");
  const cognito = record(root.cognito, "cognito");
  const services = record(root.services, "services");
  const parsed: PortalConfig = {
    stage: text(root.stage, "stage"),
    region: text(root.region, "region"),
    cognito: {
      userPoolId: text(cognito.user_pool_id, "cognito.user_pool_id"),
      clientId: text(cognito.client_id, "cognito.client_id"),
    },
    services: Object.fromEntries(
      SERVICES.map((name) => [name, origin(services[name], `services.${name}`)]),
    ) as Record<ServiceName, string>,
  };
  if (cognito.endpoint !== undefined && cognito.endpoint !== null) {
    parsed.cognito.endpoint = origin(cognito.endpoint, "cognito.endpoint");
  }
  if (cognito.oauth !== undefined && cognito.oauth !== null) {
    parsed.cognito.oauth = parseOAuth(record(cognito.oauth, "cognito.oauth"), parsed.cognito.clientId);
  }
  return parsed;
}

function parseOAuth(oauth: Record<string, unknown>, clientId: string): OAuthConfig {
  const scopes = oauth.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => typeof s === "string" && s !== "")) {
    throw new ConfigError("cognito.oauth.scopes must be a non-empty list of strings");
  }
  const redirect = text(oauth.redirect_uri, "cognito.oauth.redirect_uri");
  origin(new URL(redirect).origin, "cognito.oauth.redirect_uri");
  return {
    domain: origin(oauth.domain, "cognito.oauth.domain"),
    clientId,
    redirectUri: redirect,
    provider: text(oauth.identity_provider, "cognito.oauth.identity_provider"),
    scopes: scopes as string[],
  };
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<PortalConfig> {
  const response = await fetchImpl("/config.json", { cache: "no-store" });
  if (!response.ok) throw new ConfigError(`/config.json answered ${response.status}`);
  return parseConfig(await response.json());
}
