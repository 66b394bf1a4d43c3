using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cairn.Server.Tests;

/// <summary>A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cairn-tls-{Guid.NewGuid():N}");

    public TestCertificates()
    {
        Directory.CreateDirectory(directory);
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=cairn test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CaFile = Write("ca.pem", ca.ExportCertificatePem());
        (ServerCertFile, ServerKeyFile) = Issue(ca, caKey, "server", server: true);
        (ClientCertFile, ClientKeyFile) = Issue(ca, caKey, "client", server: false);
    }

    public string CaFile { get; }

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    public string ClientCertFile { get; }

    public string ClientKeyFile { get; }

    public X509Certificate2 LoadClientCertificate() =>
        X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPemFile(ClientCertFile, ClientKeyFile).Export(X509ContentType.Pkcs12), null);

    private (string Cert, string Key) Issue(X509Certificate2 ca, RSA caKey, string name, bool server)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var usage = new OidCollection { new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") };
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usage, false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        using X509Certificate2 certificate = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        return (Write($"{name}.pem", certificate.ExportCertificatePem()), Write($"{name}-key.pem", key.ExportPkcs8PrivateKeyPem()));
    }

    private string Write(string name, string pem)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, pem);
        return path;
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
