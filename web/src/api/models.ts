// Names for the generated schema types the UI passes around.
import type { components } from "./generated/identity";

type IdentitySchemas = components["schemas"];
export type Me = IdentitySchemas["MeResponse"];
export type Membership = IdentitySchemas["MembershipView"];
export type InvitationForMe = IdentitySchemas["InvitationForMe"];
export type PreferenceValues = IdentitySchemas["PreferenceValues"];
export type Preferences = IdentitySchemas["PreferencesResponse"];
export type RoleName = IdentitySchemas["RoleName"];
export type RoleView = IdentitySchemas["RoleView"];
export type MemberView = IdentitySchemas["MemberView"];
export type AuditEntry = IdentitySchemas["AuditEntryView"];
export type AuditVerification = IdentitySchemas["VerifyResponse"];
