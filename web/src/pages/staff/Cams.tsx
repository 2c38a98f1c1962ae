// Corporate Account Managers (SCTS administrators): make a person a CAM, and assign or
// unassign CAMs and accounts (unassigning is confirmed).
import { useCallback, useState, type SyntheticEvent } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import { everyPage, PAGE_LIMIT } from "../../api/pages";
import type { AccountView, CamAssignment, CamView } from "../../api/models";
import { useServices, usePresentation } from "../../context";
import { useResource } from "../../resource";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Field, Select } from "../../ui/Field";
import { Empty, Loaded } from "../../ui/states";
import { Outcome, StaffPageFrame, useAction } from "./shared";

interface Directory {
  cams: CamView[];
  accounts: AccountView[];
  /** account id -> its assignments */
  assignments: Map<string, CamAssignment[]>;
}

export default function Cams() {
  const { api } = useServices();
  const { format } = usePresentation();
  const action = useAction();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [cam, setCam] = useState("");
  const [account, setAccount] = useState("");
  const [leaving, setLeaving] = useState<{ cam: CamView; account: AccountView } | null>(null);

  const directory = useResource(
    useCallback(async (): Promise<Directory> => {
      const [cams, accounts] = await Promise.all([
        everyPage((cursor) => unwrap(api.identity.GET("/v1/cams", { params: { query: { limit: PAGE_LIMIT, cursor } } }))),
        everyPage((cursor) => unwrap(api.identity.GET("/v1/accounts", { params: { query: { limit: PAGE_LIMIT, cursor } } }))),
      ]);
      return {
        cams: cams.items,
        accounts: accounts.items,
        assignments: new Map(accounts.items.map((a) => [a.account_id, a.cams ?? []])),
      };
    }, [api]),
  );

  const create = async (event: SyntheticEvent) => {
    event.preventDefault();
    const made = await action.run(
      () => unwrap(api.identity.POST("/v1/cams", { body: { email: email.trim(), name: name.trim() } })),
      (c) => `${c.name} (${c.email}) is now an account manager.`,
    );
    if (made) {
      setEmail("");
      setName("");
      directory.reload();
    }
  };

  const assign = async (event: SyntheticEvent) => {
    event.preventDefault();
    const done = await action.run(
      () => unwrap(api.identity.PUT("/v1/accounts/{account_id}/cams/{subject}", { params: { path: { account_id: account, subject: cam } } })),
      (a) => `${a.name ?? a.email ?? a.subject} is assigned.`,
    );
    if (done) {
      setAccount("");
      directory.reload();
    }
  };

  const unassign = async (target: { cam: CamView; account: AccountView }) => {
    const done = await action.run(
      () => unwrap(api.identity.DELETE("/v1/accounts/{account_id}/cams/{subject}", {
        params: { path: { account_id: target.account.account_id, subject: target.cam.subject } },
      })),
      () => `${target.cam.name} no longer manages ${target.account.name}.`,
    );
    setLeaving(null);
    if (done !== null) directory.reload();
  };

  return (
    <StaffPageFrame title="Account managers" intro="STX Corporate Account Managers and the accounts they look after (read only).">
      <h2>Add an account manager</h2>
      <form className="form inline-form" onSubmit={(e) => void create(e)} noValidate>
        <Field label="Name" value={name} maxLength={200} error={action.problem?.fieldMessage("name")} onChange={(e) => { setName(e.target.value); }} />
        <Field label="Email (their STX Microsoft account)" type="email" autoComplete="off" value={email}
          error={action.problem?.fieldMessage("email")} onChange={(e) => { setEmail(e.target.value); }} />
        <button type="submit" disabled={action.busy}>Add account manager</button>
      </form>
      <Outcome result={action.result} problem={action.problem} />
      <Loaded resource={directory}>
        {({ cams, accounts, assignments }) => {
          const accountsOf = (c: CamView) => accounts.filter((a) => assignments.get(a.account_id)?.some((x) => x.subject === c.subject));
          return (
            <>
              <h2>Assign</h2>
              {cams.length === 0 || accounts.length === 0 ? (
                <p className="muted">Add an account manager and an account first.</p>
              ) : (
                <form className="form inline-form" onSubmit={(e) => void assign(e)} noValidate>
                  <Select label="Account manager" value={cam} onChange={setCam}
                    options={[{ value: "", label: "Choose…" }, ...cams.map((c) => ({ value: c.subject, label: `${c.name} (${c.email})` }))]} />
                  <Select label="Account" value={account} onChange={setAccount}
                    options={[{ value: "", label: "Choose…" }, ...accounts.map((a) => ({ value: a.account_id, label: a.name }))]} />
                  <button type="submit" disabled={action.busy || !cam || !account}>Assign</button>
                </form>
              )}
              <h2>All account managers</h2>
              {cams.length === 0 ? (
                <Empty title="No account managers yet" />
              ) : (
                <div className="table-scroll">
                  <table data-testid="cams">
                    <caption className="visually-hidden">Account managers</caption>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Email</th>
                        <th scope="col">Since</th>
                        <th scope="col">Accounts</th>
                      </tr>
                    </thead>
                    <tbody>
                      {cams.map((c) => (
                        <tr key={c.subject}>
                          <th scope="row">{c.name}</th>
                          <td>{c.email}</td>
                          <td>{format.date(c.created_at)}</td>
                          <td>
                            {accountsOf(c).length === 0 ? (
                              <span className="muted">none</span>
                            ) : (
                              <ul className="checkbox-list">
                                {accountsOf(c).map((a) => (
                                  <li key={a.account_id} className="row-actions">
                                    <Link to={`/staff/accounts/${encodeURIComponent(a.account_id)}`}>{a.name}</Link>
                                    <button type="button" className="secondary" onClick={() => { action.clear(); setLeaving({ cam: c, account: a }); }}>
                                      Unassign<span className="visually-hidden"> {c.name} from {a.name}</span>
                                    </button>
                                  </li>
                                ))}
                              </ul>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </Loaded>
      <ConfirmDialog
        open={leaving !== null}
        title={`Unassign ${leaving?.cam.name ?? ""} from ${leaving?.account.name ?? ""}?`}
        confirmLabel="Unassign"
        busy={action.busy}
        onConfirm={() => { if (leaving) void unassign(leaving); }}
        onCancel={() => { setLeaving(null); }}
      >
        <p>They lose read access to the account at once, it leaves their overview and its notifications stop reaching them.</p>
      </ConfirmDialog>
    </StaffPageFrame>
  );
}
