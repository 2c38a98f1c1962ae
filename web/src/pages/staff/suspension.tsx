// Suspending and reactivating an account (SCTS administrators), each behind a
// confirmation that names what will happen.
import { useState } from "react";
import { unwrap } from "../../api/client";
import type { AccountView } from "../../api/models";
import { useServices } from "../../context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Field } from "../../ui/Field";
import type { useAction } from "./shared";

export function SuspensionControl({
  account,
  action,
  onChanged,
}: {
  account: AccountView;
  action: ReturnType<typeof useAction>;
  onChanged: () => void;
}) {
  const { api } = useServices();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const suspending = account.status === "active";
  const path = { params: { path: { account_id: account.account_id } } };

  const confirm = async () => {
    const done = await action.run(
      () =>
        suspending
          ? unwrap(api.identity.POST("/v1/accounts/{account_id}/suspend", { ...path, body: { reason: reason.trim() } }))
          : unwrap(api.identity.POST("/v1/accounts/{account_id}/reactivate", path)),
      (a) => (a.status === "suspended" ? `${a.name} is suspended. Its members were signed out.` : `${a.name} is active again.`),
    );
    setAsking(false);
    setReason("");
    if (done) onChanged();
  };

  return (
    <>
      <button type="button" className={suspending ? "danger" : "secondary"} onClick={() => { action.clear(); setAsking(true); }}>
        {suspending ? "Suspend" : "Reactivate"}
        <span className="visually-hidden"> {account.name}</span>
      </button>
      <ConfirmDialog
        open={asking}
        title={suspending ? `Suspend ${account.name}?` : `Reactivate ${account.name}?`}
        confirmLabel={suspending ? "Suspend the account" : "Reactivate the account"}
        busy={action.busy}
        onConfirm={() => void confirm()}
        onCancel={() => { setAsking(false); }}
      >
        {suspending ? (
          <>
            <ul>
              <li>Every member is signed out at once and refused by every page and API of the account.</li>
              <li>No one can be invited and nothing can be changed until it is reactivated.</li>
              <li>STX keeps filing trades, invoices and documents into it, so nothing is missing later.</li>
              <li>Account managers and SCTS administrators can still read it.</li>
            </ul>
            <Field label="Reason (kept in the audit trail)" maxLength={500} value={reason}
              onChange={(e) => { setReason(e.target.value); }} />
          </>
        ) : (
          <p>Its members can sign in and use the account again, with the roles they had.</p>
        )}
      </ConfirmDialog>
    </>
  );
}
