using System.Globalization;
using Router.Benchmarks;
using Router.Benchmarks.Reporting;
using Router.Benchmarks.Scenarios;

// Usage: Router.Benchmarks [--messages N] [--repeat R] [--sync normal|full|both] [--scenarios a,b,p,q]
//                          [--senders S] [--parallelism P] [--prefetch F] [--dir PATH]
//        Router.Benchmarks --suite rabbitmq [--amqp URL] [--queues quorum|classic] [--messages N] [--repeat R] ...
//                          (URL defaults to $ROUTER_TEST_RABBITMQ_URL, which scripts/bench.sh rabbitmq sets)
// Every scenario runs in this one process and run: a small warm-up first (not reported), then R repetitions in which
// the scenarios run back to back for each durability. Ratios are to scenario (a) of the same durability.
var options = ParseArguments(args);
var workDirectory = options.GetValueOrDefault("dir") ?? Path.Combine(Path.GetTempPath(), "router-benchmarks", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(workDirectory);
var messages = Int("messages", 20_000);
var repeat = Int("repeat", 3);
var suite = options.GetValueOrDefault("suite") ?? "sqlite";
var durabilities = (suite == "rabbitmq" ? "normal" : options.GetValueOrDefault("sync") ?? "both") switch
{
    "normal" => new[] { false },
    "full" => new[] { true },
    _ => new[] { false, true },
};
IBenchmarkScenario[] allScenarios = suite switch
{
    // SQLite's durability setting means nothing here: the queue type is the row's "sync" column instead.
    "rabbitmq" => RabbitMqScenarios(),
    // The PostgreSQL scenarios need a server (scripts/bench.sh --postgres starts one): they run when one is named.
    _ when Environment.GetEnvironmentVariable(RebusPostgreSqlScenario.ServerVariable) is not null =>
        [new RawSqliteScenario(), new RebusSqlitePassThroughScenario(), new FullRouterScenario(), new RebusPostgreSqlScenario(wrapped: false), new RebusPostgreSqlScenario(wrapped: true)],
    _ => [new RawSqliteScenario(), new RebusSqlitePassThroughScenario(), new FullRouterScenario()],
};
var only = options.GetValueOrDefault("scenarios")?.Split(',') ?? [];
var scenarios = allScenarios.Where(s => only.Length == 0 || only.Contains(s.Name.Split(':')[0])).ToArray();

Console.WriteLine($"Router benchmarks: {messages:N0} messages of 1 KB, {repeat} repetition(s), {Environment.ProcessorCount} cores, " +
                  $".NET {Environment.Version}, load average {LoadAverage()}, files in {workDirectory}");
var results = new List<BenchmarkResult>();
try
{
    var settingsByDurability = durabilities.Select(synchronousFull => new BenchmarkSettings
    {
        MessageCount = messages,
        SynchronousFull = synchronousFull,
        WorkDirectory = workDirectory,
        Senders = Int("senders", 16),
        Parallelism = Int("parallelism", 32),
        Prefetch = Int("prefetch", 32),
    }).ToList();
    foreach (var scenario in scenarios)
    {
        await scenario.RunAsync(settingsByDurability[0] with { MessageCount = Math.Max(200, messages / 20) }, CancellationToken.None);
    }
    for (var round = 1; round <= repeat; round++)
    {
        foreach (var settings in settingsByDurability)
        {
            foreach (var scenario in scenarios)
            {
                var result = await scenario.RunAsync(settings, CancellationToken.None);
                Console.WriteLine($"  #{round} [{settings.Durability}] {scenario.Name}: {result.MessagesPerSecond:N0} msg/s (load average {LoadAverage()})");
                results.Add(result);
            }
        }
    }
    Console.WriteLine();
    ResultsTable.Print(results, Console.Out);
}
finally
{
    if (!options.ContainsKey("dir"))
    {
        Directory.Delete(workDirectory, recursive: true);
    }
}

IBenchmarkScenario[] RabbitMqScenarios()
{
    var url = options.GetValueOrDefault("amqp") ?? Environment.GetEnvironmentVariable("ROUTER_TEST_RABBITMQ_URL")
        ?? throw new ArgumentException("--suite rabbitmq needs --amqp URL or ROUTER_TEST_RABBITMQ_URL (scripts/bench.sh rabbitmq starts a broker and sets it)");
    var quorum = (options.GetValueOrDefault("queues") ?? "quorum") == "quorum";
    // (c) and (c2) need PostgreSQL for the router's state (scripts/bench.sh rabbitmq starts one); without it they are skipped.
    var postgres = Environment.GetEnvironmentVariable(RebusPostgreSqlScenario.ServerVariable);
    if (postgres is null)
    {
        Console.WriteLine($"note: {RebusPostgreSqlScenario.ServerVariable} is not set, so the full-router scenarios (c, c2) on RabbitMQ + PostgreSQL are skipped");
        return [new RawRabbitMqScenario(url, quorum), new RebusRabbitMqPassThroughScenario(url, quorum)];
    }
    return
    [
        new RawRabbitMqScenario(url, quorum), new RebusRabbitMqPassThroughScenario(url, quorum),
        new FullRouterRabbitMqScenario(url, quorum, postgres, hosts: 1), new FullRouterRabbitMqScenario(url, quorum, postgres, hosts: 2),
    ];
}

int Int(string name, int fallback) =>
    options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

// Other work on a shared machine moves every figure; print it so a reader can judge.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static Dictionary<string, string> ParseArguments(string[] args)
{
    var parsed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        parsed[args[i].TrimStart('-')] = args[i + 1];
    }
    return parsed;
}
