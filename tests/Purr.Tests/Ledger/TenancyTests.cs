using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Creditors;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Ledger;

public sealed class TenancyTests_Sqlite(SqliteFixture f) : TenancyTests<SqliteFixture>(f);
public sealed class TenancyTests_Postgres(PostgresFixture f) : TenancyTests<PostgresFixture>(f);

/// <summary>The creditor scope: a scoped context sees one creditor's rows, by a plain equality the indexes can seek.</summary>
public abstract class TenancyTests<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    [Fact]
    public async Task A_scoped_context_sees_its_creditors_rows_only_and_an_unscoped_one_sees_all_also_when_the_scope_changes()
    {
        await using var db = await OpenAsync();
        var a = (await AddCreditor.HandleAsync(db, new AddCreditor.Command("A AS", "987654325", "86011117947", null, null, null, null), Actor, Clock, Ct)).Id;
        var b = (await AddCreditor.HandleAsync(db, new AddCreditor.Command("B AS", "987654325", "86011117947", null, null, null, null), Actor, Clock, Ct)).Id;
        foreach (var (creditor, number) in new[] { (a, "1"), (a, "2"), (b, "1") })
            await ImportCustomers.HandleAsync(db, new ImportCustomers.Command("c.csv", System.Text.Encoding.UTF8.GetBytes($"customer_number,name\n{number},Kunde {number}\n"), creditor),
                Actor, Clock, Ct);

        // The same query on one context, its scope changed between runs (the compiled query is cached).
        async Task<int> Count() => await db.Customers.CountAsync(c => c.CustomerNumber != "", Ct);
        db.CreditorScope = a;
        var ofA = await Count();
        db.CreditorScope = b;
        var ofB = await Count();
        db.CreditorScope = null;
        var all = await Count();
        db.CreditorScope = a;

        Assert.Equal((2, 1, 3, 2), (ofA, ofB, all, await Count()));
    }

    [Fact]
    public async Task The_scope_is_a_plain_creditor_equality_in_sql_and_no_condition_without_a_scope()
    {
        await using var db = await OpenAsync();
        db.CreditorScope = 7;
        var scoped = db.Invoices.Where(i => i.Number == "10001").ToQueryString();
        db.CreditorScope = null;
        var unscoped = db.Invoices.Where(i => i.Number == "10001").ToQueryString();

        // An OR with the "no scope" case would keep SQLite from seeking the (creditor_id, ...) indexes.
        Assert.DoesNotContain(" OR ", scoped, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"""?creditor_id""? = @", scoped);
        Assert.DoesNotContain("creditor_id\" =", unscoped, StringComparison.Ordinal);
        Assert.DoesNotContain(" OR ", unscoped, StringComparison.OrdinalIgnoreCase);
    }
}
