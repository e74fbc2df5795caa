using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Jint;
using Jint.Native;
using Jint.Native.Object;

namespace Router.Core.Expressions;

/// <summary>
/// The JavaScript engine of the current thread. A Jint engine is not thread-safe, so each thread gets its own,
/// configured so that a script can only compute: no clock, no randomness, no string compilation, bounded cost,
/// and frozen inputs so one expression cannot change what the next one sees.
/// </summary>
internal sealed class ExpressionEngine
{
    [ThreadStatic]
    private static ExpressionEngine? current;

    private readonly ConditionalWeakTable<CompiledScript, JsValue> functions = new();
    private readonly JsValue freeze;

    private ExpressionEngine()
    {
        Engine = new Engine(Configure);
        Engine.Execute("""
            'use strict';
            Math.random = function () {
                throw new Error('Math.random() is not available: a transformer must give the same output for the same input');
            };
            Object.freeze(Math);
            Object.freeze(globalThis);
            """);
        freeze = Engine.Intrinsics.Object.Get("freeze");
        EmptyObject = Freeze(new JsObject(Engine));
    }

    public static ExpressionEngine ForCurrentThread => current ??= new ExpressionEngine();

    public Engine Engine { get; }

    /// <summary>A frozen <c>{}</c>, for <c>headers</c> when there is no envelope.</summary>
    public JsValue EmptyObject { get; }

    /// <summary>JSON as a deeply frozen JavaScript value of this engine.</summary>
    public JsValue Import(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? JsValue.Undefined : Import(element.GetRawText());

    public JsValue Import(string json)
    {
        // Parsing and freezing run outside Invoke, which is what restarts the deadline: on a thread whose last
        // evaluation was longer ago than the timeout, they would otherwise find the old deadline long past.
        Engine.Constraints.Reset();
        return Freeze(new Jint.Native.Json.JsonParser(Engine).Parse(json));
    }

    /// <summary>Runs a compiled expression; throws Jint's exceptions, which the caller turns into message failures.</summary>
    public JsValue Run(CompiledScript script, JsValue payload, JsValue root, JsValue envelope, JsValue headers)
    {
        var function = functions.GetValue(script, s => Engine.Evaluate(s.Prepared));
        // Invoke resets the statement count and the deadline, so the limits apply to each evaluation on its own.
        return Engine.Invoke(function, payload, root, envelope, headers);
    }

    private JsValue Freeze(JsValue value)
    {
        if (value is ObjectInstance obj)
        {
            Engine.Call(freeze, obj);
            foreach (var (_, descriptor) in obj.GetOwnProperties())
            {
                Freeze(descriptor.Value);
            }
        }
        return value;
    }

    private static void Configure(Options options)
    {
        options.Strict = true;
        options.Culture = CultureInfo.InvariantCulture;
        options.TimeZone = TimeZoneInfo.Utc;
        options.TimeSystem = new NoClockTimeSystem();
        options.Host.StringCompilationAllowed = false;
        options.TimeoutInterval(ExpressionLimits.Timeout);
        // The deadline is checked between statements; a regular expression runs inside one, so it needs its own.
        options.RegexTimeoutInterval(ExpressionLimits.Timeout);
        options.MaxStatements(ExpressionLimits.MaxStatements);
        options.LimitRecursion(ExpressionLimits.MaxCallDepth);
        options.MaxArraySize(ExpressionLimits.MaxArrayLength);
        options.LimitMemory(ExpressionLimits.MaxMemoryBytes);
    }

    /// <summary>
    /// Dates without a zone are read as UTC and the current time is not available: reading the clock would make
    /// a transformer's output depend on when it ran.
    /// </summary>
    private sealed class NoClockTimeSystem() : Jint.Runtime.DefaultTimeSystem(TimeZoneInfo.Utc, CultureInfo.InvariantCulture)
    {
        public override DateTimeOffset GetUtcNow() => throw new ClockNotAvailableException();
    }
}

internal sealed class ClockNotAvailableException()
    : Exception("the current time is not available (Date.now(), new Date()): a transformer must give the same output for the same input; use a date from the message");
