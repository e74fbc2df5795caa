using System.Net;
using System.Net.Sockets;

namespace Router.Endpoints.Tests.Remote;

/// <summary>
/// A TCP proxy on loopback that forwards to a server and, while <see cref="CutAfterBytes"/> is set, drops each
/// connection once that many bytes came back from the server: a network that fails mid-transfer, for real.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int cuts;

    public CuttingProxy(IPEndPoint target)
    {
        this.target = target;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Bytes from the server after which a connection is cut; null forwards everything.</summary>
    public long? CutAfterBytes { get; set; }

    /// <summary>How many connections were cut so far.</summary>
    public int Cuts => Volatile.Read(ref cuts);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            _ = ForwardAsync(client, CutAfterBytes);
        }
    }

    private async Task ForwardAsync(TcpClient client, long? cutAfter)
    {
        using var server = new TcpClient();
        using (client)
        {
            try
            {
                await server.ConnectAsync(target, stop.Token);
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                var up = PumpAsync(client.GetStream(), server.GetStream(), null, connection.Token);
                var down = PumpAsync(server.GetStream(), client.GetStream(), cutAfter, connection.Token);
                await Task.WhenAny(up, down);
                connection.Cancel();
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }
            catch (SocketException)
            {
            }
            // Closing both sides without a goodbye is what a dropped connection looks like.
            client.Client.LingerState = new LingerOption(true, 0);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, long? cutAfter, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long forwarded = 0;
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return;
                }
                if (cutAfter is { } limit && forwarded + read > limit)
                {
                    await to.WriteAsync(buffer.AsMemory(0, (int)(limit - forwarded)), cancellationToken);
                    Interlocked.Increment(ref cuts);
                    return;
                }
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                forwarded += read;
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
