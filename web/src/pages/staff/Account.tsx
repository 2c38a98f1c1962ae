// One account for SCTS administrators: its state, its account managers (assign, unassign),
// the first administrator's invitation, suspension, and its audit log.
import { useCallback, useState, type SyntheticEvent } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../../api/client";
import { everyPage, PAGE_LIMIT } from "../../api/pages";
import type { CamAssignment } from "../../api/models";
import { useServices, usePresentation } from "../../context";
import { useResource } from "../../resource";
import NotFound from "../../shell/NotFound";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Field, Select } from "../../ui/Field";
import { Empty, Loaded } from "../../ui/states";
import { SuspensionControl } from "./suspension";
import { Outcome, StaffPageFrame, useAction } from "./shared";

function Cams({ accountId, accountName }: { accountId: string; accountName: string }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const action = useAction();
  const [chosen, setChosen] = useState("");
  const [leaving, setLeaving] = useState<CamAssignment | null>(null);
  const assigned = useResource(
    useCallback(
      () => everyPage((cursor) => unwrap(api.identity.GET("/v1/accounts/{account_id}/cams", { params: { path: { account_id: accountId }, query: { limit: PAGE_LIMIT, cursor } } }))),
      [api, accountId],
    ),
  );
  const everyone = useResource(
    useCallback(() => everyPage((cursor) => unwrap(api.identity.GET("/v1/cams", { params: { query: { limit: PAGE_LIMIT, cursor } } }))), [api]),
  );
  const path = (subject: string) => ({ params: { path: { account_id: accountId, subject } } });

  const assign = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!chosen) return;
    const done = await action.run(
      () => unwrap(api.identity.PUT("/v1/accounts/{account_id}/cams/{subject}", path(chosen))),
      (a) => `${a.name ?? a.email ?? a.subject} now manages ${accountName}.`,
    );
    if (done) {
      setChosen("");
      assigned.reload();
    }
  };

  const unassign = async (cam: CamAssignment) => {
    const done = await action.run(
      () => unwrap(api.identity.DELETE("/v1/accounts/{account_id}/cams/{subject}", path(cam.subject))),
      () => `${cam.name ?? cam.email ?? cam.subject} no longer manages ${accountName}.`,
    );
    setLeaving(null);
    if (done !== null) assigned.reload();
  };

  return (
    <>
      <h2>Account managers</h2>
      <Outcome result={action.result} problem={action.problem} />
      <Loaded resource={assigned}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">No account manager is assigned.</p>
          ) : (
            <div className="table-scroll">
              <table data-testid="assigned-cams">
                <caption className="visually-hidden">Assigned account managers</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Assigned</th>
                    <th scope="col"><span className="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((cam) => (
                    <tr key={cam.subject}>
                      <th scope="row">{cam.name ?? "—"}</th>
                      <td>{cam.email ?? "—"}</td>
                      <td>{format.date(cam.assigned_at)}</td>
                      <td>
                        <button type="button" className="secondary" onClick={() => { action.clear(); setLeaving(cam); }}>
                          Unassign<span className="visually-hidden"> {cam.email}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      <Loaded resource={everyone}>
        {({ items }) => {
          const ids = assigned.state === "ready" ? new Set(assigned.data.items.map((c) => c.subject)) : new Set<string>();
          const free = items.filter((c) => !ids.has(c.subject));
          if (free.length === 0) return <p className="muted">Every account manager is assigned here. <Link to="/staff/cams">Add one</Link>.</p>;
          return (
            <form className="form inline-form" onSubmit={(e) => void assign(e)} noValidate>
              <Select label="Assign an account manager" value={chosen} onChange={setChosen}
                options={[{ value: "", label: "Choose…" }, ...free.map((c) => ({ value: c.subject, label: `${c.name} (${c.email})` }))]} />
              <button type="submit" disabled={action.busy || !chosen}>Assign</button>
            </form>
          );
        }}
      </Loaded>
      <ConfirmDialog
        open={leaving !== null}
        title={`Unassign ${leaving?.name ?? leaving?.email ?? ""}?`}
        confirmLabel="Unassign"
        busy={action.busy}
        onConfirm={() => { if (leaving) void unassign(leaving); }}
        onCancel={() => { setLeaving(null); }}
      >
        <p>
          They lose read access to {accountName} at once: it leaves their overview, and its notifications stop
          reaching them. Assign them again at any time.
        </p>
      </ConfirmDialog>
    </>
  );
}

function FirstAdmin({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const action = useAction();
  const [email, setEmail] = useState("");
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const address = email.trim();
    const sent = await action.run(
      () => unwrap(api.identity.POST("/v1/accounts/{account_id}/invitations", {
        params: { path: { account_id: accountId } },
        body: { email: address, role: "admin" },
      })),
      () => `Invitation sent to ${address}.`,
    );
    if (sent) setEmail("");
  };
  return (
    <>
      <h2>First administrator</h2>
      <p className="muted">Staff invite only an account's first administrator; from then on its administrators invite their people.</p>
      <form className="form inline-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Administrator's email" type="email" autoComplete="off" value={email}
          error={action.problem?.fieldMessage("email")} onChange={(e) => { setEmail(e.target.value); }} />
        <button type="submit" disabled={action.busy}>Send invitation</button>
      </form>
      <Outcome result={action.result} problem={action.problem} />
    </>
  );
}

export default function Account() {
  const { api } = useServices();
  const { format } = usePresentation();
  const { accountId = "" } = useParams();
  const status = useAction();
  const account = useResource(
    useCallback(() => unwrap(api.identity.GET("/v1/accounts/{account_id}", { params: { path: { account_id: accountId } } })), [api, accountId]),
  );
  if (account.state === "failed" && account.problem.status === 404) return <NotFound />;
  return (
    <Loaded resource={account}>
      {(a) => (
        <StaffPageFrame title={a.name}>
          <dl className="facts">
            <dt>Status</dt>
            <dd className={a.status === "suspended" ? "status-suspended" : undefined} data-testid="account-status">{a.status}</dd>
            <dt>Created</dt>
            <dd>{format.date(a.created_at)}</dd>
            <dt>Account id</dt>
            <dd><code>{a.account_id}</code></dd>
          </dl>
          <p><SuspensionControl account={a} action={status} onChanged={account.reload} /></p>
          <Outcome result={status.result} problem={status.problem} />
          <Cams accountId={a.account_id} accountName={a.name} />
          {a.status === "active" ? <FirstAdmin accountId={a.account_id} /> : <Empty title="Suspended: no invitations until it is reactivated" />}
          <h2>Audit</h2>
          <p><Link to={`/staff/audit?account=${encodeURIComponent(a.account_id)}`}>The account's audit log</Link></p>
        </StaffPageFrame>
      )}
    </Loaded>
  );
}
