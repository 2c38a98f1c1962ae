import { StrictMode, useMemo } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { createApiClients, createPublicIdentityClient } from "./api/client";
import { configureAuth } from "./auth/amplify";
import { AuthProvider, useAuth } from "./auth/session";
import { loadConfig } from "./config";
import { ServicesContext, type Services } from "./context";
import { router } from "./routes";
import "./styles.css";

function App({ services }: { services: Omit<Services, "api"> }) {
  const { tokens } = useAuth();
  const value = useMemo(
    () => ({ ...services, api: createApiClients(services.config, tokens) }),
    [services, tokens],
  );
  return (
    <ServicesContext.Provider value={value}>
      <RouterProvider router={router} />
    </ServicesContext.Provider>
  );
}

async function start(): Promise<void> {
  const root = createRoot(document.getElementById("root") as HTMLElement);
  try {
    const config = await loadConfig();
    configureAuth(config);
    const services = { config, publicIdentity: createPublicIdentityClient(config) };
    root.render(
      <StrictMode>
        <AuthProvider oauth={config.cognito.oauth}>
          <App services={services} />
        </AuthProvider>
      </StrictMode>,
    );
  } catch (error) {
    console.error(error);
    root.render(
      <main id="main" className="centered">
        <h1>The portal could not start</h1>
        <p>Its configuration could not be read. Reload the page in a moment.</p>
      </main>,
    );
  }
}

void start();
