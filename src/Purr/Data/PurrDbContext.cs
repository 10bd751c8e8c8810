using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Purr.Data;

/// <summary>
/// The ledger. One model for SQLite and PostgreSQL; each provider has its own subclass so that it keeps its own
/// migration set (see <see cref="SqlitePurrDbContext"/> and <see cref="PostgresPurrDbContext"/>).
/// </summary>
public abstract class PurrDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>When set, every query sees only this creditor's rows (global query filter).</summary>
    public long? CreditorScope { get; set; }

    /// <summary>
    /// One creditor's rows, untracked, with the creditor as a plain <c>creditor_id = @id</c> whatever the scope: for the
    /// bulk import's per-chunk look-ups, which name their creditor and must never track.
    /// </summary>
    public IQueryable<T> OwnedBy<T>(long creditorId) where T : class, ICreditorOwned =>
        Set<T>().IgnoreQueryFilters().AsNoTracking().Where(x => x.CreditorId == creditorId);

    public DbSet<Creditor> Creditors => Set<Creditor>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Allocation> Allocations => Set<Allocation>();
    public DbSet<ClaimEvent> ClaimEvents => Set<ClaimEvent>();
    public DbSet<ImportRecord> Imports => Set<ImportRecord>();
    public DbSet<Charge> Charges => Set<Charge>();
    public DbSet<DunningCatalog> DunningCatalogs => Set<DunningCatalog>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<Letter> Letters => Set<Letter>();
    public DbSet<DunningHold> Holds => Set<DunningHold>();
    public DbSet<DunningRun> Runs => Set<DunningRun>();
    public DbSet<RunItem> RunItems => Set<RunItem>();
    public DbSet<InterestRate> InterestRates => Set<InterestRate>();
    public DbSet<InterestNoteItem> InterestNoteItems => Set<InterestNoteItem>();
    public DbSet<AccountingEvent> AccountingEvents => Set<AccountingEvent>();
    public DbSet<BankStatement> BankStatements => Set<BankStatement>();
    public DbSet<BankStatementEntry> BankStatementEntries => Set<BankStatementEntry>();
    public DbSet<PaymentEvent> PaymentEvents => Set<PaymentEvent>();

    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string ProviderName { get; }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Creditor>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.DunningMode).HasConversion<string>().HasMaxLength(20);
        });
        b.Entity<Customer>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.CustomerNumber }).IsUnique();
            e.HasIndex(x => new { x.CreditorId, x.OrganizationNumber });
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.HasOne<Creditor>().WithMany().HasForeignKey(x => x.CreditorId);
        });
        b.Entity<Invoice>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.Kind, x.Number }).IsUnique();
            e.HasIndex(x => new { x.CreditorId, x.Kid });
            e.HasIndex(x => new { x.CreditorId, x.NumberKey });
            e.HasIndex(x => new { x.CreditorId, x.Currency, x.Open });   // open amounts looked up by value (not a range: see LedgerOpenItems)
            e.HasIndex(x => new { x.CreditorId, x.CustomerId, x.Open });
            e.HasIndex(x => new { x.CreditorId, x.DueDate });
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId);
            e.HasOne<Creditor>().WithMany().HasForeignKey(x => x.CreditorId);
        });
        b.Entity<Payment>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.BankReference }).IsUnique();
            e.HasIndex(x => new { x.CreditorId, x.Status });
            e.HasIndex(x => new { x.CreditorId, x.CustomerId });
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne<Creditor>().WithMany().HasForeignKey(x => x.CreditorId);
        });
        b.Entity<Allocation>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.InvoiceId });
            e.HasIndex(x => x.PaymentId);
            e.HasOne(x => x.Invoice).WithMany().HasForeignKey(x => x.InvoiceId);
            e.HasOne(x => x.CreditNote).WithMany().HasForeignKey(x => x.CreditNoteId);
            e.HasOne(x => x.Payment).WithMany().HasForeignKey(x => x.PaymentId);
        });
        b.Entity<ClaimEvent>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.InvoiceId });
            e.HasIndex(x => new { x.CreditorId, x.CustomerId });
            e.HasOne(x => x.Invoice).WithMany().HasForeignKey(x => x.InvoiceId);
            e.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId);
        });
        b.Entity<ImportRecord>(e => e.HasIndex(x => new { x.CreditorId, x.Kind, x.Sha256 }).IsUnique());
        b.Entity<Charge>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.InvoiceId });
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.HasOne(x => x.Invoice).WithMany().HasForeignKey(x => x.InvoiceId);
            // § 3a standard compensation is added once per claim.
            e.HasIndex(x => new { x.InvoiceId, x.Kind }, "ix_charges_one_standard_compensation").IsUnique().HasFilter("\"kind\" = 'StandardCompensation'");
        });
        b.Entity<InterestRate>(e =>
        {
            e.HasIndex(x => x.From).IsUnique();
            e.Property(x => x.RatePercent).HasPrecision(9, 4);
            e.Property(x => x.StandardCompensationNok).HasPrecision(12, 2);
            e.Property(x => x.Certainty).HasMaxLength(20);
        });
        b.Entity<InterestNoteItem>(e =>
        {
            e.HasIndex(x => x.InvoiceId).IsUnique();
            e.HasIndex(x => new { x.CreditorId, x.InterestNoteId });
            e.HasOne(x => x.InterestNote).WithMany().HasForeignKey(x => x.InterestNoteId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Invoice).WithMany().HasForeignKey(x => x.InvoiceId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<AccountingEvent>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.Date });
            e.HasIndex(x => new { x.CreditorId, x.InvoiceId });
            e.Property(x => x.Kind).HasMaxLength(30);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.DebitAccount).HasMaxLength(10);
            e.Property(x => x.CreditAccount).HasMaxLength(10);
            e.HasOne(x => x.Invoice).WithMany().HasForeignKey(x => x.InvoiceId);
            e.HasOne(x => x.Payment).WithMany().HasForeignKey(x => x.PaymentId);
            e.HasOne<Creditor>().WithMany().HasForeignKey(x => x.CreditorId);
        });

        b.Entity<DunningCatalog>(e => e.HasIndex(x => x.CreditorId).IsUnique());
        b.Entity<Notice>(e =>
        {
            e.HasIndex(x => new { x.InvoiceId, x.StepIndex }).IsUnique();   // exactly once per (claim, step)
            e.HasIndex(x => new { x.CreditorId, x.SentOn });
            e.HasOne(x => x.Invoice).WithMany().HasForeignKey(x => x.InvoiceId);
            e.HasOne(x => x.Letter).WithMany().HasForeignKey(x => x.LetterId);
        });
        b.Entity<Letter>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.GroupKey, x.LetterDate }).IsUnique();
            e.HasIndex(x => new { x.CreditorId, x.Status });
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId);
        });
        b.Entity<DunningHold>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.InvoiceId });
            e.HasIndex(x => new { x.CreditorId, x.CustomerId });
            e.Property(x => x.Type).HasConversion<string>().HasMaxLength(20);
        });
        b.Entity<DunningRun>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.Today });
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        });
        b.Entity<RunItem>(e => e.HasIndex(x => new { x.RunId, x.InvoiceId }).IsUnique());
        b.Entity<Invoice>(e => e.HasIndex(x => new { x.CreditorId, x.DunningList }));
        ConfigurePayments(b);

        // Tenancy: every creditor-owned row is filtered by the scope when one is set. "No scope" is inlined as a constant
        // (EF.Constant: the SQL is made per value), so a scoped query says a plain creditor_id = @scope, which SQLite and
        // PostgreSQL can seek in the (creditor_id, ...) indexes; as a parameter it was "@p OR creditor_id = @scope", which
        // SQLite plans as a scan of the table.
        b.Entity<Customer>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<Invoice>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<Payment>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<Allocation>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<ClaimEvent>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<ImportRecord>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<Charge>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<RunItem>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<DunningRun>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<DunningHold>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<Letter>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<Notice>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<DunningCatalog>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<InterestNoteItem>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<AccountingEvent>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<BankStatement>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<BankStatementEntry>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);
        b.Entity<PaymentEvent>().HasQueryFilter(x => EF.Constant(CreditorScope == null) || x.CreditorId == CreditorScope);

        ApplySnakeCase(b);
    }

    /// <summary>Bank statements (camt.053) with their entries, and payment history (PaymentEntities.cs).</summary>
    private static void ConfigurePayments(ModelBuilder b)
    {
        b.Entity<Payment>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.Kid });
            e.HasIndex(x => new { x.CreditorId, x.PaymentDate });
            e.HasIndex(x => x.ImportId);          // the chunked import reads its ids back; payments list --import
        });
        b.Entity<BankStatement>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.Account, x.ToDate });
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne<ImportRecord>().WithMany().HasForeignKey(x => x.ImportId);
            e.HasOne<Creditor>().WithMany().HasForeignKey(x => x.CreditorId);
        });
        b.Entity<BankStatementEntry>(e =>
        {
            e.HasIndex(x => x.StatementId);
            e.HasIndex(x => new { x.CreditorId, x.BankReference });
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne(x => x.Statement).WithMany().HasForeignKey(x => x.StatementId);
            e.HasOne(x => x.Payment).WithMany().HasForeignKey(x => x.PaymentId);
        });
        b.Entity<PaymentEvent>(e =>
        {
            e.HasIndex(x => new { x.CreditorId, x.PaymentId });
            e.HasOne(x => x.Payment).WithMany().HasForeignKey(x => x.PaymentId);
        });
    }

    /// <summary>snake_case table and column names, the same on both providers (and readable in psql).</summary>
    private static void ApplySnakeCase(ModelBuilder b)
    {
        foreach (var entity in b.Model.GetEntityTypes())
        {
            entity.SetTableName(ToSnake(entity.ClrType.Name switch
            {
                nameof(ImportRecord) => "imports",
                nameof(ClaimEvent) => "claim_events",
                var n => n.EndsWith('y') ? n[..^1] + "ies" : n + "s",
            }));
            foreach (var p in entity.GetProperties()) p.SetColumnName(ToSnake(p.Name));
            foreach (var k in entity.GetKeys()) k.SetName(ToSnake(k.GetName() ?? ""));
            foreach (var fk in entity.GetForeignKeys()) fk.SetConstraintName(ToSnake(fk.GetConstraintName() ?? ""));
            foreach (var ix in entity.GetIndexes()) ix.SetDatabaseName(ToSnake(ix.GetDatabaseName() ?? ""));
        }
    }

    internal static string ToSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}

/// <summary>The SQLite flavour (default: one file, nothing to install).</summary>
public sealed class SqlitePurrDbContext(DbContextOptions<SqlitePurrDbContext> options) : PurrDbContext(options)
{
    public override string ProviderName => "sqlite";

    // SQLite cannot compare or order DateTimeOffset text; instants (always UTC here) are stored as sortable 64-bit values.
    protected override void ConfigureConventions(ModelConfigurationBuilder b) =>
        b.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
}

/// <summary>The PostgreSQL flavour, chosen by a connection string.</summary>
public sealed class PostgresPurrDbContext(DbContextOptions<PostgresPurrDbContext> options) : PurrDbContext(options)
{
    public override string ProviderName => "postgres";
}
