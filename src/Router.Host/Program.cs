using System.Runtime.InteropServices;
using System.Text;
using Router.Host.Cli;

// Cyrillic in file names, payloads and 1C errors must print as text, whatever the terminal's default.
Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
// Ctrl-C and SIGTERM ask for a graceful stop (in-flight messages finish or go back to their queues); a second one
// ends the process at once.
using var shutdown = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (!shutdown.IsCancellationRequested)
    {
        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping gracefully (again to stop at once)");
        shutdown.Cancel();
    }
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
return await RouterCommandLine.RunAsync(args, Console.Out, Console.Error, shutdown.Token);
