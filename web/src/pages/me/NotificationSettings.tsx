// Which notifications reach the person on which channel: a matrix of categories x
// channels from the notifications API (categories it locks, such as security, cannot be
// switched off), the e-mail mode, saved with the version read (a concurrent change is
// refused by the API, not overwritten).
import { useCallback, useEffect, useState, type SyntheticEvent } from "react";
import { unwrap } from "../../api/client";
import type { NotificationChannel, NotificationPreferences } from "../../api/models";
import { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { asProblem, useResource } from "../../resource";
import { Loaded, ProblemMessage } from "../../ui/states";
import { disablePush, enablePush, pushStatus, pushSupported } from "../../notifications/push";
import { Page, words } from "../portfolio/shared";

const CHANNELS: readonly NotificationChannel[] = ["inbox", "email", "push"];

function Matrix({
  preferences,
  onSaving,
  onSaved,
}: {
  preferences: NotificationPreferences;
  onSaving: () => void;
  onSaved: () => void;
}) {
  const { api } = useServices();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const matrix = preferences.channels ?? {};
  const categories = Object.keys(matrix);

  async function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const channels = Object.fromEntries(
      categories.map((category) => [
        category,
        Object.fromEntries(
          CHANNELS.filter((c) => c in (matrix[category] ?? {})).map((c) => [
            c,
            preferences.locked_categories.includes(category as never)
              ? (matrix[category]?.[c] ?? true)
              : data.get(`${category}.${c}`) === "on",
          ]),
        ),
      ]),
    );
    setProblem(null);
    setBusy(true);
    onSaving();
    try {
      await unwrap(
        api.notifications.PUT("/v1/me/notification-preferences", {
          body: {
            channels,
            email_mode: data.get("email_mode") === "daily_digest" ? "daily_digest" : "immediate",
            digest_hour: preferences.digest_hour,
            muted_accounts: preferences.muted_accounts,
            quiet_hours: preferences.quiet_hours,
            version: preferences.version,
          },
        }),
      );
      onSaved();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)}>
      <ProblemMessage problem={problem} />
      <div className="table-scroll">
        <table data-testid="preferences-matrix">
          <caption>What reaches you where</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              {CHANNELS.map((c) => (
                <th key={c} scope="col">{words(c)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {categories.map((category) => {
              const locked = preferences.locked_categories.includes(category as never);
              return (
                <tr key={category}>
                  <th scope="row">
                    {words(category)}
                    {locked && <span className="muted"> (always on)</span>}
                  </th>
                  {CHANNELS.map((channel) => {
                    const current = matrix[category]?.[channel];
                    return (
                      <td key={channel}>
                        {current === undefined ? (
                          "—"
                        ) : (
                          <input
                            type="checkbox"
                            name={`${category}.${channel}`}
                            aria-label={`${words(category)} by ${channel}`}
                            defaultChecked={current}
                            disabled={locked}
                          />
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="field">
        <label htmlFor="email-mode">E-mail</label>
        <select id="email-mode" name="email_mode" defaultValue={preferences.email_mode}>
          <option value="immediate">At once</option>
          <option value="daily_digest">In a daily digest</option>
        </select>
      </div>
      {preferences.email.suppressed && (
        <p className="notice">
          E-mail to {preferences.email.address} is suspended ({words(preferences.email.suppressed.reason)}).
        </p>
      )}
      <button type="submit" disabled={busy}>Save settings</button>
    </form>
  );
}

/** Push on this browser: a switch that subscribes (asking permission) or unsubscribes. */
function BrowserPush() {
  const { api } = useServices();
  const supported = pushSupported();
  const [status, setStatus] = useState<{ enabled: boolean; registered: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  useEffect(() => {
    let live = true;
    pushStatus(api).then(
      (found) => { if (live) setStatus(found); },
      (error: unknown) => { if (live) setProblem(asProblem(error)); },
    );
    return () => { live = false; };
  }, [api]);

  async function toggle(on: boolean) {
    setBusy(true);
    setMessage(null);
    setProblem(null);
    try {
      if (on) await enablePush(api);
      else await disablePush(api);
      setMessage(on ? "Push notifications are on for this browser." : "Push notifications are off for this browser.");
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
      else setMessage(error instanceof Error ? `Push could not be switched ${on ? "on" : "off"}: ${error.message}` : "Push could not be switched.");
    } finally {
      setStatus(await pushStatus(api).catch(() => null));
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="push-title" className="push-settings">
      <h2 id="push-title">Push on this browser</h2>
      {!supported ? (
        <p>This browser cannot receive push notifications.</p>
      ) : (
        <div className="check-field">
          <input
            id="push-toggle"
            type="checkbox"
            data-testid="push-toggle"
            checked={status?.enabled === true}
            disabled={busy || status === null}
            onChange={(e) => void toggle(e.target.checked)}
          />
          <label htmlFor="push-toggle">Send push notifications to this browser</label>
        </div>
      )}
      <p className="muted">
        Which categories arrive by push is the Push column above.
        {status && <> Browsers registered for you: <span data-testid="push-registered">{status.registered}</span>.</>}
      </p>
      <div aria-live="polite">{message && <p role="status" data-testid="push-status">{message}</p>}</div>
      <ProblemMessage problem={problem} />
    </section>
  );
}

export default function NotificationSettings() {
  const { api } = useServices();
  const { t } = usePresentation();
  const resource = useResource(useCallback(() => unwrap(api.notifications.GET("/v1/me/notification-preferences")), [api]));
  // kept here: saving reloads the settings, which replaces the form (and what it showed)
  const [saved, setSaved] = useState(false);
  const onSaved = () => {
    setSaved(true);
    resource.reload();
  };
  return (
    <Page title={t("nav.notificationPreferences")}>
      {saved && <p role="status" className="success">Your notification settings were saved.</p>}
      <Loaded resource={resource}>
        {(preferences) => <Matrix key={preferences.version} preferences={preferences} onSaving={() => { setSaved(false); }} onSaved={onSaved} />}
      </Loaded>
      <BrowserPush />
    </Page>
  );
}
