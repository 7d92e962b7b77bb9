using System.Text;
using System.Text.Json;

namespace Nono.Supervisor.Profiles.Json;

/// <summary>
/// Reads JSON or JSONC (comments and trailing commas allowed) into a <see cref="JNode"/> tree with
/// source positions, using <see cref="Utf8JsonReader"/> (no reflection; NativeAOT-safe). Duplicate
/// keys and malformed input are errors with the file, line and column.
/// </summary>
internal static class JNodeReader
{
    /// <summary>Profiles are small; anything bigger is a mistake (or an attack on the parser).</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 32,
    };

    public static JNode Parse(byte[] utf8, string origin)
    {
        if (utf8.Length > MaxBytes)
        {
            throw new ProfileException($"{origin}: the file is larger than {MaxBytes / 1024} KiB; a profile should be a few KiB.");
        }

        var bodyStart = utf8.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        var body = utf8[bodyStart..];
        var map = new LineMap(body);
        if (body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw new ProfileException($"{origin}: the file is empty; a profile is a JSON object such as {{ \"extends\": \"default\" }}");
        }

        var reader = new Utf8JsonReader(body, Options);
        try
        {
            reader.Read();
            var root = ReadValue(ref reader, map, origin);

            // The reader refuses anything but comments after the root value.
            while (reader.Read())
            {
            }

            return root;
        }
        catch (JsonException error)
        {
            // The reader's own message is not used: in the NativeAOT binary it is a bare resource key.
            var (line, column) = map.AtLine(error.LineNumber ?? 0, error.BytePositionInLine ?? 0);
            var near = map.Snippet(error.LineNumber ?? 0, error.BytePositionInLine ?? 0);
            var what = near.Length > 0 ? $"malformed JSON near '{near}'"
                : map.IsRestBlank(error.LineNumber ?? 0, error.BytePositionInLine ?? 0) ? "malformed JSON: the file ends before every object, list and string is closed"
                : "malformed JSON at the end of this line";
            throw new ProfileException($"{origin}:{line}:{column}: {what}", error);
        }
    }

    private static JNode ReadValue(ref Utf8JsonReader reader, LineMap map, string origin)
    {
        var where = Locate(map, origin, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader, map, origin, where);
            case JsonTokenType.StartArray:
                var items = new List<JNode>();
                while (Next(ref reader, where) != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, map, origin));
                }

                return new JArray(where, items);
            case JsonTokenType.String:
                return new JString(where, reader.GetString() ?? string.Empty);
            case JsonTokenType.Number:
                return new JNumber(where, Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
                return new JBool(where, true);
            case JsonTokenType.False:
                return new JBool(where, false);
            case JsonTokenType.Null:
                return new JNull(where);
            default:
                throw ProfileException.At(where, $"unexpected JSON token {reader.TokenType}");
        }
    }

    private static JObject ReadObject(ref Utf8JsonReader reader, LineMap map, string origin, SourceLocation where)
    {
        var properties = new List<JProperty>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (Next(ref reader, where) != JsonTokenType.EndObject)
        {
            var nameWhere = Locate(map, origin, reader.TokenStartIndex);
            var name = reader.GetString() ?? string.Empty;
            if (!seen.Add(name))
            {
                throw ProfileException.At(nameWhere, $"duplicate key '{name}'; each key may appear once per object");
            }

            Next(ref reader, nameWhere);
            properties.Add(new JProperty(name, nameWhere, ReadValue(ref reader, map, origin)));
        }

        return new JObject(where, properties);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, SourceLocation opened)
    {
        if (!reader.Read())
        {
            throw ProfileException.At(opened, "malformed JSON: this value is not closed before the end of the file");
        }

        return reader.TokenType;
    }

    private static SourceLocation Locate(LineMap map, string origin, long offset)
    {
        var (line, column) = map.At(offset);
        return new SourceLocation(origin, line, column);
    }
}
