using System.CommandLine;

namespace Cairn.Cli;

/// <summary>
/// A verb that is part of the product's surface but not implemented yet. It says so and fails, so that no
/// script mistakes it for success.
/// </summary>
public static class NotYetBuilt
{
    /// <summary>Creates a command that prints which issue tracks it and exits with <see cref="ExitCodes.Failure"/>.</summary>
    public static Command Create(string name, string description, string trackedBy)
    {
        var command = new Command(name, $"{description} (not built yet)");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(_ =>
        {
            Console.Error.WriteLine($"cairn {name}: not built yet ({trackedBy}).");
            return ExitCodes.Failure;
        });
        return command;
    }
}
