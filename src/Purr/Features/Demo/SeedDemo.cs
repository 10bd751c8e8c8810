using Purr.Core;
using Purr.Core.Identifiers;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Ledger;

namespace Purr.Features.Demo;

/// <summary>
/// Seeds a demo creditor with customers and six months of invoices, payments and credit notes: paid, partly paid,
/// overdue and credited. Deterministic for a seed and a date.
/// </summary>
public static class SeedDemo
{
    public sealed record Command(int Seed = 1, int Customers = 200, int Invoices = 2000);
    public sealed record Result(long CreditorId, string CreditorName, int Customers, int Invoices, int CreditNotes, int Payments, int Overdue, string OverdueTotal);

    private static readonly string[] FirstNames = ["Ola", "Kari", "Per", "Ingrid", "Lars", "Anne", "Jon", "Marit", "Nils", "Sigrid", "Ole", "Hilde", "Knut", "Liv", "Erik", "Silje"];
    private static readonly string[] LastNames = ["Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Berg", "Haugen"];
    private static readonly string[] Companies = ["Fjord", "Nordlys", "Vik", "Bakke", "Skog", "Elv", "Fjell", "Havn", "Lyng", "Bjørk", "Tind", "Strand"];
    private static readonly string[] Suffixes = ["Bygg AS", "Regnskap AS", "Transport AS", "Elektro AS", "Rør AS", "Consulting AS", "Maskin AS", "Handel AS"];
    private static readonly (string Code, string City)[] Places = [("0150", "Oslo"), ("5003", "Bergen"), ("7010", "Trondheim"), ("4006", "Stavanger"), ("9008", "Tromsø"), ("3015", "Drammen"), ("1606", "Fredrikstad"), ("2317", "Hamar")];
    private static readonly string[] Texts = ["Regnskapsbistand", "Konsulenttimer", "Lisens, kvartal", "Serviceavtale", "Varelevering", "Reparasjon", "Abonnement", "Kurs"];

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var rng = new Random(cmd.Seed);
        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var creditor = new Creditor
        {
            Name = $"Demo Regnskap AS (seed {cmd.Seed})", OrganizationNumber = "987654325", AccountNumber = "86011117947",
            Email = "faktura@demo-regnskap.example", AddressLine1 = "Storgata 1", PostalCode = "0155", City = "Oslo", CreatedAt = now,
        };
        db.Creditors.Add(creditor);
        await db.SaveChangesAsync(ct);
        db.CreditorScope = creditor.Id;

        var customers = new List<Customer>();
        for (var i = 0; i < cmd.Customers; i++)
        {
            var kind = rng.Next(10) switch { < 6 => CustomerKind.Private, < 9 => CustomerKind.Business, _ => CustomerKind.Public };
            var place = Places[rng.Next(Places.Length)];
            var name = kind == CustomerKind.Private
                ? $"{FirstNames[rng.Next(FirstNames.Length)]} {LastNames[rng.Next(LastNames.Length)]}"
                : kind == CustomerKind.Public ? $"{place.City} kommune, {Texts[rng.Next(3)].ToLowerInvariant()}" : $"{Companies[rng.Next(Companies.Length)]} {Suffixes[rng.Next(Suffixes.Length)]}";
            var c = new Customer
            {
                CreditorId = creditor.Id, CustomerNumber = (10001 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), Name = name, Kind = kind,
                Email = $"kunde{10001 + i}@example.no", AddressLine1 = $"{LastNames[rng.Next(LastNames.Length)]}veien {rng.Next(1, 120)}",
                PostalCode = place.Code, City = place.City, OrganizationNumber = kind == CustomerKind.Private ? null : RandomOrgNumber(rng),
                Language = rng.Next(20) == 0 ? "en" : "nb", PreferredChannel = kind == CustomerKind.Private ? (rng.Next(4) == 0 ? "letter" : "email") : "ehf",
                Category = kind == CustomerKind.Private ? "privat" : "bedrift", Priority = rng.Next(3), PaymentTermsDays = kind == CustomerKind.Private ? 14 : 30,
                CreatedAt = now, UpdatedAt = now,
            };
            customers.Add(c);
            db.Customers.Add(c);
        }
        await db.SaveChangesAsync(ct);

