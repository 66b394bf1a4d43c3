using System.Text;
using Cairn.Raft.Codec;

namespace Cairn.Raft.Tests.Interaction;

/// <summary>
/// Drives a small in-memory cluster from transcript commands and prints what happens: each Ready, each
/// delivered message, each applied membership change. Messages wait in a mailbox until delivered, so a
/// transcript controls interleavings exactly.
/// </summary>
internal sealed partial class InteractionEnv
{
    private readonly SortedDictionary<ulong, EnvNode> nodes = [];
    private readonly List<Message> mailbox = [];
    private readonly HashSet<ulong> isolated = [];
    private StringBuilder output = new();
    private bool quiet;

    public string Handle(string commandLine)
    {
        output = new StringBuilder();
        var command = new CommandLine(commandLine);
        try
        {
            Dispatch(command);
        }
        catch (Exception error) when (error is not NotSupportedException)
        {
            output.Append("error: ").Append(error.GetType().Name).Append(": ").Append(error.Message).Append('\n');
        }

        string text = output.ToString();
        return text.Length == 0 ? "ok\n" : text;
    }

    private void Dispatch(CommandLine command)
    {
        switch (command.Name)
        {
            case "add-nodes": AddNodes(command); break;
            case "campaign": Node(command.Id()).Raw.Campaign(); break;
            case "tick-election": TickElection(command.Id()); break;
            case "tick-heartbeat": TickHeartbeat(command.Id()); break;
            case "tick": for (int i = int.Parse(command.Positional[1]); i > 0; i--) { Node(command.Id()).Raw.Tick(); } break;
            case "propose": Print(Node(command.Id()).Raw.Propose(Bytes(command.Positional[1])) ? "accepted" : "dropped"); break;
            case "propose-batch": Print(Node(command.Id()).Raw.ProposeBatch(command.Positional.Skip(1).Select(p => (ReadOnlyMemory<byte>)Bytes(p)).ToArray()) ? "accepted" : "dropped"); break;
            case "propose-conf-change": ProposeConfChange(command); break;
            case "read-index": Print(Node(command.Id()).Raw.ReadIndex(Bytes(command.Positional[1])) ? "accepted" : "dropped"); break;
            case "transfer-leadership": Node(ulong.Parse(command.Option("from")!)).Raw.TransferLeadership(ulong.Parse(command.Option("to")!)); break;
            case "process-ready": foreach (ulong id in IdsOrAll(command)) { ProcessReady(id); } break;
            case "deliver-msgs": foreach (ulong id in IdsOrAll(command)) { DeliverMessages(id, command.Option("drop") == "true"); } break;
            case "stabilize": Stabilize(IdsOrAll(command)); break;
            case "raft-state": RaftState(); break;
            case "raft-log": RaftLog(command.Id()); break;
            case "status": Status(command.Id()); break;
            case "election-timer": Print($"node {command.Id()}: {Node(command.Id()).Raw.Raft.ElectionElapsedTicks} ticks elapsed of {Node(command.Id()).Raw.Raft.RandomizedElectionTimeoutTicks}"); break;
            case "compact": Compact(command.Id(), ulong.Parse(command.Positional[1])); break;
            case "isolate": isolated.Add(command.Id()); break;
            case "heal": isolated.Clear(); break;
            case "crash-restart": CrashRestart(command.Id()); break;
            case "report-unreachable": Node(command.Id()).Raw.ReportUnreachable(command.Id(1)); break;
            case "log-level": quiet = command.Positional[0] == "none"; break;
            default: throw new NotSupportedException($"unknown transcript command '{command.Name}'");
        }
    }

    private void AddNodes(CommandLine command)
    {
        int count = int.Parse(command.Positional[0]);
        ulong[] voters = command.IdList("voters");
        ulong[] learners = command.IdList("learners");
        ulong index = (ulong)command.Int("index", 0);
        ulong firstId = nodes.Count == 0 ? 1 : nodes.Keys.Max() + 1;
        for (ulong id = firstId; id < firstId + (ulong)count; id++)
        {
            var storage = new MemoryStorage();
            if (voters.Length > 0)
            {
                var members = new ConfState(voters, learners);
                if (index > 0)
                {
                    storage.ApplySnapshot(new Snapshot(new SnapshotMetadata(index, 1, members), ReadOnlyMemory<byte>.Empty));
                }
                else
                {
                    storage = new MemoryStorage(members);
                }
            }

            var node = new EnvNode(id, storage, NodeConfig(id, storage, command, applied: index));
            nodes[id] = node;
            Print($"node {id}: {node.Raw.Status().ConfState} log [{storage.FirstIndex()}, {storage.LastIndex()}]");
        }
    }

