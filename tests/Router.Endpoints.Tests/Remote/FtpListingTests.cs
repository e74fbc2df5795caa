using Router.Endpoints.Remote.Ftp;

namespace Router.Endpoints.Tests.Remote;

public sealed class FtpListingTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Reads_unix_lines_with_times_years_spaces_folders_and_links()
    {
        const string listing = "total 12\r\n"
            + "-rw-r--r--   1 router   router       1234 Nov 25 00:07 import0_1.xml\r\n"
            + "-rw-r--r--   1 1000     1000      9876543 Dec 30  2025 offers with spaces.xml\r\n"
            + "drwxr-xr-x   2 router   router       4096 Nov 24 10:00 processed\r\n"
            + "lrwxrwxrwx   1 router   router         10 Nov 24 10:00 latest.xml -> import.xml\r\n"
            + "-rw-r--r--   1 owner             5 Dec 31 23:59 from-last-year.xml\r\n";

        var entries = FtpListing.Parse(listing, Now);

        Assert.That(entries.Select(e => (e.Name, e.IsFile, e.Size)), Is.EqualTo(new[]
        {
            ("import0_1.xml", true, 1234L),
            ("offers with spaces.xml", true, 9876543L),
            ("processed", false, 4096L),
            ("latest.xml", false, 10L),
            ("from-last-year.xml", true, 5L),
        }));
        Assert.That(entries[0].ModifiedUtc, Is.EqualTo(new DateTime(2026, 11, 25, 0, 7, 0, DateTimeKind.Utc)));
        Assert.That(entries[1].ModifiedUtc, Is.EqualTo(new DateTime(2025, 12, 30, 0, 0, 0, DateTimeKind.Utc)));
        Assert.That(entries[4].ModifiedUtc.Year, Is.EqualTo(2025), "a date after today is last year's");
    }

    [Test]
    public void Reads_the_dos_lines_of_iis()
    {
        const string listing = "11-25-26  12:07AM                 1234 import0_1.xml\r\n"
            + "11-24-26  01:30PM       <DIR>          processed\r\n";

        var entries = FtpListing.Parse(listing, Now);

        Assert.That(entries.Select(e => (e.Name, e.IsFile, e.Size)), Is.EqualTo(new[] { ("import0_1.xml", true, 1234L), ("processed", false, 0L) }));
        Assert.That(entries[0].ModifiedUtc, Is.EqualTo(new DateTime(2026, 11, 25, 0, 7, 0, DateTimeKind.Utc)));
        Assert.That(entries[1].ModifiedUtc.Hour, Is.EqualTo(13));
    }
}
