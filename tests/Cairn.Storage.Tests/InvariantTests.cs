namespace Cairn.Storage.Tests;

public class InvariantTests
{
    [Fact]
    public void A_holding_check_neither_throws_nor_formats_its_message()
    {
        var probe = new FormattingProbe();
        Invariant.Check(true, $"never formatted: {probe}");
        Invariant.Check(true, "constant message");
        Assert.Equal(0, probe.Formatted);
    }

    [Fact]
    public void A_failing_check_throws_with_the_formatted_message()
    {
        var probe = new FormattingProbe();
        int index = 42;
        var error = Assert.Throws<InvariantViolationException>(() => Invariant.Check(index < 10, $"index {index} is too large ({probe})"));
        Assert.Equal("Invariant violated: index 42 is too large (probe)", error.Message);
        Assert.Equal(1, probe.Formatted);
        Assert.Equal("Invariant violated: plain", Assert.Throws<InvariantViolationException>(() => Invariant.Check(false, "plain")).Message);
        Assert.Throws<InvariantViolationException>(() => Invariant.Fail("always"));
    }

    [Fact]
    public void A_holding_interpolated_check_allocates_nothing()
    {
        long value = 7;
        Invariant.Check(value > 0, $"value {value}");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Invariant.Check(value > 0, $"value {value} at {i}");
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private sealed class FormattingProbe
    {
        public int Formatted { get; private set; }

        public override string ToString()
        {
            Formatted++;
            return "probe";
        }
    }
}
