// What every component may reach: the runtime config and the typed API clients; the words
// (`t`) and the formatter, personalised once the person's preferences are loaded.
import type { Client } from "openapi-fetch";
import { createContext, useContext } from "react";
import type { ApiClients } from "./api/client";
import type { paths as IdentityPaths } from "./api/generated/identity";
import type { PortalConfig } from "./config";
import { createFormatter, type Formatter } from "./format/format";
import { translator, type Translate } from "./i18n/messages";

export interface Services {
  config: PortalConfig;
  api: ApiClients;
  /** identity's public routes (password recovery): no token. */
  publicIdentity: Client<IdentityPaths>;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside ServicesContext");
  return services;
}

export interface Presentation {
  t: Translate;
  format: Formatter;
}

export const PresentationContext = createContext<Presentation>({
  t: translator("en-GB"),
  format: createFormatter(),
});

export function usePresentation(): Presentation {
  return useContext(PresentationContext);
}
