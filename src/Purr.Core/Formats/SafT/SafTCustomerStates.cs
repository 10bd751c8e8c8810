using System.Runtime.InteropServices;

namespace Purr.Core.Formats.SafT;

/// <summary>
/// A customer's running sums in the first pass: its AR movements, opening balance and open amount in hundredths, where its
/// MasterFiles details are, and what the order of its items and payments needs. 56 bytes, no references to other objects.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SafTCustomerSums
{
    private long _movement, _accountMovement, _opening, _open; // hundredths

    /// <summary>The customer's index in <see cref="SafTCustomers"/>, -1 for an id that MasterFiles does not have.</summary>
    public int Customer;

    /// <summary>The first AR account the customer has lines on (an index in the parser's account table), -1 before the first line.</summary>
    public int Account;

    /// <summary>The first aggregate with an amount, and the ordinal of the first unreferenced line (the order of unknown customers); -1 when none.</summary>
    public int FirstGroup, FirstSingle;

    private int _lastPayment, _paymentTermsDays; // + 1; 0 when none

    /// <summary>False for a CustomerID that MasterFiles does not have.</summary>
    public readonly bool Known => Customer >= 0;

    /// <summary>The sum of the customer's AR lines (debit − credit).</summary>
    public decimal Movement { readonly get => _movement / 100m; set => _movement = SafTGroups.Cents(value); }

    /// <summary>The movement on <see cref="Account"/>; movements on other accounts are in the parser's dictionary.</summary>
    public decimal AccountMovement { readonly get => _accountMovement / 100m; set => _accountMovement = SafTGroups.Cents(value); }

    /// <summary>The opening balance (the sum over the customer's balances).</summary>
    public decimal Opening { readonly get => _opening / 100m; set => _opening = SafTGroups.Cents(value); }

    /// <summary>The sum of the open amounts of the customer's items, the opening balance included.</summary>
    public decimal Open { readonly get => _open / 100m; set => _open = SafTGroups.Cents(value); }

    /// <summary>The date of the customer's latest payment so far (to tell whether its payments are in date order).</summary>
    public DateOnly? LastPayment
    {
        readonly get => _lastPayment == 0 ? null : DateOnly.FromDayNumber(_lastPayment - 1);
        set => _lastPayment = value is { } d ? d.DayNumber + 1 : 0;
    }

    /// <summary>PartyInfo/PaymentTerms/Days of the customer in MasterFiles (a document without a DueDate needs it).</summary>
    public int? PaymentTermsDays
    {
        readonly get => _paymentTermsDays == 0 ? null : _paymentTermsDays - 1;
        set => _paymentTermsDays = value is { } d ? checked(d + 1) : 0;
    }
}

/// <summary>
/// The customers' running sums of the first pass, by CustomerID (every id MasterFiles or a GL line names): the look-up in a
/// <see cref="SafTKeys"/> (about 16 + 4 + the id's UTF-8 length bytes in memory), the sums (<see cref="SafTCustomerSums"/>)
/// in a <see cref="PagedStore{T}"/>, in a scratch stream when one is given. Read and written by copy; look-ups and reads are
/// safe from several threads once every customer is added.
/// </summary>
internal sealed class SafTCustomerStates(Stream? scratch) : IDisposable
{
    private readonly SafTKeys _ids = new();
    private readonly PagedStore<SafTCustomerSums> _sums = new(scratch);

    public int Count => _sums.Count;

    /// <summary>The index of a CustomerID, or -1.</summary>
    public int Find(string id) => _ids.Find(0, id);

    /// <summary>Adds a CustomerID that is not there yet with its first sums; its index is the number of ids before it.</summary>
    public int Add(string id, in SafTCustomerSums sums)
    {
        var (index, added) = _ids.FindOrAdd(0, id);
        if (!added) throw new InvalidOperationException($"CustomerID {id} is there already");
        _sums.Add(sums);
        return index;
    }

    /// <summary>A copy of the sums at <paramref name="index"/>.</summary>
    public SafTCustomerSums this[int index] => _sums[index];

    /// <summary>Replaces the sums at <paramref name="index"/>.</summary>
    public void Set(int index, in SafTCustomerSums sums) => _sums.Set(index, sums);

    /// <summary>The CustomerID at <paramref name="index"/> (a new string).</summary>
    public string IdOf(int index) => _ids.KeyOf(index);

    /// <summary>Gives back what the id arena reserved for growth.</summary>
    public void Trim() => _ids.Trim();

    public void Dispose() => _sums.Dispose();
}
