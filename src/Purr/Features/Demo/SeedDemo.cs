using Purr.Core;
using Purr.Core.Identifiers;
using Purr.Data;
using Purr.Features.Common;
using Microsoft.EntityFrameworkCore;
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
        // No outer transaction: the weekly dunning runs commit chunk by chunk, as in production.
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

        // The history is built in time order: every week the invoices, payments and credit notes of that week are
        // posted and the real dunning run runs for that day, so the lists hold real reminders, notices and hand-overs.
        var customerIds = customers.Select(c => (c.Id, c.Name, c.PaymentTermsDays ?? 14)).ToList();
        db.ChangeTracker.Clear();
        var plans = new List<(DateOnly Date, int Order, Func<LedgerSession, Task> Post)>();
        var invoices = new List<Invoice>();
        int payments = 0, creditNotes = 0;
        for (var n = 0; n < cmd.Invoices; n++)
        {
            var (customerId, customerName, terms) = customerIds[rng.Next(customerIds.Count)];
            var issue = today.AddDays(-rng.Next(1, 183));
            var amount = Money.Nok(rng.Next(2, 2500) * 10m + (rng.Next(4) == 0 ? rng.Next(100) / 100m : 0m));
            var number = (200001 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var customerNumber = customers.First(c => c.Id == customerId).CustomerNumber;
            var inv = new Invoice
            {
                CreditorId = creditor.Id, CustomerId = customerId, Number = number, IssueDate = issue, DueDate = issue.AddDays(terms),
                Amount = amount.ToMinorUnits(), Open = amount.ToMinorUnits(), Currency = "NOK", Kid = NewKid(customerNumber, number), Text = Texts[rng.Next(Texts.Length)], CreatedAt = now,
            };
            invoices.Add(inv);
            plans.Add((issue, 0, async session =>
            {
                db.Invoices.Add(inv);
                await session.TrackNewInvoiceAsync(inv, ct);
                session.Event(inv, "imported", $"invoice {number} of {amount} created by the demo");
            }));
            var due = inv.DueDate!.Value;
            var roll = rng.Next(100);
            if (roll < 4)
            {
                var cnDate = issue.AddDays(rng.Next(1, 10));
                if (cnDate >= today) continue;
                plans.Add((cnDate, 1, async session =>
                {
                    var cn = new Invoice
                    {
                        CreditorId = creditor.Id, CustomerId = customerId, Number = "K" + inv.Number, Kind = DocumentKind.CreditNote, IssueDate = cnDate,
                        Amount = inv.Amount, Open = inv.Amount, Currency = "NOK", CreditsNumber = inv.Number, Text = "Kreditnota: " + inv.Text, CreatedAt = now,
                    };
                    db.Invoices.Add(cn);
                    session.Event(cn, "imported", $"credit note {cn.Number} created by the demo");
                    await session.ApplyCreditNoteAsync(cn, inv, ct);
                }));
                creditNotes++;
                continue;
            }
            // 70 % paid (most on time, some weeks late), 8 % partly paid, the rest left open.
            var paidOn = roll < 74 ? due.AddDays(rng.Next(-10, rng.Next(6) == 0 ? 60 : 6)) : roll < 82 ? due.AddDays(rng.Next(-5, 20)) : (DateOnly?)null;
            if (paidOn is not { } date || date >= today) continue;
            if (date < issue) date = issue;
            var paid = roll < 74 ? inv.Amount : inv.Amount / 100 * rng.Next(20, 80);
            var reference = $"DEMO{cmd.Seed}-{payments + 1:000000}";
            plans.Add((date, 2, async session =>
            {
                var p = new Payment
                {
                    CreditorId = creditor.Id, PaymentDate = date, Amount = paid, Unallocated = paid, Currency = "NOK", Kid = inv.Kid, PayerName = customerName,
                    BankReference = reference, Source = "demo", MatchMethod = "kid", CreatedAt = now,
                };
                db.Payments.Add(p);
                await session.AllocatePaymentAsync(p, customerId, inv, ct);
            }));
            payments++;
        }

        var ordered = plans.OrderBy(p => p.Date).ThenBy(p => p.Order).ToList();
        var next = 0;
        var start = ordered.Count > 0 ? ordered[0].Date : today;
        for (var day = start; day < today; day = day.AddDays(7))
        {
            var session = new LedgerSession(db, creditor, actor, now);
            while (next < ordered.Count && ordered[next].Date <= day) await ordered[next++].Post(session);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            await Dunning.RunDunning.HandleAsync(db, new Dunning.RunDunning.Command(creditor.Id, day), actor, clock, ct);
        }
        var last = new LedgerSession(db, creditor, actor, now);
        while (next < ordered.Count) await ordered[next++].Post(last);
        await db.SaveChangesAsync(ct);
        // The demo's letters before today count as delivered; today's run is the user's.
        await db.Letters.Where(l => l.LetterDate < today).ExecuteUpdateAsync(u => u.SetProperty(l => l.Status, LetterStatus.Sent).SetProperty(l => l.DeliveryNote, "demo history"), ct);
        var overdueList = invoices.Where(i => i.DueDate < today).Select(i => i.Id).ToList();
        var overdue = await db.Invoices.AsNoTracking().Where(i => overdueList.Contains(i.Id) && i.Open > 0).Select(i => i.Open).ToListAsync(ct);
        return new Result(creditor.Id, creditor.Name, customers.Count, invoices.Count, creditNotes, payments, overdue.Count,
            Dto.Amount(overdue.Sum(), "NOK"));
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
