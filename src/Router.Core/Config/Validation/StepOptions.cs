using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;

namespace Router.Core.Config.Validation;

internal static class StepOptions
{
    /// <summary>
    /// <c>- normalize:</c> with nothing after the colon means "no options": a factory whose options are a mapping
    /// gets an empty one (marked at the step's key, where a missing required option is best reported).
    /// </summary>
    public static ConfigNode Of(ConfigScalar key, ConfigNode value, SchemaNode schema) =>
        value is ConfigScalar { IsNull: true } && schema is ObjectSchema ? ConfigMapping.Empty(key.Mark) : value;
}
