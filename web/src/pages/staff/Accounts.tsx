// Every counterparty account (SCTS administrators): status, assigned CAMs, suspend or
// reactivate (confirmed), and a way to create one.
import { useCallback } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import { everyPage, PAGE_LIMIT } from "../../api/pages";
import type { AccountView } from "../../api/models";
import { useServices, usePresentation } from "../../context";
import { useResource } from "../../resource";
import { Empty, Loaded } from "../../ui/states";
import { SuspensionControl } from "./suspension";
import { Outcome, StaffPageFrame, useAction } from "./shared";

/** The account managers identity lists with the account (null: not the caller's to read). */
export function AssignedCams({ account }: { account: AccountView }) {
  if (!account.cams) return <span className="muted">—</span>;
  if (account.cams.length === 0) return <span className="muted">none</span>;
  return <>{account.cams.map((c) => c.name ?? c.email ?? c.subject).join(", ")}</>;
}

export default function Accounts() {
  const { api } = useServices();
  const { format } = usePresentation();
  const action = useAction();
  const accounts = useResource(
    useCallback(() => everyPage((cursor) => unwrap(api.identity.GET("/v1/accounts", { params: { query: { limit: PAGE_LIMIT, cursor } } }))), [api]),
  );

  return (
    <StaffPageFrame title="Accounts" intro="Every counterparty account of the platform.">
      <p>
        <Link className="button" to="/staff/new-account">New account</Link>
      </p>
      <Outcome result={action.result} problem={action.problem} />
      <Loaded resource={accounts}>
        {({ items }: { items: AccountView[] }) =>
          items.length === 0 ? (
            <Empty title="No accounts yet" />
          ) : (
            <div className="table-scroll">
              <table data-testid="staff-accounts">
                <caption className="visually-hidden">Accounts</caption>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Status</th>
                    <th scope="col">Account managers</th>
                    <th scope="col">Created</th>
                    <th scope="col"><span className="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  {[...items].sort((a, b) => a.name.localeCompare(b.name)).map((account) => (
                    <tr key={account.account_id} data-account={account.account_id}>
                      <th scope="row">
                        <Link to={`/staff/accounts/${encodeURIComponent(account.account_id)}`}>{account.name}</Link>
                      </th>
                      <td className={account.status === "suspended" ? "status-suspended" : undefined} data-testid="account-status">
                        {account.status}
                      </td>
                      <td data-testid="account-cams"><AssignedCams account={account} /></td>
                      <td>{format.date(account.created_at)}</td>
                      <td>
                        <SuspensionControl account={account} action={action} onChanged={accounts.reload} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </StaffPageFrame>
  );
}
