// Staff create a counterparty account and invite its first administrator (identity lets
// CAMs and SCTS administrators invite only that first admin; a CAM who creates an account
// is assigned to it in the same change).
import { useState, type SyntheticEvent } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import { useServices } from "../../context";
import { accountPath } from "../../navigation";
import { usePerson } from "../../session/person";
import { Field } from "../../ui/Field";
import { Outcome, StaffPageFrame, useAction } from "./shared";

export default function NewAccount() {
  const { api } = useServices();
  const { me, reload } = usePerson();
  const [name, setName] = useState("");
  // One key per account being created: pressing the button again after a lost answer
  // gets the account the first press created, never a second one.
  const [creationKey, setCreationKey] = useState(() => crypto.randomUUID());
  const [adminEmail, setAdminEmail] = useState("");
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const create = useAction();
  const invite = useAction();

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const account = await create.run(
      () => unwrap(api.identity.POST("/v1/accounts", {
        params: { header: { "idempotency-key": creationKey } },
        body: { name: name.trim() },
      })),
      (a) => `Account ${a.name} created.`,
    );
    if (!account) return;
    setCreated({ id: account.account_id, name: account.name });
    setName("");
    const email = adminEmail.trim();
    if (email) {
      await invite.run(
        () => unwrap(api.identity.POST("/v1/accounts/{account_id}/invitations", {
          params: { path: { account_id: account.account_id } },
          body: { email, role: "admin" },
        })),
        () => `Invitation sent to ${email}: they become the account's first administrator.`,
      );
      setAdminEmail("");
    }
    if (me.cam) reload();
  };

  const inviteLater = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!created) return;
    const email = adminEmail.trim();
    const sent = await invite.run(
      () => unwrap(api.identity.POST("/v1/accounts/{account_id}/invitations", {
        params: { path: { account_id: created.id } },
        body: { email, role: "admin" },
      })),
      () => `Invitation sent to ${email}: they become the account's first administrator.`,
    );
    if (sent) setAdminEmail("");
  };

  const detail = created && (me.scts_admin ? `/staff/accounts/${encodeURIComponent(created.id)}` : accountPath(created.id));

  return (
    <StaffPageFrame title="New account" intro="Create a counterparty account and invite the person who will administer it.">
      <form className="form" onSubmit={(e) => void (created ? inviteLater(e) : submit(e))} noValidate>
        {!created && (
          <Field label="Account name" required maxLength={200} value={name} error={create.problem?.fieldMessage("name")}
            onChange={(e) => { setName(e.target.value); setCreationKey(crypto.randomUUID()); }} />
        )}
        <Field label="First administrator's email" type="email" autoComplete="off"
          hint="Optional now: they get an invitation with a temporary password. Only the first administrator can be invited by staff."
          value={adminEmail} error={invite.problem?.fieldMessage("email")}
          onChange={(e) => { setAdminEmail(e.target.value); }} />
        <button type="submit" disabled={create.busy || invite.busy}>
          {created ? "Invite the first administrator" : "Create account"}
        </button>
      </form>
      <Outcome result={create.result} problem={create.problem} />
      <Outcome result={invite.result} problem={invite.problem} />
      {created && detail && (
        <p>
          <Link to={detail}>Open {created.name}</Link>{" · "}
          <button type="button" className="secondary" onClick={() => { setCreated(null); create.clear(); invite.clear(); }}>
            Create another account
          </button>
        </p>
      )}
    </StaffPageFrame>
  );
}
