using Router.Sandbox.Faults;

namespace Router.Sandbox.OneC;

/// <summary>Faults worded as 1C words them, for the sandbox's fault board.</summary>
public static class OneCFaults
{
    /// <summary>What the platform answers when another session holds the records a transaction needs.</summary>
    public const string LockConflictText =
        "{ОбщийМодуль.ОбменЗаказами.Модуль(112)}: Ошибка при вызове метода контекста (Записать)\n" +
        "по причине: Конфликт блокировок при выполнении транзакции:\n" +
        "Превышено максимальное время ожидания предоставления блокировки";

    /// <summary>What the platform answers while the infobase is locked for maintenance (an update, a backup).</summary>
    public const string SessionsLockedText = "Начало сеанса с информационной базой запрещено. Выполняется обновление конфигурации.";

    public static FaultSpec LockConflict(int count = 1, string? path = null) =>
        new() { Type = FaultType.Status, Status = 500, Body = LockConflictText, Count = count, Path = path };

    public static FaultSpec SessionsLocked(int count = 1, string? path = null) =>
        new() { Type = FaultType.Status, Status = 503, Body = SessionsLockedText, Count = count, Path = path };
}
