using System.Text;
using Router.Host.Cli;

// Cyrillic in file names, payloads and 1C errors must print as text, whatever the terminal's default.
Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
return await RouterCommandLine.RunAsync(args, Console.Out, Console.Error);
