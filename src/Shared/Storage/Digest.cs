using System.Security.Cryptography;
using System.Text;

namespace Qcdc.Storage;

/// <summary>A short digest of a text for keys and stamps: Idempotency-Keys, request fingerprints, rollup stamps.</summary>
public static class Digest
{
    /// <summary>The first 128 bits of the text's SHA-256, in lower-case hex.</summary>
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
