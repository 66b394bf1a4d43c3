using System.CommandLine;
using System.Globalization;
using Cairn.Cli.Output;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary><c>member list|add|remove|update|promote</c>.</summary>
internal static class MemberVerbs
{
    public static Command Create(VerbRunner runner)
    {
        var member = new Command("member", "Membership related commands");
        member.Subcommands.Add(List(runner));
        member.Subcommands.Add(Add(runner));
        member.Subcommands.Add(Remove(runner));
        member.Subcommands.Add(Update(runner));
        member.Subcommands.Add(Promote(runner));
        return member;
    }

    private static Command List(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("list", "Lists all members in the cluster", "none");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            await using var session = await context.ConnectAsync(cancellation);
            var response = await context.WithDeadlineAsync(token => session.MemberListAsync(new MemberListRequest(), token), cancellation);
            context.Printer.MemberList(response);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Add(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("add", "Adds a member into the cluster", "memberName");
        var peerUrls = VerbBuilder.Text(command, "--peer-urls", "", "comma separated peer URLs for the new member.");
        var learner = VerbBuilder.Flag(command, "--learner", "indicates if the new member is raft learner");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count < 1)
            {
                throw CliException.BadArgs("member name not provided");
            }
            if (args.All.Count > 1)
            {
                throw CliException.BadArgs("too many arguments");
            }
            string name = args.All[0];
            string urls = context.Value(peerUrls);
            if (urls.Length == 0)
            {
                throw CliException.BadArgs("member peer urls not provided");
            }
            var request = new MemberAddRequest { IsLearner = context.Value(learner) };
            request.PeerURLs.AddRange(urls.Split(','));
            await using var session = await context.ConnectAsync(cancellation);
            var response = await context.WithDeadlineAsync(token => session.MemberAddAsync(request, token), cancellation);
            context.Printer.MemberAdd(response);
            if (context.Printer is SimplePrinter)
            {
                PrintNewMemberEnvironment(context.Console.Output, name, response.Member?.ID ?? 0, urls, response.Members);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // The ETCD_* lines to start the new member with, as etcdctl prints them after "member add".
    private static void PrintNewMemberEnvironment(OutputBuffer output, string name, ulong newId, string peerUrls, IEnumerable<Member> members)
    {
        var cluster = new List<string>();
        foreach (var member in members)
        {
            foreach (string url in member.PeerURLs)
            {
                cluster.Add($"{(member.ID == newId ? name : member.Name)}={url}");
            }
        }
        output.NewLine();
        output.Append("ETCD_NAME=");
        GoText.AppendQuoted(output, name).NewLine();
        output.Append("ETCD_INITIAL_CLUSTER=");
        GoText.AppendQuoted(output, string.Join(',', cluster)).NewLine();
        output.Append("ETCD_INITIAL_ADVERTISE_PEER_URLS=");
        GoText.AppendQuoted(output, peerUrls).NewLine();
        output.Line("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
    }

    private static Command Remove(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("remove", "Removes a member from the cluster", "memberID");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            ulong id = MemberId(args.All);
            await using var session = await context.ConnectAsync(cancellation);
            var response = await context.WithDeadlineAsync(token => session.MemberRemoveAsync(new MemberRemoveRequest { ID = id }, token), cancellation);
            context.Printer.MemberRemove(id, response);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Update(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("update", "Updates a member in the cluster", "memberID");
        var peerUrls = VerbBuilder.Text(command, "--peer-urls", "", "comma separated peer URLs for the updated member.");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            ulong id = MemberId(args.All);
            string urls = context.Value(peerUrls);
            if (urls.Length == 0)
            {
                throw CliException.BadArgs("member peer urls not provided");
            }
            var request = new MemberUpdateRequest { ID = id };
            request.PeerURLs.AddRange(urls.Split(','));
            await using var session = await context.ConnectAsync(cancellation);
            var response = await context.WithDeadlineAsync(token => session.MemberUpdateAsync(request, token), cancellation);
            context.Printer.MemberUpdate(id, response);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Promote(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("promote", "Promotes a non-voting member in the cluster", "memberID");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            ulong id = MemberId(args.All);
            await using var session = await context.ConnectAsync(cancellation);
            var response = await context.WithDeadlineAsync(token => session.MemberPromoteAsync(new MemberPromoteRequest { ID = id }, token), cancellation);
            context.Printer.MemberPromote(id, response);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The member ID argument, in hex as etcdctl prints it.</summary>
    public static ulong MemberId(IReadOnlyList<string> args)
    {
        if (args.Count != 1)
        {
            throw CliException.BadArgs("member ID is not provided");
        }
        if (!ulong.TryParse(args[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong id))
        {
            throw CliException.BadArgs($"bad member ID arg (strconv.ParseUint: parsing {GoText.Quote(args[0])}: invalid syntax), expecting ID in Hex");
        }
        return id;
    }
}
