using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Nono.Sandbox;

/// <summary>
/// The wire form of a launch spec, shared by every stage-2 channel (a memfd on Linux, a pipe on
/// macOS): UTF-8 JSON from a source-generated context (NativeAOT-safe), at most
/// <see cref="MaxBytes"/>. The spec never travels on a command line, where ps would show it.
/// </summary>
public static class LaunchSpecCodec
{
    /// <summary>Far above any real spec (an environment of a few hundred KiB at most), low enough
    /// that a corrupt channel cannot make stage 2 allocate without bound.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    public static byte[] Serialize<T>(T spec, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(spec, typeInfo);

    /// <summary>Decodes a spec; null when the payload is JSON null.</summary>
    /// <exception cref="JsonException">The payload is not a spec.</exception>
    public static T? Deserialize<T>(ReadOnlySpan<byte> payload, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(payload, typeInfo);
}
