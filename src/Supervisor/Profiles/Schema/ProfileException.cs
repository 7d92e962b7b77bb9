namespace Nono.Supervisor.Profiles;

/// <summary>
/// A profile, or a flag that extends it, is invalid. The message starts with the location
/// (<c>file:line:column</c> or the flag) and says what to change. It never contains a secret.
/// </summary>
internal sealed class ProfileException : Exception
{
    public ProfileException(string message)
        : base(message)
    {
    }

    public ProfileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProfileException()
    {
    }

    public static ProfileException At(SourceLocation where, string message) => new($"{where}: {message}");
}