    private static RaftConfig NodeConfig(ulong id, MemoryStorage storage, CommandLine command, ulong applied) => new()
    {
        Id = id,
        Storage = storage,
        Applied = applied,
        ElectionTick = command.Int("election", 10),
        HeartbeatTick = command.Int("heartbeat", 1),
        PreVote = command.Flag("prevote", false),
        CheckQuorum = command.Flag("checkquorum", false),
        ReadOnlyOption = command.Option("read-only") == "lease" ? ReadOnlyOption.LeaseBased : ReadOnlyOption.Safe,
        MaxSizePerMsg = (ulong)command.Int("max-size-per-msg", 1024 * 1024),
        MaxInflightMsgs = command.Int("max-inflight", 256),
        MaxUncommittedEntriesSize = (ulong)command.Int("max-uncommitted", 0),
        Random = new SeededRandom(id),
    };

    private void CrashRestart(ulong id)
    {
        // Everything not persisted is lost: a new RawNode over the same storage, which the env only changes
        // while handling a Ready.
        EnvNode old = Node(id);
        RaftConfig c = old.Config;
        var config = new RaftConfig
        {
            Id = id,
            Storage = old.Storage,
            Applied = old.Storage.Snapshot.Index,
            ElectionTick = c.ElectionTick,
            HeartbeatTick = c.HeartbeatTick,
            PreVote = c.PreVote,
            CheckQuorum = c.CheckQuorum,
            ReadOnlyOption = c.ReadOnlyOption,
            MaxSizePerMsg = c.MaxSizePerMsg,
            MaxInflightMsgs = c.MaxInflightMsgs,
            MaxUncommittedEntriesSize = c.MaxUncommittedEntriesSize,
            Random = new SeededRandom(id + 1000),
        };
        mailbox.RemoveAll(m => m.To == id);
        nodes[id] = new EnvNode(id, old.Storage, config) { ConfState = old.Storage.Snapshot.Metadata.ConfState };
        Print($"node {id} restarted: {nodes[id].Raw.Status().HardState}");
    }

    private void TickElection(ulong id)
    {
        EnvNode node = Node(id);
        int ticks = node.Raw.Role == RaftRole.Leader ? 10 : node.Raw.Raft.RandomizedElectionTimeoutTicks;
        for (int i = 0; i < ticks; i++)
        {
            node.Raw.Tick();
        }
    }

    private void TickHeartbeat(ulong id) => Node(id).Raw.Tick();

    private void ProposeConfChange(CommandLine command)
    {
        ConfChange change = command.Option("add") is { } add ? new ConfChange(ConfChangeType.AddNode, ulong.Parse(add))
            : command.Option("add-learner") is { } learner ? new ConfChange(ConfChangeType.AddLearnerNode, ulong.Parse(learner))
            : command.Option("remove") is { } remove ? new ConfChange(ConfChangeType.RemoveNode, ulong.Parse(remove))
            : throw new FormatException("propose-conf-change needs add=, add-learner= or remove=");
        Print(Node(command.Id()).Raw.ProposeConfChange(change) ? "accepted" : "dropped");
    }

    private void Compact(ulong id, ulong index)
    {
        EnvNode node = Node(id);
        node.Storage.CreateSnapshot(index, node.ConfState ?? node.Raw.Status().ConfState, Bytes($"snap@{index}"));
        node.Storage.Compact(index);
        Print($"node {id}: log [{node.Storage.FirstIndex()}, {node.Storage.LastIndex()}]");
    }

    private IEnumerable<ulong> IdsOrAll(CommandLine command) =>
        command.Positional.Count > 0 ? command.Ids.ToArray() : nodes.Keys.ToArray();

    private EnvNode Node(ulong id) => nodes.TryGetValue(id, out EnvNode? node) ? node
        : throw new ArgumentException($"no node {id}");

    private void Print(string line)
    {
        if (!quiet)
        {
            output.Append(line).Append('\n');
        }
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    internal static string Describe(Entry entry)
    {
        string payload = entry.Type == EntryType.ConfChange && !entry.Data.IsEmpty
            ? RaftCodec.DecodeConfChange(entry.Data.Span).ToString()
            : $"\"{Encoding.UTF8.GetString(entry.Data.Span)}\"";
        return $"{entry.Term}/{entry.Index} {entry.Type} {payload}";
    }

    /// <summary>A node of the environment: its RawNode, durable storage and the membership it last applied.</summary>
    private sealed class EnvNode(ulong id, MemoryStorage storage, RaftConfig config)
    {
        public ulong Id { get; } = id;

        public MemoryStorage Storage { get; } = storage;

        public RawNode Raw { get; } = new(config);

        public RaftConfig Config { get; } = config;

        public ConfState? ConfState { get; set; }
    }
}
