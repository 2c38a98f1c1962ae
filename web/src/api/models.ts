// Names for the generated schema types the UI passes around.
import type { components } from "./generated/identity";
import type { components as PortfolioComponents } from "./generated/portfolio";
import type { components as DocumentsComponents } from "./generated/documents";
import type { components as ProvisioningComponents } from "./generated/provisioning";
import type { components as NotificationsComponents } from "./generated/notifications";

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
export type AccountView = IdentitySchemas["AccountView"];
export type CamView = IdentitySchemas["CamView"];
export type CamAssignment = IdentitySchemas["AssignmentView"];
export type StaffAuditEntry = IdentitySchemas["StaffAuditEntryView"];


type PortfolioSchemas = PortfolioComponents["schemas"];
export type Summary = PortfolioSchemas["SummaryResponse"];
export type CamOverviewItem = PortfolioSchemas["CamOverviewItem"];
export type CamOverviewPage = PortfolioSchemas["CamOverviewPage"];
export type Buckets = PortfolioSchemas["BucketsItem"];
export type HoldingGroup = PortfolioSchemas["HoldingGroupItem"];
export type HoldingKey = PortfolioSchemas["HoldingKeyItem"];
export type Holdings = PortfolioSchemas["HoldingsResponse"];
export type Batch = PortfolioSchemas["BatchItem"];
export type Trade = PortfolioSchemas["TradeItem"];
export type TradeQuery = PortfolioSchemas["TradeQuery"];
export type TradeDetail = PortfolioSchemas["TradeDetailResponse"];
export type Invoice = PortfolioSchemas["InvoiceItem"];
export type InvoiceStatus = Invoice["status"];
export type Financials = PortfolioSchemas["FinancialsResponse"];
export type Retirement = PortfolioSchemas["RetirementItem"];
export type ForwardDeal = PortfolioSchemas["ForwardDealItem"];
export type Usage = PortfolioSchemas["UsageResponse"];
export type Target = PortfolioSchemas["TargetItem"];
export type TargetInput = PortfolioSchemas["TargetInput"];
export type CoverageYear = PortfolioSchemas["CoverageYearItem"];

type ProvisioningSchemas = ProvisioningComponents["schemas"];
export type Publisher = ProvisioningSchemas["PublisherView"];
export type PublisherKey = ProvisioningSchemas["KeyView"];
export type IssuedKey = ProvisioningSchemas["IssuedKeyView"];

type DocumentsSchemas = DocumentsComponents["schemas"];
export type DocumentSummary = DocumentsSchemas["DocumentSummary"];
export type DocumentKind = DocumentsSchemas["DocumentKind"];

type NotificationsSchemas = NotificationsComponents["schemas"];
export type Notification = NotificationsSchemas["NotificationView"];
export type NotificationCategory = NotificationsSchemas["Category"];
export type NotificationChannel = NotificationsSchemas["Channel"];
export type NotificationPreferences = NotificationsSchemas["PreferencesView"];
