using Purr.Features.Interest;

namespace Purr.Tests.Interest;

/// <summary>Amounts typed on the command line, in either notation.</summary>
public class AmountTextTests
{
    [Theory]
    [InlineData("10000", "10000")]
    [InlineData("10 000,00", "10000.00")]
    [InlineData("10000.00", "10000.00")]
    [InlineData("10\u00A0000,5", "10000.5")]
    [InlineData("10.000,50", "10000.50")]
    [InlineData("10,000.50", "10000.50")]
    [InlineData("12,25", "12.25")]
    [InlineData("kr 470,-", "470")]
    public void Accepted(string raw, string expected)
    {
        Assert.True(AmountText.TryParse(raw, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ti tusen")]
    [InlineData("1,2,3")]
    [InlineData("10 000,00.5")]
    [InlineData(null)]
    public void Refused(string? raw) => Assert.False(AmountText.TryParse(raw, out _));
}
