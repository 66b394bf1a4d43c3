using Cairn.Linearizability;

namespace Cairn.Linearizability.Tests;

public sealed class HandWrittenHistoryTests
{
    private static CheckResult Check(params Operation[] history) => LinearizabilityChecker.Check(history);

    private static void AssertLinearizable(params Operation[] history)
    {
        CheckResult result = Check(history);
        Assert.True(result.Verdict == Verdict.Linearizable, result.ToString());
    }

    private static CheckResult AssertViolation(params Operation[] history)
    {
        CheckResult result = Check(history);
        Assert.True(result.Verdict == Verdict.Violation, result.ToString());
        Assert.NotEmpty(result.Explanations);
        return result;
    }

    [Fact]
    public void Empty_history_is_linearizable() => AssertLinearizable();

    [Fact]
    public void Sequential_put_then_get_is_linearizable() => AssertLinearizable(
        Ops.Put("a", "1", 0, 1, 2),
        Ops.Get("a", "1", 2, 2, 3, 2),
        Ops.Get("b", null, 0, 4, 5, 2));

    [Fact]
    public void Read_of_an_overwritten_value_after_the_overwrite_completed_is_a_stale_read()
    {
        CheckResult result = AssertViolation(
            Ops.Put("a", "1", 0, 1, 2),
            Ops.Put("a", "2", 2, 3, 3),
            Ops.Get("a", "1", 2, 4, 5, 3));
        Assert.Contains("key a", result.Explanations[0]);
        Assert.Contains("get(a)", result.Explanations[0]);
    }

    [Fact]
    public void Read_concurrent_with_the_overwrite_may_see_either_value()
    {
        AssertLinearizable(
            Ops.Put("a", "1", 0, 1, 2),
            Ops.Put("a", "2", 2, 10, 3, client: 1),
            Ops.Get("a", "1", 2, 3, 4, 2),
            Ops.Get("a", "2", 3, 5, 6, 3, client: 2));
    }

    [Fact]
    public void Reading_new_then_old_while_a_write_is_in_flight_is_not_linearizable() => AssertViolation(
        Ops.Put("a", "1", 0, 1, 2),
        Ops.Put("a", "2", 2, 20, 3, client: 1),
        Ops.Get("a", "2", 3, 3, 4, 3),
        Ops.Get("a", "1", 2, 5, 6, 3, client: 2));

    [Fact]
    public void Wrong_mod_revision_for_the_right_value_is_a_violation() => AssertViolation(
        Ops.Put("a", "1", 0, 1, 2),
        Ops.Get("a", "1", 3, 2, 3, 3));

    [Fact]
    public void A_value_nobody_wrote_is_a_violation() => AssertViolation(
        Ops.Put("a", "1", 0, 1, 2),
        Ops.Get("a", "ghost", 2, 2, 3, 2));

    [Fact]
    public void An_unknown_put_may_take_effect_late() => AssertLinearizable(
        Ops.UnknownPut("a", "1", 0),
        Ops.Get("a", null, 0, 10, 11, 1),
        Ops.Get("a", "1", 7, 100, 101, 7));

    [Fact]
    public void An_unknown_put_may_never_take_effect() => AssertLinearizable(
        Ops.UnknownPut("a", "1", 0),
        Ops.Put("a", "2", 5, 6, 3),
        Ops.Get("a", "2", 3, 7, 8, 3));

    [Fact]
    public void An_unknown_put_cannot_take_effect_twice() => AssertViolation(
        Ops.UnknownPut("a", "1", 0),
        Ops.Get("a", "1", 2, 1, 2, 2),
        Ops.Put("a", "2", 3, 4, 3),
        Ops.Get("a", "1", 4, 5, 6, 4));

    [Fact]
    public void Unknown_put_bound_to_a_revision_keeps_it() => AssertViolation(
        Ops.UnknownPut("a", "1", 0),
        Ops.Get("a", "1", 5, 1, 2, 5),
        Ops.Get("a", "1", 6, 3, 4, 6));

    [Fact]
    public void Compare_and_set_on_the_current_revision_succeeds_and_on_a_stale_one_fails() => AssertLinearizable(
        Ops.Put("a", "1", 0, 1, 2),
        Ops.CasRevision("a", 2, "2", true, 2, 3, 3),
        Ops.CasRevision("a", 2, "3", false, 4, 5, 3),
        Ops.CasValue("a", "2", "4", true, 6, 7, 4),
        Ops.Get("a", "4", 4, 8, 9, 4));

    [Fact]
    public void Compare_and_set_that_succeeds_on_a_stale_revision_is_a_violation() => AssertViolation(
        Ops.Put("a", "1", 0, 1, 2),
        Ops.Put("a", "2", 2, 3, 3),
        Ops.CasRevision("a", 2, "3", true, 4, 5, 4));

    [Fact]
    public void Compare_and_set_that_fails_on_the_current_value_is_a_violation() => AssertViolation(
        Ops.Put("a", "1", 0, 1, 2),
        Ops.CasValue("a", "1", "2", false, 2, 3, 2));

