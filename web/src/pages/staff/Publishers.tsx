// STX systems that push data (SCTS administrators): register one with its account scope,
// rotate its key (the old key keeps working for the overlap shown), revoke a key, see when
// each key was last used. A new key is shown exactly once: it lives only in this page's
// memory (never stored), so leaving or reloading the page drops it for good.
import { useCallback, useState, type SyntheticEvent } from "react";
import { unwrap } from "../../api/client";
import { everyPage, PAGE_LIMIT } from "../../api/pages";
import type { AccountView, IssuedKey, Publisher, PublisherKey } from "../../api/models";
import { useServices, usePresentation } from "../../context";
import { useResource } from "../../resource";
import { usePerson } from "../../session/person";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Field } from "../../ui/Field";
import { Empty, Loaded } from "../../ui/states";
import { Outcome, StaffPageFrame, useAction } from "./shared";

const DEFAULT_OVERLAP_HOURS = 24;

function keyState(key: PublisherKey, now: number): "revoked" | "expired" | "expiring" | "live" {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && Date.parse(key.expires_at) <= now) return "expired";
  if (key.expires_at) return "expiring";
  return "live";
}

function KeyOnce({ issued, onDismiss }: { issued: IssuedKey; onDismiss: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(issued.api_key).then(
      () => { setCopied("Copied to the clipboard."); },
      () => { setCopied("Copying failed: select the key and copy it by hand."); },
    );
  };
  return (
    <section className="key-once" aria-labelledby="key-once-title" data-testid="key-once">
      <h2 id="key-once-title">The API key of {issued.publisher.name}</h2>
      <p role="alert">
        <strong>Copy it now: it is shown this once.</strong> The portal keeps only a hash; nobody can show it
        again. Give it to the system's operators through a secure channel. If it is lost, rotate the key.
      </p>
      <code data-testid="issued-key">{issued.api_key}</code>
      <p className="row-actions">
        <button type="button" onClick={copy}>Copy the key</button>
        <button type="button" className="secondary" onClick={onDismiss}>I have stored it</button>
      </p>
      {copied && <p role="status">{copied}</p>}
    </section>
  );
}

function Register({ accounts, onIssued }: { accounts: AccountView[]; onIssued: (issued: IssuedKey) => void }) {
  const { api } = useServices();
  const action = useAction();
  const [name, setName] = useState("");
  const [all, setAll] = useState(false);
  const [scope, setScope] = useState<string[]>([]);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const issued = await action.run(
      () => unwrap(api.provisioning.POST("/v1/publishers", {
        body: { name: name.trim(), all_accounts: all, account_ids: all ? null : scope },
      })),
      (i) => `${i.publisher.name} is registered.`,
    );
    if (issued) {
      setName("");
      setScope([]);
      setAll(false);
      onIssued(issued);
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="register-title">
      <h2 id="register-title">Register a publisher</h2>
      <Field label="Publisher name" maxLength={100} value={name} error={action.problem?.fieldMessage("name")}
        onChange={(e) => { setName(e.target.value); }} />
      <fieldset>
        <legend>Accounts it may publish for</legend>
        <label>
          <input type="checkbox" className="inline-check" checked={all} onChange={(e) => { setAll(e.target.checked); }} /> Every account
        </label>
        {!all && (
          <ul className="checkbox-list">
            {accounts.map((a) => (
              <li key={a.account_id}>
                <label>
                  <input type="checkbox" checked={scope.includes(a.account_id)}
                    onChange={(e) => { setScope((s) => (e.target.checked ? [...s, a.account_id] : s.filter((x) => x !== a.account_id))); }} />
                  {a.name}
                </label>
              </li>
            ))}
          </ul>
        )}
        {action.problem?.fieldMessage("account_ids") && <p className="field-error">{action.problem.fieldMessage("account_ids")}</p>}
      </fieldset>
      <button type="submit" disabled={action.busy}>Register and issue a key</button>
      <Outcome result={action.result} problem={action.problem} />
    </form>
  );
}

