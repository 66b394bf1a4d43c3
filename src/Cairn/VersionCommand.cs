using System.CommandLine;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cairn.Protocol;

namespace Cairn;

/// <summary><c>cairn version</c>: what this binary is and how it was built.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version of cairn, the etcd API it speaks and how it was built");
        command.SetAction(_ =>
        {
            var assembly = typeof(VersionCommand).Assembly;
            string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            string targetFramework = assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "CairnTargetFramework")?.Value ?? "unknown";
            string build = RuntimeFeature.IsDynamicCodeSupported ? "JIT (not native AOT)" : "native AOT";
            Console.WriteLine($"cairn version: {version}");
            Console.WriteLine($"etcd API version: {EtcdCompatibility.ApiVersion} (reports etcd {EtcdCompatibility.ServerVersion})");
            Console.WriteLine($"target framework: {targetFramework} ({build})");
            Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier}");
            return 0;
        });
        return command;
    }
}