    [Fact]
    public void Create_if_absent_compares_mod_revision_zero() => AssertLinearizable(
        Ops.CasRevision("a", 0, "1", true, 0, 1, 2),
        Ops.CasRevision("a", 0, "2", false, 2, 3, 2),
        Ops.Delete("a", 1, 4, 5, 3),
        Ops.CasRevision("a", 0, "3", true, 6, 7, 4));

    [Fact]
    public void Delete_count_must_match_existence() => AssertViolation(
        Ops.Delete("a", 1, 0, 1, 2));

    [Fact]
    public void Deleted_key_reads_absent_and_a_stale_read_after_delete_is_caught()
    {
        AssertLinearizable(Ops.Put("a", "1", 0, 1, 2), Ops.Delete("a", 1, 2, 3, 3), Ops.Get("a", null, 0, 4, 5, 3));
        AssertViolation(Ops.Put("a", "1", 0, 1, 2), Ops.Delete("a", 1, 2, 3, 3), Ops.Get("a", "1", 2, 4, 5, 3));
    }

    [Fact]
    public void Header_revision_going_backwards_in_real_time_is_caught_across_keys()
    {
        CheckResult result = AssertViolation(
            Ops.Put("a", "1", 0, 1, 5),
            Ops.Get("b", null, 0, 2, 3, 4));
        Assert.Contains("backwards", string.Join("\n", result.Explanations));
    }

    [Fact]
    public void Two_writes_with_one_revision_are_caught() => AssertViolation(
        Ops.Put("a", "1", 0, 10, 2),
        Ops.Put("b", "1", 0, 10, 2, client: 1));

    [Fact]
    public void Put_revision_not_above_the_previous_write_is_caught() => AssertViolation(
        Ops.Put("a", "1", 0, 1, 3),
        Ops.Put("a", "2", 2, 3, 3, client: 1));

    [Fact]
    public void Failed_operations_are_ignored() => AssertLinearizable(
        new Operation
        {
            ClientId = 0, Kind = OperationKind.Put, Key = "a", WriteValue = "x", InvokeTicks = 0, ReturnTicks = 1,
            Outcome = Outcome.Failed, Error = "permission denied",
        },
        Ops.Get("a", null, 0, 2, 3, 1));

    [Fact]
    public void Duplicate_written_values_are_rejected_with_advice()
    {
        var error = Assert.Throws<ArgumentException>(() => Check(Ops.Put("a", "1", 0, 1, 2), Ops.Put("a", "1", 2, 3, 3)));
        Assert.Contains("unique", error.Message);
    }

    [Fact]
    public void Return_before_invoke_is_rejected() =>
        Assert.Throws<ArgumentException>(() => Check(Ops.Put("a", "1", 5, 1, 2)));

    [Fact]
    public void Exhausted_budget_says_unknown_never_linearizable()
    {
        // Many concurrent writes and one impossible read: the search must try many orders before giving up.
        var history = new List<Operation>();
        for (int i = 0; i < 12; i++)
        {
            history.Add(Ops.Put("a", $"v{i}", 0, 100, 2 + i, client: i));
        }

        history.Add(Ops.Get("a", "v3", 99, 101, 102, 200, client: 99));
        CheckResult result = LinearizabilityChecker.Check(history, new CheckLimits { MaxConfigurationsPerKey = 50 });
        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Contains("budget", result.ToString());
    }

    [Fact]
    public void Many_pending_timed_out_writes_do_not_explode_the_search()
    {
        // 40 timed-out puts nobody read; 30 failed compares on the original value need one of them applied;
        // the final read of the original value is impossible. Proving that means ruling out every choice and
        // subset of the timed-out puts: without dominance pruning that is 2^40 search points.
        var history = new List<Operation> { Ops.Put("a", "base", 0, 1, 2) };
        for (int i = 0; i < 40; i++)
        {
            history.Add(Ops.UnknownPut("a", $"lost{i}", 2 + i, client: 1 + i));
        }

        for (int i = 0; i < 30; i++)
        {
            history.Add(Ops.CasValue("a", "base", $"never{i}", false, 100 + (2 * i), 101 + (2 * i), 50, client: 100));
        }

        history.Add(Ops.Get("a", "base", 2, 200, 201, 50, client: 100));
        CheckResult result = LinearizabilityChecker.Check(history, new CheckLimits { MaxConfigurationsPerKey = 200_000 });
        Assert.True(result.Verdict == Verdict.Violation, result.ToString());

        history.RemoveAt(history.Count - 1);
        history.Add(Ops.Get("a", "lost7", 45, 200, 201, 50, client: 100));
        result = LinearizabilityChecker.Check(history, new CheckLimits { MaxConfigurationsPerKey = 200_000 });
        Assert.True(result.Verdict == Verdict.Linearizable, result.ToString());
    }
}
