namespace Purr.Core;

/// <summary>
/// What kind of debtor a customer is. Dunning plans, fees, the interest rules and the § 3a standard compensation
/// differ by it (inkassoloven, forsinkelsesrenteloven §§ 1-3a; NORWAY-RULES §1.7 and §2.4).
/// </summary>
public enum CustomerKind
{
    /// <summary>A consumer (forbruker).</summary>
    Private,

    /// <summary>A business (næringsdrivende).</summary>
    Business,

    /// <summary>A public authority (offentlig myndighet).</summary>
    Public,
}
