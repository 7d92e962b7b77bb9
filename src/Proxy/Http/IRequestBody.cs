namespace Nono.Proxy.Http;

/// <summary>A request body as the upstream exchange reads it: streamed, never buffered whole.</summary>
internal interface IRequestBody
{
    bool IsComplete { get; }

    /// <summary>Declared length, when known in advance.</summary>
    long? Length { get; }

    /// <summary>Copies the rest of the body to <paramref name="destination"/>.</summary>
    ValueTask CopyToAsync(Stream destination, CancellationToken ct);

    /// <summary>Reads and drops what is left, up to <paramref name="limit"/> bytes; false when the limit was hit.</summary>
    ValueTask<bool> DrainAsync(long limit, CancellationToken ct);
}
