using Rebus.Config;
using Rebus.Persistence.InMem;
using Rebus.Sagas;

namespace Router.Core.Sagas;

/// <summary>Where a transport keeps saga state: the engine configures each saga's bus with it and knows nothing more.</summary>
public interface ISagaStorageFactory
{
    string Name { get; }

    void Configure(StandardConfigurer<ISagaStorage> configurer);
}

/// <summary>Rebus's in-memory saga storage, one instance for the runtime (a restart of the engine in the same process keeps it): tests only.</summary>
public sealed class InMemorySagaStorageFactory : ISagaStorageFactory
{
    private readonly InMemorySagaStorage storage = new();

    public string Name => "in-memory";

    public void Configure(StandardConfigurer<ISagaStorage> configurer) => configurer.Register(_ => storage);
}
