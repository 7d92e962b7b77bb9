namespace Nono.EndToEnd.Tests;

/// <summary>A scratch directory under the host's /tmp (never inside a default grant), removed on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Directory.CreateTempSubdirectory("nono-e2e-").FullName;
    }

    public string Root { get; }

    public string Dir(string relative)
    {
        var path = Path.Join(Root, relative);
        Directory.CreateDirectory(path);
        return path;
    }

    public string File(string relative, string content = "content\n")
    {
        var path = Path.Join(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
