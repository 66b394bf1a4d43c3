using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Output;

/// <summary>One endpoint's answer to <c>endpoint health</c>.</summary>
/// <param name="Endpoint">The endpoint as the user gave it (or from the member list with --cluster).</param>
/// <param name="Health">True when the health probe succeeded.</param>
/// <param name="Took">How long the probe took, in Go's duration format (e.g. "1.546761ms").</param>
/// <param name="Error">Why the probe failed; empty when healthy.</param>
public sealed record EndpointHealth(string Endpoint, bool Health, string Took, string Error);

/// <summary>One endpoint's answer to <c>endpoint status</c>.</summary>
public sealed record EndpointStatus(string Endpoint, StatusResponse Status);

/// <summary>One endpoint's answer to <c>endpoint hashkv</c>.</summary>
public sealed record EndpointHash(string Endpoint, HashKVResponse Hash);
