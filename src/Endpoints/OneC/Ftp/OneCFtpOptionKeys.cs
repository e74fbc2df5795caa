namespace Router.Endpoints.OneC.Ftp;

/// <summary>The keys of an <c>onec-ftp</c> endpoint of its own; the rest are the folder endpoint's and the remote connection's.</summary>
public static class OneCFtpOptionKeys
{
    public const string Path = "path";
}
