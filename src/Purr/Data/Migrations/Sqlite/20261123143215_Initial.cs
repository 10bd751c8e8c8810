using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Purr.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "creditors",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    organization_number = table.Column<string>(type: "TEXT", nullable: true),
                    account_number = table.Column<string>(type: "TEXT", nullable: true),
                    address_line1 = table.Column<string>(type: "TEXT", nullable: true),
                    address_line2 = table.Column<string>(type: "TEXT", nullable: true),
                    postal_code = table.Column<string>(type: "TEXT", nullable: true),
                    city = table.Column<string>(type: "TEXT", nullable: true),
                    country = table.Column<string>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", nullable: true),
                    phone = table.Column<string>(type: "TEXT", nullable: true),
                    logo = table.Column<byte[]>(type: "BLOB", nullable: true),
                    default_currency = table.Column<string>(type: "TEXT", nullable: false),
                    kid_method = table.Column<string>(type: "TEXT", nullable: false),
                    kid_length = table.Column<int>(type: "INTEGER", nullable: false),
                    dunning_mode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    own_collection_notice_allowed = table.Column<bool>(type: "INTEGER", nullable: false),
                    interest_note_threshold = table.Column<long>(type: "INTEGER", nullable: false),
                    claims_standard_compensation = table.Column<bool>(type: "INTEGER", nullable: false),
                    interest_from_due_date = table.Column<bool>(type: "INTEGER", nullable: false),
                    pre_notice_days = table.Column<int>(type: "INTEGER", nullable: false),
                    run_at = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_creditors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "dunning_catalogs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dunning_catalogs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "dunning_holds",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    invoice_id = table.Column<long>(type: "INTEGER", nullable: true),
                    customer_id = table.Column<long>(type: "INTEGER", nullable: true),
                    from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    until = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    reason = table.Column<string>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ended_at = table.Column<long>(type: "INTEGER", nullable: true),
                    ended_by = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dunning_holds", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "dunning_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    today = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    mode = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    hold_until = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    steps = table.Column<int>(type: "INTEGER", nullable: false),
                    letters = table.Column<int>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dunning_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "imports",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    format = table.Column<string>(type: "TEXT", nullable: false),
                    file_name = table.Column<string>(type: "TEXT", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    records = table.Column<int>(type: "INTEGER", nullable: false),
                    imported_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_imports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "interest_rates",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    rate_percent = table.Column<decimal>(type: "TEXT", precision: 9, scale: 4, nullable: false),
                    standard_compensation_nok = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    certainty = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    source = table.Column<string>(type: "TEXT", nullable: false),
                    note = table.Column<string>(type: "TEXT", nullable: true),
                    added_by = table.Column<string>(type: "TEXT", nullable: false),
                    added_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interest_rates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "run_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    invoice_id = table.Column<long>(type: "INTEGER", nullable: false),
                    step_index = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    fee = table.Column<long>(type: "INTEGER", nullable: false),
                    deadline = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    held = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "customers",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    customer_number = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    category = table.Column<string>(type: "TEXT", nullable: true),
                    priority = table.Column<int>(type: "INTEGER", nullable: false),
                    language = table.Column<string>(type: "TEXT", nullable: false),
                    preferred_channel = table.Column<string>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", nullable: true),
                    phone = table.Column<string>(type: "TEXT", nullable: true),
                    address_line1 = table.Column<string>(type: "TEXT", nullable: true),
                    address_line2 = table.Column<string>(type: "TEXT", nullable: true),
                    postal_code = table.Column<string>(type: "TEXT", nullable: true),
                    city = table.Column<string>(type: "TEXT", nullable: true),
                    country = table.Column<string>(type: "TEXT", nullable: false),
                    organization_number = table.Column<string>(type: "TEXT", nullable: true),
                    peppol_id = table.Column<string>(type: "TEXT", nullable: true),
                    payment_terms_days = table.Column<int>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers", x => x.id);
                    table.ForeignKey(
                        name: "fk_customers_creditors_creditor_id",
                        column: x => x.creditor_id,
                        principalTable: "creditors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    customer_id = table.Column<long>(type: "INTEGER", nullable: true),
                    payment_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    value_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    unallocated = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    kid = table.Column<string>(type: "TEXT", nullable: true),
                    invoice_number = table.Column<string>(type: "TEXT", nullable: true),
                    bank_reference = table.Column<string>(type: "TEXT", nullable: true),
                    payer_name = table.Column<string>(type: "TEXT", nullable: true),
                    payer_account = table.Column<string>(type: "TEXT", nullable: true),
                    account = table.Column<string>(type: "TEXT", nullable: true),
                    end_to_end_id = table.Column<string>(type: "TEXT", nullable: true),
                    text = table.Column<string>(type: "TEXT", nullable: true),
                    source = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    match_method = table.Column<string>(type: "TEXT", nullable: true),
                    reverses_payment_id = table.Column<long>(type: "INTEGER", nullable: true),
                    import_id = table.Column<long>(type: "INTEGER", nullable: true),
                    line = table.Column<int>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payments", x => x.id);
                    table.ForeignKey(
                        name: "fk_payments_creditors_creditor_id",
                        column: x => x.creditor_id,
                        principalTable: "creditors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "bank_statements",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    import_id = table.Column<long>(type: "INTEGER", nullable: false),
                    account = table.Column<string>(type: "TEXT", nullable: false),
                    statement_id = table.Column<string>(type: "TEXT", nullable: true),
                    message_id = table.Column<string>(type: "TEXT", nullable: true),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    from_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    to_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    opening_balance = table.Column<long>(type: "INTEGER", nullable: true),
                    closing_balance = table.Column<long>(type: "INTEGER", nullable: true),
                    credits = table.Column<long>(type: "INTEGER", nullable: false),
                    debits = table.Column<long>(type: "INTEGER", nullable: false),
                    entries = table.Column<int>(type: "INTEGER", nullable: false),
                    reconciles = table.Column<bool>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bank_statements", x => x.id);
                    table.ForeignKey(
                        name: "fk_bank_statements_creditors_creditor_id",
                        column: x => x.creditor_id,
                        principalTable: "creditors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_bank_statements_imports_import_id",
                        column: x => x.import_id,
                        principalTable: "imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "invoices",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    customer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    number = table.Column<string>(type: "TEXT", nullable: false),
                    number_key = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    issue_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    due_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    open = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    kid = table.Column<string>(type: "TEXT", nullable: true),
                    text = table.Column<string>(type: "TEXT", nullable: true),
                    credits_number = table.Column<string>(type: "TEXT", nullable: true),
                    settled_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    settled_by = table.Column<string>(type: "TEXT", nullable: true),
                    import_id = table.Column<long>(type: "INTEGER", nullable: true),
                    dunning_list = table.Column<string>(type: "TEXT", nullable: true),
                    list_entered_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    handed_over_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invoices", x => x.id);
                    table.ForeignKey(
                        name: "fk_invoices_creditors_creditor_id",
                        column: x => x.creditor_id,
                        principalTable: "creditors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_invoices_customers_customer_id",
                        column: x => x.customer_id,
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "letters",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    customer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    group_key = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    template = table.Column<string>(type: "TEXT", nullable: false),
                    channel = table.Column<string>(type: "TEXT", nullable: false),
                    language = table.Column<string>(type: "TEXT", nullable: false),
                    letter_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    deadline = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    principal = table.Column<long>(type: "INTEGER", nullable: false),
                    fees = table.Column<long>(type: "INTEGER", nullable: false),
                    interest = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    run_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    delivery_note = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_letters", x => x.id);
                    table.ForeignKey(
                        name: "fk_letters_customers_customer_id",
                        column: x => x.customer_id,
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payment_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    payment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_payment_events_payments_payment_id",
                        column: x => x.payment_id,
                        principalTable: "payments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "bank_statement_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    statement_id = table.Column<long>(type: "INTEGER", nullable: false),
                    bank_reference = table.Column<string>(type: "TEXT", nullable: false),
                    booking_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    value_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    is_reversal = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_booked = table.Column<bool>(type: "INTEGER", nullable: false),
                    kid = table.Column<string>(type: "TEXT", nullable: true),
                    payer_name = table.Column<string>(type: "TEXT", nullable: true),
                    text = table.Column<string>(type: "TEXT", nullable: true),
                    line = table.Column<int>(type: "INTEGER", nullable: false),
                    payment_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bank_statement_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_bank_statement_entries_bank_statements_statement_id",
                        column: x => x.statement_id,
                        principalTable: "bank_statements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_bank_statement_entries_payments_payment_id",
                        column: x => x.payment_id,
                        principalTable: "payments",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "accounting_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    invoice_id = table.Column<long>(type: "INTEGER", nullable: true),
                    payment_id = table.Column<long>(type: "INTEGER", nullable: true),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    debit_account = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    credit_account = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_accounting_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_accounting_events_creditors_creditor_id",
                        column: x => x.creditor_id,
                        principalTable: "creditors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_accounting_events_invoices_invoice_id",
                        column: x => x.invoice_id,
                        principalTable: "invoices",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_accounting_events_payments_payment_id",
                        column: x => x.payment_id,
                        principalTable: "payments",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "allocations",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    invoice_id = table.Column<long>(type: "INTEGER", nullable: false),
                    payment_id = table.Column<long>(type: "INTEGER", nullable: true),
                    credit_note_id = table.Column<long>(type: "INTEGER", nullable: true),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    reversed = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_allocations", x => x.id);
                    table.ForeignKey(
                        name: "fk_allocations_invoices_credit_note_id",
                        column: x => x.credit_note_id,
                        principalTable: "invoices",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_allocations_invoices_invoice_id",
                        column: x => x.invoice_id,
                        principalTable: "invoices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_allocations_payments_payment_id",
                        column: x => x.payment_id,
                        principalTable: "payments",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "charges",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    invoice_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    open = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    period_from = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    period_to = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    letter_id = table.Column<long>(type: "INTEGER", nullable: true),
                    text = table.Column<string>(type: "TEXT", nullable: true),
                    actor = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_charges", x => x.id);
                    table.ForeignKey(
                        name: "fk_charges_invoices_invoice_id",
                        column: x => x.invoice_id,
                        principalTable: "invoices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "claim_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    customer_id = table.Column<long>(type: "INTEGER", nullable: true),
                    invoice_id = table.Column<long>(type: "INTEGER", nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_claim_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_claim_events_customers_customer_id",
                        column: x => x.customer_id,
                        principalTable: "customers",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_claim_events_invoices_invoice_id",
                        column: x => x.invoice_id,
                        principalTable: "invoices",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "interest_note_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    interest_note_id = table.Column<long>(type: "INTEGER", nullable: false),
                    invoice_id = table.Column<long>(type: "INTEGER", nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    period_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    period_to = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interest_note_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_interest_note_items_invoices_interest_note_id",
                        column: x => x.interest_note_id,
                        principalTable: "invoices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_interest_note_items_invoices_invoice_id",
                        column: x => x.invoice_id,
                        principalTable: "invoices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notices",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    creditor_id = table.Column<long>(type: "INTEGER", nullable: false),
                    invoice_id = table.Column<long>(type: "INTEGER", nullable: false),
                    customer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    step_index = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    plan_code = table.Column<string>(type: "TEXT", nullable: false),
                    sent_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    deadline = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    fee = table.Column<long>(type: "INTEGER", nullable: false),
                    fee_reason = table.Column<string>(type: "TEXT", nullable: true),
                    outstanding = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", nullable: false),
                    letter_id = table.Column<long>(type: "INTEGER", nullable: true),
                    run_id = table.Column<long>(type: "INTEGER", nullable: true),
                    manual = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notices", x => x.id);
                    table.ForeignKey(
                        name: "fk_notices_invoices_invoice_id",
                        column: x => x.invoice_id,
                        principalTable: "invoices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_notices_letters_letter_id",
                        column: x => x.letter_id,
                        principalTable: "letters",
                        principalColumn: "id");
                });

            migrationBuilder.CreateIndex(
                name: "ix_accounting_events_creditor_id_date",
                table: "accounting_events",
                columns: new[] { "creditor_id", "date" });

            migrationBuilder.CreateIndex(
                name: "ix_accounting_events_creditor_id_invoice_id",
                table: "accounting_events",
                columns: new[] { "creditor_id", "invoice_id" });

            migrationBuilder.CreateIndex(
                name: "ix_accounting_events_invoice_id",
                table: "accounting_events",
                column: "invoice_id");

            migrationBuilder.CreateIndex(
                name: "ix_accounting_events_payment_id",
                table: "accounting_events",
                column: "payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_allocations_credit_note_id",
                table: "allocations",
                column: "credit_note_id");

            migrationBuilder.CreateIndex(
                name: "ix_allocations_creditor_id_invoice_id",
                table: "allocations",
                columns: new[] { "creditor_id", "invoice_id" });

            migrationBuilder.CreateIndex(
                name: "ix_allocations_invoice_id",
                table: "allocations",
                column: "invoice_id");

            migrationBuilder.CreateIndex(
                name: "ix_allocations_payment_id",
                table: "allocations",
                column: "payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_bank_statement_entries_creditor_id_bank_reference",
                table: "bank_statement_entries",
                columns: new[] { "creditor_id", "bank_reference" });

            migrationBuilder.CreateIndex(
                name: "ix_bank_statement_entries_payment_id",
                table: "bank_statement_entries",
                column: "payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_bank_statement_entries_statement_id",
                table: "bank_statement_entries",
                column: "statement_id");

            migrationBuilder.CreateIndex(
                name: "ix_bank_statements_creditor_id_account_to_date",
                table: "bank_statements",
                columns: new[] { "creditor_id", "account", "to_date" });

            migrationBuilder.CreateIndex(
                name: "ix_bank_statements_import_id",
                table: "bank_statements",
                column: "import_id");

            migrationBuilder.CreateIndex(
                name: "ix_charges_creditor_id_invoice_id",
                table: "charges",
                columns: new[] { "creditor_id", "invoice_id" });

            migrationBuilder.CreateIndex(
                name: "ix_charges_one_standard_compensation",
                table: "charges",
                columns: new[] { "invoice_id", "kind" },
                unique: true,
                filter: "\"kind\" = 'StandardCompensation'");

            migrationBuilder.CreateIndex(
                name: "ix_claim_events_creditor_id_customer_id",
                table: "claim_events",
                columns: new[] { "creditor_id", "customer_id" });

            migrationBuilder.CreateIndex(
                name: "ix_claim_events_creditor_id_invoice_id",
                table: "claim_events",
                columns: new[] { "creditor_id", "invoice_id" });

            migrationBuilder.CreateIndex(
                name: "ix_claim_events_customer_id",
                table: "claim_events",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_claim_events_invoice_id",
                table: "claim_events",
                column: "invoice_id");

            migrationBuilder.CreateIndex(
                name: "ix_customers_creditor_id_customer_number",
                table: "customers",
                columns: new[] { "creditor_id", "customer_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_customers_creditor_id_organization_number",
                table: "customers",
                columns: new[] { "creditor_id", "organization_number" });

            migrationBuilder.CreateIndex(
                name: "ix_dunning_catalogs_creditor_id",
                table: "dunning_catalogs",
                column: "creditor_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_dunning_holds_creditor_id_customer_id",
                table: "dunning_holds",
                columns: new[] { "creditor_id", "customer_id" });

            migrationBuilder.CreateIndex(
                name: "ix_dunning_holds_creditor_id_invoice_id",
                table: "dunning_holds",
                columns: new[] { "creditor_id", "invoice_id" });

            migrationBuilder.CreateIndex(
                name: "ix_dunning_runs_creditor_id_today",
                table: "dunning_runs",
                columns: new[] { "creditor_id", "today" });

            migrationBuilder.CreateIndex(
                name: "ix_imports_creditor_id_kind_sha256",
                table: "imports",
                columns: new[] { "creditor_id", "kind", "sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_interest_note_items_creditor_id_interest_note_id",
                table: "interest_note_items",
                columns: new[] { "creditor_id", "interest_note_id" });

            migrationBuilder.CreateIndex(
                name: "ix_interest_note_items_interest_note_id",
                table: "interest_note_items",
                column: "interest_note_id");

            migrationBuilder.CreateIndex(
                name: "ix_interest_note_items_invoice_id",
                table: "interest_note_items",
                column: "invoice_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_interest_rates_from",
                table: "interest_rates",
                column: "from",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_invoices_creditor_id_currency_open",
                table: "invoices",
                columns: new[] { "creditor_id", "currency", "open" });

            migrationBuilder.CreateIndex(
                name: "ix_invoices_creditor_id_customer_id_open",
                table: "invoices",
                columns: new[] { "creditor_id", "customer_id", "open" });

            migrationBuilder.CreateIndex(
                name: "ix_invoices_creditor_id_due_date",
                table: "invoices",
                columns: new[] { "creditor_id", "due_date" });

            migrationBuilder.CreateIndex(
                name: "ix_invoices_creditor_id_dunning_list",
                table: "invoices",
                columns: new[] { "creditor_id", "dunning_list" });

            migrationBuilder.CreateIndex(
                name: "ix_invoices_creditor_id_kid",
                table: "invoices",
                columns: new[] { "creditor_id", "kid" });

            migrationBuilder.CreateIndex(
                name: "ix_invoices_creditor_id_kind_number",
                table: "invoices",
                columns: new[] { "creditor_id", "kind", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_invoices_creditor_id_number_key",
                table: "invoices",
                columns: new[] { "creditor_id", "number_key" });

            migrationBuilder.CreateIndex(
                name: "ix_invoices_customer_id",
                table: "invoices",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_letters_creditor_id_group_key_letter_date",
                table: "letters",
                columns: new[] { "creditor_id", "group_key", "letter_date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_letters_creditor_id_status",
                table: "letters",
                columns: new[] { "creditor_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_letters_customer_id",
                table: "letters",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_notices_creditor_id_sent_on",
                table: "notices",
                columns: new[] { "creditor_id", "sent_on" });

            migrationBuilder.CreateIndex(
                name: "ix_notices_invoice_id_step_index",
                table: "notices",
                columns: new[] { "invoice_id", "step_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_notices_letter_id",
                table: "notices",
                column: "letter_id");

            migrationBuilder.CreateIndex(
                name: "ix_payment_events_creditor_id_payment_id",
                table: "payment_events",
                columns: new[] { "creditor_id", "payment_id" });

            migrationBuilder.CreateIndex(
                name: "ix_payment_events_payment_id",
                table: "payment_events",
                column: "payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_payments_creditor_id_bank_reference",
                table: "payments",
                columns: new[] { "creditor_id", "bank_reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payments_creditor_id_customer_id",
                table: "payments",
                columns: new[] { "creditor_id", "customer_id" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_creditor_id_kid",
                table: "payments",
                columns: new[] { "creditor_id", "kid" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_creditor_id_payment_date",
                table: "payments",
                columns: new[] { "creditor_id", "payment_date" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_creditor_id_status",
                table: "payments",
                columns: new[] { "creditor_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_import_id",
                table: "payments",
                column: "import_id");

            migrationBuilder.CreateIndex(
                name: "ix_run_items_run_id_invoice_id",
                table: "run_items",
                columns: new[] { "run_id", "invoice_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "accounting_events");

            migrationBuilder.DropTable(
                name: "allocations");

            migrationBuilder.DropTable(
                name: "bank_statement_entries");

            migrationBuilder.DropTable(
                name: "charges");

            migrationBuilder.DropTable(
                name: "claim_events");

            migrationBuilder.DropTable(
                name: "dunning_catalogs");

            migrationBuilder.DropTable(
                name: "dunning_holds");

            migrationBuilder.DropTable(
                name: "dunning_runs");

            migrationBuilder.DropTable(
                name: "interest_note_items");

            migrationBuilder.DropTable(
                name: "interest_rates");

            migrationBuilder.DropTable(
                name: "notices");

            migrationBuilder.DropTable(
                name: "payment_events");

            migrationBuilder.DropTable(
                name: "run_items");

            migrationBuilder.DropTable(
                name: "bank_statements");

            migrationBuilder.DropTable(
                name: "invoices");

            migrationBuilder.DropTable(
                name: "letters");

            migrationBuilder.DropTable(
                name: "payments");

            migrationBuilder.DropTable(
                name: "imports");

            migrationBuilder.DropTable(
                name: "customers");

            migrationBuilder.DropTable(
                name: "creditors");
        }
    }
}
