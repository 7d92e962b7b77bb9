namespace Nono.Supervisor.Profiles.Json;

/// <summary>
/// A parsed JSON value that remembers where it was written. JsonDocument does not expose token
/// positions, and every profile error must name a line and column, so profiles are read into this
/// small tree instead.
/// </summary>
internal abstract record JNode(SourceLocation Where)
{
    /// <summary>How the value is described in type errors ("a string", "a list", ...).</summary>
    public abstract string Describe { get; }
}

internal sealed record JProperty(string Name, SourceLocation NameWhere, JNode Value);

internal sealed record JObject(SourceLocation Where, IReadOnlyList<JProperty> Properties) : JNode(Where)
{
    public override string Describe => "an object";
}

internal sealed record JArray(SourceLocation Where, IReadOnlyList<JNode> Items) : JNode(Where)
{
    public override string Describe => "a list";
}

internal sealed record JString(SourceLocation Where, string Value) : JNode(Where)
{
    public override string Describe => "a string";
}

internal sealed record JNumber(SourceLocation Where, string Raw) : JNode(Where)
{
    public override string Describe => "a number";
}

internal sealed record JBool(SourceLocation Where, bool Value) : JNode(Where)
{
    public override string Describe => Value ? "true" : "false";
}

internal sealed record JNull(SourceLocation Where) : JNode(Where)
{
    public override string Describe => "null";
}
