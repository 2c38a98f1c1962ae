// The audit trail for SCTS administrators: every account keeps its own hash-chained log
// (identity); pick an account to read it and see its verification.
import { useCallback } from "react";
import { useSearchParams } from "react-router";
import { unwrap } from "../../api/client";
import { useServices } from "../../context";
import { useResource } from "../../resource";
import { Select } from "../../ui/Field";
import { Loaded } from "../../ui/states";
import AccountAudit from "../account/Audit";
import { StaffPageFrame } from "./shared";

export default function Audit() {
  const { api } = useServices();
  const [params, setParams] = useSearchParams();
  const chosen = params.get("account") ?? "";
  const accounts = useResource(
    useCallback(() => unwrap(api.identity.GET("/v1/accounts", { params: { query: { limit: 200 } } })), [api]),
  );
  return (
    <StaffPageFrame title="Audit trail" intro="Who did what, per account: staff actions (creation, suspension, CAM assignments, invitations) sit in the log of the account they changed.">
      <Loaded resource={accounts}>
        {({ items }) => (
          <form className="form" onSubmit={(e) => { e.preventDefault(); }}>
            <Select label="Account" value={chosen}
              onChange={(value) => { setParams(value ? { account: value } : {}); }}
              options={[{ value: "", label: "Choose an account…" }, ...items.map((a) => ({ value: a.account_id, label: a.name }))]} />
          </form>
        )}
      </Loaded>
      {chosen && <AccountAudit key={chosen} accountId={chosen} />}
    </StaffPageFrame>
  );
}
