using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Alarms;

/// <summary>
/// Active alarms (NOSPACE, CORRUPT) per member, changed only through apply. While NOSPACE is active the state
/// machine rejects writes that add data; while CORRUPT is active it rejects every KV change (etcd's capped and
/// corrupt appliers). Reads of the alarm list are thread-safe.
/// </summary>
public sealed class AlarmStore
{
    private readonly SortedSet<(AlarmType Type, ulong MemberId)> _alarms = [];
    private readonly object _lock = new();

    /// <summary>True if any member has raised an alarm of this type.</summary>
    public bool IsActive(AlarmType type)
    {
        lock (_lock)
        {
            foreach ((AlarmType active, _) in _alarms)
            {
                if (active == type)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// Applies an Alarm request as etcd does: GET lists the alarms of a type (NONE = all); ACTIVATE raises one and
    /// returns it (also when it was already raised); DEACTIVATE clears one and returns it (nothing if it was not
    /// raised). Activating NONE does nothing.
    /// </summary>
    public AlarmResponse Apply(AlarmRequest request)
    {
        var response = new AlarmResponse();
        lock (_lock)
        {
            switch (request.Action)
            {
                case AlarmRequest.Types.AlarmAction.Get:
                    AddMatching(response, request.Alarm);
                    break;
                case AlarmRequest.Types.AlarmAction.Activate when request.Alarm != AlarmType.None:
                    _alarms.Add((request.Alarm, request.MemberID));
                    response.Alarms.Add(new AlarmMember { MemberID = request.MemberID, Alarm = request.Alarm });
                    break;
                case AlarmRequest.Types.AlarmAction.Deactivate:
                    if (_alarms.Remove((request.Alarm, request.MemberID)))
                    {
                        response.Alarms.Add(new AlarmMember { MemberID = request.MemberID, Alarm = request.Alarm });
                    }

                    break;
            }
        }

        return response;
    }

    /// <summary>Every active alarm, ordered by type then member.</summary>
    public List<AlarmMember> List()
    {
        var response = new AlarmResponse();
        lock (_lock)
        {
            AddMatching(response, AlarmType.None);
        }

        return [.. response.Alarms];
    }

    /// <summary>The alarm lines of Status.errors, in etcd's text format (note the trailing space):
    /// <c>memberID:&lt;decimal&gt; alarm:NOSPACE </c>.</summary>
    public List<string> StatusErrors()
    {
        var errors = new List<string>();
        foreach (AlarmMember alarm in List())
        {
            string name = alarm.Alarm == AlarmType.Nospace ? "NOSPACE" : alarm.Alarm == AlarmType.Corrupt ? "CORRUPT" : "NONE";
            errors.Add($"memberID:{alarm.MemberID} alarm:{name} ");
        }

        return errors;
    }

    /// <summary>Replaces all alarms (snapshot restore). Apply thread.</summary>
    public void Restore(IEnumerable<AlarmMember> alarms)
    {
        lock (_lock)
        {
            _alarms.Clear();
            foreach (AlarmMember alarm in alarms)
            {
                _alarms.Add((alarm.Alarm, alarm.MemberID));
            }
        }
    }

    private void AddMatching(AlarmResponse response, AlarmType type)
    {
        foreach ((AlarmType active, ulong memberId) in _alarms)
        {
            if (type == AlarmType.None || type == active)
            {
                response.Alarms.Add(new AlarmMember { MemberID = memberId, Alarm = active });
            }
        }
    }
}
