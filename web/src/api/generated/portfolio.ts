// Generated from contracts/openapi/portfolio.json by web/scripts/generate-api.mjs.
// Do not edit: `make contracts` regenerates it (a contract test checks it is current).

export interface paths {
    "/v1/accounts/{account_id}/financials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Invoiced, credited, paid, outstanding and overdue per currency */
        get: operations["getFinancials"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/forward-deals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Trades with volume still to deliver, nearest delivery first */
        get: operations["listForwardDeals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/forward-deals/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The filtered forward deals as CSV (every page) */
        get: operations["exportForwardDeals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/holdings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Certificates by where they stand, grouped by the chosen dimensions */
        get: operations["getHoldings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/holdings/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Certificate batches moved in, out or retired, one page at a time */
        get: operations["listHoldingBatches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/holdings/batches/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The filtered certificate batches as CSV (every page) */
        get: operations["exportHoldingBatches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/holdings/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per lot, opening + delivered in - delivered out - retired = closing over a period
         * @description Each lot's flows between `date_from` and `date_to` (both included) with the certificate batches that make them up, and whether the lot reconciles.
         */
        get: operations["getHoldingsReconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/invoices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Invoices and credit notes, newest first, one page at a time */
        get: operations["listInvoices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/invoices/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The filtered invoices as CSV (every page) */
        get: operations["exportInvoices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/invoices/{reference}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One invoice or credit note with its lines and payments */
        get: operations["getInvoice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/retirements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's retirements, newest first, one page at a time */
        get: operations["listRetirements"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/retirements/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The filtered retirements as CSV (every page) */
        get: operations["exportRetirements"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/retirements/{reference}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One retirement with its certificate batches */
        get: operations["getRetirement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the account's dashboard shows
         * @description Sections the caller's permissions do not cover are null.
         */
        get: operations["getSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/trades": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account's trades, filtered and sorted, one page at a time
         * @description A page holds up to `limit` matching trades while more exist; `q` searches the reference (any part, case-insensitive).
         */
        get: operations["listTrades"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/trades/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The filtered trades as CSV (every page) */
        get: operations["exportTrades"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/trades/{reference}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One trade with its versions, deliveries and invoices */
        get: operations["getTrade"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The targets, and per year consumption, retirements and coverage */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/usage/consumption": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The consumption records, by site and period, one page at a time */
        get: operations["listConsumption"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/usage/consumption/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every consumption record as CSV */
        get: operations["exportConsumption"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/usage/consumption/{site_id}/{period_start}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Write the consumption of one site for the period starting that day */
        put: operations["putConsumption"];
        post?: never;
        /** Delete one consumption record */
        delete: operations["deleteConsumption"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/usage/targets/{target_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Write a renewable-share target */
        put: operations["putTarget"];
        post?: never;
        /** Delete a target */
        delete: operations["deleteTarget"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cam/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The summaries of the caller's assigned accounts, a page at a time
         * @description Without `accounts`: every account assigned to the caller as CAM (identity's CamAssigned/CamUnassigned, kept in this service's access projection), in account id order, `limit` per page, the rest through `next_cursor`. With `accounts`: the named ones (at most 50). Accounts the caller may not read are left out, without saying why; sections its permissions do not cover are null.
         */
        get: operations["getCamOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Service version and the commit it was built from */
        get: operations["getVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** BatchItem */
        BatchItem: {
            /** Country */
            country: string | null;
            /** Device Code */
            device_code: string;
            /**
             * Expires On
             * @description Null when the scheme sets no expiry.
             */
            expires_on: string | null;
            /**
             * Moved On
             * Format: date
             */
            moved_on: string;
            /**
             * Movement
             * @enum {string}
             */
            movement: "in" | "out" | "retired";
            /** Quantity */
            quantity: number;
            /**
             * Registry Account
             * @description Null for retired certificates.
             */
            registry_account: string | null;
            /** Scheme */
            scheme: string;
            /** Serial End */
            serial_end: number;
            /** Serial Start */
            serial_start: number;
            /** Source Reference */
            source_reference: string;
            /** Technology */
            technology: string | null;
            /** Trade Reference */
            trade_reference: string | null;
            /** Vintage */
            vintage: string;
        };
        /** BatchPage */
        BatchPage: {
            /** Items */
            items: components["schemas"]["BatchItem"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null when there is none.
             */
            next_cursor: string | null;
        };
        /** BatchQuery */
        BatchQuery: {
            /** Country */
            country?: string | null;
            /**
             * Cursor
             * @description `next_cursor` of the previous page.
             */
            cursor?: string | null;
            /**
             * Limit
             * @description Items per page (1-200).
             * @default 50
             */
            limit: number;
            /** Movement */
            movement?: ("in" | "out" | "retired") | null;
            /** Registry Account */
            registry_account?: string | null;
            /** Scheme */
            scheme?: string | null;
            /** Technology */
            technology?: string | null;
            /** Vintage */
            vintage?: string | null;
        };
        /**
         * BucketsItem
         * @description Certificate volume by where it stands (MWh).
         */
        BucketsItem: {
            /**
             * Active
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            active: string;
            /**
             * Contracted Undelivered
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            contracted_undelivered: string;
            /**
             * Expired
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            expired: string;
            /**
             * Retired
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            retired: string;
        };
        /**
         * CamOverviewItem
         * @description One account of the CAM overview: its summary (sections as the caller's permissions
         *     cover them) and its name.
         */
        CamOverviewItem: {
            /** Account Id */
            account_id: string;
            /** Coverage */
            coverage?: components["schemas"]["CoverageYearItem"][] | null;
            /** Currencies */
            currencies?: components["schemas"]["CurrencyTotalsItem"][] | null;
            holdings?: components["schemas"]["BucketsItem"] | null;
            /**
             * Last Invoice Activity At
             * @description When the newest invoice fact (issued, paid, credit note) occurred.
             */
            last_invoice_activity_at?: string | null;
            /**
             * Last Retirement At
             * @description When the newest retirement fact occurred.
             */
            last_retirement_at?: string | null;
            /**
             * Last Trade Activity At
             * @description When the newest trade fact (executed, amended, cancelled, a delivery) occurred; null when none (or not covered).
             */
            last_trade_activity_at?: string | null;
            /**
             * Name
             * @description The account's name; null until identity's AccountCreated has arrived.
             */
            name?: string | null;
            /** Next Deliveries */
            next_deliveries?: components["schemas"]["ForwardDealItem"][] | null;
            /**
             * Open Forward
             * @description Open forward volume per side (sides without open deals left out).
             */
            open_forward?: components["schemas"]["OpenForwardItem"][] | null;
            /**
             * Overdue Invoices
             * @description The oldest overdue invoices, at most 25: the currency totals count every one, and the invoice list with state=overdue pages through all of them.
             */
            overdue_invoices?: components["schemas"]["OverdueInvoiceItem"][] | null;
            reconciliation?: components["schemas"]["ReconciliationStatusItem"] | null;
            /** Targets */
            targets?: components["schemas"]["TargetItem"][] | null;
            /** Trades By Year */
            trades_by_year?: components["schemas"]["YearTradesItem"][] | null;
        };
        /**
         * CamOverviewPage
         * @description A page of the caller's accounts (account id order without `accounts`; the named
         *     order with it); accounts the caller may not read are absent.
         */
        CamOverviewPage: {
            /** Items */
            items: components["schemas"]["CamOverviewItem"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null when there is none.
             */
            next_cursor: string | null;
        };
        /** CertificateBatchItem */
        CertificateBatchItem: {
            /** Country */
            country: string;
            /** Device Code */
            device_code: string;
            /** Quantity */
            quantity: number;
            /** Serial End */
            serial_end: number;
            /** Serial Start */
            serial_start: number;
            /** Technology */
            technology: string;
            /** Vintage */
            vintage: string;
        };
        /**
         * ConsumptionInput
         * @description Consumption of one site in one period `[period_start, period_end)` within one year.
         */
        ConsumptionInput: {
            /** Consumption Mwh */
            consumption_mwh: number | string;
            /** Country */
            country: string;
            /**
             * Period End
             * Format: date
             */
            period_end: string;
            /** Site Name */
            site_name: string;
            /**
             * Source
             * @enum {string}
             */
            source: "meter" | "bill" | "estimate";
        };
        /** ConsumptionItem */
        ConsumptionItem: {
            /**
             * Consumption Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            consumption_mwh: string;
            /** Country */
            country: string;
            /**
             * Period End
             * Format: date
             */
            period_end: string;
            /**
             * Period Start
             * Format: date
             */
            period_start: string;
            /** Site Id */
            site_id: string;
            /** Site Name */
            site_name: string;
            /**
             * Source
             * @enum {string}
             */
            source: "meter" | "bill" | "estimate";
            /** Updated At */
            updated_at: string | null;
            /**
             * Updated By
             * @description Subject of the user who last wrote it.
             */
            updated_by: string | null;
            /**
             * Updated By Email
             * @description Email of the user who last wrote it (null: written before emails were kept).
             */
            updated_by_email: string | null;
        };
        /** ConsumptionPage */
        ConsumptionPage: {
            /** Items */
            items: components["schemas"]["ConsumptionItem"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null when there is none.
             */
            next_cursor: string | null;
        };
        /** ConsumptionQuery */
        ConsumptionQuery: {
            /**
             * Cursor
             * @description `next_cursor` of the previous page.
             */
            cursor?: string | null;
            /**
             * Limit
             * @description Items per page (1-200).
             * @default 50
             */
            limit: number;
        };
        /** CoverageYearItem */
        CoverageYearItem: {
            /**
             * Consumption Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            consumption_mwh: string;
            /**
             * Coverage Percent
             * @description Retired / consumed in the year (null: no consumption recorded).
             */
            coverage_percent: string | null;
            /**
             * Retired Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            retired_mwh: string;
            /** Targets */
            targets: components["schemas"]["TargetShareItem"][];
            /** Year */
            year: number;
        };
        /** CurrencyTotalsItem */
        CurrencyTotalsItem: {
            /**
             * Credited
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            credited: string;
            /** Currency */
            currency: string;
            /**
             * Invoiced
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            invoiced: string;
            /**
             * Outstanding
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            outstanding: string;
            /**
             * Overdue
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            overdue: string;
            /** Overdue Count */
            overdue_count: number;
            /**
             * Paid
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            paid: string;
        };
        /**
         * DeliveryItem
         * @description The newest version of one delivery, with the statuses it went through.
         */
        DeliveryItem: {
            /** Batches */
            batches: components["schemas"]["CertificateBatchItem"][];
            /**
             * Delivery Date
             * Format: date
             */
            delivery_date: string;
            /** Detail Type */
            detail_type: string;
            /** Failure Reason */
            failure_reason: string | null;
            /** From Registry Account */
            from_registry_account: string;
            /** History */
            history: components["schemas"]["DeliveryStepItem"][];
            /**
             * Occurred At
             * Format: date-time
             */
            occurred_at: string;
            /** Reference */
            reference: string;
            /** Scheme */
            scheme: string;
            /**
             * Status
             * @enum {string}
             */
            status: "completed" | "failed";
            /** To Registry Account */
            to_registry_account: string;
            /** Version */
            version: number;
            /**
             * Volume Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            volume_mwh: string;
        };
        /** DeliveryStepItem */
        DeliveryStepItem: {
            /**
             * Status
             * @enum {string}
             */
            status: "completed" | "failed";
            /** Version */
            version: number;
        };
        /**
         * ErrorBody
         * @description The body of every error response of every service.
         */
        ErrorBody: {
            /**
             * Error
             * @description Stable machine-readable code, e.g. `not_found`.
             */
            error: string;
            /**
             * Fields
             * @description Each bad input; empty when none is to blame.
             */
            fields: components["schemas"]["FieldError"][];
            /**
             * Message
             * @description What went wrong, for a person.
             */
            message: string;
            /**
             * Request Id
             * @description Quote it when asking for help; also in X-Request-Id.
             */
            request_id: string;
        };
        /** FieldError */
        FieldError: {
            /**
             * Path
             * @description Where: `body.<field>`, `query.<name>`, `path.<name>`...
             */
            path: string;
            /**
             * Reason
             * @description Why, in words, with the allowed values or an example.
             */
            reason: string;
        };
        /** FinancialsResponse */
        FinancialsResponse: {
            /** Currencies */
            currencies: components["schemas"]["CurrencyTotalsItem"][];
            /**
             * Overdue Invoices
             * @description The oldest overdue invoices, at most 25: the currency totals count every one, and the invoice list with state=overdue pages through all of them.
             */
            overdue_invoices: components["schemas"]["OverdueInvoiceItem"][];
        };
        /** ForwardDealItem */
        ForwardDealItem: {
            /**
             * Contracted Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            contracted_mwh: string;
            /**
             * Delivered Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            delivered_mwh: string;
            /**
             * Late
             * @description Its delivery date has passed with volume outstanding.
             */
            late: boolean;
            /**
             * Next Delivery Date
             * Format: date
             */
            next_delivery_date: string;
            /**
             * Outstanding Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            outstanding_mwh: string;
            /** Reference */
            reference: string;
            /** Registry Account */
            registry_account: string;
            /** Scheme */
            scheme: string;
            /**
             * Side
             * @enum {string}
             */
            side: "buy" | "sell";
            /**
             * Status
             * @enum {string}
             */
            status: "executed" | "amended" | "partially_delivered" | "delivered" | "cancelled";
        };
        /** ForwardDealPage */
        ForwardDealPage: {
            /** Items */
            items: components["schemas"]["ForwardDealItem"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null when there is none.
             */
            next_cursor: string | null;
        };
        /** ForwardDealQuery */
        ForwardDealQuery: {
            /**
             * Cursor
             * @description `next_cursor` of the previous page.
             */
            cursor?: string | null;
            /**
             * Limit
             * @description Items per page (1-200).
             * @default 50
             */
            limit: number;
            /** Scheme */
            scheme?: string | null;
            /** Side */
            side?: ("buy" | "sell") | null;
        };
        /**
         * GatewayRefusal
         * @description What API Gateway itself answers on an HTTP API before any function runs: its JWT
         *     authorizer refuses a missing, expired or forged token with 401 `{"message": "Unauthorized"}`.
         *     HTTP APIs cannot reshape that body (only REST APIs have gateway responses), so a user
         *     route's 401 is this or the `ErrorBody` of the service's own credential check.
         */
        GatewayRefusal: {
            /**
             * Message
             * @description API Gateway's words, e.g. `Unauthorized`.
             */
            message: string;
        };
        /** HoldingGroupItem */
        HoldingGroupItem: {
            /**
             * Active
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            active: string;
            /**
             * Contracted Undelivered
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            contracted_undelivered: string;
            /**
             * Expired
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            expired: string;
            key: components["schemas"]["HoldingKeyItem"];
            /**
             * Retired
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            retired: string;
        };
        /**
         * HoldingKeyItem
         * @description The group's value of each `group_by` dimension (null for the others, and for a lot
         *     without registry account or technology).
         */
        HoldingKeyItem: {
            /** Country */
            country: string | null;
            /** Registry Account */
            registry_account: string | null;
            /** Scheme */
            scheme: string | null;
            /** Technology */
            technology: string | null;
            /** Vintage */
            vintage: string | null;
        };
        /** HoldingsQuery */
        HoldingsQuery: {
            /**
             * Group By
             * @description Comma-separated dimensions.
             * @default scheme
             */
            group_by: string;
        };
        /** HoldingsResponse */
        HoldingsResponse: {
            /** Group By */
            group_by: ("scheme" | "registry_account" | "technology" | "country" | "vintage")[];
            /** Groups */
            groups: components["schemas"]["HoldingGroupItem"][];
            totals: components["schemas"]["BucketsItem"];
        };
        /** InvoiceItem */
        InvoiceItem: {
            /** Account Id */
            account_id: string;
            /**
             * Credited Amount
             * @description What credit notes took off it.
             * @example 82519.60
             */
            credited_amount: string;
            /** Credited Invoice Reference */
            credited_invoice_reference: string | null;
            /** Currency */
            currency: string;
            /**
             * Document Type
             * @enum {string}
             */
            document_type: "invoice" | "credit_note";
            /**
             * Due Date
             * Format: date
             */
            due_date: string;
            /**
             * Gross Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            gross_amount: string;
            /**
             * Issue Date
             * Format: date
             */
            issue_date: string;
            /** Lines */
            lines: components["schemas"]["InvoiceLineItem"][];
            /**
             * Net Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            net_amount: string;
            /**
             * Outstanding Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            outstanding_amount: string;
            /**
             * Paid Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            paid_amount: string;
            /** Payments */
            payments: components["schemas"]["PaymentItem"][];
            /** Reference */
            reference: string;
            /**
             * Status
             * @enum {string}
             */
            status: "issued" | "partially_paid" | "paid" | "overdue" | "credited" | "credit_note";
            /**
             * Tax Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            tax_amount: string;
            /** Trade References */
            trade_references: string[];
            /** Version */
            version: number;
        };
        /** InvoiceLineItem */
        InvoiceLineItem: {
            /**
             * Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            amount: string;
            /** Delivery Reference */
            delivery_reference: string | null;
            /** Description */
            description: string;
            /**
             * Quantity Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            quantity_mwh: string;
            /** Trade Reference */
            trade_reference: string | null;
            /**
             * Unit Price
             * @description Price per MWh: the currency's scale, more decimals when given (up to 6).
             * @example 2.50
             * @example 0.0125
             */
            unit_price: string;
        };
        /** InvoicePage */
        InvoicePage: {
            /** Items */
            items: components["schemas"]["InvoiceItem"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null when there is none.
             */
            next_cursor: string | null;
        };
        /** InvoiceQuery */
        InvoiceQuery: {
            /** Currency */
            currency?: string | null;
            /**
             * Cursor
             * @description `next_cursor` of the previous page.
             */
            cursor?: string | null;
            /** Document Type */
            document_type?: ("invoice" | "credit_note") | null;
            /**
             * Limit
             * @description Items per page (1-200).
             * @default 50
             */
            limit: number;
            /** State */
            state?: ("open" | "paid" | "overdue") | null;
        };
        /** LotFlowItem */
        LotFlowItem: {
            /**
             * Closing
             * @description Held at the end of the period's last day.
             */
            closing: number;
            /** Delivered In */
            delivered_in: number;
            /** Delivered Out */
            delivered_out: number;
            /** @description The lot: every dimension set (registry account null only for retirements that did not name it). */
            key: components["schemas"]["HoldingKeyItem"];
            /**
             * Movements
             * @description The period's movements, by date.
             */
            movements: components["schemas"]["MovementItem"][];
            /**
             * Opening
             * @description Held before the period's first day. Certificates: MWh, or Wh for HOURLY.
             */
            opening: number;
            /**
             * Problem
             * @description Why it does not reconcile (null when it does).
             */
            problem: string | null;
            /**
             * Reconciled
             * @description opening + delivered_in - delivered_out - retired = closing, the lot never went below zero, its movements add up to its holdings, and its registry account is known.
             */
            reconciled: boolean;
            /** Retired */
            retired: number;
        };
        /** Milestone */
        Milestone: {
            /** Renewable Share Percent */
            renewable_share_percent: number | string;
            /** Year */
            year: number;
        };
        /** MilestoneItem */
        MilestoneItem: {
            /**
             * Renewable Share Percent
             * @description Percentage, 2 decimals.
             * @example 12.50
             */
            renewable_share_percent: string;
            /** Year */
            year: number;
        };
        /**
         * MovementItem
         * @description One certificate batch moved in (a buy's delivery), out (a sell's) or retired.
         */
        MovementItem: {
            /** Device Code */
            device_code: string;
            /**
             * Moved On
             * Format: date
             */
            moved_on: string;
            /**
             * Movement
             * @enum {string}
             */
            movement: "in" | "out" | "retired";
            /**
             * Quantity
             * @description Certificates: MWh, or Wh for HOURLY.
             */
            quantity: number;
            /** Serial End */
            serial_end: number;
            /** Serial Start */
            serial_start: number;
            /**
             * Source Reference
             * @description The delivery or retirement.
             */
            source_reference: string;
            /**
             * Trade Reference
             * @description Null for a retirement.
             */
            trade_reference: string | null;
        };
        /**
         * OpenForwardItem
         * @description The account's trades of one side with volume still to deliver.
         */
        OpenForwardItem: {
            /** Deals */
            deals: number;
            /**
             * Outstanding Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            outstanding_mwh: string;
            /**
             * Side
             * @enum {string}
             */
            side: "buy" | "sell";
        };
        /**
         * OverdueInvoiceItem
         * @description An invoice past its due date with an amount still owed.
         */
        OverdueInvoiceItem: {
            /** Currency */
            currency: string;
            /**
             * Document Type
             * @enum {string}
             */
            document_type: "invoice" | "credit_note";
            /**
             * Due Date
             * Format: date
             */
            due_date: string;
            /**
             * Gross Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            gross_amount: string;
            /**
             * Issue Date
             * Format: date
             */
            issue_date: string;
            /**
             * Outstanding Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            outstanding_amount: string;
            /** Reference */
            reference: string;
        };
        /** OverviewQuery */
        OverviewQuery: {
            /**
             * Accounts
             * @description Optional filter: comma-separated account ids, at most 50 distinct. Without it, every account assigned to the caller as CAM.
             */
            accounts?: string | null;
            /**
             * Cursor
             * @description `next_cursor` of the previous page.
             */
            cursor?: string | null;
            /**
             * Limit
             * @description Accounts per page (1-50): each is a summary.
             * @default 20
             */
            limit: number;
        };
        /** PaymentItem */
        PaymentItem: {
            /**
             * Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            amount: string;
            /**
             * Paid On
             * Format: date
             */
            paid_on: string;
            /** Payment Reference */
            payment_reference: string;
        };
        /** ReconciliationQuery */
        ReconciliationQuery: {
            /**
             * Date From
             * @description First day of the period (default: since the first movement).
             */
            date_from?: string | null;
            /**
             * Date To
             * @description Last day of the period (default: today).
             */
            date_to?: string | null;
            /** Registry Account */
            registry_account?: string | null;
            /** Scheme */
            scheme?: string | null;
        };
        /** ReconciliationResponse */
        ReconciliationResponse: {
            /**
             * Date From
             * @description Null: since the first movement.
             */
            date_from: string | null;
            /**
             * Date To
             * Format: date
             */
            date_to: string;
            /** Lots */
            lots: components["schemas"]["LotFlowItem"][];
            /**
             * Reconciled
             * @description Every lot reconciles.
             */
            reconciled: boolean;
            /** Unreconciled Lots */
            unreconciled_lots: components["schemas"]["HoldingKeyItem"][];
        };
        /**
         * ReconciliationStatusItem
         * @description Whether every lot's certificates add up (from the holdings counters).
         */
        ReconciliationStatusItem: {
            /** @description The first lot that does not (null: none). */
            lot: components["schemas"]["HoldingKeyItem"] | null;
            /** Problem */
            problem: string | null;
            /** Reconciled */
            reconciled: boolean;
        };
        /** RetirementItem */
        RetirementItem: {
            /** Account Id */
            account_id: string;
            /** Batches */
            batches: components["schemas"]["CertificateBatchItem"][];
            /** Beneficiary Name */
            beneficiary_name: string;
            /** Consumption Country */
            consumption_country: string;
            /**
             * Consumption Period End
             * Format: date
             */
            consumption_period_end: string;
            /**
             * Consumption Period Start
             * Format: date
             */
            consumption_period_start: string;
            /** Purpose */
            purpose: string;
            /** Reference */
            reference: string;
            /**
             * Registry Account
             * @description The counterparty's registry account the certificates were retired from (null only for retirements published before it was named).
             */
            registry_account: string | null;
            /** Registry Transaction Reference */
            registry_transaction_reference: string;
            /** Reporting Year */
            reporting_year: number;
            /**
             * Retired On
             * Format: date
             */
            retired_on: string;
            /** Scheme */
            scheme: string;
            /**
             * Status
             * @constant
             */
            status: "completed";
            /** Version */
            version: number;
            /**
             * Volume Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            volume_mwh: string;
            /** Warnings */
            warnings: string[];
        };
        /** RetirementPage */
        RetirementPage: {
            /** Items */
            items: components["schemas"]["RetirementItem"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null when there is none.
             */
            next_cursor: string | null;
        };
        /** RetirementQuery */
        RetirementQuery: {
            /** Consumption Country */
            consumption_country?: string | null;
            /**
             * Cursor
             * @description `next_cursor` of the previous page.
             */
            cursor?: string | null;
            /**
             * Limit
             * @description Items per page (1-200).
             * @default 50
             */
            limit: number;
            /** Reporting Year */
            reporting_year?: number | null;
            /** Scheme */
            scheme?: string | null;
        };
        /** StatusCountItem */
        StatusCountItem: {
            /**
             * Status
             * @enum {string}
             */
            status: "executed" | "amended" | "partially_delivered" | "delivered" | "cancelled";
            /** Trades */
            trades: number;
            /**
             * Volume Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            volume_mwh: string;
        };
        /** SummaryResponse */
        SummaryResponse: {
            /** Account Id */
            account_id: string;
            /** Coverage */
            coverage?: components["schemas"]["CoverageYearItem"][] | null;
            /** Currencies */
            currencies?: components["schemas"]["CurrencyTotalsItem"][] | null;
            holdings?: components["schemas"]["BucketsItem"] | null;
            /**
             * Last Invoice Activity At
             * @description When the newest invoice fact (issued, paid, credit note) occurred.
             */
            last_invoice_activity_at?: string | null;
            /**
             * Last Retirement At
             * @description When the newest retirement fact occurred.
             */
            last_retirement_at?: string | null;
            /**
             * Last Trade Activity At
             * @description When the newest trade fact (executed, amended, cancelled, a delivery) occurred; null when none (or not covered).
             */
            last_trade_activity_at?: string | null;
            /** Next Deliveries */
            next_deliveries?: components["schemas"]["ForwardDealItem"][] | null;
            /**
             * Open Forward
             * @description Open forward volume per side (sides without open deals left out).
             */
            open_forward?: components["schemas"]["OpenForwardItem"][] | null;
            /**
             * Overdue Invoices
             * @description The oldest overdue invoices, at most 25: the currency totals count every one, and the invoice list with state=overdue pages through all of them.
             */
            overdue_invoices?: components["schemas"]["OverdueInvoiceItem"][] | null;
            reconciliation?: components["schemas"]["ReconciliationStatusItem"] | null;
            /** Targets */
            targets?: components["schemas"]["TargetItem"][] | null;
            /** Trades By Year */
            trades_by_year?: components["schemas"]["YearTradesItem"][] | null;
        };
        /** TargetInput */
        TargetInput: {
            /** Base Renewable Share Percent */
            base_renewable_share_percent: number | string;
            /** Base Year */
            base_year: number;
            /**
             * Kind
             * @default renewable_share
             * @constant
             */
            kind: "renewable_share";
            /** Milestones */
            milestones?: components["schemas"]["Milestone"][];
            /** Name */
            name: string;
            /** Net Zero Date */
            net_zero_date?: string | null;
            /** Target Renewable Share Percent */
            target_renewable_share_percent: number | string;
            /** Target Year */
            target_year: number;
        };
        /** TargetItem */
        TargetItem: {
            /**
             * Base Renewable Share Percent
             * @description Percentage, 2 decimals.
             * @example 12.50
             */
            base_renewable_share_percent: string;
            /** Base Year */
            base_year: number;
            /**
             * Kind
             * @constant
             */
            kind: "renewable_share";
            /** Milestones */
            milestones: components["schemas"]["MilestoneItem"][];
            /** Name */
            name: string;
            /** Net Zero Date */
            net_zero_date: string | null;
            /** Target Id */
            target_id: string;
            /**
             * Target Renewable Share Percent
             * @description Percentage, 2 decimals.
             * @example 12.50
             */
            target_renewable_share_percent: string;
            /** Target Year */
            target_year: number;
            /** Updated At */
            updated_at: string | null;
            /**
             * Updated By
             * @description Subject of the user who last wrote it.
             */
            updated_by: string | null;
            /**
             * Updated By Email
             * @description Email of the user who last wrote it (null: written before emails were kept).
             */
            updated_by_email: string | null;
        };
        /** TargetShareItem */
        TargetShareItem: {
            /** Name */
            name: string;
            /** Target Id */
            target_id: string;
            /**
             * Target Percent
             * @description The share the target asks for in the year (null: before its base year).
             */
            target_percent: string | null;
        };
        /** TradeDetailResponse */
        TradeDetailResponse: {
            /** Deliveries */
            deliveries: components["schemas"]["DeliveryItem"][];
            /**
             * Invoices
             * @description The trade's invoices; null unless the caller may read billing.
             */
            invoices?: components["schemas"]["TradeInvoiceItem"][] | null;
            trade: components["schemas"]["TradeItem"];
            /** Versions */
            versions: components["schemas"]["TradeVersionItem"][];
        };
        /**
         * TradeInvoiceItem
         * @description An invoice that bills the trade.
         */
        TradeInvoiceItem: {
            /**
             * Credited Amount
             * @description What credit notes took off it.
             * @example 82519.60
             */
            credited_amount: string;
            /** Currency */
            currency: string;
            /**
             * Document Type
             * @enum {string}
             */
            document_type: "invoice" | "credit_note";
            /**
             * Due Date
             * Format: date
             */
            due_date: string;
            /**
             * Gross Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            gross_amount: string;
            /**
             * Issue Date
             * Format: date
             */
            issue_date: string;
            /**
             * Outstanding Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            outstanding_amount: string;
            /**
             * Paid Amount
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            paid_amount: string;
            /** Reference */
            reference: string;
            /**
             * Status
             * @enum {string}
             */
            status: "issued" | "partially_paid" | "paid" | "overdue" | "credited" | "credit_note";
        };
        /** TradeItem */
        TradeItem: {
            /** Account Id */
            account_id: string;
            /** Cancellation Reason */
            cancellation_reason: string | null;
            /** Countries */
            countries: string[];
            /** Currency */
            currency: string;
            /**
             * Delivered Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            delivered_mwh: string;
            /**
             * Delivery Date
             * Format: date
             */
            delivery_date: string;
            /**
             * Outstanding Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            outstanding_mwh: string;
            /**
             * Payment Due Date
             * Format: date
             */
            payment_due_date: string;
            /** Reference */
            reference: string;
            /** Registry Account */
            registry_account: string;
            /** Scheme */
            scheme: string;
            /**
             * Side
             * @enum {string}
             */
            side: "buy" | "sell";
            /**
             * Status
             * @enum {string}
             */
            status: "executed" | "amended" | "partially_delivered" | "delivered" | "cancelled";
            /** Technologies */
            technologies: string[];
            /**
             * Total
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            total: string;
            /**
             * Trade Date
             * Format: date
             */
            trade_date: string;
            /**
             * Unit Price
             * @description Price per MWh: the currency's scale, more decimals when given (up to 6).
             * @example 2.50
             * @example 0.0125
             */
            unit_price: string;
            /** Version */
            version: number;
            /** Vintage From */
            vintage_from: string;
            /** Vintage To */
            vintage_to: string;
            /**
             * Volume Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            volume_mwh: string;
        };
        /** TradePage */
        TradePage: {
            /** Items */
            items: components["schemas"]["TradeItem"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null when there is none.
             */
            next_cursor: string | null;
        };
        /** TradeQuery */
        TradeQuery: {
            /** Country */
            country?: string | null;
            /**
             * Cursor
             * @description `next_cursor` of the previous page.
             */
            cursor?: string | null;
            /**
             * Limit
             * @description Items per page (1-200).
             * @default 50
             */
            limit: number;
            /**
             * Q
             * @description Reference contains.
             */
            q?: string | null;
            /** Scheme */
            scheme?: string | null;
            /** Side */
            side?: ("buy" | "sell") | null;
            /**
             * Sort
             * @default -trade_date
             * @enum {string}
             */
            sort: "trade_date" | "-trade_date" | "volume" | "-volume";
            /** Status */
            status?: ("executed" | "amended" | "partially_delivered" | "delivered" | "cancelled") | null;
            /** Technology */
            technology?: string | null;
            /** Trade Date From */
            trade_date_from?: string | null;
            /** Trade Date To */
            trade_date_to?: string | null;
            /** Vintage From */
            vintage_from?: string | null;
            /** Vintage To */
            vintage_to?: string | null;
        };
        /**
         * TradeVersionItem
         * @description One version of the trade as provisioning published it.
         */
        TradeVersionItem: {
            /** Cancellation Reason */
            cancellation_reason: string | null;
            /** Countries */
            countries: string[];
            /** Currency */
            currency: string;
            /**
             * Delivery Date
             * Format: date
             */
            delivery_date: string;
            /** Detail Type */
            detail_type: string;
            /**
             * Occurred At
             * Format: date-time
             */
            occurred_at: string;
            /**
             * Payment Due Date
             * Format: date
             */
            payment_due_date: string;
            /** Reference */
            reference: string;
            /** Registry Account */
            registry_account: string;
            /** Scheme */
            scheme: string;
            /**
             * Side
             * @enum {string}
             */
            side: "buy" | "sell";
            /**
             * Status
             * @enum {string}
             */
            status: "executed" | "amended" | "cancelled";
            /** Technologies */
            technologies: string[];
            /**
             * Total
             * @description Decimal string with the currency's ISO 4217 minor-unit scale.
             * @example 82519.60
             */
            total: string;
            /**
             * Trade Date
             * Format: date
             */
            trade_date: string;
            /**
             * Unit Price
             * @description Price per MWh: the currency's scale, more decimals when given (up to 6).
             * @example 2.50
             * @example 0.0125
             */
            unit_price: string;
            /** Version */
            version: number;
            /** Vintage From */
            vintage_from: string;
            /** Vintage To */
            vintage_to: string;
            /**
             * Volume Mwh
             * @description MWh as a decimal string with exactly 3 decimals.
             * @example 1000.000
             */
            volume_mwh: string;
        };
        /** UsageResponse */
        UsageResponse: {
            /** Coverage */
            coverage: components["schemas"]["CoverageYearItem"][];
            /** Targets */
            targets: components["schemas"]["TargetItem"][];
        };
        /** VersionInfo */
        VersionInfo: {
            /** Commit */
            commit: string;
            /** Service */
            service: string;
            /** Stage */
            stage: string;
            /** Version */
            version: string;
        };
        /** YearTradesItem */
        YearTradesItem: {
            /** By Status */
            by_status: components["schemas"]["StatusCountItem"][];
            /** Year */
            year: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getFinancials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FinancialsResponse"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listForwardDeals: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                side?: ("buy" | "sell") | null;
                scheme?: string | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ForwardDealPage"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    exportForwardDeals: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                side?: ("buy" | "sell") | null;
                scheme?: string | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole filtered list as CSV, one row per item, same columns as the JSON items (lists joined with `|`, null as an empty cell). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getHoldings: {
        parameters: {
            query?: {
                /** @description Comma-separated dimensions. */
                group_by?: string;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HoldingsResponse"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listHoldingBatches: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                scheme?: string | null;
                registry_account?: string | null;
                technology?: string | null;
                country?: string | null;
                vintage?: string | null;
                movement?: ("in" | "out" | "retired") | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchPage"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    exportHoldingBatches: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                scheme?: string | null;
                registry_account?: string | null;
                technology?: string | null;
                country?: string | null;
                vintage?: string | null;
                movement?: ("in" | "out" | "retired") | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole filtered list as CSV, one row per item, same columns as the JSON items (lists joined with `|`, null as an empty cell). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getHoldingsReconciliation: {
        parameters: {
            query?: {
                /** @description First day of the period (default: since the first movement). */
                date_from?: string | null;
                /** @description Last day of the period (default: today). */
                date_to?: string | null;
                scheme?: string | null;
                registry_account?: string | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationResponse"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listInvoices: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                document_type?: ("invoice" | "credit_note") | null;
                currency?: string | null;
                state?: ("open" | "paid" | "overdue") | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoicePage"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    exportInvoices: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                document_type?: ("invoice" | "credit_note") | null;
                currency?: string | null;
                state?: ("open" | "paid" | "overdue") | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole filtered list as CSV, one row per item, same columns as the JSON items (lists joined with `|`, null as an empty cell). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getInvoice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The source system's reference. */
                reference: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceItem"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listRetirements: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                reporting_year?: number | null;
                consumption_country?: string | null;
                scheme?: string | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetirementPage"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    exportRetirements: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                reporting_year?: number | null;
                consumption_country?: string | null;
                scheme?: string | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole filtered list as CSV, one row per item, same columns as the JSON items (lists joined with `|`, null as an empty cell). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getRetirement: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The source system's reference. */
                reference: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetirementItem"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getSummary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SummaryResponse"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listTrades: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                side?: ("buy" | "sell") | null;
                status?: ("executed" | "amended" | "partially_delivered" | "delivered" | "cancelled") | null;
                scheme?: string | null;
                technology?: string | null;
                country?: string | null;
                vintage_from?: string | null;
                vintage_to?: string | null;
                trade_date_from?: string | null;
                trade_date_to?: string | null;
                /** @description Reference contains. */
                q?: string | null;
                sort?: "trade_date" | "-trade_date" | "volume" | "-volume";
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TradePage"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    exportTrades: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                side?: ("buy" | "sell") | null;
                status?: ("executed" | "amended" | "partially_delivered" | "delivered" | "cancelled") | null;
                scheme?: string | null;
                technology?: string | null;
                country?: string | null;
                vintage_from?: string | null;
                vintage_to?: string | null;
                trade_date_from?: string | null;
                trade_date_to?: string | null;
                /** @description Reference contains. */
                q?: string | null;
                sort?: "trade_date" | "-trade_date" | "volume" | "-volume";
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole filtered list as CSV, one row per item, same columns as the JSON items (lists joined with `|`, null as an empty cell). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getTrade: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The source system's reference. */
                reference: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TradeDetailResponse"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getUsage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageResponse"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listConsumption: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsumptionPage"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    exportConsumption: {
        parameters: {
            query?: {
                /** @description Items per page (1-200). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole filtered list as CSV, one row per item, same columns as the JSON items (lists joined with `|`, null as an empty cell). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    putConsumption: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The site (1-64 of A-Z a-z 0-9 - _). */
                site_id: string;
                /** @description First day of the consumption period. */
                period_start: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConsumptionInput"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsumptionItem"];
                };
            };
            /** @description The body is not valid JSON (or nests too deep, or carries a number too long). */
            400: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state; re-read and retry. */
            409: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as application/json. */
            415: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteConsumption: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The site (1-64 of A-Z a-z 0-9 - _). */
                site_id: string;
                /** @description First day of the consumption period. */
                period_start: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state; re-read and retry. */
            409: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    putTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The target (1-64 of A-Z a-z 0-9 - _). */
                target_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TargetInput"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetItem"];
                };
            };
            /** @description The body is not valid JSON (or nests too deep, or carries a number too long). */
            400: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as application/json. */
            415: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The target (1-64 of A-Z a-z 0-9 - _). */
                target_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getCamOverview: {
        parameters: {
            query?: {
                /** @description Accounts per page (1-50): each is a summary. */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                /** @description Optional filter: comma-separated account ids, at most 50 distinct. Without it, every account assigned to the caller as CAM. */
                accounts?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CamOverviewPage"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getVersion: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionInfo"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