        var session = new LedgerSession(db, creditor, actor, now);
        var invoices = new List<(Invoice Row, Customer Customer)>();
        for (var n = 0; n < cmd.Invoices; n++)
        {
            var c = customers[rng.Next(customers.Count)];
            var issue = today.AddDays(-rng.Next(0, 183));
            var amount = Money.Nok(rng.Next(2, 2500) * 10m + (rng.Next(4) == 0 ? rng.Next(100) / 100m : 0m));
            var number = (200001 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var inv = new Invoice
            {
                CreditorId = creditor.Id, CustomerId = c.Id, Customer = c, Number = number, IssueDate = issue, DueDate = issue.AddDays(c.PaymentTermsDays ?? 14),
                Amount = amount.ToMinorUnits(), Open = amount.ToMinorUnits(), Currency = "NOK", Kid = NewKid(c.CustomerNumber, number), Text = Texts[rng.Next(Texts.Length)], CreatedAt = now,
            };
            db.Invoices.Add(inv);
            await session.TrackNewInvoiceAsync(inv, ct);
            session.Event(inv, "imported", $"invoice {number} of {amount} created by the demo");
            invoices.Add((inv, c));
        }
        int payments = 0, creditNotes = 0;
        foreach (var (inv, c) in invoices.OrderBy(x => x.Row.IssueDate).ThenBy(x => x.Row.Number))
        {
            var due = inv.DueDate!.Value;
            var roll = rng.Next(100);
            if (roll < 4)
            {
                var cn = new Invoice
                {
                    CreditorId = creditor.Id, CustomerId = c.Id, Customer = c, Number = "K" + inv.Number, Kind = DocumentKind.CreditNote, IssueDate = inv.IssueDate.AddDays(rng.Next(1, 10)),
                    Amount = inv.Amount, Open = inv.Amount, Currency = "NOK", CreditsNumber = inv.Number, Text = "Kreditnota: " + inv.Text, CreatedAt = now,
                };
                if (cn.IssueDate > today) continue;
                db.Invoices.Add(cn);
                session.Event(cn, "imported", $"credit note {cn.Number} created by the demo");
                await session.ApplyCreditNoteAsync(cn, inv, ct);
                creditNotes++;
                continue;
            }
            // 70 % paid (most on time, some late), 8 % partly paid, the rest open.
            var paidOn = roll < 74 ? due.AddDays(rng.Next(-10, rng.Next(10) == 0 ? 40 : 6)) : roll < 82 ? due.AddDays(rng.Next(-5, 20)) : (DateOnly?)null;
            if (paidOn is not { } date || date > today) continue;
            var amount = roll < 74 ? inv.Amount : inv.Amount / 100 * rng.Next(20, 80);
            var p = new Payment
            {
                CreditorId = creditor.Id, PaymentDate = date, Amount = amount, Unallocated = amount, Currency = "NOK", Kid = inv.Kid, PayerName = c.Name,
                BankReference = $"DEMO{cmd.Seed}-{payments + 1:000000}", Source = "demo", MatchMethod = "kid", CreatedAt = now,
            };
            db.Payments.Add(p);
            await session.AllocatePaymentAsync(p, c.Id, inv, ct);
            payments++;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var overdue = invoices.Where(x => x.Row.Open > 0 && x.Row.DueDate < today).ToList();
        return new Result(creditor.Id, creditor.Name, customers.Count, invoices.Count, creditNotes, payments, overdue.Count,
            Dto.Amount(overdue.Sum(x => x.Row.Open), "NOK"));
    }

    private static string NewKid(string customerNumber, string invoiceNumber)
    {
        // Customer number + invoice number, MOD10: what most Norwegian invoicing systems print.
        return Kid.Create(customerNumber + invoiceNumber, customerNumber.Length + invoiceNumber.Length + 1, KidMethod.Mod10)!.Value.Value;
    }

    private static string RandomOrgNumber(Random rng)
    {
        while (true)
        {
            var body = (rng.Next(8, 10) * 10_000_000 + rng.Next(0, 10_000_000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (var check = 0; check < 10; check++)
                if (OrganizationNumber.TryParse(body + check, out var org, out _)) return org.Value;
        }
    }
}