export default function Publishers() {
  const { api } = useServices();
  const { me } = usePerson();
  const byWhom = (subject: string | null) => (subject && subject === me.subject ? " by you" : "");
  const { format } = usePresentation();
  const action = useAction();
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const [rotating, setRotating] = useState<Publisher | null>(null);
  const [overlap, setOverlap] = useState(String(DEFAULT_OVERLAP_HOURS));
  const [revoking, setRevoking] = useState<{ publisher: Publisher; key: PublisherKey } | null>(null);
  const data = useResource(
    useCallback(
      () =>
        Promise.all([
          unwrap(api.provisioning.GET("/v1/publishers")),
          everyPage((cursor) => unwrap(api.identity.GET("/v1/accounts", { params: { query: { limit: PAGE_LIMIT, cursor } } }))),
        ]).then(([publishers, accounts]) => ({ publishers, accounts, readAt: Date.now() })),
      [api],
    ),
  );

  const rotate = async (publisher: Publisher) => {
    const hours = Number(overlap);
    const fresh = await action.run(
      () => unwrap(api.provisioning.POST("/v1/publishers/{publisher_id}/keys", {
        params: { path: { publisher_id: publisher.publisher_id } },
        body: { overlap_hours: hours },
      })),
      () => `A new key for ${publisher.name} is issued; its previous keys stop in ${format.number(hours)} hours.`,
    );
    setRotating(null);
    if (fresh) {
      setIssued(fresh);
      data.reload();
    }
  };

  const revoke = async (target: { publisher: Publisher; key: PublisherKey }) => {
    const done = await action.run(
      () => unwrap(api.provisioning.DELETE("/v1/publishers/{publisher_id}/keys/{prefix}", {
        params: { path: { publisher_id: target.publisher.publisher_id, prefix: target.key.prefix } },
      })),
      () => `Key ${target.key.prefix}… of ${target.publisher.name} is revoked: its next request is refused.`,
    );
    setRevoking(null);
    if (done !== null) data.reload();
  };

  return (
    <StaffPageFrame title="Publishers" intro="STX systems that push trades, deliveries, invoices and documents through the ingest API with an API key.">
      {issued && <KeyOnce issued={issued} onDismiss={() => { setIssued(null); }} />}
      <Outcome result={action.result} problem={action.problem} />
      <Loaded resource={data}>
        {({ publishers, accounts, readAt: now }) => {
          const nameOf = (id: string) => accounts.items.find((a) => a.account_id === id)?.name ?? id;
          return (
            <>
              {publishers.items.length === 0 ? (
                <Empty title="No publishers yet" />
              ) : (
                publishers.items.map((p) => (
                  <section key={p.publisher_id} className="publisher" aria-labelledby={`pub-${p.publisher_id}`} data-publisher={p.name}>
                    <h2 id={`pub-${p.publisher_id}`}>{p.name}</h2>
                    <p>
                      Publishes for: {p.all_accounts ? "every account" : p.account_ids.length ? p.account_ids.map(nameOf).join(", ") : "no account"}
                      {" · "}registered {format.date(p.created_at)}
                    </p>
                    <div className="table-scroll">
                      <table>
                        <caption className="visually-hidden">Keys of {p.name}</caption>
                        <thead>
                          <tr>
                            <th scope="col">Key</th>
                            <th scope="col">State</th>
                            <th scope="col">Created</th>
                            <th scope="col">Last used</th>
                            <th scope="col">Stops working</th>
                            <th scope="col"><span className="visually-hidden">Actions</span></th>
                          </tr>
                        </thead>
                        <tbody>
                          {p.keys.map((k) => {
                            const state = keyState(k, now);
                            return (
                              <tr key={k.prefix} data-key={k.prefix}>
                                <th scope="row"><code>{k.prefix}…</code></th>
                                <td data-testid="key-state">{state === "expiring" ? "live (overlap)" : state}</td>
                                <td>{format.dateTime(k.created_at)}{byWhom(k.created_by)}</td>
                                <td data-testid="key-last-used">{k.last_used_at ? format.dateTime(k.last_used_at) : "never"}</td>
                                <td>{k.revoked_at ? `revoked ${format.dateTime(k.revoked_at)}${byWhom(k.revoked_by)}` : k.expires_at ? format.dateTime(k.expires_at) : "—"}</td>
                                <td>
                                  {(state === "live" || state === "expiring") && (
                                    <button type="button" className="secondary" onClick={() => { action.clear(); setRevoking({ publisher: p, key: k }); }}>
                                      Revoke<span className="visually-hidden"> key {k.prefix}</span>
                                    </button>
                                  )}
                                </td>
                              </tr>
                            );
                          })}
                        </tbody>
                      </table>
                    </div>
                    <p>
                      <button type="button" className="secondary" onClick={() => { action.clear(); setRotating(p); }}>
                        Rotate the key<span className="visually-hidden"> of {p.name}</span>
                      </button>
                    </p>
                  </section>
                ))
              )}
              <Register accounts={accounts.items} onIssued={(i) => { setIssued(i); data.reload(); }} />
            </>
          );
        }}
      </Loaded>
      <ConfirmDialog
        open={rotating !== null}
        title={`Rotate the key of ${rotating?.name ?? ""}?`}
        confirmLabel="Issue a new key"
        busy={action.busy}
        onConfirm={() => { if (rotating) void rotate(rotating); }}
        onCancel={() => { setRotating(null); }}
      >
        <p>A new key is issued and shown once. The publisher's current keys keep working for the overlap, then stop.</p>
        <Field label="Overlap in hours (0 to 168)" type="number" min={0} max={168} value={overlap}
          onChange={(e) => { setOverlap(e.target.value); }} />
      </ConfirmDialog>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke key ${revoking?.key.prefix ?? ""}… of ${revoking?.publisher.name ?? ""}?`}
        confirmLabel="Revoke the key"
        busy={action.busy}
        onConfirm={() => { if (revoking) void revoke(revoking); }}
        onCancel={() => { setRevoking(null); }}
      >
        <p>
          The key stops working at once: the system using it gets 401 on its next request and cannot push data until it
          has a new key. This cannot be undone.
        </p>
      </ConfirmDialog>
    </StaffPageFrame>
  );
}
