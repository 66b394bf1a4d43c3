namespace Cairn.Configuration;

/// <summary>The typed configuration of the whole product. Not built yet: see issue 2.</summary>
public sealed class CairnConfig
{
}
