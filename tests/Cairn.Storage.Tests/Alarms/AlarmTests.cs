using Cairn.Protocol.Etcd;
using Cairn.Storage.Alarms;
using Cairn.Storage.Tests.Support;
using AlarmAction = Cairn.Protocol.Etcd.AlarmRequest.Types.AlarmAction;

namespace Cairn.Storage.Tests.Alarms;

/// <summary>Alarm requests (reference §4.11) and the quota guard.</summary>
public sealed class AlarmTests
{
    private readonly AlarmStore _alarms = new();

    private AlarmResponse Apply(AlarmAction action, ulong member, AlarmType type) =>
        _alarms.Apply(new AlarmRequest { Action = action, MemberID = member, Alarm = type });

    [Fact]
    public void Activate_returns_the_alarm_even_when_already_active_and_get_lists_by_type()
    {
        Assert.Single(Apply(AlarmAction.Activate, 7, AlarmType.Nospace).Alarms);
        Assert.Single(Apply(AlarmAction.Activate, 7, AlarmType.Nospace).Alarms);
        Apply(AlarmAction.Activate, 3, AlarmType.Corrupt);
        Assert.Equal(2, Apply(AlarmAction.Get, 0, AlarmType.None).Alarms.Count);
        AlarmMember nospace = Assert.Single(Apply(AlarmAction.Get, 0, AlarmType.Nospace).Alarms);
        Assert.Equal(7UL, nospace.MemberID);
        Assert.True(_alarms.IsActive(AlarmType.Nospace));
        Assert.True(_alarms.IsActive(AlarmType.Corrupt));
    }

    [Fact]
    public void Deactivate_returns_the_alarm_only_if_it_was_active()
    {
        Apply(AlarmAction.Activate, 7, AlarmType.Nospace);
        Assert.Empty(Apply(AlarmAction.Deactivate, 8, AlarmType.Nospace).Alarms);
        Assert.Single(Apply(AlarmAction.Deactivate, 7, AlarmType.Nospace).Alarms);
        Assert.False(_alarms.IsActive(AlarmType.Nospace));
        Assert.Empty(Apply(AlarmAction.Activate, 7, AlarmType.None).Alarms);
        Assert.Empty(_alarms.List());
    }

    [Fact]
    public void Status_errors_use_etcds_text_form_with_a_trailing_space()
    {
        Apply(AlarmAction.Activate, 13668033151171901709, AlarmType.Nospace);
        Assert.Equal(["memberID:13668033151171901709 alarm:NOSPACE "], _alarms.StatusErrors());
    }

    [Fact]
    public void Quota_counts_live_data_and_etcds_request_costs()
    {
        using var fixture = new StoreFixture();
        var guard = new QuotaGuard(fixture.Store, quotaBytes: 1000);
        var put = new PutRequest { Key = Kv.B("key"), Value = Kv.B(new string('v', 100)) };
        Assert.Equal(256 + 3 + 100, QuotaGuard.Cost(put));
        Assert.True(guard.IsAvailable(QuotaGuard.Cost(put)));
        for (int i = 0; i < 5; i++)
        {
            fixture.Store.Put(put);
        }

        Assert.False(guard.IsAvailable(QuotaGuard.Cost(put)));
        Assert.True(guard.IsAvailable(0));
        var txn = new TxnRequest();
        txn.Success.Add(new RequestOp { RequestPut = put });
        txn.Failure.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Kv.B("key") } });
        Assert.Equal(359, QuotaGuard.Cost(txn));
        Assert.Equal(64, QuotaGuard.Cost(new LeaseGrantRequest { TTL = 5 }));

        fixture.Store.Compact(new CompactionRequest { Revision = fixture.Store.CurrentRevision }, out _);
        while (fixture.Store.RunMaintenanceStep())
        {
        }

        Assert.True(guard.IsAvailable(QuotaGuard.Cost(put)));
    }
}
