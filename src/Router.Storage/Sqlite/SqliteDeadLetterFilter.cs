using System.Text;
using Microsoft.Data.Sqlite;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Storage.Sqlite;

/// <summary>Turns a <see cref="DeadLetterQuery"/> into a WHERE clause and its parameters, for listing and grouping alike.</summary>
internal static class SqliteDeadLetterFilter
{
    private const string ContainsFunction = "router_icontains";

    public static string WhereClause(DeadLetterQuery query)
    {
        var conditions = new List<string>();
        if (query.Route is not null)
        {
            conditions.Add("route = $route");
        }
        if (query.Endpoint is not null)
        {
            conditions.Add("endpoint = $endpoint");
        }
        if (!string.IsNullOrEmpty(query.ErrorText))
        {
            conditions.Add($"({ContainsFunction}(error_message, $error_text) OR {ContainsFunction}(error_code, $error_text))");
        }
        if (query.Since is not null)
        {
            conditions.Add("last_failed_at >= $since");
        }
        if (query.Statuses.Count > 0)
        {
            conditions.Add("status IN (SELECT value FROM json_each($statuses))");
        }
        if (query.Ids is not null)
        {
            conditions.Add("id IN (SELECT value FROM json_each($ids))");
        }
        if (conditions.Count == 0)
        {
            return "";
        }
        return new StringBuilder(" WHERE ").AppendJoin(" AND ", conditions).ToString();
    }

    public static void Bind(SqliteCommand command, DeadLetterQuery query)
    {
        if (!string.IsNullOrEmpty(query.ErrorText))
        {
            // SQLite's LIKE and lower() fold ASCII only; error texts from 1C and partners are often Russian.
            command.Connection!.CreateFunction<string?, string?, bool>(ContainsFunction,
                (text, part) => text is not null && part is not null && text.Contains(part, StringComparison.OrdinalIgnoreCase),
                isDeterministic: true);
            command.With("$error_text", query.ErrorText);
        }
        command.With("$route", query.Route)
            .With("$endpoint", query.Endpoint)
            .With("$since", query.Since is { } since ? SqliteTime.ToText(since) : null)
            .With("$statuses", RouterJson.Serialize(query.Statuses.Select(SqliteDeadLetterRows.StatusText)))
            .With("$ids", query.Ids is null ? null : RouterJson.Serialize(query.Ids));
    }
}
