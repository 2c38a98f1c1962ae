// The signed-in person: identity's /v1/me (accounts, roles, permissions) and preferences,
// loaded once after sign-in; the formatter and words follow the preferences.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { unwrap } from "../api/client";
import { useAuth } from "../auth/session";
import type { Me, PreferenceValues, Preferences } from "../api/models";
import { PresentationContext, useServices } from "../context";
import { createFormatter } from "../format/format";
import { translator } from "../i18n/messages";
import { useResource } from "../resource";
import { Failure, Loading } from "../ui/states";

export interface Person {
  me: Me;
  /** How the person is named on screen: their email (else Cognito's username). */
  name: string;
  preferences: Preferences;
  reload: () => void;
  /** Replace the preferences (PUT); the whole app re-renders with them. */
  savePreferences: (values: PreferenceValues) => Promise<void>;
}

const PersonContext = createContext<Person | null>(null);

export function usePerson(): Person {
  const person = useContext(PersonContext);
  if (!person) throw new Error("usePerson outside PersonProvider");
  return person;
}

export function PersonProvider({ children }: { children: ReactNode }) {
  const { api } = useServices();
  const { email } = useAuth();
  const [saved, setSaved] = useState<Preferences | null>(null);
  const load = useCallback(
    () =>
      Promise.all([
        unwrap(api.identity.GET("/v1/me")),
        unwrap(api.identity.GET("/v1/me/preferences")),
      ]),
    [api],
  );
  const resource = useResource(load);
  // A reload (e.g. after staff create an account) keeps showing the app with what was
  // loaded before until the new answer arrives: pages keep their state.
  const [previous, setPrevious] = useState<[Me, Preferences] | null>(null);
  if (resource.state === "ready" && resource.data !== previous) setPrevious(resource.data);
  const loaded = resource.state === "ready" ? resource.data : previous;
  const preferences = saved ?? loaded?.[1] ?? null;

  const savePreferences = useCallback(
    async (values: PreferenceValues) => {
      setSaved(await unwrap(api.identity.PUT("/v1/me/preferences", { body: values })));
    },
    [api],
  );

  const presentation = useMemo(() => {
    const values = preferences?.values;
    return {
      t: translator(values?.locale ?? "en-GB"),
      format: createFormatter(values ?? {}),
    };
  }, [preferences]);

  const person = useMemo<Person | null>(
    () =>
      loaded && preferences
        ? { me: loaded[0], name: email ?? loaded[0].username, preferences, reload: resource.reload, savePreferences }
        : null,
    [loaded, email, preferences, resource.reload, savePreferences],
  );

  useEffect(() => {
    document.documentElement.lang = presentation.format.locale;
  }, [presentation]);

  if (resource.state === "failed" && !previous) {
    return (
      <main id="main" className="centered">
        <Failure problem={resource.problem} retry={resource.reload} />
      </main>
    );
  }
  if (!person) {
    return (
      <main id="main" className="centered">
        <Loading />
      </main>
    );
  }
  return (
    <PresentationContext.Provider value={presentation}>
      <PersonContext.Provider value={person}>{children}</PersonContext.Provider>
    </PresentationContext.Provider>
  );
}
