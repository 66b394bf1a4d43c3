using System.Text;
using System.Text.Json;
using Cairn.TomlDecoder;
using Xunit.Abstractions;

namespace Cairn.Toml.Tests;

/// <summary>
/// The toml-test conformance suite (TOML 1.0.0): every valid case decodes to exactly the expected tagged JSON,
/// every invalid case is rejected. Each test prints its count ("toml-test: N/N valid").
/// </summary>
public class ConformanceTests(ITestOutputHelper output)
{
    /// <summary>toml-test's own budget per case; a parser that takes longer is hanging.</summary>
    private static readonly TimeSpan PerCaseTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void Every_valid_case_decodes_to_the_expected_tagged_json()
    {
        IReadOnlyList<string> cases = TomlTestData.ValidCases();
        var failures = new List<string>();
        foreach (string tomlPath in cases)
        {
            string? failure = CheckValidCase(tomlPath);
            if (failure is not null)
            {
                failures.Add($"{TomlTestData.Relative(tomlPath)}: {failure}");
            }
        }
        string summary = $"toml-test: {cases.Count - failures.Count}/{cases.Count} valid (data: {TomlTestData.Directory})";
        output.WriteLine(summary);
        // Also to stdout: dotnet test shows a passing test's stdout at normal verbosity, but not its ITestOutputHelper text.
        Console.WriteLine(summary);
        Assert.True(cases.Count > 0, $"no valid cases under {TomlTestData.Directory}");
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_invalid_case_is_rejected()
    {
        IReadOnlyList<string> cases = TomlTestData.InvalidCases();
        var failures = new List<string>();
        foreach (string tomlPath in cases)
        {
            string? failure = CheckInvalidCase(tomlPath);
            if (failure is not null)
            {
                failures.Add($"{TomlTestData.Relative(tomlPath)}: {failure}");
            }
        }
        string summary = $"toml-test: {cases.Count - failures.Count}/{cases.Count} invalid rejected (data: {TomlTestData.Directory})";
        output.WriteLine(summary);
        // Also to stdout: dotnet test shows a passing test's stdout at normal verbosity, but not its ITestOutputHelper text.
        Console.WriteLine(summary);
        Assert.True(cases.Count > 0, $"no invalid cases under {TomlTestData.Directory}");
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    private static string? CheckValidCase(string tomlPath)
    {
        string jsonPath = Path.ChangeExtension(tomlPath, ".json");
        if (!File.Exists(jsonPath))
        {
            return $"expected result {Path.GetFileName(jsonPath)} is missing";
        }
        var (document, error) = ParseWithTimeout(File.ReadAllBytes(tomlPath), tomlPath);
        if (document is null)
        {
            return $"rejected a valid document: {error}";
        }
        using var expected = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        using var actual = JsonDocument.Parse(ToTaggedJson(document));
        return TaggedJsonComparer.Difference(expected.RootElement, actual.RootElement);
    }

    private static string? CheckInvalidCase(string tomlPath)
    {
        var (document, error) = ParseWithTimeout(File.ReadAllBytes(tomlPath), tomlPath);
        if (document is not null)
        {
            return "accepted an invalid document: " + Truncate(Encoding.UTF8.GetString(ToTaggedJson(document)));
        }
        return error!.StartsWith("parse error:", StringComparison.Ordinal) ? null : error;
    }

    /// <summary>Parses on a worker so that a hang fails the case instead of the whole run.</summary>
    private static (TomlTable? Document, string? Error) ParseWithTimeout(byte[] bytes, string path)
    {
        var parse = Task.Run(() =>
        {
            try
            {
                return ((TomlTable?)TomlParser.ParseUtf8(bytes, path), (string?)null);
            }
            catch (TomlParseException exception)
            {
                return (null, "parse error: " + exception.Message);
            }
            catch (Exception exception)
            {
                // Anything but TomlParseException is a parser bug (a crash), not a rejection.
                return (null, $"crashed with {exception.GetType().Name}: {exception.Message}");
            }
        });
        return parse.Wait(PerCaseTimeout) ? parse.Result : (null, $"hung for more than {PerCaseTimeout.TotalSeconds} s");
    }

    private static byte[] ToTaggedJson(TomlTable document)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            TaggedJsonWriter.Write(json, document);
        }
        return buffer.ToArray();
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
